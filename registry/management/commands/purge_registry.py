from django.core.management.base import BaseCommand

from registry.services.retention import registry_purge


class Command(BaseCommand):
    help = (
        "Erase unconfirmed registrations older than RETENTION_UNCONFIRMED_DAYS and rejected "
        "ones older than RETENTION_REJECTED_DAYS, as a withdrawal does. Prints the counts "
        "only; safe to run from cron, twice at once or again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be erased; change nothing."
        )

    def handle(self, *args, dry_run, **options):
        prefix = "would erase " if dry_run else "erased "
        for name, count in registry_purge(dry_run=dry_run).items():
            self.stdout.write(f"{prefix}{name}: {count}")
