"""The stored ranking: the page's matches from it are exactly those of ranking every member."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from outreach.models import Invitation, Opportunity, OpportunityRanking
from outreach.selectors import ranking as ranking_selectors
from outreach.selectors.matching import members_ranked
from outreach.selectors.ranking import opportunity_matches
from outreach.services import ranking as ranking_services
from outreach.services.opportunities import opportunity_save
from outreach.services.ranking import (
    opportunity_ranking_refresh,
    opportunity_ranking_request,
    opportunity_ranking_run,
    opportunity_ranking_store,
)
from outreach.tokens import invitation_key_new
from registry.models import Member, Sdg
from registry.search.filters import MemberFilters
from registry.services.members import member_update
from tests.factories import make_mission
from tests.outreach.conftest import opportunity_data

SHOWN = 8
CODES = ["1.3", "1.2", "2.2", "5.1"]
WORDS = ["accelerator physics", "beam optics", "climate", "data", "energy"]


@pytest.fixture
def network(invitable, subfield):
    """60 members drawn with a fixed seed: every mix of topics, ties in names."""
    rng = random.Random(7)
    sdgs = list(Sdg.objects.filter(number__in=[4, 7, 13]))
    for n in range(60):
        primary, *others = rng.sample(CODES, 3)
        invitable(
            full_name=f"{rng.choice(['Ali', 'Bea', 'Chen'])} Member {n % 7}",
            primary_subfield=subfield(primary),
            subfields=[subfield(code) for code in others[: rng.randint(0, 2)]],
            sdgs=rng.sample(sdgs, rng.randint(0, 2)),
            keywords=", ".join(rng.sample(WORDS, rng.randint(0, 3))),
            willing_to_visit=rng.random() < 0.5,
            hours_per_month=rng.choice([None, 5, 10, 20, 40]),
            country=rng.choice(["GB", "DE"]),
        )
    # Registered long before the ranking: not changed since.
    Member.objects.update(updated_at=timezone.now() - timedelta(days=1))


@pytest.fixture
def wide(make_opportunity, subfield):
    return make_opportunity(
        subfields=[subfield("1.3"), subfield("1.2")],
        sdgs=list(Sdg.objects.filter(number__in=[4, 7])),
        keywords="accelerator physics, climate, data",
        mode=Opportunity.Mode.EITHER,
    )


@pytest.fixture
def kept(monkeypatch):
    """Keep this many candidates in stored rankings (fewer than the network's)."""

    def keep(count: int):
        monkeypatch.setattr(ranking_services, "RANKING_KEPT", count)

    keep(20)
    return keep


@pytest.fixture
def paths(monkeypatch):
    """How each ranking ran: "stored" (the kept members) or "live" (every member)."""
    seen = []

    def spy(members, wanted, *, per_row=False):
        seen.append("stored" if per_row else "live")
        return members_ranked(members, wanted, per_row=per_row)

    monkeypatch.setattr(ranking_selectors, "members_ranked", spy)
    return seen


def _listed(matches):
    return [(m.member.pk, m.score, m.reasons) for m in matches]


def _stored_and_live(user, opportunity, paths, **kwargs):
    """The matches read through the stored ranking, then those of ranking every member."""
    paths.clear()
    stored = _listed(opportunity_matches(user=user, opportunity=opportunity, **kwargs))
    how = list(paths)
    ranking = OpportunityRanking.objects.get(opportunity=opportunity)
    OpportunityRanking.objects.filter(pk=ranking.pk).update(ranked_at=None)
    live = _listed(opportunity_matches(user=user, opportunity=opportunity, **kwargs))
    OpportunityRanking.objects.filter(pk=ranking.pk).update(ranked_at=ranking.ranked_at)
    return stored, live, how


def test_stored_ranking_gives_the_order_of_ranking_every_member(
    network, wide, kept, analyst, paths
):
    ranking = opportunity_ranking_store(opportunity=wide)
    assert len(ranking.member_ids) == 20 and not ranking.complete
    stored, live, how = _stored_and_live(analyst, wide, paths, limit=SHOWN)
    assert how == ["stored"]
    assert len(stored) == SHOWN
    assert stored == live
    assert [pk for pk, _score, _reasons in stored] == ranking.member_ids[:SHOWN]


def test_members_changed_since_the_ranking_are_scored_again(
    network, wide, kept, analyst, paths, invitable, subfield
):
    ranking = opportunity_ranking_store(opportunity=wide)
    newcomer = invitable(
        full_name="Newcomer",
        primary_subfield=subfield("1.3"),
        subfields=[subfield("1.2")],
        sdgs=list(Sdg.objects.filter(number__in=[4, 7])),
        keywords="accelerator physics, climate, data",
        willing_to_visit=True,
        hours_per_month=40,
    )
    first = Member.objects.get(pk=ranking.member_ids[0])
    member_update(
        member=first,
        data={"keywords": "", "subfields": [], "sdgs": [], "primary_subfield": subfield("5.1")},
    )
    stored, live, how = _stored_and_live(analyst, wide, paths, limit=SHOWN)
    assert how == ["stored"]
    assert stored == live
    assert stored[0][0] == newcomer.pk
    assert first.pk not in [pk for pk, _score, _reasons in stored]


def test_stored_ranking_leaves_out_who_may_not_be_invited_now(network, wide, kept, staff, paths):
    ranking = opportunity_ranking_store(opportunity=wide)
    invited, opted, stale = ranking.member_ids[:3]
    Invitation.objects.create(opportunity=wide, member_id=invited, key=invitation_key_new())
    # Neither answer changes the member's profile, nor its updated_at.
    Member.objects.filter(pk=opted).update(invitations_opted_out_at=timezone.now())
    Member.objects.filter(pk=stale).update(stale_since=timezone.now())
    user = staff("analyst", mission=make_mission(countries=("GB",)))
    stored, live, how = _stored_and_live(user, wide, paths, limit=3)
    assert how == ["stored"]
    assert stored == live
    shown = Member.objects.filter(pk__in=[pk for pk, _score, _reasons in stored])
    assert {m.country for m in shown} == {"GB"}
    assert not {invited, opted, stale} & {m.pk for m in shown}


def test_too_few_kept_candidates_left_ranks_every_member(network, wide, kept, analyst, paths):
    kept(5)
    opportunity_ranking_store(opportunity=wide)
    filters = MemberFilters(country="DE")
    stored, live, how = _stored_and_live(analyst, wide, paths, limit=SHOWN, filters=filters)
    assert how == ["stored", "live"]
    assert stored == live
    assert len(stored) == SHOWN


def test_a_ranking_stored_for_other_wishes_is_not_read(network, wide, kept, analyst, paths):
    opportunity_ranking_store(opportunity=wide)
    opportunity_save(
        user=analyst,
        opportunity=wide,
        data={"keywords": "energy", "subfields": [], "sdgs": []},
    )
    stored, live, how = _stored_and_live(analyst, wide, paths, limit=SHOWN)
    assert how == ["live"]
    assert stored == live


def test_reading_the_stored_ranking_takes_a_constant_number_of_queries(
    network, wide, kept, analyst, invitable
):
    opportunity_ranking_store(opportunity=wide)

    def count():
        with CaptureQueriesContext(connection) as queries:
            opportunity_matches(user=analyst, opportunity=wide, limit=SHOWN)
        return len(queries)

    count()  # The user's permissions and scope are read once, then kept.
    few = count()
    for _ in range(5):
        invitable(keywords="climate, data")
    assert count() == few


def test_saving_an_opportunity_ranks_it_in_a_task(
    invitable, make_opportunity, django_capture_on_commit_callbacks
):
    fit, other = invitable(full_name="Fit"), invitable(full_name="Other", keywords="")
    with django_capture_on_commit_callbacks(execute=True):
        opportunity = make_opportunity()
    ranking = OpportunityRanking.objects.get(opportunity=opportunity)
    assert ranking.member_ids == [fit.pk, other.pk]
    assert ranking.complete and ranking.ranked_at >= ranking.requested_at
    # A second request for the same wishes finds it served.
    assert opportunity_ranking_run(opportunity_id=opportunity.pk) is False


def test_a_request_waiting_for_the_worker_is_not_repeated(opportunity):
    # Saving the opportunity asked for a ranking; no worker ran it yet.
    requested = OpportunityRanking.objects.get(opportunity=opportunity).requested_at
    assert requested is not None
    now = requested + timedelta(minutes=5)
    assert not opportunity_ranking_request(opportunity=opportunity, now=now)
    # A request lost on the way is made again.
    assert opportunity_ranking_request(opportunity=opportunity, now=now + timedelta(hours=2))


def test_the_page_asks_for_a_missing_or_old_ranking(opportunity, invitable):
    invitable()
    OpportunityRanking.objects.all().delete()
    assert opportunity_ranking_refresh(opportunity=opportunity)
    assert opportunity_ranking_run(opportunity_id=opportunity.pk)
    assert not opportunity_ranking_refresh(opportunity=opportunity)
    later = timezone.now() + timedelta(days=2)
    assert opportunity_ranking_refresh(opportunity=opportunity, now=later)


def test_closed_opportunities_are_not_ranked(make_opportunity, invitable):
    invitable()
    closed = make_opportunity(**{**opportunity_data(), "status": Opportunity.Status.CLOSED})
    assert opportunity_ranking_run(opportunity_id=closed.pk) is False
    assert not OpportunityRanking.objects.filter(opportunity=closed, ranked_at__isnull=False)
