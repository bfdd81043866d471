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
once per chunk. Both give the same records, in member id order. Ids become
labels in Python from the small taxonomy tables, read once per export.
"""

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, transaction
from django.db.models import OuterRef, QuerySet
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
# (small enough for SQLite's limit on query parameters).
POSTGRES_CHUNK_SIZE = 2000
PORTABLE_CHUNK_SIZE = 500
# CSV rows per piece of the HTTP response.
ROWS_PER_CHUNK = 500

# A spreadsheet runs a cell as a formula when it starts with one of these
# (full-width forms included), even after leading spaces.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")


def neutralise_cell(value: str) -> str:
    """Make a cell safe to open in a spreadsheet.

    A cell that starts with = + - @ tab or carriage return (or one of them
    after leading white space) gets a single quote in front, so Excel,
    LibreOffice and Google Sheets show it as text instead of running it.
    """
    if not value:
        return value
    first = value[0]
    if first in FORMULA_TRIGGERS or (first.isspace() and value.lstrip()[:1] in FORMULA_TRIGGERS):
        return "'" + value
    return value


# A column's format is a factory called once per export: it looks translated
# labels up once, and returns the function that writes one value as text.
Formatter = Callable[[Any], str]


def text() -> Formatter:
    return lambda value: "" if value is None else str(value)


def choice_label(choices) -> Callable[[], Formatter]:
    def bind() -> Formatter:
        labels = {value: str(label) for value, label in choices.choices}
        return lambda value: labels.get(value, value) if value else ""

    return bind


def country_name() -> Formatter:
    names = {code: str(name) for code, name in countries}
    return lambda code: names.get(code, code) if code else ""


def iso_datetime() -> Formatter:
    def write(value: datetime | None) -> str:
        if value is None:
            return ""
        if value.utcoffset():
            value = value.astimezone(UTC)
        return value.isoformat(timespec="seconds")

    return write


def yes_no() -> Formatter:
    yes, no = gettext("yes"), gettext("no")
    return lambda value: yes if value else no


def taxonomy_labels(model) -> Callable[[], Formatter]:
    """Labels (str()) of a list of ids, in the taxonomy's own order, joined."""

    def bind() -> Formatter:
        # Taxonomies are small: read once per export, in their Meta ordering.
        labels = {obj.pk: str(obj) for obj in model.objects.all()}
        rank = {pk: i for i, pk in enumerate(labels)}
        return lambda ids: MULTI_VALUE_SEPARATOR.join(
            labels[pk] for pk in sorted(ids or (), key=rank.__getitem__)
        )

    return bind


def subfield_label() -> Formatter:
    labels = {s.pk: str(s) for s in Subfield.objects.all()}
    return lambda pk: labels.get(pk, "")


def broad_field_label() -> Formatter:
    labels = {s.pk: str(s.field) for s in Subfield.objects.select_related("field")}
    return lambda pk: labels.get(pk, "")


@dataclass(frozen=True)
class Column:
    """One CSV column: its header, the record value it shows, how it is written."""

    header: str
    source: str
    format: Callable[[], Formatter] = text


# Many-to-many values, read as lists of ids: record name -> Member's field.
RELATED = {
    "subfield_ids": "subfields",
    "engagement_type_ids": "engagement_types",
    "sdg_ids": "sdgs",
    "project_ids": "international_projects",
    "cluster_ids": "clusters",
}

COLUMNS: tuple[Column, ...] = (
    Column(_("Member ID"), "id"),
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
    Column(_("Year of the qualification"), "qualification_year"),
    Column(_("Job title"), "job_title"),
    Column(_("Organisation"), "organisation"),
    Column(_("Sector"), "sector", choice_label(Member.Sector)),
    Column(_("Career stage"), "career_stage", choice_label(Member.CareerStage)),
    Column(_("Years of experience"), "years_experience"),
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
    Column(_("Hours per month"), "hours_per_month"),
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
    records = queryset.order_by("pk").annotate(**arrays).values_list(*RECORD_SOURCES)
    # Inside a transaction Django reads through a named (server-side) cursor
    # declared WITHOUT HOLD, fetching chunk_size rows at a time. `yield from`
    # closes it as soon as this generator is closed.
    yield from records.iterator(chunk_size=chunk_size)


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


def export_rows(queryset: QuerySet[Member], *, portable: bool | None = None) -> Iterator[list]:
    """The header row, then one row of neutralised text cells per member."""
    positions = {name: i for i, name in enumerate(RECORD_SOURCES)}
    plan = [(positions[c.source], c.format()) for c in COLUMNS]
    yield export_header()
    for record in member_export_records(queryset, portable=portable):
        yield [neutralise_cell(format_(record[i])) for i, format_ in plan]


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
    rows_per_chunk = rows_per_chunk or ROWS_PER_CHUNK
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
            rows = export_rows(queryset, portable=portable)
            try:
                buffer.write(CSV_BOM)
                writer.writerow(next(rows))
                yield flush()
                for row in rows:
                    writer.writerow(row)
                    count += 1
                    if count % rows_per_chunk == 0:
                        yield flush()
                if buffer.tell():
                    yield flush()
            finally:
                # Closes the cursor before the transaction ends.
                rows.close()
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
