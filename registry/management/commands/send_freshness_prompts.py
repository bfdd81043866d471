from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from registry.services.freshness import freshness_prompts_send
from registry.tasks import freshness_prompt_send


class Command(BaseCommand):
    help = (
        "E-mail 'is your profile still current?' to members FRESHNESS_DAYS after they last "
        "confirmed it, a reminder 30 days later, and mark stale those who answered neither "
        "within 60 days. Prints the counts only; never sends a prompt twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default="",
            help="The portal's address for the links in the e-mails (default: PORTAL_URL).",
        )

    def handle(self, *args, base_url, **options):
        base_url = base_url or settings.PORTAL_URL
        if not base_url:
            raise CommandError("Set PORTAL_URL (or pass --base-url) for the links in the e-mails.")

        def send(member_id: int, reminder: bool) -> None:
            freshness_prompt_send.enqueue(member_id=member_id, reminder=reminder, base_url=base_url)

        for name, count in freshness_prompts_send(send=send).items():
            self.stdout.write(f"{name}: {count}")
