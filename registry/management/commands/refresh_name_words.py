from django.core.management.base import BaseCommand

from registry.services.name_words import name_words_refresh


class Command(BaseCommand):
    help = (
        "Record the words of every member's name, and forget the words no member's name "
        "holds, for the staff search's fuzzy names. The services keep them as they write "
        "members; run this after loading or changing rows around them. Safe to repeat."
    )

    def handle(self, *args, **options):
        added, removed = name_words_refresh()
        self.stdout.write(f"name words added: {added}, removed: {removed}")
