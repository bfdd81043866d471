"""Queue the invitations waiting to be sent: failed ones due again, and those of a
worker that was stopped mid-batch. Safe to run from cron every few minutes."""

from django.conf import settings
from django.core.management.base import BaseCommand

from outreach.tasks import invitations_dispatch


class Command(BaseCommand):
    help = "Queue every invitation still waiting to be sent (retries included)."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default=settings.PORTAL_BASE_URL)

    def handle(self, *args, base_url, **options):
        result = invitations_dispatch.enqueue(opportunity_id=None, base_url=base_url)
        self.stdout.write(f"Queued the pending invitations (task {result.id}).")
