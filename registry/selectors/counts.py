"""Row counts that stay cheap on large tables."""

from django.db import connections, models


def table_row_estimate(*, model: type[models.Model], using: str = "default") -> int | None:
    """The planner's estimate of the table's row count, or None where there is none.

    On PostgreSQL this reads pg_class.reltuples, which VACUUM and ANALYZE
    (autovacuum included) keep close to the truth, instead of counting every
    row. None on other databases and for a table never analysed.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)", [model._meta.db_table]
        )
        row = cursor.fetchone()
    if row is None or row[0] is None or row[0] < 0:
        return None
    return int(row[0])
