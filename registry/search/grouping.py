"""Search results grouped by broad field and subfield, for the staff search page.

A member is counted and shown under their primary subfield only, so the
counts of the groups add up to the number of matching members. Every function
here runs a fixed number of queries whatever the number of matches, and none
loads more than one page of members. How each subfield's first members are
found differs by database (see `subfield_heads` in registry.search.postgres
and registry.search.portable).

Counts are exact up to settings.SEARCH_EXACT_COUNT_LIMIT matches. Counting a
broader search exactly means reading every match, so beyond the limit the
counts are estimates from a sample, flagged (`approximate`) and rounded to
the precision the sample gives them; the page says "about" before each one
(docs/search.md). On PostgreSQL a search without free text filtered by
status, country, broad field and subfield only is counted exactly at any size
from the dashboard's summary (registry.search.summary). The export never
estimates: it lists every match.
"""

from dataclasses import dataclass, field
from operator import attrgetter

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet

from registry.db import backend_module
from registry.models import Member, Subfield
from registry.search.estimates import Estimate, shown_total, summed_estimate
from registry.search.filters import (
    MemberFilters,
    may_add_fuzzy_names,
    member_order,
    members_search,
    search_time_limit,
)
from registry.search.parser import FUZZY_FALLBACK_BELOW
from registry.search.rows import ROW_FIELDS, MemberRow, member_rows
from registry.selectors.taxonomy import taxonomy_copy

# Members shown under each subfield heading before "show all".
PER_SUBFIELD = 5
# Members per page of the list narrowed to one subfield.
PAGE_SIZE = 50


@dataclass
class SubfieldGroup:
    id: int
    code: str
    name: str
    position: int
    # Exact, or the estimate rounded (Estimate.shown) when `estimate` is set.
    count: int
    members: list[MemberRow] = field(default_factory=list)
    estimate: Estimate | None = None

    @property
    def approximate(self) -> bool:
        return self.estimate is not None

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
    def approximate(self) -> bool:
        return any(s.approximate for s in self.subfields)

    @property
    def estimate(self) -> Estimate | None:
        return summed_estimate(self.subfields)

    @property
    def count(self) -> int:
        return shown_total(self.subfields)


@dataclass
class SearchResults:
    """The staff search page's data: groups with counts, and a page when narrowed."""

    total: int
    fields: list[FieldGroup]
    # The paginated members of the one subfield the search is narrowed to.
    page: Page | None = None
    # The counts are estimates ("about"): more matches than `exact_limit`.
    approximate: bool = False
    exact_limit: int | None = None

    @property
    def subfield(self) -> SubfieldGroup | None:
        if self.page is None or not self.fields:
            return None
        return self.fields[0].subfields[0]


@dataclass
class SubfieldHeads:
    """Matches per primary subfield id, and what the database's backend found
    of each subfield's first members while counting them."""

    counts: dict[int, int]
    # The ids of each subfield's first members in result order (PostgreSQL).
    first_ids: dict[int, list[int]] | None = None
    # The first members are to be read by name, a short index walk per
    # subfield (PostgreSQL, see registry.search.postgres.subfield_heads).
    by_name_walk: bool = False
    # Set when `counts` are estimates (more matches than the exact-count
    # limit): the matches the sample found per subfield, and the share of
    # the registry it read.
    sampled: dict[int, int] | None = None
    share: float = 1.0

    @property
    def approximate(self) -> bool:
        return self.sampled is not None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def exact_count_limit() -> int:
    """Up to how many matches the staff search counts exactly (settings)."""
    return settings.SEARCH_EXACT_COUNT_LIMIT


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


def subfield_heads(
    queryset: QuerySet[Member], *, per_subfield: int, limit: int | None = None
) -> SubfieldHeads:
    """Counts per subfield, and what the database can tell of their first members.

    Exact when at most `limit` members match (settings.SEARCH_EXACT_COUNT_LIMIT
    by default); beyond, estimates from a sample (`approximate`). One query,
    three beyond the limit on PostgreSQL. `per_subfield` 0: counts only.
    """
    backend = backend_module("registry.search")
    if limit is None:
        limit = exact_count_limit()
    return backend.subfield_heads(queryset, per_subfield=per_subfield, limit=limit)


def _subfields(ids) -> list[Subfield]:
    """The subfields of `ids` with their broad fields, from this process's copy
    of the taxonomy (registry.selectors.taxonomy) when it has one."""
    every = taxonomy_copy(
        ("search-subfields",), lambda: {s.id: s for s in Subfield.objects.select_related("field")}
    )
    if every is None:
        return list(Subfield.objects.filter(id__in=ids).select_related("field"))
    return [every[pk] for pk in ids if pk in every]


def _groups(heads: SubfieldHeads) -> list[FieldGroup]:
    # The taxonomy is read apart from the counts: joining it to every matching
    # member before grouping costs far more than reading it on its own.
    fields: dict[int, FieldGroup] = {}
    for subfield in _subfields(heads.counts):
        broad = subfield.field
        group = fields.setdefault(
            broad.id, FieldGroup(broad.code, broad.display_name, broad.position)
        )
        count, estimate = heads.counts[subfield.id], None
        if heads.sampled is not None:
            estimate = Estimate(count, heads.sampled.get(subfield.id, 0), heads.share)
            count = estimate.shown
        group.subfields.append(
            SubfieldGroup(
                subfield.id,
                subfield.code,
                subfield.display_name,
                subfield.position,
                count,
                [],
                estimate,
            )
        )
    ordered = sorted(fields.values(), key=attrgetter("position", "code"))
    for group in ordered:
        group.subfields.sort(key=attrgetter("position", "code"))
    return ordered


def members_grouped_by_field(
    queryset: QuerySet[Member],
    *,
    per_subfield: int = PER_SUBFIELD,
    heads: SubfieldHeads | None = None,
) -> list[FieldGroup]:
    """Matching members grouped by broad field, then primary subfield.

    Each subfield carries its count and its first `per_subfield` members, best
    match first (by name without free text). Three queries, whatever the
    number of matches, five beyond the exact-count limit on PostgreSQL (one
    fewer when the caller passes the subfield_heads() it already has for the
    same `per_subfield`).
    """
    if heads is None:
        heads = subfield_heads(queryset, per_subfield=per_subfield)
    if not heads.counts:
        return []
    groups = _groups(heads)
    by_subfield = {s.id: s for g in groups for s in g.subfields}
    backend = backend_module("registry.search")
    for row in backend.first_members(queryset, heads=heads, per_subfield=per_subfield):
        by_subfield[row.primary_subfield_id].members.append(row)
    return groups


def members_page(
    queryset: QuerySet[Member],
    *,
    count: int,
    number,
    per_page: int = PAGE_SIZE,
    approximate: bool = False,
) -> Page:
    """One page of matching members, best match first; `count` is already known.

    The count comes from the grouped counts, so no COUNT query runs; the page's
    members are read with one query and returned as a list. An `approximate`
    count may be short of the matches or beyond them, so the page reads one
    row more than it shows: a page with fewer rows is the last one (the count
    becomes what it holds), and a page with more always has a next one.
    """
    ordered = queryset.order_by(*member_order(queryset)).values_list(*ROW_FIELDS)
    paginator = Paginator(ordered, per_page)
    if not approximate:
        # Paginator.count is a cached property: setting it skips the COUNT query.
        paginator.count = count
        page = paginator.get_page(number)
        page.object_list = member_rows(page.object_list)
        return page
    # The estimate cannot say which page is the last: any page asked for is
    # read, and the count follows what the rows show.
    try:
        number = max(1, int(number))
    except (TypeError, ValueError):
        number = 1
    offset = (number - 1) * per_page
    rows = member_rows(ordered[offset : offset + per_page + 1])
    paginator.count = max(count, len(rows) + offset) if len(rows) > per_page else offset + len(rows)
    return Page(rows[:per_page], number, paginator)


def _matches_and_heads(
    *, user, filters: MemberFilters, per_subfield: int, limit: int
) -> tuple[QuerySet[Member], SubfieldHeads]:
    """The members matching `filters` that `user` may see, and their subfield_heads().

    Where the dashboard's summary holds the counts (PostgreSQL; no free
    text, filters by status, country, field and subfield only) they are
    exact whatever their size, in one query. Otherwise the matches are
    counted: full-text matches first, and a name-like search that finds
    almost nobody is run again with similar names added (see
    members_matching_text), an extra query only then.
    """
    # Narrowed to a subfield, the page lists members itself: counts only.
    wanted = 0 if filters.subfield_id else per_subfield
    backend = backend_module("registry.search")
    heads = backend.summary_heads(user=user, filters=filters, per_subfield=wanted)
    if heads is not None:
        return members_search(user=user, filters=filters), heads

    def read(fuzzy_names: bool) -> tuple[QuerySet[Member], SubfieldHeads]:
        queryset = members_search(user=user, filters=filters, fuzzy_names=fuzzy_names)
        return queryset, subfield_heads(queryset, per_subfield=wanted, limit=limit)

    queryset, heads = read(fuzzy_names=False)
    if heads.total < FUZZY_FALLBACK_BELOW and may_add_fuzzy_names(filters.text):
        queryset, heads = read(fuzzy_names=True)
    return queryset, heads


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
    groups with their first members. Beyond the exact-count limit the counts
    are estimates (`approximate`, see subfield_heads()). Raises
    SearchTimedOut when PostgreSQL cancels a query that ran too long.
    """
    per_subfield = per_subfield or PER_SUBFIELD
    per_page = per_page or PAGE_SIZE
    exact_limit = exact_count_limit()
    with search_time_limit():
        queryset, heads = _matches_and_heads(
            user=user, filters=filters, per_subfield=per_subfield, limit=exact_limit
        )
        if filters.subfield_id:
            groups = _groups(heads)
            total = shown_total([s for g in groups for s in g.subfields])
            page = members_page(
                queryset,
                count=total,
                number=page_number,
                per_page=per_page,
                approximate=heads.approximate,
            )
            return SearchResults(total, groups, page, heads.approximate, exact_limit)
        groups = members_grouped_by_field(queryset, per_subfield=per_subfield, heads=heads)
        total = shown_total([s for g in groups for s in g.subfields])
        if heads.approximate:
            # Rounding never shows fewer than the limit the page says is passed.
            total = max(total, exact_limit + 1)
        return SearchResults(total, groups, None, heads.approximate, exact_limit)
