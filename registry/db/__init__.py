"""The database backend, chosen in one place.

Code that must differ by database (PostgreSQL full-text search, COPY, the
planner's row estimates) lives in one module per backend inside the package
that needs it: `<package>/postgres.py` and `<package>/portable.py`, with the
same names in both. `backend_module("registry.search")` returns the one for
the connection in use; nothing else in the registry asks which database it
runs on (migrations aside).

This package's own backends hold the row estimate and bulk loading: COPY on
PostgreSQL (with `postgres.indexes_rebuilt_after()` for large loads),
executemany elsewhere.
"""

from collections.abc import Iterable, Iterator, Sequence
from importlib import import_module
from itertools import islice
from types import ModuleType

from django.db import connection, connections, models

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


def advisory_xact_lock(keys: Sequence[str]) -> None:
    """Take a lock on each key, held until the transaction ends (PostgreSQL).

    Serialises writers that must see each other's rows, such as two members
    registering with the same ORCID iD at once. The keys are locked in sorted
    order, so that two writers never wait for each other in a circle. Other
    databases lock the whole database for a writer, so nothing is done there.
    """
    if keys:
        backend_module("registry.db").advisory_xact_lock(sorted(set(keys)))


def bulk_insert(
    *,
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence],
    batch_size: int = 20000,
) -> int:
    """Insert rows (tuples in the order of `fields`) into the model's table.

    Values must already be what the column stores (ids for foreign keys, codes
    for countries). No model instance is built per row. Returns the number of
    rows inserted. Runs inside the caller's transaction.
    """
    return backend_module("registry.db").bulk_insert(
        model=model, fields=fields, rows=rows, batch_size=batch_size
    )


def row_batches(rows: Iterable[Sequence], size: int) -> Iterator[list[Sequence]]:
    """The rows in lists of at most `size`."""
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def table_columns_sql(model: type[models.Model], fields: Sequence[str]) -> tuple[str, str]:
    """The model's quoted table name and the quoted columns of `fields`, comma-separated."""
    meta = model._meta
    columns = ", ".join(connection.ops.quote_name(meta.get_field(f).column) for f in fields)
    return connection.ops.quote_name(meta.db_table), columns
