"""PostgreSQL's side of registry.db: the planner's row estimate."""

from django.db import connections, models


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
