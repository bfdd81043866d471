"""PostgreSQL's side of registry.db: the planner's row estimate, COPY, index rebuilds.

COPY is the fastest way in; for large loads indexes_rebuilt_after() builds a
table's secondary indexes and foreign keys once after the load instead of
maintaining them row by row.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from datetime import datetime

from django.core.management.color import no_style
from django.db import connection, connections, models

from registry.db import row_batches, table_columns_sql

# COPY's CSV mode reads this as NULL; an unquoted empty field is an empty string.
_COPY_NULL = "\\N"


def table_row_estimate(*, model: type[models.Model], using: str = "default") -> int | None:
    """pg_class.reltuples for the model's table; None for a table never analysed."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)", [model._meta.db_table]
        )
        row = cursor.fetchone()
    if row is None or row[0] is None or row[0] < 0:
        return None
    return int(row[0])


def advisory_xact_lock(keys: Sequence[str]) -> None:
    """pg_advisory_xact_lock on a 64-bit hash of each key, in the order given."""
    locks = ", ".join(["pg_advisory_xact_lock(hashtextextended(%s, 0))"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {locks}", list(keys))


def _copy_value(value):
    if value is None:
        return _COPY_NULL
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def bulk_insert(
    *, model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence], batch_size: int
) -> int:
    """COPY in CSV mode, a batch at a time."""
    table, columns = table_columns_sql(model, fields)
    sql = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '{_COPY_NULL}')"
    count = 0
    with connection.cursor() as cursor:
        for batch in row_batches(rows, batch_size):
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerows([_copy_value(v) for v in row] for row in batch)
            buffer.seek(0)
            cursor.copy_expert(sql, buffer)
            count += len(batch)
    return count


def copy_text(
    *,
    model: type[models.Model],
    fields: Sequence[str],
    data: bytes,
    extra_columns: Sequence[str] = (),
) -> None:
    """PostgreSQL: COPY rows already in COPY's text format (UTF-8; one line a
    row, tab-separated, \\N for NULL, backslash, tab and line breaks escaped).

    For generators that build the text directly, which is much cheaper than
    converting every value. `extra_columns` are columns of the table outside the
    model (PostgreSQL's own), whose values follow those of `fields`. Runs
    inside the caller's transaction.
    """
    if not data:
        return
    table, columns = table_columns_sql(model, fields)
    columns = ", ".join([columns, *map(connection.ops.quote_name, extra_columns)])
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", io.BytesIO(data), 1 << 20)


# Foreign keys (1), unique constraints (2) and indexes (3) of the tables, apart
# from primary keys, check constraints, and anything a foreign key relies on:
# the statements that drop them and the ones that create them again, exactly
# as the catalog defines them.
_SECONDARY_SCHEMA_SQL = """
WITH t AS (SELECT unnest(%s::text[])::regclass AS oid)
SELECT 1 AS step,
       format('ALTER TABLE %%s DROP CONSTRAINT %%I', c.conrelid::regclass, c.conname),
       format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', c.conrelid::regclass, c.conname,
              pg_get_constraintdef(c.oid))
  FROM pg_constraint c
 WHERE c.conrelid IN (SELECT oid FROM t) AND c.contype = 'f'
UNION ALL
SELECT 2,
       format('ALTER TABLE %%s DROP CONSTRAINT %%I', c.conrelid::regclass, c.conname),
       format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', c.conrelid::regclass, c.conname,
              pg_get_constraintdef(c.oid))
  FROM pg_constraint c
 WHERE c.conrelid IN (SELECT oid FROM t) AND c.contype = 'u'
   AND NOT EXISTS (SELECT 1 FROM pg_constraint f
                    WHERE f.contype = 'f' AND f.conindid = c.conindid)
UNION ALL
SELECT 3,
       format('DROP INDEX %%s', i.indexrelid::regclass),
       pg_get_indexdef(i.indexrelid)
  FROM pg_index i
 WHERE i.indrelid IN (SELECT oid FROM t) AND NOT i.indisprimary
   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
ORDER BY 1, 2
"""


@contextmanager
def indexes_rebuilt_after(*models_: type[models.Model]):
    """PostgreSQL: drop the tables' secondary indexes, unique constraints and
    foreign keys, run the block, then create them again.

    Building an index once over all the rows (and checking a foreign key
    with one join) is several times cheaper than maintaining it row by row
    during a large load. Must run inside a transaction: if the block or a
    rebuild fails (a duplicate e-mail, a dangling id), everything rolls back
    to the original schema. Unique indexes and foreign keys are validated
    when they are built again.

    A table with pending deferred trigger events cannot be altered, so the
    transaction's deferred constraints are checked first and stay immediate
    from then on (SET CONSTRAINTS ALL IMMEDIATE).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("indexes_rebuilt_after() needs a transaction.")
    tables = [m._meta.db_table for m in models_]
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(_SECONDARY_SCHEMA_SQL, [tables])
        statements = cursor.fetchall()
        for _step, drop, _create in statements:
            cursor.execute(drop)
    yield
    with connection.cursor() as cursor:
        # Index builds sort, and foreign key checks join, in memory.
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        for _step, _drop, create in reversed(statements):
            cursor.execute(create)


def reset_id_sequence(*, model: type[models.Model]) -> None:
    """After inserting explicit ids, move the id sequence past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), [model])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


# The triggers that keep the dashboard's summary (migration 0014) and the
# members' relation masks (migration 0016).
_SUMMARY_TRIGGERS_SQL = """
    SELECT tgrelid::regclass::text, tgname FROM pg_trigger
    WHERE tgname LIKE 'registry\\_dashboard\\_%' AND NOT tgisinternal
    ORDER BY tgrelid::regclass::text, tgname
"""


@contextmanager
def dashboard_summary_rebuilt_after():
    """PostgreSQL: pause the dashboard's triggers, run the block, then count
    the summary again from every member and relation row.

    For large loads, like indexes_rebuilt_after(): one count at the end
    instead of an upsert of most summary rows per statement, which inside
    one transaction also leaves the table a version of each row per batch.
    The members' relation masks are not computed again (that would write
    every member once more): the block writes them with the members, as the
    demo seed does, or calls registry_dashboard_masks_refill() at its end.
    Must run inside a transaction: the triggers are disabled for the whole
    database until the block ends (ALTER TABLE locks the tables against
    every other writer meanwhile), and a failure rolls back to them enabled.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("dashboard_summary_rebuilt_after() needs a transaction.")
    with connection.cursor() as cursor:
        cursor.execute(_SUMMARY_TRIGGERS_SQL)
        triggers = cursor.fetchall()
        for table, name in triggers:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {name}")
    yield
    if not triggers:
        return
    with connection.cursor() as cursor:
        for table, name in triggers:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {name}")
        cursor.execute("SELECT registry_dashboard_refill()")
