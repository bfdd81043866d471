"""Every other database's side of registry.db: no planner estimate to read."""

from django.db import models


def table_row_estimate(*, model: type[models.Model], using: str = "default") -> int | None:
    """None: only PostgreSQL keeps a row estimate worth reading."""
    return None
