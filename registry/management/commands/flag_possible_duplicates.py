from django.core.management.base import BaseCommand

from registry.services.duplicates import member_possible_duplicates_mark_all


class Command(BaseCommand):
    help = (
        "Flag every member that shares an ORCID iD, or a name at an organisation, with "
        "another member not withdrawn, for the review queue 'Suspected duplicates'. The "
        "services flag members as they write them; run this after loading rows around them. "
        "Safe to repeat."
    )

    def handle(self, *args, **options):
        flagged = member_possible_duplicates_mark_all()
        self.stdout.write(f"newly flagged as possible duplicates: {flagged}")
