"""The database backend, chosen in one place.

Code that must differ by database (PostgreSQL full-text search, COPY, the
planner's row estimates) lives in one module per backend inside the package
that needs it: `<package>/postgres.py` and `<package>/portable.py`, with the
same names in both. `backend_module("registry.search")` returns the one for
the connection in use; nothing else in the registry asks which database it
runs on (migrations aside).
"""

from importlib import import_module
from types import ModuleType

from django.db import connections

POSTGRES = "postgres"
PORTABLE = "portable"


def backend_name(using: str = "default") -> str:
    """Return "postgres" on PostgreSQL and "portable" on every other database."""
    return POSTGRES if connections[using].vendor == "postgresql" else PORTABLE


def backend_module(package: str, using: str = "default") -> ModuleType:
    """The `postgres` or `portable` module of `package` for the connection `using`."""
    return import_module(f"{package}.{backend_name(using)}")


def table_row_estimate(*, model, using: str = "default") -> int | None:
    """The planner's estimate of the table's row count, or None where there is none.

    Only PostgreSQL keeps one (pg_class.reltuples, kept close to the truth by
    VACUUM and ANALYZE); elsewhere, and for a table never analysed, None.
    """
    return backend_module("registry.db", using).table_row_estimate(model=model, using=using)
