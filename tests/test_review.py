"""Review services, possible duplicates and the members' audit history."""

from datetime import UTC, datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from registry.models import Member
from registry.selectors.review import members_possibly_duplicating
from registry.services.history import (
    HistoricalMember,
    member_history_ensure_baseline,
    member_history_erase,
)
from registry.services.members import member_update
from registry.services.review import (
    member_mark_duplicate,
    member_reject,
    member_return_to_submitted,
    member_verify,
)

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
VALID_ORCID = "0000-0002-1825-0097"


@pytest.fixture
def reviewer(db):
    return User.objects.create_user("reviewer", "reviewer@ministry.example", is_staff=True)


def _latest(member):
    return member.history.order_by("-history_date", "-history_id").first()


def test_verify_records_status_reviewer_time_and_history(member, reviewer):
    member_verify(member=member, by=reviewer, now=NOW)

    member.refresh_from_db()
    assert member.status == Member.Status.VERIFIED
    assert member.reviewed_by == reviewer
    assert member.reviewed_at == NOW
    latest = _latest(member)
    assert latest.status == Member.Status.VERIFIED
    assert latest.history_user == reviewer
    assert latest.history_change_reason == "Verified"
    changes = {c.field: (c.old, c.new) for c in latest.diff_against(latest.prev_record).changes}
    assert changes["status"] == (Member.Status.SUBMITTED, Member.Status.VERIFIED)


def test_reject_keeps_the_reason_and_requires_one(member, reviewer):
    with pytest.raises(ValidationError):
        member_reject(member=member, by=reviewer, reason="   ")
    member.refresh_from_db()
    assert member.status == Member.Status.SUBMITTED

    member_reject(member=member, by=reviewer, reason="Not part of the diaspora.", now=NOW)

    member.refresh_from_db()
    assert (member.status, member.review_reason, member.reviewed_by, member.reviewed_at) == (
        Member.Status.REJECTED,
        "Not part of the diaspora.",
        reviewer,
        NOW,
    )
    assert _latest(member).review_reason == "Not part of the diaspora."


def test_mark_duplicate_points_to_the_original_and_merges_nothing(make_member, reviewer):
    original = make_member(full_name="Amna Siddiqui", keywords="oncology")
    copy = make_member(full_name="Amna Siddiqui", keywords="radiotherapy")

    member_mark_duplicate(member=copy, by=reviewer, original=original, now=NOW)

    copy.refresh_from_db()
    original.refresh_from_db()
    assert copy.status == Member.Status.DUPLICATE
    assert copy.duplicate_of == original
    assert copy.keywords == "radiotherapy"
    assert original.status == Member.Status.SUBMITTED
    assert _latest(copy).duplicate_of_id == original.pk


def test_mark_duplicate_refuses_itself_and_another_duplicate(make_member, reviewer):
    first, second, third = make_member(), make_member(), make_member()
    with pytest.raises(ValidationError):
        member_mark_duplicate(member=first, by=reviewer, original=first)
    member_mark_duplicate(member=second, by=reviewer, original=first)
    with pytest.raises(ValidationError):
        member_mark_duplicate(member=third, by=reviewer, original=second)
    third.refresh_from_db()
    assert third.status == Member.Status.SUBMITTED


def test_return_to_submitted_clears_the_decision(make_member, reviewer):
    original, member = make_member(), make_member()
    member_mark_duplicate(member=member, by=reviewer, original=original)

    member_return_to_submitted(member=member, by=reviewer, now=NOW)

    member.refresh_from_db()
    assert member.status == Member.Status.SUBMITTED
    assert member.duplicate_of is None
    assert member.reviewed_at == NOW
    reasons = list(member.history.values_list("history_change_reason", flat=True))
    assert reasons[:2] == ["Returned to review", "Marked as duplicate"]


@pytest.mark.parametrize(
    ("status", "decide"),
    [
        (Member.Status.UNCONFIRMED, lambda m, by: member_verify(member=m, by=by)),
        (Member.Status.WITHDRAWN, lambda m, by: member_verify(member=m, by=by)),
        (Member.Status.VERIFIED, lambda m, by: member_verify(member=m, by=by)),
        (Member.Status.REJECTED, lambda m, by: member_reject(member=m, by=by, reason="x")),
        (Member.Status.SUBMITTED, lambda m, by: member_return_to_submitted(member=m, by=by)),
    ],
)
def test_decisions_refuse_statuses_they_do_not_apply_to(make_member, reviewer, status, decide):
    member = make_member(status=status)
    with pytest.raises(ValidationError):
        decide(member, reviewer)
    member.refresh_from_db()
    assert member.status == status
    assert member.reviewed_by is None


def test_member_inserted_in_bulk_gets_a_baseline_before_its_first_change(member, reviewer):
    # Rows inserted in bulk (demo data, imports) have no history at all.
    member_history_erase(member=member)
    Member.objects.filter(pk=member.pk).update(updated_at=NOW)
    member = Member.objects.get(pk=member.pk)
    assert not member.history.exists()

    member_verify(member=member, by=reviewer)

    rows = list(member.history.order_by("history_date", "history_id"))
    assert [r.status for r in rows] == [Member.Status.SUBMITTED, Member.Status.VERIFIED]
    assert rows[0].history_user is None
    assert rows[0].history_date == NOW
    assert rows[1].history_user == reviewer
    assert member_history_ensure_baseline(member_id=member.pk) is False


def test_history_keeps_relations_chosen_by_the_member(member, subfield):
    member_update(member=member, data={"subfields": [subfield("1.2"), subfield("2.2")]})

    latest = _latest(member)
    assert {row.subfield.code for row in latest.subfields.all()} == {"1.2", "2.2"}


def test_history_erase_leaves_no_trace_of_past_values(member, make_member, reviewer, subfield):
    other = make_member()
    member_update(member=member, data={"subfields": [subfield("1.2")], "city": "Lahore"})
    member_verify(member=member, by=reviewer)
    member_verify(member=other, by=reviewer)
    LogEntry.objects.log_actions(
        user_id=reviewer.pk, queryset=[member], action_flag=CHANGE, change_message="x"
    )
    relation_model = HistoricalMember.subfields.model
    assert relation_model.objects.filter(member_id=member.pk).exists()

    erased = member_history_erase(member=member)

    assert erased >= 3
    assert not HistoricalMember.objects.filter(id=member.pk).exists()
    assert not relation_model.objects.filter(member_id=member.pk).exists()
    assert HistoricalMember.objects.filter(id=other.pk).exists()
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Member), object_id=str(member.pk)
    )
    assert member.full_name not in entry.object_repr


def test_possible_duplicates_by_orcid_and_by_folded_name_at_same_organisation(make_member):
    member = make_member(full_name="José Núñez", organisation="CERN", orcid=VALID_ORCID)
    same_orcid = make_member(full_name="J. Nunez", organisation="ETH Zürich", orcid=VALID_ORCID)
    same_name = make_member(full_name="jose nunez", organisation="cern")
    make_member(full_name="José Núñez", organisation="IAEA")
    make_member(full_name="Other Person", organisation="CERN")
    make_member(full_name="José Núñez", organisation="CERN", status=Member.Status.WITHDRAWN)

    found = members_possibly_duplicating(member=member, queryset=Member.objects.all())

    by_id = {d.member.pk: [str(r) for r in d.reasons] for d in found}
    assert by_id == {
        same_orcid.pk: ["same ORCID iD"],
        same_name.pk: ["same name at the same organisation"],
    }


def test_possible_duplicates_respect_what_the_user_may_see(make_member):
    member = make_member(full_name="Sana Raza", organisation="IAEA")
    make_member(full_name="Sana Raza", organisation="IAEA")

    assert members_possibly_duplicating(member=member, queryset=Member.objects.none()) == []
