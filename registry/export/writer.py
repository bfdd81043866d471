"""The CSV file: records written as rows of cells, streamed as UTF-8 pieces.

Each chunk of records is written a column at a time (dictionary lookups
mapped over a column, one scan of a column for formula cells), so a row costs
few Python calls; the csv module quotes the cells.
"""

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from itertools import islice

from django.http import StreamingHttpResponse
from django.utils import timezone, translation

from registry.export.columns import COLUMNS, CSV_BOM, ENGLISH, RECORD_SOURCES
from registry.models import ExportLog
from registry.services.exports import export_log_finish


def export_header() -> list[str]:
    # Headers and labels are in English whatever the page's language: they are
    # the file's fixed format (docs/export-columns.md).
    with translation.override(ENGLISH):
        return [str(column.header) for column in COLUMNS]


def export_rows_of_records(records: Iterator[tuple], *, rows_per_chunk: int) -> Iterator[list]:
    """The records' rows of text cells, neutralised, a chunk at a time.

    Each chunk is cut into columns, each column written by its formatter, and
    the columns zipped back into rows. Closing this closes `records`.
    """
    positions = {name: i for i, name in enumerate(RECORD_SOURCES)}
    with translation.override(ENGLISH):
        # Every formatter makes its labels now, once per export.
        plan = [(positions[c.source], c.format()) for c in COLUMNS]
    try:
        while chunk := list(islice(records, rows_per_chunk)):
            columns = list(zip(*chunk, strict=True))
            yield list(zip(*(write(columns[i]) for i, write in plan), strict=True))
    finally:
        records.close()


def export_csv_pieces(*, row_chunks: Iterator[list], log: ExportLog) -> Iterator[bytes]:
    """The CSV file as UTF-8 bytes (with a byte-order mark), piece by piece.

    The first piece is the header alone, written before `row_chunks` is asked
    for anything, so a download starts at once. When the rows end the log
    gets the row count and finish time; when this is closed early (the client
    went away) the log keeps the rows sent and no finish time, and
    `row_chunks` is closed.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    count = 0
    completed = False

    def flush() -> bytes:
        data = buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
        return data

    try:
        buffer.write(CSV_BOM)
        writer.writerow(export_header())
        yield flush()
        for chunk in row_chunks:
            writer.writerows(chunk)
            count += len(chunk)
            yield flush()
        completed = True
    finally:
        # Closes the reader (and on PostgreSQL its cursor and transaction)
        # before the log is written.
        row_chunks.close()
        export_log_finish(log=log, row_count=count, completed=completed)


def export_filename(now: datetime | None = None) -> str:
    return f"dorin-specialists-{timezone.localdate(now):%Y-%m-%d}.csv"


def export_csv_response(pieces: Iterator[bytes]) -> StreamingHttpResponse:
    """A download of the CSV pieces, never cached, never buffered by a proxy."""
    response = StreamingHttpResponse(pieces, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export_filename()}"'
    # Personal data: never kept by a browser or proxy cache; and a proxy such
    # as nginx passes the stream on instead of buffering it whole.
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"
    return response
