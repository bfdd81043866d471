"""Create a local admin account for development, once, and a demo Mission analyst.

`make run` calls this after migrating so a fresh clone has a working staff
login. The generated passwords are printed only when an account is created;
they are never stored anywhere but in the password hash.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from registry.demo.seed import DEMO_MISSIONS, demo_missions_seed
from registry.services.missions import mission_assign_staff
from registry.services.roles import ANALYST

USERNAME = "admin"
MISSION_ANALYST = "berlin_analyst"


class Command(BaseCommand):
    help = (
        "Development only (DJANGO_DEBUG=1): create the superuser 'admin' with a generated "
        "password, printed once, unless a superuser already exists. With --mission-analyst, "
        f"also the Analyst '{MISSION_ANALYST}' of the demo Mission in Berlin."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--mission-analyst",
            action="store_true",
            help="Also make a demo analyst account of the Berlin Mission (sees DE, AT, CH).",
        )

    def handle(self, *args, mission_analyst, **options):
        # A printed password is fine on a developer's terminal, never on a
        # server: production accounts are made with createsuperuser.
        if not settings.DEBUG:
            raise CommandError(
                "ensure_dev_admin only runs with DJANGO_DEBUG=1; "
                "in production use 'manage.py createsuperuser'."
            )
        self._ensure_admin()
        if mission_analyst:
            self._ensure_mission_analyst()

    def _ensure_admin(self):
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

    def _ensure_mission_analyst(self):
        user_model = get_user_model()
        name, _city, countries = DEMO_MISSIONS[0]
        with transaction.atomic():
            berlin = next(m for m in demo_missions_seed() if m.name == name)
            lookup = {user_model.USERNAME_FIELD: MISSION_ANALYST}
            existing = user_model.objects.filter(**lookup).first()
            if existing is not None:
                self.stdout.write(
                    f"The Mission analyst account {MISSION_ANALYST} ({name}) already exists; "
                    f"reset its password with 'manage.py changepassword {MISSION_ANALYST}'."
                )
                return
            password = secrets.token_urlsafe(18)
            user = user_model.objects.create_user(
                **lookup, email=f"{MISSION_ANALYST}@localhost", password=password, is_staff=True
            )
            user.groups.add(Group.objects.get(name=ANALYST))
            mission_assign_staff(mission=berlin, users=[user])

        self.stdout.write(
            self.style.SUCCESS(
                f"Created a Mission analyst of the {name} (sees members in "
                f"{', '.join(countries)} only; shown only this once):"
            )
        )
        self.stdout.write(f"  username: {MISSION_ANALYST}")
        self.stdout.write(f"  password: {password}")
        self.stdout.write("  sign in at http://127.0.0.1:8000/admin/ or /staff/search/")
