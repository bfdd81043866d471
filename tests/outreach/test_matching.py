from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from outreach.models import Invitation
from outreach.selectors.matching import (
    POINTS_KEYWORD,
    POINTS_PRIMARY_SUBFIELD,
    POINTS_SDG,
    POINTS_TRAVEL,
)
from outreach.selectors.ranking import opportunity_matches
from outreach.tokens import invitation_key_new
from registry.models import Member, Sdg
from registry.search.filters import MemberFilters
from registry.selectors.freshness import Freshness
from tests.factories import make_mission


def _names(matches):
    return [m.member.full_name for m in matches]


def test_ranking_orders_by_score_and_explains_each_point(invitable, opportunity, analyst, subfield):
    best = invitable(
        full_name="Best Fit",
        willing_to_visit=True,
        hours_per_month=20,
        sdgs=[Sdg.objects.get(number=4)],
    )
    invitable(full_name="Keyword Only", primary_subfield=subfield("1.2"))
    invitable(full_name="Another Fit")
    matches = opportunity_matches(user=analyst, opportunity=opportunity)
    assert _names(matches) == ["Best Fit", "Another Fit", "Keyword Only"]
    top = matches[0]
    assert top.member == best
    expected = POINTS_PRIMARY_SUBFIELD + POINTS_SDG + POINTS_KEYWORD + POINTS_TRAVEL + 2
    assert top.score == expected
    assert sum(points for _label, points in top.reasons) == top.score
    labels = " ".join(label for label, _points in top.reasons)
    assert "Main subfield" in labels and "SDG" in labels and "accelerator physics" in labels
    assert "Willing to travel" in labels and "20 hours per month" in labels


def test_ranking_reasons_name_the_taxonomy_in_the_active_language(invitable, opportunity, analyst):
    invitable(full_name="Best Fit", sdgs=[Sdg.objects.get(number=4)])
    with translation.override("ur"):
        top = opportunity_matches(user=analyst, opportunity=opportunity)[0]
    labels = " ".join(label for label, _points in top.reasons)
    assert "1.3 طبیعیاتی علوم" in labels
    assert "SDG 4: معیاری تعلیم" in labels


def test_only_invitable_members_are_candidates(invitable, opportunity, staff):
    mission = make_mission(countries=("DE",))
    user = staff("analyst", mission=mission)
    invitable(full_name="In Scope", country="DE")
    invitable(full_name="Out Of Scope", country="GB")
    invitable(full_name="Submitted", country="DE", status=Member.Status.SUBMITTED)
    invitable(full_name="No Contact", country="DE", consent_contact=False)
    opted = invitable(full_name="Opted Out", country="DE")
    Member.objects.filter(pk=opted.pk).update(invitations_opted_out_at="2026-01-01T00:00Z")
    invited = invitable(full_name="Invited", country="DE")
    Invitation.objects.create(opportunity=opportunity, member=invited, key=invitation_key_new())
    assert _names(opportunity_matches(user=user, opportunity=opportunity)) == ["In Scope"]


def test_refine_with_the_staff_search_filters(invitable, opportunity, analyst):
    invitable(full_name="In Germany", country="DE")
    invitable(full_name="In Britain", country="GB")
    matches = opportunity_matches(
        user=analyst, opportunity=opportunity, filters=MemberFilters(country="DE")
    )
    assert _names(matches) == ["In Germany"]


def test_stale_members_are_left_out_unless_the_filters_ask_for_them(
    invitable, opportunity, analyst
):
    invitable(full_name="Current")
    stale = invitable(full_name="Stale One")
    Member.objects.filter(pk=stale.pk).update(stale_since="2026-01-01T00:00Z")
    assert _names(opportunity_matches(user=analyst, opportunity=opportunity)) == ["Current"]
    asked = MemberFilters(freshness=Freshness.STALE)
    matches = opportunity_matches(user=analyst, opportunity=opportunity, filters=asked)
    assert _names(matches) == ["Stale One"]


def test_ranking_is_deterministic_and_ties_go_by_name(invitable, opportunity, analyst):
    for name in ["Zed Same", "Abe Same", "Kim Same"]:
        invitable(full_name=name)
    first = _names(opportunity_matches(user=analyst, opportunity=opportunity))
    assert first == ["Abe Same", "Kim Same", "Zed Same"]
    assert _names(opportunity_matches(user=analyst, opportunity=opportunity)) == first


def test_ranking_reads_a_constant_number_of_queries(invitable, opportunity, analyst):
    invitable()

    def count():
        with CaptureQueriesContext(connection) as queries:
            opportunity_matches(user=analyst, opportunity=opportunity)
        return len(queries)

    count()  # The user's permissions and scope are read once, then kept.
    few = count()
    for _ in range(5):
        invitable(sdgs=[Sdg.objects.get(number=4)])
    assert count() == few
