"""Fast bulk insertion for demo data, imports and cluster recomputation.

On PostgreSQL rows go through COPY, the fastest way in; elsewhere through one
executemany per batch. Either way no model instance is built per row.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from itertools import islice

from django.db import connection, models
from django.db.models import DateTimeField

# COPY's CSV mode reads this as NULL; an unquoted empty field is an empty string.
_COPY_NULL = "\\N"


def _batches(rows: Iterable[Sequence], size: int):
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


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
    *, model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence], batch_size=20000
) -> int:
    """Insert rows (tuples in the order of `fields`) into the model's table.

    Values must already be what the column stores (ids for foreign keys, codes
    for countries). Returns the number of rows inserted. Runs inside the
    caller's transaction.
    """
    meta = model._meta
    table = connection.ops.quote_name(meta.db_table)
    model_fields = [meta.get_field(name) for name in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in model_fields)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '{_COPY_NULL}')"
            for batch in _batches(rows, batch_size):
                buffer = io.StringIO()
                writer = csv.writer(buffer, lineterminator="\n")
                writer.writerows([_copy_value(v) for v in row] for row in batch)
                buffer.seek(0)
                cursor.copy_expert(sql, buffer)
                count += len(batch)
        else:
            datetime_positions = [
                i for i, f in enumerate(model_fields) if isinstance(f, DateTimeField)
            ]
            placeholders = ", ".join(["%s"] * len(model_fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
            adapt = connection.ops.adapt_datetimefield_value
            for batch in _batches(rows, batch_size):
                if datetime_positions:
                    batch = [list(row) for row in batch]
                    for row in batch:
                        for i in datetime_positions:
                            row[i] = adapt(row[i])
                cursor.executemany(sql, batch)
                count += len(batch)
    return count


def reset_id_sequence(*, model: type[models.Model]) -> None:
    """After inserting explicit ids, move the id sequence past them."""
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), [model])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
