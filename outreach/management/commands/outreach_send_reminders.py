"""Send the one reminder of every open opportunity whose reply-by date is near."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from outreach.models import Opportunity
from outreach.services.invitations import opportunity_remind


class Command(BaseCommand):
    help = (
        "Send the reminder (once) to members who have not answered, for open opportunities "
        "whose reply-by date is within --days days. For cron, once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3)
        parser.add_argument("--base-url", default=settings.PORTAL_BASE_URL)

    def handle(self, *args, days, base_url, **options):
        today = timezone.localdate()
        due = Opportunity.objects.filter(
            status=Opportunity.Status.OPEN,
            reminder_sent_at__isnull=True,
            reply_by__gte=today,
            reply_by__lte=today + timedelta(days=days),
        ).order_by("id")
        count = sum(opportunity_remind(opportunity=o, base_url=base_url) for o in due)
        self.stdout.write(f"Reminders queued for {count} opportunities.")
