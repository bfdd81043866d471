"""Review decisions: verify, reject, mark as duplicate, return to review."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from registry.models import Member
from registry.services.review import (
    member_mark_duplicate,
    member_reject,
    member_return_to_submitted,
    member_verify,
)

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


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
