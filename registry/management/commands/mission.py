"""Create or update a Mission abroad and assign staff accounts to it."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from registry.selectors.missions import missions_with_staff
from registry.services.missions import mission_assign_staff, mission_save


class Command(BaseCommand):
    help = (
        "Create or update the Mission NAME (the countries it covers, its city, whether it "
        "is active) and make the given staff accounts its staff. Safe to run again. "
        "Staff of a Mission see only the members residing in its countries. "
        "--list prints every Mission with its countries and staff."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help='The Mission, e.g. "Embassy in Berlin".')
        parser.add_argument(
            "--countries",
            help="ISO codes of the countries it covers, comma-separated, e.g. DE,AT,CH "
            "(replaces the current list).",
        )
        parser.add_argument("--city", help="The city it is in.")
        parser.add_argument(
            "--staff", nargs="+", default=[], metavar="USERNAME", help="Accounts of its staff."
        )
        state = parser.add_mutually_exclusive_group()
        state.add_argument(
            "--deactivate", action="store_true", help="Its staff then see no member."
        )
        state.add_argument("--activate", action="store_true", help="Active again.")
        parser.add_argument("--list", action="store_true", help="Print every Mission.")

    def handle(self, *args, name, countries, city, staff, deactivate, activate, **options):
        if options["list"]:
            self._list()
            return
        if not name:
            raise CommandError("Give the Mission's name, or --list.")
        users = self._users(staff)
        is_active = False if deactivate else True if activate else None
        try:
            mission, created = mission_save(
                name=name,
                countries=None if countries is None else countries.split(","),
                city=city,
                is_active=is_active,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        moved = mission_assign_staff(mission=mission, users=users)
        verb = "Created" if created else "Updated"
        state = "active" if mission.is_active else "inactive"
        codes = ", ".join(mission.country_codes) or "no country"
        self.stdout.write(self.style.SUCCESS(f"{verb} {mission.name} ({state}): {codes}."))
        if users:
            self.stdout.write(f"Staff assigned: {len(users)} ({moved} changed Mission).")

    def _users(self, usernames):
        user_model = get_user_model()
        field = user_model.USERNAME_FIELD
        found = {
            user.get_username(): user
            for user in user_model.objects.filter(**{f"{field}__in": usernames})
        }
        unknown = [name for name in usernames if name not in found]
        if unknown:
            raise CommandError(f"No user named {', '.join(map(repr, unknown))}.")
        for user in found.values():
            if not user.is_staff:
                self.stderr.write(f"Note: {user.get_username()} is not a staff account.")
        return list(found.values())

    def _list(self):
        rows = missions_with_staff()
        if not rows:
            self.stdout.write("No Mission yet: every staff account is headquarters.")
        for mission, usernames in rows:
            state = "" if mission.is_active else " [inactive]"
            codes = ",".join(mission.country_codes) or "-"
            city = f" ({mission.city})" if mission.city else ""
            staff = ", ".join(usernames) or "no staff"
            self.stdout.write(f"{mission.name}{city}{state}: {codes}; staff: {staff}")
