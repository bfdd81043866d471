"""The ministry's admin backend (Django admin).

* members: the member list, change form, review workflow and history
* taxonomy: fields, subfields, SDGs, engagement types, projects, clusters
* exports: the export log
* contact: the queries sent through the contact page
* missions: the Missions abroad, and each staff account's Mission on its user page
* actions: the member list's actions (export selected members as CSV)
"""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

from registry.admin import (  # noqa: F401  (registers the ModelAdmins)
    contact,
    exports,
    members,
    missions,
    taxonomy,
)

# The task results of django-tasks-db hold what the tasks were given: survey
# answers and e-mail addresses, for as long as they are kept. Nobody on the
# staff needs them, so the admin does not show them; operators see the
# worker's log (docs/operations.md).
admin.site.unregister(DBTaskResult)
