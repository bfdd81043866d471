from datetime import timedelta

import pytest
from django.utils import timezone

from registry.models import Member
from registry.selectors.freshness import members_fresh, members_stale
from registry.services.freshness import freshness_prompts_send, member_confirm_still_current
from registry.services.registration import member_confirm_email
from registry.tokens import (
    CONFIRM,
    STILL_CURRENT,
    UPDATE,
    LinkInvalid,
    link_token_make,
    member_for_link,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _confirmed(member, *, days_ago: int, **fields) -> Member:
    Member.objects.filter(pk=member.pk).update(
        last_confirmed_at=NOW - timedelta(days=days_ago), **fields
    )
    member.refresh_from_db()
    return member


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the prompts at a time; returns the counts and the e-mails queued."""

    def run(now=NOW):
        sent = []
        with django_capture_on_commit_callbacks(execute=True):
            counts = freshness_prompts_send(
                send=lambda pk, reminder: sent.append((pk, reminder)), now=now
            )
        return counts, sent

    return run


def test_member_last_confirmed_a_year_ago_is_prompted_once(run, make_member, settings):
    settings.FRESHNESS_DAYS = 365
    due = _confirmed(make_member(), days_ago=366)
    _confirmed(make_member(), days_ago=300)

    counts, sent = run()
    again, sent_again = run()

    assert counts == {"prompted": 1, "reminded": 0, "marked_stale": 0}
    assert sent == [(due.pk, False)]
    assert again == {"prompted": 0, "reminded": 0, "marked_stale": 0}
    assert sent_again == []
    due.refresh_from_db()
    assert due.freshness_prompted_at == NOW


def test_members_without_a_confirmation_date_count_from_registration(run, make_member):
    member = make_member()
    Member.objects.filter(pk=member.pk).update(
        last_confirmed_at=None, created_at=NOW - timedelta(days=400)
    )

    assert run()[1] == [(member.pk, False)]


@pytest.mark.parametrize(
    "status", [Member.Status.UNCONFIRMED, Member.Status.REJECTED, Member.Status.DUPLICATE]
)
def test_only_confirmed_members_are_prompted(run, make_member, status):
    _confirmed(make_member(status=status), days_ago=800)
    assert run()[0]["prompted"] == 0


def test_reminder_after_30_days_then_stale_after_60(run, make_member):
    member = _confirmed(make_member(), days_ago=400)
    run(NOW)

    assert run(NOW + timedelta(days=29))[0]["reminded"] == 0
    counts, sent = run(NOW + timedelta(days=31))
    assert counts["reminded"] == 1 and sent == [(member.pk, True)]
    assert run(NOW + timedelta(days=32))[0]["reminded"] == 0

    assert run(NOW + timedelta(days=59))[0]["marked_stale"] == 0
    assert run(NOW + timedelta(days=61))[0]["marked_stale"] == 1
    member.refresh_from_db()
    assert member.stale_since == NOW + timedelta(days=61)
    assert list(members_stale(Member.objects.all())) == [member]
    assert list(members_fresh(Member.objects.all())) == []
    assert run(NOW + timedelta(days=62))[0] == {"prompted": 0, "reminded": 0, "marked_stale": 0}


def test_answering_still_current_clears_stale_and_keeps_the_other_links(make_member):
    member = _confirmed(
        make_member(),
        days_ago=500,
        freshness_prompted_at=NOW - timedelta(days=70),
        stale_since=NOW - timedelta(days=5),
    )
    update_token = link_token_make(member=member, kind=UPDATE)
    token = link_token_make(member=member, kind=STILL_CURRENT)

    member_confirm_still_current(token=token, now=NOW)
    member_confirm_still_current(token=token, now=NOW)

    member.refresh_from_db()
    assert member.last_confirmed_at == NOW
    assert (member.freshness_prompted_at, member.stale_since) == (None, None)
    assert member_for_link(token=update_token, kind=UPDATE) == member


def test_still_current_link_of_another_purpose_is_refused(make_member):
    member = make_member()
    with pytest.raises(LinkInvalid):
        member_confirm_still_current(token=link_token_make(member=member, kind=UPDATE))


def test_confirming_the_address_counts_as_confirming_the_profile(make_member):
    member = make_member(status=Member.Status.UNCONFIRMED)
    assert member.last_confirmed_at is None

    member_confirm_email(token=link_token_make(member=member, kind=CONFIRM), now=NOW)

    member.refresh_from_db()
    assert member.last_confirmed_at == NOW
