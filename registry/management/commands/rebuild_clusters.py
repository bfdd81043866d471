from django.core.management.base import BaseCommand

from registry.models import ExpertiseCluster
from registry.services.clusters import clusters_rebuild


class Command(BaseCommand):
    help = "Recompute the stored membership of every expertise cluster (or the given slugs)."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="Only these clusters.")

    def handle(self, *args, slugs, **options):
        clusters = ExpertiseCluster.objects.all()
        if slugs:
            clusters = clusters.filter(slug__in=slugs)
        for slug, count in clusters_rebuild(clusters=clusters).items():
            self.stdout.write(f"{slug}: {count} members")
