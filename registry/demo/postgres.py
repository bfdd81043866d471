"""PostgreSQL's side of the demo seed: rows as COPY text, loaded by COPY.

Each member row carries the member's relation masks (migration 0016), so
that no trigger has to write the member again when its relation rows follow.

From `rebuild_indexes_from` members, when the table holds fewer rows than
are being added, the member and relation tables are loaded without their
secondary indexes and foreign keys, which are built once at the end, and
without the dashboard's triggers: the summary is counted again once, and the
masks are those written with the members.
"""

from collections.abc import Callable, Iterable
from contextlib import nullcontext

from django.db import connection, models

from registry.db.postgres import (
    copy_text,
    dashboard_summary_rebuilt_after,
    indexes_rebuilt_after,
    reset_id_sequence,
)
from registry.demo.generator import RELATION_TARGETS
from registry.models import Member
from registry.selectors.dashboard import RELATED

NULL = "\\N"
# Times are UTC; COPY reads the offset.
TIMESTAMP_SUFFIX = "+00"
# The member's mask columns, after MEMBER_FIELDS, and their relations.
MASKS = {f"{name}_mask": relation for name, (relation, _column) in RELATED.items()}


def batch_payloads(members: list[tuple[tuple, tuple]]) -> dict[str, bytes]:
    """The members (values, relations) as COPY text for each table, by name."""
    names = list(RELATION_TARGETS)
    masked = [names.index(relation) for relation in MASKS.values()]
    lines = []
    pieces = {name: [] for name in names}
    appends = [pieces[name].append for name in names]
    for row, relations in members:
        lines.append("\t".join((*row, *(relations[i].mask for i in masked))))
        mid = row[0]
        for append, relation in zip(appends, relations, strict=True):
            if relation.pieces:
                append(mid.join(relation.pieces))
    lines.append("")
    out = {"member": "\n".join(lines).encode()}
    out.update((name, "".join(pieces[name]).encode()) for name in names)
    return out


def demo_batches_load(
    *,
    batches: Iterable[dict],
    targets: list[tuple[type[models.Model], list[str], str]],
    count: int,
    rebuild_indexes_from: int,
    report: Callable[[str], None],
    after_rows: Callable[[], None] = lambda: None,
) -> None:
    """COPY every batch into its tables, in the caller's transaction.

    `after_rows` runs once every row is in, before the indexes are built
    again and the dashboard's triggers come back, so that a bulk UPDATE it
    makes maintains neither.
    """
    rebuild = 0 < count and count >= rebuild_indexes_from
    rebuild = rebuild and Member.objects.count() < count
    with connection.cursor() as cursor:
        # A seed can be run again; waiting for the WAL flush buys nothing.
        cursor.execute("SET LOCAL synchronous_commit = off")
        # Check foreign keys row by row instead of queueing millions of
        # deferred checks until COMMIT (when they are not rebuilt anyway).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    models_ = [model for model, _, _ in targets]
    with (
        indexes_rebuilt_after(*models_) if rebuild else nullcontext(),
        dashboard_summary_rebuilt_after() if rebuild else nullcontext(),
    ):
        for payloads in batches:
            for model, fields, name in targets:
                extra = list(MASKS) if name == "member" else []
                copy_text(model=model, fields=fields, extra_columns=extra, data=payloads[name])
        report(
            "rows inserted" + (" (secondary indexes and foreign keys dropped)" if rebuild else "")
        )
        after_rows()
    if rebuild:
        report("indexes and foreign keys built")
    reset_id_sequence(model=Member)
    # The planner needs the new sizes of every table written, the relation
    # tables too (autovacuum may be off or late).
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    report("analyzed")
