"""Stored rankings: every member ranked for an opportunity, in a task, the best kept.

The opportunity page reads them to score a few members instead of all
(outreach.selectors.ranking, docs/matching.md). Saving an opportunity asks
for a ranking; so does the page when its ranking is missing, made for other
wishes or older than RANKING_MAX_AGE (the members changed since are scored
live, so an older ranking stays exact, only slower to read). A request
already waiting for the worker is not repeated.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from outreach.models import Opportunity, OpportunityRanking
from outreach.selectors.matching import (
    members_rankable,
    members_ranked,
    opportunity_wanted,
    wishes_key,
)
from registry.models import Member
from registry.search.filters import search_time_limit

# How many of the best candidates are kept: enough for the page's 50 after
# the staff filters, a Mission's scope and the invitations have taken theirs.
RANKING_KEPT = 1000
RANKING_MAX_AGE = timedelta(days=1)
# A request the worker has not served after this long is made again.
REQUEST_PATIENCE = timedelta(hours=1)
# Ranking every member takes seconds at a million members; a task may wait.
RANKING_TASK_TIMEOUT_MS = 300_000


def opportunity_ranking_store(*, opportunity: Opportunity) -> OpportunityRanking:
    """Rank every member for the opportunity and store the best RANKING_KEPT.

    Whatever their Mission, freshness or opt-out: the page checks those when
    it reads the ranking, since they change without the member's profile.
    """
    wanted = opportunity_wanted(opportunity)
    started = timezone.now()
    members = members_rankable(Member.objects.all(), opportunity=opportunity, wanted=wanted)
    with search_time_limit(RANKING_TASK_TIMEOUT_MS):
        ids = list(members_ranked(members, wanted).values_list("pk", flat=True)[:RANKING_KEPT])
    ranking, _created = OpportunityRanking.objects.update_or_create(
        opportunity=opportunity,
        defaults={
            "wishes": wishes_key(wanted),
            "member_ids": ids,
            "complete": len(ids) < RANKING_KEPT,
            "ranked_at": started,
        },
    )
    return ranking


def opportunity_ranking_run(*, opportunity_id: int) -> bool:
    """The task's work: rank the opportunity unless it needs no ranking now.

    Not when it is gone or closed, nor when a ranking for its current wishes
    started after the request (several requests, one ranking). Returns
    whether it ranked.
    """
    opportunity = Opportunity.objects.filter(pk=opportunity_id).first()
    if opportunity is None or opportunity.is_closed:
        return False
    ranking = OpportunityRanking.objects.filter(opportunity=opportunity).first()
    if ranking is not None and ranking.ranked_at is not None:
        served = ranking.requested_at is None or ranking.ranked_at >= ranking.requested_at
        if served and ranking.wishes == wishes_key(opportunity_wanted(opportunity)):
            return False
    opportunity_ranking_store(opportunity=opportunity)
    return True


def _enqueue(opportunity_id: int) -> None:
    from outreach.tasks import opportunity_rank

    opportunity_rank.enqueue(opportunity_id=opportunity_id)


@transaction.atomic
def opportunity_ranking_request(*, opportunity: Opportunity, now: datetime | None = None) -> bool:
    """Queue a ranking of the opportunity, unless one is already waiting for the worker."""
    now = now or timezone.now()
    ranking, _created = OpportunityRanking.objects.select_for_update().get_or_create(
        opportunity=opportunity
    )
    waiting = ranking.requested_at is not None and (
        ranking.ranked_at is None or ranking.requested_at > ranking.ranked_at
    )
    if waiting and now - ranking.requested_at < REQUEST_PATIENCE:
        return False
    ranking.requested_at = now
    ranking.save(update_fields=["requested_at"])
    transaction.on_commit(lambda: _enqueue(opportunity.pk))
    return True


def opportunity_ranking_refresh(*, opportunity: Opportunity, now: datetime | None = None) -> bool:
    """Ask for a ranking when the stored one is missing, for other wishes or old."""
    now = now or timezone.now()
    ranking = OpportunityRanking.objects.filter(opportunity=opportunity).first()
    current = (
        ranking is not None
        and ranking.ranked_at is not None
        and now - ranking.ranked_at < RANKING_MAX_AGE
        and ranking.wishes == wishes_key(opportunity_wanted(opportunity))
    )
    return False if current else opportunity_ranking_request(opportunity=opportunity, now=now)
