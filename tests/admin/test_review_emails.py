"""Decisions told (issue 17): each review decision e-mails the member once."""

import logging

import pytest

from registry.models import Member
from registry.services.decisions import member_decision_email_send
from registry.services.review import member_return_to_submitted, member_verify
from tests.admin.pages import CHANGELIST, review_url
from tests.factories import html_body


@pytest.fixture
def decide(role_client, django_capture_on_commit_callbacks):
    """POST as the focal point, then run what waits for the commit (the task)."""
    client = role_client("focal_point")

    def post(url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {})

    return post


def test_verifying_sends_a_welcome_with_what_next_and_how_to_update_or_leave(
    decide, make_member, mailoutbox
):
    member = make_member(email="nadia@example.org", full_name="Nadia Rahman")

    assert decide(review_url(member, "verify")).status_code == 302

    (message,) = mailoutbox
    assert message.to == ["nadia@example.org"]
    assert message.subject == "Welcome to DORIN: your profile is verified"
    assert message.body.startswith("Dear Nadia Rahman,")
    assert "What happens next" in message.body
    assert "http://testserver/profile/" in message.body
    assert 'href="http://testserver/profile/"' in html_body(message)


def test_rejecting_without_the_tick_keeps_the_reason_in_house(decide, make_member, mailoutbox):
    member = make_member(email="nadia@example.org")

    decide(review_url(member, "reject"), {"apply": "1", "reason": "Looks like a bot entry"})

    (message,) = mailoutbox
    assert message.subject == "Your DORIN registration"
    assert "not able to include it" in message.body
    assert "Looks like a bot entry" not in message.body + html_body(message)
    assert Member.objects.get(pk=member.pk).review_reason == "Looks like a bot entry"


def test_rejecting_with_the_tick_sends_the_reason(decide, make_member, mailoutbox):
    member = make_member(email="nadia@example.org")

    decide(
        review_url(member, "reject"),
        {"apply": "1", "reason": "Not part of the <diaspora> network", "send_reason": "on"},
    )

    (message,) = mailoutbox
    assert "Not part of the <diaspora> network" in message.body
    assert "Not part of the &lt;diaspora&gt; network" in html_body(message)


def test_marking_a_duplicate_tells_only_that_address_that_the_other_is_kept(
    decide, make_member, mailoutbox
):
    original = make_member(email="original@example.org", full_name="Hamza Rizvi")
    copy = make_member(email="copy@example.org", full_name="Hamza Rizvi")

    decide(review_url(copy, "duplicate"), {"apply": "1", "original": original.pk})

    (message,) = mailoutbox
    assert message.to == ["copy@example.org"]
    assert "other profile is kept" in message.body
    assert "original@example.org" not in message.body + html_body(message)


def test_bulk_decisions_send_each_member_exactly_one_e_mail(decide, make_member, mailoutbox):
    members = [make_member(email=f"person{n}@example.org") for n in range(3)]
    ids = [m.pk for m in members]

    decide(CHANGELIST, {"action": "verify_selected", "_selected_action": ids})
    decide(
        CHANGELIST,
        {
            "action": "reject_selected",
            "_selected_action": ids,
            "apply": "1",
            "reason": "Changed our mind",
        },
    )

    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [f"person{n}@example.org" for n in range(3)] * 2
    )
    assert [m.subject for m in mailoutbox].count("Your DORIN registration") == 3


def test_returning_to_review_sends_nothing(decide, make_member, mailoutbox):
    member = make_member(status=Member.Status.VERIFIED)
    decide(review_url(member, "submitted"))
    assert mailoutbox == []


def test_a_failing_mail_server_never_gives_a_500(decide, make_member, settings, caplog):
    settings.EMAIL_BACKEND = "tests.admin.test_review_emails.FailingBackend"
    member = make_member(email="nadia@example.org")

    with caplog.at_level(logging.ERROR, logger="registry.mail"):
        response = decide(review_url(member, "verify"))

    assert response.status_code == 302
    assert Member.objects.get(pk=member.pk).status == Member.Status.VERIFIED
    assert "'decision_verified' e-mail could not be sent" in caplog.text
    assert "nadia@example.org" not in caplog.text


def test_a_decision_undone_before_the_e_mail_goes_sends_nothing(make_member, staff, mailoutbox):
    member = make_member(email="nadia@example.org")
    focal = staff("focal_point")
    member_verify(member=member, by=focal)
    member_return_to_submitted(member=member, by=focal)

    sent = member_decision_email_send(
        member_id=member.pk, status=Member.Status.VERIFIED, share_reason=False, base_url=""
    )

    assert sent is False
    assert mailoutbox == []


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("The mail server is down")
