"""The ranked matches an opportunity page shows, and why (docs/matching.md).

Ranking every member reads the whole member table: seconds at a million
members. So a task ranks every member when the opportunity is saved and
keeps the best (outreach.services.ranking), and the page scores again,
live, only those members and the members whose profile changed since. That
is the exact ranking whenever enough of the kept members are still
candidates and unchanged: every member the task did not keep ranked below
each of them then, and still does, since nothing it is scored on changed.
When that cannot be shown (filters or invitations leave too few of them,
the wishes changed, no ranking stored yet), every member is ranked live.
"""

from dataclasses import replace
from datetime import timedelta

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from outreach.models import Opportunity, OpportunityRanking
from outreach.selectors.matching import (
    Match,
    Wanted,
    keyword_flags,
    match_reasons,
    members_eligible,
    members_ranked,
    opportunity_wanted,
    wishes_key,
)
from registry.search.filters import MemberFilters, members_filtered, search_time_limit
from registry.selectors.freshness import Freshness
from registry.selectors.members import members_visible_to

MATCHES_SHOWN = 50
# A ranking running this long is cancelled (SearchTimedOut) rather than
# holding a server worker; far beyond any ranking the page should need.
RANKING_TIMEOUT_MS = 30_000
# A member saved while the ranking started may carry a time a little
# before it (the time of the save, not of the commit; another server's
# clock): members changed this long before the ranking count as changed.
CHANGED_BEFORE = timedelta(minutes=10)
# Nor can a change carry a time much after now; later times (imported or
# generated data) are not changes made since the ranking.
CHANGED_AFTER = timedelta(minutes=1)


def _stored_top(
    *, opportunity: Opportunity, wanted: Wanted, candidates: QuerySet, limit: int
) -> list[tuple[int, int]] | None:
    """The best `limit` (id, score) among `candidates` from the stored ranking, or None.

    None when the stored ranking cannot tell the exact answer.
    """
    stored = OpportunityRanking.objects.filter(opportunity_id=opportunity.pk).first()
    if stored is None or stored.ranked_at is None or stored.wishes != wishes_key(wanted):
        return None
    changed = Q(
        updated_at__range=(stored.ranked_at - CHANGED_BEFORE, timezone.now() + CHANGED_AFTER)
    )
    rows = (
        members_ranked(
            candidates.filter(Q(pk__in=stored.member_ids) | changed), wanted, per_row=True
        )
        .annotate(_changed=ExpressionWrapper(changed, output_field=BooleanField()))
        .values_list("pk", "match_score", "_changed")
    )
    kept = set(stored.member_ids)
    top, unchanged = [], 0
    for pk, score, is_changed in rows:
        if len(top) < limit:
            top.append((pk, score))
        if pk in kept and not is_changed:
            unchanged += 1
    # Every member not kept (nor changed) ranks below each unchanged kept one.
    return top if stored.complete or unchanged >= limit else None


def opportunity_matches(
    *,
    user,
    opportunity: Opportunity,
    filters: MemberFilters | None = None,
    limit: int = MATCHES_SHOWN,
) -> list[Match]:
    """The best `limit` candidates for the opportunity that `user` may invite, explained.

    `filters`: the staff search filters, to narrow the candidates; their
    status filter is ignored (only verified members are candidates).
    """
    wanted = opportunity_wanted(opportunity)
    # Stale members only when the filters ask for them.
    include_stale = filters is not None and filters.freshness == Freshness.STALE
    candidates = members_eligible(
        user=user, opportunity=opportunity, wanted=wanted, include_stale=include_stale
    )
    if filters is not None:
        candidates = members_filtered(candidates, replace(filters, statuses=()), fuzzy_names=False)
    # The search page's session settings: memory for the sets, no JIT.
    with search_time_limit(RANKING_TIMEOUT_MS):
        top = _stored_top(
            opportunity=opportunity, wanted=wanted, candidates=candidates, limit=limit
        )
        if top is None:
            # Ranking sorts narrow rows; only the rows shown are read whole.
            top = list(members_ranked(candidates, wanted).values_list("pk", "match_score")[:limit])
        # Read through the staff gate too, though the ids come from it.
        rows = (
            members_visible_to(user)
            .select_related("primary_subfield")
            .annotate(**keyword_flags(wanted))
            .in_bulk([pk for pk, _score in top])
        )
        members = []
        for pk, score in top:
            member = rows[pk]
            member.match_score = score
            members.append(member)
        return match_reasons(members, wanted)
