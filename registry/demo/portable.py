"""Every other database's side of the demo seed: rows of values, one executemany per batch."""

from collections.abc import Callable, Iterable

from django.db import models

from registry.db.portable import insert_rows
from registry.demo.generator import RELATION_TARGETS

NULL = None
# Times are UTC and naive, as Django stores them where the database has no time zones.
TIMESTAMP_SUFFIX = ""


def batch_payloads(members: list[tuple[tuple, tuple]]) -> dict[str, list[tuple]]:
    """The members (values, relations) as rows for each table, by name."""
    names = list(RELATION_TARGETS)
    rows = []
    pairs = {name: [] for name in names}
    for row, relations in members:
        rows.append(row)
        member_id = int(row[0])
        for name, relation in zip(names, relations, strict=True):
            pairs[name].extend((member_id, target) for target in relation.ids)
    return {"member": rows, **pairs}


def demo_batches_load(
    *,
    batches: Iterable[dict],
    targets: list[tuple[type[models.Model], list[str], str]],
    count: int,
    rebuild_indexes_from: int,
    report: Callable[[str], None],
    after_rows: Callable[[], None] = lambda: None,
) -> None:
    """Insert every batch into its tables, in the caller's transaction.

    Indexes stay in place; SQLite's next id follows the largest in the table,
    so there is no sequence to move past the explicit ids.
    """
    for payloads in batches:
        for model, fields, name in targets:
            insert_rows(model=model, fields=fields, rows=payloads[name])
    report("rows inserted")
    after_rows()
