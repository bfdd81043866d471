"""The CSV's columns, defined once, and how each one writes its cells.

COLUMNS is the one definition of the export file: the staff search's export,
the admin action and `manage.py export_specialists` all write it, and
docs/export-columns.md documents it (a test keeps the two in step). A record
(see RECORD_SOURCES) holds the member's values; each column's formatter
turns a whole column of a chunk of records into text cells, labels looked up
from the small taxonomy tables once per export and formula cells neutralised.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from registry.models import (
    EngagementType,
    ExpertiseCluster,
    InternationalProject,
    Member,
    Sdg,
    Subfield,
)

CSV_BOM = "\ufeff"
MULTI_VALUE_SEPARATOR = "; "

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
# one Python call per cell, which on large exports is most of the time.
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
    registry.export.postgres), so a column of strings passes through.
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


# The file is in English (headers, labels, taxonomy and country names),
# whatever the language of the page that asked for it: other systems read
# the file and match a row by its name. Labels follow the active language,
# so they are made with English active.
ENGLISH = "en"


def taxonomy_labels(model) -> Callable[[], Formatter]:
    """Labels (str(), in English) of a list of ids, in the taxonomy's own order, joined."""

    def bind() -> Formatter:
        # Taxonomies are small: read once per export, in their Meta ordering.
        with translation.override(ENGLISH):
            labels = {obj.pk: str(obj) for obj in model.objects.all()}
        rank = {pk: i for i, pk in enumerate(labels)}
        return _JoinedLabels(labels, rank).column

    return bind


def subfield_label() -> Formatter:
    with translation.override(ENGLISH):
        return _labels((s.pk, s) for s in Subfield.objects.all()).column


def broad_field_label() -> Formatter:
    subfields = Subfield.objects.select_related("field")
    with translation.override(ENGLISH):
        return _labels((s.pk, s.field) for s in subfields).column


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


def related_through(relation: str) -> tuple[type, str]:
    """The through model of a many-to-many field and its column for the target id."""
    field = Member._meta.get_field(relation)
    return field.remote_field.through, f"{field.m2m_reverse_field_name()}_id"
