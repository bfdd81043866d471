"""Every other database's side of registry.search (SQLite serves development).

The same names as registry.search.postgres: free text as a containment test
on the folded search document, no ranking, no fuzzy names, no time limit,
and each subfield's first members read with a window function.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models import Expression, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.db.models.lookups import Contains

from registry.models import Member
from registry.search.filters import MemberFilters, member_order
from registry.search.grouping import SubfieldHeads, subfield_counts
from registry.search.parser import ParsedSearch, Term
from registry.search.places import parsed_place_readings, place_condition
from registry.search.rows import ROW_FIELDS, MemberRow, member_rows


def _text_condition(terms: tuple[Term, ...]) -> Q:
    conjunction = Q()
    for term in terms:
        contains = Q(search_document__contains=term.text)
        conjunction &= ~contains if term.negated else contains
    return conjunction


def members_matching(
    queryset: QuerySet[Member], *, parsed: ParsedSearch, text: str, fuzzy_names: bool | None
) -> QuerySet[Member]:
    """Members whose folded search document contains the parsed terms (no rank),
    or whose country or city a run of the terms names (registry.search.places)."""
    condition = Q()
    for terms in parsed:
        condition |= _text_condition(terms)
    for reading in parsed_place_readings(parsed):
        condition |= place_condition(reading) & _text_condition(reading.rest)
    return queryset.filter(condition)


def keyword_match(keyword: str) -> Expression:
    """Whether a member's folded search document contains the folded keyword."""
    return Contains(F("search_document"), keyword)


def may_add_fuzzy_names(*, parsed: ParsedSearch) -> bool:
    """Never: fuzzy name matching needs PostgreSQL's pg_trgm."""
    return False


@contextmanager
def search_time_limit(milliseconds: int | None = None) -> Iterator[None]:
    """No limit: SQLite serves development only."""
    yield


def subfield_heads(queryset: QuerySet[Member], *, per_subfield: int, limit: int) -> SubfieldHeads:
    """The counts per subfield alone; first_members() reads the members.

    SQLite serves development, so nothing is sampled: every match is counted,
    and beyond `limit` the counts are flagged as estimates (each "sampled"
    match being a match), so that pages read as they do on PostgreSQL.
    """
    counts = subfield_counts(queryset)
    if sum(counts.values()) <= limit:
        return SubfieldHeads(counts)
    return SubfieldHeads(counts, sampled=dict(counts))


def summary_heads(*, user, filters: MemberFilters, per_subfield: int) -> None:
    """None: the dashboard's summary is kept on PostgreSQL only; the members are counted."""
    return None


def first_members(
    queryset: QuerySet[Member], *, heads: SubfieldHeads, per_subfield: int
) -> list[MemberRow]:
    """Each subfield's first members in result order, numbered by a window function."""
    numbered = (
        queryset.annotate(
            _row=Window(
                RowNumber(),
                partition_by=[F("primary_subfield_id")],
                order_by=member_order(queryset),
            )
        )
        .filter(_row__lte=per_subfield)
        .order_by("primary_subfield_id", "_row")
        .values_list(*ROW_FIELDS)
    )
    return member_rows(numbered)


def icontains_folds_case(text: str) -> bool:
    """Whether `__icontains` ignores the case of every letter of `text`.

    SQLite's LIKE folds ASCII letters only.
    """
    return text.isascii()
