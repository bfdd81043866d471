"""The staff search's filters and free text, the same call on every database.

`members_matching_text` hands the text to the backend that
`registry.db.backend_module` picks (full-text search on PostgreSQL, the
portable containment test elsewhere); everything else here is plain ORM.
"""

from contextlib import AbstractContextManager
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, QuerySet

from registry.db import backend_module
from registry.models import CONFIRMED_STATUSES, Member
from registry.search import RANK_ALIAS
from registry.search.parser import parse_search_text
from registry.selectors.freshness import members_with_freshness
from registry.selectors.members import members_visible_to


def members_matching_text(
    queryset: QuerySet[Member], text: str, *, fuzzy_names: bool | None = None
) -> QuerySet[Member]:
    """Narrow the queryset to members whose searchable text matches `text`.

    Web-search syntax on every database: words must all be there, "quoted
    words" as a phrase, OR for alternatives, -word to exclude. Case and
    accents never matter. Text with no word in it leaves the queryset as it
    is. On PostgreSQL: full-text search with English stemming, ranked (see
    member_order()); when a short plain query that looks like a name finds
    fewer than FUZZY_FALLBACK_BELOW members, members whose name is spelt a
    little differently are added, after the full-text matches. Deciding that
    costs one COUNT query, unless the caller already knows: `fuzzy_names`
    True or False decides without it.
    """
    parsed = parse_search_text(text or "")
    if not parsed:
        return queryset
    return backend_module("registry.search").members_matching(
        queryset, parsed=parsed, text=text, fuzzy_names=fuzzy_names
    )


def may_add_fuzzy_names(text: str) -> bool:
    """Whether members_matching_text() would add fuzzy name matches to few results."""
    parsed = parse_search_text(text or "")
    return backend_module("registry.search").may_add_fuzzy_names(parsed=parsed)


def search_time_limit(milliseconds: int | None = None) -> AbstractContextManager[None]:
    """Bound the queries run inside the block; raise SearchTimedOut past it.

    On PostgreSQL the block runs in a transaction with a statement timeout
    (settings.SEARCH_TIMEOUT_MS unless `milliseconds` is given), more memory
    for sorts and no JIT compilation. Elsewhere it does nothing: SQLite
    serves development only. Evaluate every queryset inside the block.
    """
    return backend_module("registry.search").search_time_limit(milliseconds)


def is_ranked(queryset: QuerySet[Member]) -> bool:
    """Whether members_matching_text() gave the queryset a relevance rank."""
    return RANK_ALIAS in queryset.query.annotations


def member_order(queryset: QuerySet[Member]) -> list:
    """Order of the queryset's members in results: best match first, then by name.

    Only PostgreSQL ranks (ts_rank, then fuzzy name similarity); the
    portable backend has no relevance measure and lists by name.
    """
    order = [F("name_key").asc(), F("id").asc()]
    return [F(RANK_ALIAS).desc(), *order] if is_ranked(queryset) else order


@dataclass(frozen=True)
class MemberFilters:
    """What the staff search, its export and export_specialists filter on.

    Taxonomy values are ids. Broad field and subfield mean the member's
    primary subfield, the one members are grouped and counted under.
    `statuses` empty means every status.
    """

    text: str = ""
    field_id: int | None = None
    subfield_id: int | None = None
    cluster_id: int | None = None
    country: str = ""
    sector: str = ""
    engagement_type_id: int | None = None
    sdg_id: int | None = None
    qualification: str = ""
    career_stage: str = ""
    statuses: tuple[str, ...] = CONFIRMED_STATUSES
    # A registry.selectors.freshness.Freshness value; empty: fresh and stale.
    freshness: str = ""


def _has_related(relation: str, target: str, target_id: int) -> Exists:
    through = Member._meta.get_field(relation).remote_field.through
    return Exists(through.objects.filter(member_id=OuterRef("pk"), **{f"{target}_id": target_id}))


def members_filtered(
    queryset: QuerySet[Member], filters: MemberFilters, *, fuzzy_names: bool | None = None
) -> QuerySet[Member]:
    """Apply the filters to a queryset of members (no ordering).

    `fuzzy_names`: see members_matching_text().
    """
    if filters.statuses:
        queryset = queryset.filter(status__in=filters.statuses)
    if filters.field_id:
        queryset = queryset.filter(primary_subfield__field_id=filters.field_id)
    if filters.subfield_id:
        queryset = queryset.filter(primary_subfield_id=filters.subfield_id)
    for value, name in (
        (filters.country, "country"),
        (filters.sector, "sector"),
        (filters.qualification, "highest_qualification"),
        (filters.career_stage, "career_stage"),
    ):
        if value:
            queryset = queryset.filter(**{name: value})
    # EXISTS rather than joins: a member never appears twice.
    for value, relation, target in (
        (filters.cluster_id, "clusters", "expertisecluster"),
        (filters.engagement_type_id, "engagement_types", "engagementtype"),
        (filters.sdg_id, "sdgs", "sdg"),
    ):
        if value:
            queryset = queryset.filter(_has_related(relation, target, value))
    queryset = members_with_freshness(queryset, filters.freshness)
    return members_matching_text(queryset, filters.text, fuzzy_names=fuzzy_names)


def members_search(
    *, user, filters: MemberFilters, fuzzy_names: bool | None = None
) -> QuerySet[Member]:
    """The members `user` may see that match the filters (no ordering).

    `fuzzy_names`: see members_matching_text().
    """
    return members_filtered(members_visible_to(user), filters, fuzzy_names=fuzzy_names)
