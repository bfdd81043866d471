"""seed_demo: synthetic, deterministic demo members for demos, tests and benchmarks.

The same seed on an empty database gives the same data. Rows go in through
the database's loader (registry.demo.postgres: COPY; registry.demo.portable:
executemany) in batches, drawn in a background thread, with cluster
membership computed by the same rules as for a single member, so a large
seed takes minutes, not hours.
"""

import queue
import threading
import time
from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.db.models import Max

from registry.db import backend_module
from registry.demo.generator import MEMBER_FIELDS, RELATION_TARGETS, DemoGenerator
from registry.models import Member, Mission
from registry.services.duplicates import member_possible_duplicates_mark_all
from registry.services.missions import mission_save
from registry.services.name_words import name_words_refresh

# Missions of the demo: name, city, countries covered. Berlin covers close
# to a tenth of the demo members (the benchmark's Mission user).
DEMO_MISSIONS = [
    ("Embassy in Berlin", "Berlin", ["DE", "AT", "CH"]),
    ("Embassy in Washington", "Washington", ["US"]),
    ("High Commission in London", "London", ["GB", "IE"]),
]


def _generate_batches(generator: DemoGenerator, start_id: int, count: int, batch_size: int):
    for batch_start in range(start_id, start_id + count, batch_size):
        yield generator.batch(
            batch_start, min(batch_start + batch_size, start_id + count), start_id
        )


def _in_background(iterable, depth: int = 2):
    """Run a generator in a thread, `depth` items ahead of the consumer.

    Drawing members is pure Python while COPY mostly waits on the database,
    so on two cores the two overlap. The thread never touches the database.
    """
    items: queue.Queue = queue.Queue(maxsize=depth)
    done = object()

    def produce():
        try:
            for item in iterable:
                items.put(item)
        except BaseException as error:  # handed to the consumer, raised there
            items.put(error)
        items.put(done)

    thread = threading.Thread(target=produce, daemon=True)
    thread.start()
    while (item := items.get()) is not done:
        if isinstance(item, BaseException):
            raise item
        yield item
    thread.join()


# From this many members, when the table holds fewer rows than are being
# added, PostgreSQL loads into the member and relation tables without their
# secondary indexes and foreign keys and builds them once at the end.
REBUILD_INDEXES_FROM = 50_000


@transaction.atomic
def demo_members_seed(
    *,
    count: int,
    seed: int = 1,
    batch_size: int = 20000,
    rebuild_indexes_from: int = REBUILD_INDEXES_FROM,
    until: datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> int:
    """Insert `count` synthetic members; returns how many were inserted.

    They registered over the three years before `until` (by default the
    coming midnight, UTC), so the same seed and `until` give the same data.
    `progress`, if given, receives a line per phase with its duration.
    """
    started = time.perf_counter()

    def report(phase: str):
        nonlocal started
        if progress:
            progress(f"{phase}: {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()

    loader = backend_module("registry.demo")
    generator = DemoGenerator(seed, loader=loader, count=count, until=until)
    start_id = (Member.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    throughs = [getattr(Member, name).through for name in RELATION_TARGETS]
    targets = [
        (Member, list(MEMBER_FIELDS), "member"),
        *(
            (through, ["member", target], name)
            for through, (name, target) in zip(throughs, RELATION_TARGETS.items(), strict=True)
        ),
    ]
    loader.demo_batches_load(
        batches=_in_background(_generate_batches(generator, start_id, count, batch_size)),
        targets=targets,
        count=count,
        rebuild_indexes_from=rebuild_indexes_from,
        report=report,
        after_rows=lambda: _derived_data(report),
    )
    return count


def _derived_data(report: Callable[[str], None]) -> None:
    # The rows went in without the services, so the flag that the review
    # queue narrows to is set in one pass (registry.services.duplicates),
    # and the words of the names that fuzzy search reads are recorded
    # (registry.services.name_words).
    member_possible_duplicates_mark_all()
    report("possible duplicates flagged")
    name_words_refresh()
    report("name words recorded")


def demo_missions_seed() -> list[Mission]:
    """Create the demo Missions, or reset their city and countries; idempotent."""
    return [
        mission_save(name=name, city=city, countries=countries)[0]
        for name, city, countries in DEMO_MISSIONS
    ]
