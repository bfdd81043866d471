"""The ministry's admin backend (Django admin).

* members: the member list, change form, review workflow and history
* taxonomy: fields, subfields, SDGs, engagement types, projects, clusters
* exports: the export log
* actions: the member list's actions (export selected members as CSV)
"""

from registry.admin import exports, members, taxonomy  # noqa: F401  (registers the ModelAdmins)
