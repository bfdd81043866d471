import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as day_time

from django.core.management.base import BaseCommand, CommandError

from outreach.demo import demo_opportunities_seed
from registry.demo.seed import demo_members_seed, demo_missions_seed
from registry.models import Member


def until_end(day: date | None) -> datetime | None:
    """The end of `day` (midnight after it, UTC)."""
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=1), day_time(), tzinfo=UTC)


class Command(BaseCommand):
    help = (
        "Insert synthetic demo members (deterministic for a given --seed), and create the "
        "demo Missions abroad (Berlin, Washington, London) unless they exist."
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=300, help="How many members.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed.")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when members already exist."
        )
        parser.add_argument("--batch-size", type=int, default=20000)
        parser.add_argument(
            "--until",
            type=date.fromisoformat,
            help="Last day of registrations, YYYY-MM-DD (default: today, UTC); "
            "the same seed and --until give the same data.",
        )
        parser.add_argument(
            "--no-missions", action="store_true", help="Do not create the demo Missions."
        )

    def handle(self, *args, members, seed, if_empty, batch_size, **options):
        if members < 0:
            raise CommandError("--members must be zero or more.")
        if not options["no_missions"]:
            names = ", ".join(mission.name for mission in demo_missions_seed())
            self.stdout.write(f"Demo Missions: {names}.")
        if if_empty and Member.objects.exists():
            self.stdout.write("Members exist already; no demo data added.")
            return
        started = time.perf_counter()
        count = demo_members_seed(
            count=members,
            seed=seed,
            batch_size=batch_size,
            until=until_end(options["until"]),
            progress=self.stdout.write if options["verbosity"] >= 2 else None,
        )
        # Opportunities at national institutes, with invitations in every state.
        demo_opportunities_seed()
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"Inserted {count} demo members in {elapsed:.1f} s (seed {seed}).")
        )
