"""PostgreSQL's reader of export records: one query through a server-side cursor.

The many-to-many values come as id arrays from ARRAY() subqueries (index-only
scans of the through tables) and the times as text from to_char(), so the
database does the cheap part of the work in the one query. The cursor is
read in chunks inside a transaction that ends with the stream, so an
abandoned download never leaves a session idle in transaction; and one whose
client stops reading without going away is ended by the server after
EXPORT_IDLE_TIMEOUT_S.
"""

from collections.abc import Iterator
from itertools import chain

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import CharField, DateTimeField, F, Func, OuterRef, QuerySet, Value
from django.db.models.functions import Coalesce

from registry.export.columns import RECORD_SOURCES, RELATED, SCALAR_SOURCES, related_through
from registry.models import Member

# PostgreSQL's to_char() for iso_datetime()'s cells (timespec seconds, UTC).
ISO_UTC_SQL = """to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')"""


# For the export's transaction alone (is_local): rows read a chunk at a time
# gain nothing from JIT compilation, which on this plan over many members costs
# seconds up front; and the server ends the transaction of a download whose
# client stopped reading (the session waits, idle in transaction, while the
# rows already read are sent), or whose query runs away.
TRANSACTION_SETTINGS_SQL = (
    "SELECT set_config('jit', 'off', true), "
    "set_config('idle_in_transaction_session_timeout', %s, true), "
    "set_config('statement_timeout', %s, true)"
)


def export_transaction_settings() -> list[str]:
    """The idle and statement timeouts of an export's transaction, in milliseconds.

    From EXPORT_IDLE_TIMEOUT_S and EXPORT_STATEMENT_TIMEOUT_S; 0 turns one off.
    """
    idle = getattr(settings, "EXPORT_IDLE_TIMEOUT_S", 60)
    statement = getattr(settings, "EXPORT_STATEMENT_TIMEOUT_S", 300)
    return [str(int(idle * 1000)), str(int(statement * 1000))]


def member_export_records(queryset: QuerySet[Member], *, chunk_size: int) -> Iterator[tuple]:
    """Every member of the queryset as a tuple of RECORD_SOURCES, by member id.

    One query; the related id lists in no particular order, the times as
    ISO 8601 text. Runs in its own transaction (a savepoint inside the
    caller's), which gives the cursor one snapshot and lets it stream.
    """
    arrays = {}
    for name, relation in RELATED.items():
        through, target = related_through(relation)
        # An index-only scan of the through table's (member, target) index.
        arrays[name] = ArraySubquery(
            through.objects.filter(member_id=OuterRef("pk")).values(target)
        )
    # Times as text in SQL, the same cells iso_datetime() writes: cheaper
    # than building datetime objects and formatting them again in Python.
    times = {
        f"{name}__iso": Coalesce(
            Func(F(name), function="to_char", template=ISO_UTC_SQL, output_field=CharField()),
            Value(""),
        )
        for name in SCALAR_SOURCES
        if isinstance(Member._meta.get_field(name), DateTimeField)
    }
    sources = [f"{name}__iso" if f"{name}__iso" in times else name for name in RECORD_SOURCES]
    records = queryset.order_by("pk").annotate(**arrays, **times).values_list(*sources)
    try:
        sql, params = records.query.sql_with_params()
    except EmptyResultSet:  # queryset.none(), or a filter nothing can match
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(TRANSACTION_SETTINGS_SQL, export_transaction_settings())
        # A named (server-side) cursor, as QuerySet.iterator() uses: declared
        # WITHOUT HOLD inside a transaction, so it ends with the transaction;
        # closed first, whether the stream ends or is abandoned.
        cursor = connection.chunked_cursor()
        try:
            cursor.execute(sql, params)
            yield from chain.from_iterable(iter(lambda: cursor.fetchmany(chunk_size), []))
        finally:
            cursor.close()
