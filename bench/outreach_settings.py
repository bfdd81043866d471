"""Bench settings for the outreach section: e-mails kept in memory (locmem), tasks
queued in the database and run by a db_worker process, as in production."""

import os

os.environ.setdefault("TASKS_BACKEND", "database")

from bench.settings import *  # noqa: E402, F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
