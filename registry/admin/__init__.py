"""The ministry's admin backend (Django admin).

* members: the member list, change form, review workflow and history
* taxonomy: fields, subfields, SDGs, engagement types, projects, clusters,
  and the export log
"""

from registry.admin import members, taxonomy  # noqa: F401  (registers the ModelAdmins)
