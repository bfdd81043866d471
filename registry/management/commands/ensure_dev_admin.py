"""Create a local admin account for development, once.

`make run` calls this after migrating so a fresh clone has a working staff
login. The generated password is printed only when the account is created;
it is never stored anywhere but in the password hash.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

USERNAME = "admin"


class Command(BaseCommand):
    help = (
        "Development only (DJANGO_DEBUG=1): create the superuser 'admin' with a generated "
        "password, printed once, unless a superuser already exists."
    )

    def handle(self, *args, **options):
        # A printed password is fine on a developer's terminal, never on a
        # server: production accounts are made with createsuperuser.
        if not settings.DEBUG:
            raise CommandError(
                "ensure_dev_admin only runs with DJANGO_DEBUG=1; "
                "in production use 'manage.py createsuperuser'."
            )

        user_model = get_user_model()
        with transaction.atomic():
            existing = user_model.objects.filter(is_superuser=True).order_by("pk").first()
            if existing is not None:
                self.stdout.write(
                    f"An admin account already exists ({existing.get_username()}); "
                    "its password is not shown again. Reset it with "
                    f"'manage.py changepassword {existing.get_username()}'."
                )
                return
            if user_model.objects.filter(**{user_model.USERNAME_FIELD: USERNAME}).exists():
                raise CommandError(
                    f"A user named '{USERNAME}' exists but is not a superuser; "
                    "create one with 'manage.py createsuperuser'."
                )
            password = secrets.token_urlsafe(18)
            user_model.objects.create_superuser(
                **{user_model.USERNAME_FIELD: USERNAME},
                email="admin@localhost",
                password=password,
            )

        self.stdout.write(
            self.style.SUCCESS("Created the development admin account (shown only this once):")
        )
        self.stdout.write(f"  username: {USERNAME}")
        self.stdout.write(f"  password: {password}")
        self.stdout.write("  sign in at http://127.0.0.1:8000/admin/")
