"""Search results grouped by broad field and subfield, for the staff search page.

A member is counted and shown under their primary subfield only, so the
counts of the groups add up to the number of matching members. Every function
here runs a fixed number of queries whatever the number of matches, and none
loads more than one page of members.
"""

from dataclasses import dataclass, field
from operator import attrgetter

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber
from django_countries import countries

from registry.models import Member, Subfield
from registry.selectors.search import (
    MemberFilters,
    member_order,
    members_search,
    search_time_limit,
)

# Members shown under each subfield heading before "show all".
PER_SUBFIELD = 5
# Members per page of the list narrowed to one subfield.
PAGE_SIZE = 50
# Up to this many matches, the first members of every subfield come from one
# window-function query (ROW_NUMBER() per subfield, best match first), which
# ranks and sorts every match. Above it PostgreSQL reads them by name instead,
# as one UNION ALL of a short index scan per subfield, which does not grow
# with the number of matches.
WINDOW_MAX_MATCHES = 5000

_ROW_FIELDS = (
    "id",
    "full_name",
    "job_title",
    "organisation",
    "country",
    "keywords",
    "status",
    "primary_subfield_id",
    "name_key",
)


@dataclass(frozen=True)
class MemberRow:
    """What a result row shows of a member."""

    id: int
    full_name: str
    job_title: str
    organisation: str
    country: str
    keywords: str
    status: str
    primary_subfield_id: int
    name_key: str

    @property
    def country_name(self) -> str:
        return countries.name(self.country) if self.country else ""

    @property
    def status_label(self) -> str:
        return Member.Status(self.status).label


@dataclass
class SubfieldGroup:
    id: int
    code: str
    name: str
    position: int
    count: int
    members: list[MemberRow] = field(default_factory=list)

    @property
    def has_more(self) -> bool:
        return self.count > len(self.members)


@dataclass
class FieldGroup:
    code: str
    name: str
    position: int
    subfields: list[SubfieldGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(s.count for s in self.subfields)


@dataclass
class SearchResults:
    """The staff search page's data: groups with counts, and a page when narrowed."""

    total: int
    fields: list[FieldGroup]
    # The paginated members of the one subfield the search is narrowed to.
    page: Page | None = None

    @property
    def subfield(self) -> SubfieldGroup | None:
        if self.page is None or not self.fields:
            return None
        return self.fields[0].subfields[0]


def subfield_counts(queryset: QuerySet[Member]) -> dict[int, int]:
    """Matching members per primary subfield id, in one aggregate query."""
    rows = (
        queryset.order_by()
        .values("primary_subfield_id")
        # COUNT(*), not COUNT(id): PostgreSQL then counts from an index alone.
        .annotate(count=Count("*"))
        .values_list("primary_subfield_id", "count")
    )
    return dict(rows)


def _groups(counts: dict[int, int]) -> list[FieldGroup]:
    # The taxonomy is read apart from the counts: joining it to every matching
    # member before grouping costs far more than this one small query.
    fields: dict[int, FieldGroup] = {}
    subfields = Subfield.objects.filter(id__in=counts).select_related("field")
    for subfield in subfields:
        broad = subfield.field
        group = fields.setdefault(broad.id, FieldGroup(broad.code, broad.name, broad.position))
        group.subfields.append(
            SubfieldGroup(
                subfield.id, subfield.code, subfield.name, subfield.position, counts[subfield.id]
            )
        )
    ordered = sorted(fields.values(), key=attrgetter("position", "code"))
    for group in ordered:
        group.subfields.sort(key=attrgetter("position", "code"))
    return ordered


def _rows(values) -> list[MemberRow]:
    return [MemberRow(*row) for row in values]


def _first_members(
    queryset: QuerySet[Member], *, counts: dict[int, int], per_subfield: int
) -> list[MemberRow]:
    if connection.vendor == "postgresql" and sum(counts.values()) > WINDOW_MAX_MATCHES:
        # Many matches: the first members of each subfield by name, each
        # subfield a short walk of the (primary_subfield_id, name_key, id)
        # index. Ranking would score and sort every match (hundreds of
        # thousands for a common word at 10^6 members); the subfield's own
        # page, one click away, lists its members best match first.
        order = [F("name_key").asc(), F("id").asc()]
        parts = [
            queryset.filter(primary_subfield_id=subfield_id)
            .order_by(*order)
            .values_list(*_ROW_FIELDS)[:per_subfield]
            for subfield_id in sorted(counts)
        ]
        rows = _rows(parts[0].union(*parts[1:], all=True))
        # UNION ALL keeps no order between its parts; put it back.
        return sorted(rows, key=attrgetter("primary_subfield_id", "name_key", "id"))
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
        .values_list(*_ROW_FIELDS)
    )
    return _rows(numbered)


def members_grouped_by_field(
    queryset: QuerySet[Member], *, per_subfield: int = PER_SUBFIELD
) -> list[FieldGroup]:
    """Matching members grouped by broad field, then primary subfield.

    Each subfield carries its count and its first `per_subfield` members: best
    match first for a text search with up to WINDOW_MAX_MATCHES matches, by
    name otherwise. Three queries, whatever the number of matches.
    """
    counts = subfield_counts(queryset)
    if not counts:
        return []
    groups = _groups(counts)
    by_subfield = {s.id: s for g in groups for s in g.subfields}
    for row in _first_members(queryset, counts=counts, per_subfield=per_subfield):
        by_subfield[row.primary_subfield_id].members.append(row)
    return groups


def members_page(
    queryset: QuerySet[Member], *, count: int, number, per_page: int = PAGE_SIZE
) -> Page:
    """One page of matching members, best match first; `count` is already known.

    The count comes from the grouped counts, so no COUNT query runs; the page's
    members are read with one query and returned as a list.
    """
    ordered = queryset.order_by(*member_order(queryset)).values_list(*_ROW_FIELDS)
    paginator = Paginator(ordered, per_page)
    # Paginator.count is a cached property: setting it skips the COUNT query.
    paginator.count = count
    page = paginator.get_page(number)
    page.object_list = _rows(page.object_list)
    return page


def staff_search_results(
    *,
    user,
    filters: MemberFilters,
    page_number=None,
    per_subfield: int | None = None,
    per_page: int | None = None,
) -> SearchResults:
    """Everything the staff search page shows, read within the search time limit.

    Narrowed to one subfield, the result is a paginated list; otherwise the
    groups with their first members. Raises SearchTimedOut when PostgreSQL
    cancels a query that ran too long.
    """
    per_subfield = per_subfield or PER_SUBFIELD
    per_page = per_page or PAGE_SIZE
    with search_time_limit():
        queryset = members_search(user=user, filters=filters)
        if filters.subfield_id:
            counts = subfield_counts(queryset)
            groups = _groups(counts)
            total = sum(counts.values())
            page = members_page(queryset, count=total, number=page_number, per_page=per_page)
            return SearchResults(total=total, fields=groups, page=page)
        groups = members_grouped_by_field(queryset, per_subfield=per_subfield)
        return SearchResults(total=sum(g.count for g in groups), fields=groups)
