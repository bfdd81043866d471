import uuid
from datetime import timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from registry.models import Member, PendingRegistration
from registry.services.history import HistoricalMember
from registry.services.retention import RETENTION_RULES, RetentionRule, registry_purge

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _age(member, *, days: int, field: str = "created_at") -> Member:
    Member.objects.filter(pk=member.pk).update(**{field: NOW - timedelta(days=days)})
    member.refresh_from_db()
    return member


def _pending(email: str, *, days: int) -> PendingRegistration:
    return PendingRegistration.objects.create(
        pk=uuid.uuid4(),
        email=email,
        answers={"email": email},
        privacy_notice_version="x",
        key=f"key-{email}-{days}",
        created_at=NOW - timedelta(days=days),
    )


def test_unconfirmed_registration_older_than_the_period_is_erased_like_a_withdrawal(
    make_member, settings, staff
):
    settings.RETENTION_UNCONFIRMED_DAYS = 30
    old = _age(make_member(status=Member.Status.UNCONFIRMED, phone="+44 1"), days=31)
    young = _age(make_member(status=Member.Status.UNCONFIRMED), days=29)
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Member),
        object_id=str(old.pk),
        object_repr=old.full_name,
        action_flag=CHANGE,
        user=staff("focal_point"),
    )
    _pending(old.email, days=2)

    counts = registry_purge(now=NOW)

    assert counts["unconfirmed"] == 1
    old.refresh_from_db()
    assert old.status == Member.Status.WITHDRAWN
    assert (old.full_name, old.email, old.phone) == ("", "", "")
    assert not HistoricalMember.objects.filter(id=old.pk).exists()
    assert not LogEntry.objects.filter(object_id=str(old.pk)).exists()
    assert not PendingRegistration.objects.filter(email__startswith="member").exists()
    young.refresh_from_db()
    assert young.status == Member.Status.UNCONFIRMED and young.full_name


def test_rejected_member_counts_from_the_decision_not_the_registration(make_member, settings):
    settings.RETENTION_REJECTED_DAYS = 365
    decided_long_ago = _age(
        _age(make_member(status=Member.Status.REJECTED), days=800), days=366, field="reviewed_at"
    )
    decided_recently = _age(
        _age(make_member(status=Member.Status.REJECTED), days=800), days=10, field="reviewed_at"
    )

    assert registry_purge(now=NOW)["rejected"] == 1

    assert Member.objects.get(pk=decided_long_ago.pk).status == Member.Status.WITHDRAWN
    assert Member.objects.get(pk=decided_recently.pk).status == Member.Status.REJECTED


def test_rejected_member_without_a_decision_date_counts_from_its_last_change(make_member):
    member = _age(make_member(status=Member.Status.REJECTED), days=400, field="updated_at")
    assert member.reviewed_at is None

    assert registry_purge(now=NOW)["rejected"] == 1


def test_dry_run_counts_and_changes_nothing(make_member):
    member = _age(make_member(status=Member.Status.UNCONFIRMED), days=40)

    assert registry_purge(now=NOW, dry_run=True)["unconfirmed"] == 1

    member.refresh_from_db()
    assert member.status == Member.Status.UNCONFIRMED and member.full_name


def test_purge_is_idempotent(make_member):
    _age(make_member(status=Member.Status.UNCONFIRMED), days=40)
    _age(make_member(status=Member.Status.REJECTED), days=400, field="updated_at")

    first = registry_purge(now=NOW)
    second = registry_purge(now=NOW)

    assert first["unconfirmed"] == first["rejected"] == 1
    assert second == dict.fromkeys(second, 0)


def test_expired_survey_submissions_are_deleted(db):
    _pending("late@example.org", days=8)
    _pending("fresh@example.org", days=1)

    assert registry_purge(now=NOW)["expired_submissions"] == 1

    assert list(PendingRegistration.objects.values_list("email", flat=True)) == [
        "fresh@example.org"
    ]


def test_purge_sends_no_e_mail(make_member, mailoutbox, django_capture_on_commit_callbacks):
    _age(make_member(status=Member.Status.UNCONFIRMED), days=40)

    with django_capture_on_commit_callbacks(execute=True):
        registry_purge(now=NOW)

    assert mailoutbox == []


def test_a_row_changed_after_it_was_listed_is_left_alone(make_member):
    member = _age(make_member(status=Member.Status.UNCONFIRMED), days=40)

    def confirm_first(now):
        # The member confirms between the listing and the erasure.
        Member.objects.filter(pk=member.pk).update(status=Member.Status.SUBMITTED)
        return RETENTION_RULES[0].expired(now)

    listed = list(RETENTION_RULES[0].expired(NOW).values_list("pk", flat=True))
    rule = RetentionRule("unconfirmed", lambda now: confirm_first(now), RETENTION_RULES[0].erase)

    assert listed == [member.pk]
    assert registry_purge(now=NOW, rules=(rule,)) == {"unconfirmed": 0}
    assert Member.objects.get(pk=member.pk).full_name
