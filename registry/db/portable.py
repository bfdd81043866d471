"""Every other database's side of registry.db: no planner estimate, executemany."""

from collections.abc import Iterable, Sequence

from django.db import connection, models
from django.db.models import DateTimeField

from registry.db import row_batches, table_columns_sql


def table_row_estimate(*, model: type[models.Model], using: str = "default") -> int | None:
    """None: only PostgreSQL keeps a row estimate worth reading."""
    return None


def advisory_xact_lock(keys: Sequence[str]) -> None:
    """Nothing: SQLite lets one writer at a time into the whole database."""


def bulk_insert(
    *, model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence], batch_size: int
) -> int:
    """One executemany per batch, datetimes adapted to what the column stores."""
    model_fields = [model._meta.get_field(name) for name in fields]
    datetime_positions = [i for i, f in enumerate(model_fields) if isinstance(f, DateTimeField)]
    adapt = connection.ops.adapt_datetimefield_value
    count = 0
    for batch in row_batches(rows, batch_size):
        if datetime_positions:
            batch = [list(row) for row in batch]
            for row in batch:
                for i in datetime_positions:
                    row[i] = adapt(row[i])
        count += insert_rows(model=model, fields=fields, rows=batch)
    return count


def insert_rows(
    *, model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence]
) -> int:
    """executemany for rows whose values are already what the database stores
    (no datetime adaptation). Returns the number of rows."""
    if not rows:
        return 0
    table, columns = table_columns_sql(model, fields)
    placeholders = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)
    return len(rows)
