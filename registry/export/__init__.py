"""CSV export of members: one column definition, one reader per database.

The staff search's "Export CSV", the admin's "export selected" action and
`manage.py export_specialists` all stream `export_stream()`, so their files
are the same for the same members. The columns are in `columns.py` and
documented in docs/export-columns.md.

Records are read by `postgres.py` (one query through a server-side cursor)
or `portable.py` (id-ordered chunks, any database), chosen here; both give
the same records in member id order, and `portable=True` forces the second
on any database, so both stay tested on PostgreSQL. `writer.py` turns the
records into the CSV stream, and `download.py` serves it to staff: at most
a few downloads at once per account and on the site (`slots.py`).
"""

from collections.abc import Iterator

from django.db.models import QuerySet

from registry.db import backend_module
from registry.export import portable as portable_reader
from registry.export.columns import (
    COLUMNS,
    CSV_BOM,
    MULTI_VALUE_SEPARATOR,
    RECORD_SOURCES,
    Column,
    neutralise_cell,
)
from registry.export.writer import (
    export_csv_pieces,
    export_filename,
    export_header,
    export_rows_of_records,
)
from registry.models import ExportLog, Member

__all__ = [
    "CHUNK_SIZE",
    "COLUMNS",
    "CSV_BOM",
    "MULTI_VALUE_SEPARATOR",
    "RECORD_SOURCES",
    "Column",
    "export_filename",
    "export_header",
    "export_row_chunks",
    "export_rows",
    "export_stream",
    "member_export_records",
    "members_to_export",
    "neutralise_cell",
]

# Members read per round trip, and rows written and sent as one piece of the
# response: as fast as larger chunks, for a fraction of the memory.
CHUNK_SIZE = 500


def members_to_export(
    queryset: QuerySet[Member], *, include_no_contact: bool = False
) -> QuerySet[Member]:
    """The members an export holds: those who agreed to be contacted, unless
    `include_no_contact` (every entry point asks the user for it explicitly)."""
    return queryset if include_no_contact else queryset.filter(consent_contact=True)


def member_export_records(
    queryset: QuerySet[Member], *, portable: bool = False, chunk_size: int | None = None
) -> Iterator[tuple]:
    """Every member of the queryset as a tuple of RECORD_SOURCES, by member id.

    Many-to-many values come as lists of ids, in no particular order.
    `portable=True` reads with the portable reader whatever the database.
    """
    reader = portable_reader if portable else backend_module("registry.export")
    return reader.member_export_records(queryset, chunk_size=chunk_size or CHUNK_SIZE)


def export_row_chunks(
    queryset: QuerySet[Member], *, portable: bool = False, rows_per_chunk: int | None = None
) -> Iterator[list]:
    """The members' rows of text cells, neutralised, a chunk at a time."""
    size = rows_per_chunk or CHUNK_SIZE
    records = member_export_records(queryset, portable=portable, chunk_size=size)
    return export_rows_of_records(records, rows_per_chunk=size)


def export_rows(queryset: QuerySet[Member], *, portable: bool = False) -> Iterator[list]:
    """The header row, then one row of neutralised text cells per member."""
    yield export_header()
    for chunk in export_row_chunks(queryset, portable=portable):
        yield from map(list, chunk)


def export_stream(
    *,
    queryset: QuerySet[Member],
    log: ExportLog,
    rows_per_chunk: int | None = None,
    portable: bool = False,
) -> Iterator[bytes]:
    """The CSV file as UTF-8 bytes, piece by piece, recorded in `log`.

    Nothing is read before the first piece (the header) is asked for; see
    export_csv_pieces() for what the log records.
    """
    row_chunks = export_row_chunks(queryset, portable=portable, rows_per_chunk=rows_per_chunk)
    return export_csv_pieces(row_chunks=row_chunks, log=log)
