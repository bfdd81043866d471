"""The members' audit history: baselines, relations, erasure."""

from datetime import UTC, datetime

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType

from registry.models import Member
from registry.services.history import (
    HistoricalMember,
    member_history_ensure_baseline,
    member_history_erase,
)
from registry.services.members import member_update
from registry.services.review import member_verify

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def _latest(member):
    return member.history.order_by("-history_date", "-history_id").first()


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
