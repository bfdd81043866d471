from django.core.management.base import BaseCommand

from registry.services.roles import roles_setup


class Command(BaseCommand):
    help = (
        "Create the staff groups Focal point, Analyst and Viewer, or reset their "
        "permissions to the documented ones. Safe to run again."
    )

    def handle(self, *args, **options):
        for name, count in roles_setup().items():
            self.stdout.write(f"{name}: {count} permissions")
        self.stdout.write(self.style.SUCCESS("Staff roles are up to date."))
