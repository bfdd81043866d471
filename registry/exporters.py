"""CSV export of members: one column definition, one row generator.

The staff search's "Export CSV", the admin's "export selected" action and
`manage.py export_specialists` all stream `export_stream()`, so their files
are the same for the same members. The columns are documented in
docs/export-columns.md (a test keeps that list in step with COLUMNS).

Reading: on PostgreSQL one query, the many-to-many values aggregated as id
arrays by ARRAY() subqueries (index-only scans), read through a server-side
cursor in chunks inside a transaction that ends with the stream, so an
abandoned download never leaves a session idle in transaction. Elsewhere a
portable fallback reads the members in id-ordered chunks and each relation
once per chunk. Both give the same records, in member id order. On
PostgreSQL a thread fetches the next chunk while the current one is written,
and times come as text from SQL.

Writing: ids become labels from the small taxonomy tables, read once per
export, and each chunk is written a column at a time (dictionary lookups
mapped over a column, one scan of a column for formula cells), so a row
costs few Python calls; the csv module quotes the cells.
"""

import csv
import io
import queue
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain, islice

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import CharField, DateTimeField, F, Func, OuterRef, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from registry.models import (
    EngagementType,
    ExpertiseCluster,
    ExportLog,
    InternationalProject,
    Member,
    Sdg,
    Subfield,
)
from registry.services.exports import export_log_finish

CSV_BOM = "\ufeff"
MULTI_VALUE_SEPARATOR = "; "
# Members fetched per round trip: PostgreSQL's cursor, the portable chunks
# (small enough for SQLite's limit on query parameters). Rows formatted
# together, a column at a time, and sent as one piece of the HTTP response
# (about 400 KB). Measured at 10^5 members: 500 and 500 are as fast as 2000
# and 2000 and hold a quarter of the memory (6 MB of growth against 24 MB,
# with up to three fetched chunks alive at once, see _fetched_ahead()).
POSTGRES_CHUNK_SIZE = 500
PORTABLE_CHUNK_SIZE = 500
ROWS_PER_CHUNK = 500

# PostgreSQL's to_char() for iso_datetime()'s cells (timespec seconds, UTC).
ISO_UTC_SQL = """to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')"""

# A spreadsheet runs a cell as a formula when it starts with one of these
# (full-width forms included), even after leading spaces or quotes.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")


# Leading characters a spreadsheet may skip before it reads a formula: white
# space, and quotes (a CSV value like "=cmd" or '@SUM(A1) can still run).
QUOTES = "\"'"


def neutralise_cell(value: str) -> str:
    """Make a cell safe to open in a spreadsheet.

    A cell that starts with = + - @ tab or carriage return (or one of them
    after leading white space or quotes) gets a single quote in front, so
    Excel, LibreOffice and Google Sheets show it as text instead of running it.
    """
    if not value:
        return value
    first = value[0]
    if first in FORMULA_TRIGGERS:
        return "'" + value
    if (first.isspace() or first in QUOTES) and _skip_leading(value)[:1] in FORMULA_TRIGGERS:
        return "'" + value
    return value


def _skip_leading(value: str) -> str:
    """The value without its leading white space and quotes, in any mix."""
    start = 0
    while start < len(value) and (value[start].isspace() or value[start] in QUOTES):
        start += 1
    return value[start:]


# A column's format is a factory called once per export: it looks translated
# labels up once, and returns the function that writes a whole column of a
# chunk of records (a tuple of values) as cells. Working a column at a time
# lets most columns go through C-level loops (a dict's __getitem__ mapped over
# the values, one regular-expression search for the formula check) instead of
# one Python call per cell: at 10^6 rows that is most of the export's time.
Formatter = Callable[[tuple], Sequence]

# In free-text cells joined by NUL (never stored: text is cleaned of control
# characters on the way in), with a NUL in front, this finds every cell that
# starts with a formula character, white space or a quote: a superset of the
# cells neutralise_cell() changes, found by one fast scan for the NUL.
_FORMULA_OR_SPACE_START = re.compile(
    "\x00[\\s" + re.escape("".join(sorted(FORMULA_TRIGGERS)) + QUOTES) + "]"
)


def text() -> Formatter:
    """Free text from members: formula cells neutralised, None as empty."""

    def write(values: tuple) -> Sequence:
        if None in values:
            values = tuple("" if v is None else str(v) for v in values)
        if _FORMULA_OR_SPACE_START.search("\x00" + "\x00".join(values)) is None:
            return values
        return [neutralise_cell(v) for v in values]

    return write


def number() -> Formatter:
    """Integers as they are: the csv module writes them, and None as empty.

    A number cannot carry a formula (a negative one is only a negative
    number), so it needs no neutralising.
    """
    return lambda values: values


class _Labels(dict):
    """Stored value -> label cell. An unknown value stands for itself, neutralised."""

    def __missing__(self, key):
        return "" if key is None else neutralise_cell(str(key))

    def column(self, values: tuple) -> list:
        return list(map(self.__getitem__, values))


def _labels(pairs) -> _Labels:
    # Labels come from code and translations, or from taxonomy rows staff
    # edit: neutralised like any cell, once per export.
    return _Labels((key, neutralise_cell(str(label))) for key, label in pairs)


def choice_label(choices) -> Callable[[], Formatter]:
    def bind() -> Formatter:
        return _labels([("", ""), *choices.choices]).column

    return bind


def country_name() -> Formatter:
    return _labels([("", ""), *countries]).column


def iso_datetime() -> Formatter:
    """ISO 8601 in UTC to the second; None as empty.

    On PostgreSQL the query already writes these cells as text (see
    ISO_UTC_SQL), so a column of strings passes through.
    """

    def write(value: datetime | None) -> str:
        if value is None:
            return ""
        if value.utcoffset():
            value = value.astimezone(UTC)
        return value.isoformat(timespec="seconds")

    def column(values: tuple) -> Sequence:
        if values and isinstance(values[0], str):
            return values
        return list(map(write, values))

    return column


def yes_no() -> Formatter:
    yes, no = gettext("yes"), gettext("no")
    return _labels([(True, yes), (False, no), (None, no)]).column


class _JoinedLabels(dict):
    """A tuple of ids -> their labels in the taxonomy's order, joined.

    The same few combinations recur across members, so each is joined once;
    the cache is bounded.
    """

    MAX_ENTRIES = 50_000

    def __init__(self, labels: dict, rank: dict):
        super().__init__()
        self.labels, self.rank = labels, rank

    def __missing__(self, ids: tuple) -> str:
        if len(self) >= self.MAX_ENTRIES:
            self.clear()
        labels, rank = self.labels, self.rank
        cell = neutralise_cell(
            MULTI_VALUE_SEPARATOR.join(labels[pk] for pk in sorted(ids, key=rank.__getitem__))
        )
        self[ids] = cell
        return cell

    def column(self, values: tuple) -> list:
        return list(map(self.__getitem__, map(tuple, values)))


def taxonomy_labels(model) -> Callable[[], Formatter]:
    """Labels (str()) of a list of ids, in the taxonomy's own order, joined."""

    def bind() -> Formatter:
        # Taxonomies are small: read once per export, in their Meta ordering.
        labels = {obj.pk: str(obj) for obj in model.objects.all()}
        rank = {pk: i for i, pk in enumerate(labels)}
        return _JoinedLabels(labels, rank).column

    return bind


def subfield_label() -> Formatter:
    return _labels((s.pk, s) for s in Subfield.objects.all()).column


def broad_field_label() -> Formatter:
    return _labels((s.pk, s.field) for s in Subfield.objects.select_related("field")).column


@dataclass(frozen=True)
class Column:
    """One CSV column: its header, the record value it shows, how it is written."""

    header: str
    source: str
    format: Callable[[], Formatter] = text  # free text unless said otherwise


# Many-to-many values, read as lists of ids: record name -> Member's field.
RELATED = {
    "subfield_ids": "subfields",
    "engagement_type_ids": "engagement_types",
    "sdg_ids": "sdgs",
    "project_ids": "international_projects",
    "cluster_ids": "clusters",
}

COLUMNS: tuple[Column, ...] = (
    Column(_("Member ID"), "id", number),
    Column(_("Full name"), "full_name"),
    Column(_("E-mail address"), "email"),
    Column(_("Phone"), "phone"),
    Column(_("Gender"), "gender", choice_label(Member.Gender)),
    Column(_("Country of residence"), "country", country_name),
    Column(_("Country of residence (ISO code)"), "country"),
    Column(_("City"), "city"),
    Column(_("Connection to the country"), "connection", choice_label(Member.Connection)),
    Column(_("Home province or region"), "home_region"),
    Column(_("Highest qualification"), "highest_qualification", choice_label(Member.Qualification)),
    Column(_("Subject of the qualification"), "qualification_subject"),
    Column(_("Institution of the qualification"), "qualification_institution"),
    Column(_("Country of the institution"), "qualification_country", country_name),
    Column(_("Country of the institution (ISO code)"), "qualification_country"),
    Column(_("Year of the qualification"), "qualification_year", number),
    Column(_("Job title"), "job_title"),
    Column(_("Organisation"), "organisation"),
    Column(_("Sector"), "sector", choice_label(Member.Sector)),
    Column(_("Career stage"), "career_stage", choice_label(Member.CareerStage)),
    Column(_("Years of experience"), "years_experience", number),
    Column(_("Broad field"), "primary_subfield_id", broad_field_label),
    Column(_("Main subfield"), "primary_subfield_id", subfield_label),
    Column(_("Other subfields"), "subfield_ids", taxonomy_labels(Subfield)),
    Column(_("Keywords"), "keywords"),
    Column(_("Summary"), "summary"),
    Column(_("ORCID iD"), "orcid"),
    Column(_("Google Scholar profile"), "scholar_url"),
    Column(_("LinkedIn profile"), "linkedin_url"),
    Column(_("Website"), "website_url"),
    Column(_("Engagement types"), "engagement_type_ids", taxonomy_labels(EngagementType)),
    Column(_("Sustainable Development Goals"), "sdg_ids", taxonomy_labels(Sdg)),
    Column(_("International projects"), "project_ids", taxonomy_labels(InternationalProject)),
    Column(_("Expertise clusters"), "cluster_ids", taxonomy_labels(ExpertiseCluster)),
    Column(_("Collaborations with institutions in the country"), "home_collaborations"),
    Column(_("Hours per month"), "hours_per_month", number),
    Column(_("Willing to visit"), "willing_to_visit", yes_no),
    Column(_("Consent to be contacted"), "consent_contact", yes_no),
    Column(_("Consent to a public directory"), "consent_directory", yes_no),
    Column(_("Status"), "status", choice_label(Member.Status)),
    Column(_("Source"), "source", choice_label(Member.Source)),
    Column(_("Registered at"), "created_at", iso_datetime),
    Column(_("E-mail confirmed at"), "email_confirmed_at", iso_datetime),
    Column(_("Reviewed at"), "reviewed_at", iso_datetime),
    Column(_("Updated at"), "updated_at", iso_datetime),
)

# What a record holds, in order: the member id first, then every other field
# the columns read, then the related id lists.
SCALAR_SOURCES: tuple[str, ...] = tuple(
    dict.fromkeys(["id"] + [c.source for c in COLUMNS if c.source not in RELATED])
)
RECORD_SOURCES: tuple[str, ...] = SCALAR_SOURCES + tuple(RELATED)


def _through(relation: str) -> tuple[type, str]:
    """The through model of a many-to-many field and its column for the target id."""
    field = Member._meta.get_field(relation)
    return field.remote_field.through, f"{field.m2m_reverse_field_name()}_id"


def _postgres_records(queryset: QuerySet[Member], chunk_size: int) -> Iterator[tuple]:
    arrays = {}
    for name, relation in RELATED.items():
        through, target = _through(relation)
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
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            # Rows read a chunk at a time gain nothing from JIT compilation,
            # which on this plan at 10^6 members costs seconds up front.
            cursor.execute("SET LOCAL jit = off")
    # A named (server-side) cursor, as QuerySet.iterator() uses: declared
    # WITHOUT HOLD inside a transaction, so it ends with the transaction.
    cursor = connection.chunked_cursor()
    try:
        cursor.execute(sql, params)
        yield from chain.from_iterable(_fetched_ahead(cursor, chunk_size))
    finally:
        cursor.close()


def _fetched_ahead(cursor, chunk_size: int, depth: int = 2) -> Iterator[list[tuple]]:
    """Chunks of the cursor's rows, fetched by a thread `depth` chunks ahead.

    While this process formats one chunk, PostgreSQL computes the next
    (psycopg2 lets other threads run while it waits for the server), so the
    two cores share the work instead of taking turns. The thread only ever
    fetches from this one cursor; closing the generator stops the thread and
    waits for it, so the cursor is idle when the caller closes it.
    """
    chunks: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def fetch() -> None:
        try:
            while not stop.is_set():
                rows = cursor.fetchmany(chunk_size)
                chunks.put(rows)
                if not rows:
                    return
        except BaseException as error:  # raised again in the consumer
            chunks.put(error)

    thread = threading.Thread(target=fetch, name="export-fetch-ahead", daemon=True)
    thread.start()
    try:
        while (rows := chunks.get()) and not isinstance(rows, BaseException):
            yield rows
        if isinstance(rows, BaseException):
            raise rows
    finally:
        stop.set()
        while thread.is_alive():  # unblock a fetcher waiting on a full queue
            with suppress(queue.Empty):
                chunks.get(timeout=0.05)
        thread.join()


def _portable_records(queryset: QuerySet[Member], chunk_size: int) -> Iterator[tuple]:
    scalars = queryset.order_by("pk").values_list(*SCALAR_SOURCES)
    last_id = 0
    while chunk := list(scalars.filter(pk__gt=last_id)[:chunk_size]):
        ids = [row[0] for row in chunk]
        lists: dict[str, defaultdict[int, list[int]]] = {}
        for name, relation in RELATED.items():
            through, target = _through(relation)
            lists[name] = defaultdict(list)
            pairs = through.objects.filter(member_id__in=ids).values_list("member_id", target)
            for member_id, target_id in pairs:
                lists[name][member_id].append(target_id)
        for row in chunk:
            yield row + tuple(lists[name].get(row[0], []) for name in RELATED)
        last_id = ids[-1]


def member_export_records(
    queryset: QuerySet[Member], *, portable: bool | None = None, chunk_size: int | None = None
) -> Iterator[tuple]:
    """Every member of the queryset as a tuple of RECORD_SOURCES, by member id.

    Many-to-many values come as lists of ids, in no particular order.
    PostgreSQL reads one query, the lists aggregated by ARRAY() subqueries,
    through a server-side cursor (run it inside a transaction for a true
    cursor); `portable=True` forces the fallback, which any database runs:
    id-ordered chunks, each relation read once per chunk.
    """
    if portable is None:
        portable = connection.vendor != "postgresql"
    if portable:
        yield from _portable_records(queryset, chunk_size or PORTABLE_CHUNK_SIZE)
    else:
        yield from _postgres_records(queryset, chunk_size or POSTGRES_CHUNK_SIZE)


def export_header() -> list[str]:
    return [str(column.header) for column in COLUMNS]


def export_row_chunks(
    queryset: QuerySet[Member], *, portable: bool | None = None, rows_per_chunk: int | None = None
) -> Iterator[list[tuple]]:
    """The members' rows of text cells, neutralised, a chunk at a time.

    Each chunk is cut into columns, each column written by its formatter, and
    the columns zipped back into rows.
    """
    rows_per_chunk = rows_per_chunk or ROWS_PER_CHUNK
    positions = {name: i for i, name in enumerate(RECORD_SOURCES)}
    plan = [(positions[c.source], c.format()) for c in COLUMNS]
    records = member_export_records(queryset, portable=portable)
    try:
        while chunk := list(islice(records, rows_per_chunk)):
            columns = list(zip(*chunk, strict=True))
            yield list(zip(*(write(columns[i]) for i, write in plan), strict=True))
    finally:
        records.close()


def export_rows(queryset: QuerySet[Member], *, portable: bool | None = None) -> Iterator[list]:
    """The header row, then one row of neutralised text cells per member."""
    yield export_header()
    for chunk in export_row_chunks(queryset, portable=portable):
        yield from map(list, chunk)


def export_stream(
    *,
    queryset: QuerySet[Member],
    log: ExportLog,
    rows_per_chunk: int | None = None,
    portable: bool | None = None,
) -> Iterator[bytes]:
    """The CSV file as UTF-8 bytes (with a byte-order mark), piece by piece.

    Nothing is read before the first piece is asked for; the first piece is
    the header alone, so a download starts at once. When the stream ends the
    log gets the row count and finish time; when it is closed early (the
    client went away) the log keeps the rows sent and no finish time, and the
    database transaction and cursor are closed.
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

    # A transaction gives PostgreSQL's cursor a consistent snapshot and lets it
    # stream; on SQLite (IMMEDIATE transactions) it would lock out writers.
    in_transaction = transaction.atomic() if connection.vendor == "postgresql" else nullcontext()
    try:
        with in_transaction:
            buffer.write(CSV_BOM)
            writer.writerow(export_header())
            yield flush()
            chunks = export_row_chunks(queryset, portable=portable, rows_per_chunk=rows_per_chunk)
            try:
                for chunk in chunks:
                    writer.writerows(chunk)
                    count += len(chunk)
                    yield flush()
            finally:
                # Closes the cursor before the transaction ends.
                chunks.close()
        completed = True
    finally:
        export_log_finish(log=log, row_count=count, completed=completed)


def export_filename(now: datetime | None = None) -> str:
    return f"dorin-specialists-{timezone.localdate(now):%Y-%m-%d}.csv"


def export_response(*, queryset: QuerySet[Member], log: ExportLog) -> StreamingHttpResponse:
    """A streamed CSV download of the members, recorded in `log`."""
    response = StreamingHttpResponse(
        export_stream(queryset=queryset, log=log), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{export_filename()}"'
    # Personal data: never kept by a browser or proxy cache; and a proxy such
    # as nginx passes the stream on instead of buffering it whole.
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"
    return response
