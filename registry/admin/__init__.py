"""The ministry's admin backend (Django admin).

* members: the member list, change form, review workflow and history
* taxonomy: fields, subfields, SDGs, engagement types, projects, clusters
* exports: the export log
* missions: the Missions abroad, and each staff account's Mission on its user page
* actions: the member list's actions (export selected members as CSV)
"""

from registry.admin import exports, members, missions, taxonomy  # noqa: F401  (registers the ModelAdmins)
