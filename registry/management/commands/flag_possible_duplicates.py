from django.core.management.base import BaseCommand

from registry.services.duplicates import member_possible_duplicates_mark_all


class Command(BaseCommand):
    help = (
        "Flag every member that shares an ORCID iD, or a name at an organisation, with "
        "another member not withdrawn, and unflag every other, for the review queue "
        "'Suspected duplicates'. The services keep the flags as they write members; run "
        "this after loading or changing rows around them. Safe to repeat."
    )

    def handle(self, *args, **options):
        flagged, cleared = member_possible_duplicates_mark_all()
        self.stdout.write(f"newly flagged as possible duplicates: {flagged}")
        self.stdout.write(f"no longer possible duplicates: {cleared}")
