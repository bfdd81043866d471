"""Search results grouped by broad field and subfield, for the staff search page.

A member is counted and shown under their primary subfield only, so the
counts of the groups add up to the number of matching members. Every function
here runs a fixed number of queries whatever the number of matches, and none
loads more than one page of members. How each subfield's first members are
found differs by database (see `subfield_heads` in registry.search.postgres
and registry.search.portable).
"""

from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet
from django.utils.text import Truncator
from django_countries import countries

from registry.db import backend_module
from registry.models import Member, Subfield
from registry.search.filters import (
    MemberFilters,
    may_add_fuzzy_names,
    member_order,
    members_search,
    search_time_limit,
)
from registry.search.parser import FUZZY_FALLBACK_BELOW

# Members shown under each subfield heading before "show all".
PER_SUBFIELD = 5
# Members per page of the list narrowed to one subfield.
PAGE_SIZE = 50

ROW_FIELDS = (
    "id",
    "full_name",
    "job_title",
    "organisation",
    "country",
    "keywords",
    "status",
    "primary_subfield_id",
    "name_key",
    "city",
    "consent_contact",
    "last_confirmed_at",
    "stale_since",
)


# Characters of a member's keywords shown in a result row.
KEYWORDS_SHOWN = 120


@dataclass(frozen=True)
class MemberRow:
    """What a result row shows of a member (the values of ROW_FIELDS)."""

    id: int
    full_name: str
    job_title: str
    organisation: str
    country: str
    keywords: str
    status: str
    primary_subfield_id: int
    name_key: str
    city: str
    consent_contact: bool
    last_confirmed_at: datetime | None = None
    stale_since: datetime | None = None

    @property
    def country_name(self) -> str:
        return countries.name(self.country) if self.country else ""

    @property
    def status_label(self) -> str:
        return Member.Status(self.status).label

    @property
    def keywords_shown(self) -> str:
        """The keywords, cut to KEYWORDS_SHOWN characters for a result row."""
        # Most keywords fit; Truncator, which handles combining characters,
        # is costly enough per row to be worth skipping for them.
        if len(self.keywords) <= KEYWORDS_SHOWN:
            return self.keywords
        return Truncator(self.keywords).chars(KEYWORDS_SHOWN)


def member_rows(values) -> list[MemberRow]:
    """MemberRows from rows of ROW_FIELDS values."""
    return [MemberRow(*row) for row in values]


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

    @property
    def total(self) -> int:
        return sum(self.counts.values())


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
    queryset: QuerySet[Member], *, per_subfield: int, name_walk: bool = False
) -> SubfieldHeads:
    """Counts per subfield, and what the database can tell of their first members.

    One query. `name_walk`: the caller knows the queryset filters on nothing
    but status and broad field (PostgreSQL may then read the first members by
    walking the name index).
    """
    backend = backend_module("registry.search")
    return backend.subfield_heads(queryset, per_subfield=per_subfield, name_walk=name_walk)


def _groups(counts: dict[int, int]) -> list[FieldGroup]:
    # The taxonomy is read apart from the counts: joining it to every matching
    # member before grouping costs far more than this one small query.
    fields: dict[int, FieldGroup] = {}
    subfields = Subfield.objects.filter(id__in=counts).select_related("field")
    for subfield in subfields:
        broad = subfield.field
        group = fields.setdefault(
            broad.id, FieldGroup(broad.code, broad.display_name, broad.position)
        )
        group.subfields.append(
            SubfieldGroup(
                subfield.id,
                subfield.code,
                subfield.display_name,
                subfield.position,
                counts[subfield.id],
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
    number of matches (two when the caller passes the subfield_heads() it
    already has for the same `per_subfield`).
    """
    if heads is None:
        heads = subfield_heads(queryset, per_subfield=per_subfield)
    if not heads.counts:
        return []
    groups = _groups(heads.counts)
    by_subfield = {s.id: s for g in groups for s in g.subfields}
    backend = backend_module("registry.search")
    for row in backend.first_members(queryset, heads=heads, per_subfield=per_subfield):
        by_subfield[row.primary_subfield_id].members.append(row)
    return groups


def members_page(
    queryset: QuerySet[Member], *, count: int, number, per_page: int = PAGE_SIZE
) -> Page:
    """One page of matching members, best match first; `count` is already known.

    The count comes from the grouped counts, so no COUNT query runs; the page's
    members are read with one query and returned as a list.
    """
    ordered = queryset.order_by(*member_order(queryset)).values_list(*ROW_FIELDS)
    paginator = Paginator(ordered, per_page)
    # Paginator.count is a cached property: setting it skips the COUNT query.
    paginator.count = count
    page = paginator.get_page(number)
    page.object_list = member_rows(page.object_list)
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
        # Full-text matches first; a name-like search that finds almost
        # nobody is run again with similar names added (see
        # members_matching_text), an extra query only then.
        # Walking the name index pays only where the counts come from an
        # index too: no filter but status and broad field (see subfield_heads).
        name_walk = not any(
            (
                filters.country,
                filters.sector,
                filters.qualification,
                filters.career_stage,
                filters.cluster_id,
                filters.sdg_id,
                filters.engagement_type_id,
            )
        )

        def read(fuzzy_names: bool) -> tuple[QuerySet[Member], SubfieldHeads]:
            queryset = members_search(user=user, filters=filters, fuzzy_names=fuzzy_names)
            if filters.subfield_id:
                return queryset, SubfieldHeads(subfield_counts(queryset))
            return queryset, subfield_heads(
                queryset, per_subfield=per_subfield, name_walk=name_walk
            )

        queryset, heads = read(fuzzy_names=False)
        if heads.total < FUZZY_FALLBACK_BELOW and may_add_fuzzy_names(filters.text):
            queryset, heads = read(fuzzy_names=True)
        if filters.subfield_id:
            groups = _groups(heads.counts)
            page = members_page(queryset, count=heads.total, number=page_number, per_page=per_page)
            return SearchResults(total=heads.total, fields=groups, page=page)
        groups = members_grouped_by_field(queryset, per_subfield=per_subfield, heads=heads)
        return SearchResults(total=sum(g.count for g in groups), fields=groups)
