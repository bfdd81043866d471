import smtplib
from datetime import timedelta

import pytest
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext

from outreach.models import Invitation
from outreach.services.invitations import invitations_create, opportunity_remind
from outreach.services.sending import invitation_send

BASE = "https://dorin.example/"


@pytest.fixture
def invite(analyst, django_capture_on_commit_callbacks):
    def invite(opportunity, members):
        with django_capture_on_commit_callbacks(execute=True):
            invitations_create(
                user=analyst,
                opportunity=opportunity,
                member_ids=[m.pk for m in members],
                base_url=BASE,
            )
        return list(Invitation.objects.filter(opportunity=opportunity).order_by("id"))

    return invite


def test_email_says_who_what_when_with_signed_link_and_one_click_unsubscribe(
    opportunity, invitable, invite, mailoutbox
):
    member = invitable(full_name="Amina Rahman")
    [invitation] = invite(opportunity, [member])
    message = mailoutbox[0]
    assert message.to == [member.email]
    assert "Guest lectures in accelerator physics" in message.subject
    assert "National Centre for Physics" in message.body
    assert "DORIN headquarters" in message.body
    assert opportunity.reply_by.strftime("%Y") in message.body
    html = message.alternatives[0][0]
    assert "https://dorin.example/invitations/" in html
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://dorin.example/invitations/") and unsubscribe.endswith(
        "/stop/>"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.SENT and invitation.sent_at


def test_sending_again_sends_nothing(opportunity, invitable, invite, mailoutbox):
    [invitation] = invite(opportunity, [invitable()])
    assert invitation_send(invitation_id=invitation.pk, base_url=BASE) == "skipped"
    call_command("outreach_send_pending", stdout=None)
    assert len(mailoutbox) == 1


class BrokenBackend(LocmemBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_failing_mail_server_marks_failed_and_retries_with_backoff(
    client,
    analyst,
    opportunity,
    invitable,
    settings,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    settings.EMAIL_BACKEND = "tests.outreach.test_sending.BrokenBackend"
    member = invitable()
    client.force_login(analyst)
    from django.urls import reverse

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("outreach:opportunity_invite", args=[opportunity.pk]), {"member": [member.pk]}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.status == Invitation.Status.FAILED
    assert "SMTPServerDisconnected" in invitation.failure_reason
    first_wait = invitation.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < first_wait <= timedelta(seconds=60)
    page = client.get(reverse("outreach:opportunity_detail", args=[opportunity.pk]))
    assert "SMTPServerDisconnected" in page.content.decode()
    # Not due yet: nothing is tried.
    assert invitation_send(invitation_id=invitation.pk, base_url=BASE) == "skipped"
    later = timezone.now() + timedelta(minutes=2)
    assert invitation_send(invitation_id=invitation.pk, base_url=BASE, now=later) == "failed"
    invitation.refresh_from_db()
    assert invitation.attempts == 2
    assert invitation.next_attempt_at - later == timedelta(seconds=120)
    # The server is back: the retry from the cron command sends it.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Invitation.objects.update(next_attempt_at=timezone.now())
    call_command("outreach_send_pending", stdout=None)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.SENT
    assert len(mailoutbox) == 1


def test_reminder_goes_once_to_those_who_have_not_answered(
    opportunity, invitable, invite, mailoutbox, django_capture_on_commit_callbacks
):
    first, second = invite(opportunity, [invitable(), invitable()])
    Invitation.objects.filter(pk=second.pk).update(status=Invitation.Status.DECLINED)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert opportunity_remind(opportunity=opportunity, base_url=BASE)
    with django_capture_on_commit_callbacks(execute=True):
        assert not opportunity_remind(opportunity=opportunity, base_url=BASE)
    assert [m.to for m in mailoutbox] == [[first.member.email]]
    assert mailoutbox[0].subject.startswith("Reminder:")


def test_reminder_command_for_cron(
    opportunity, invitable, invite, mailoutbox, django_capture_on_commit_callbacks
):
    invite(opportunity, [invitable()])
    mailoutbox.clear()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("outreach_send_reminders", days=30, stdout=None)
    assert len(mailoutbox) == 1


def test_enqueue_writes_invitations_and_one_task(
    opportunity, invitable, analyst, settings, django_capture_on_commit_callbacks
):
    # With the database backend nothing is sent in the request: one task is queued.
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    members = [invitable() for _ in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        count = invitations_create(
            user=analyst, opportunity=opportunity, member_ids=[m.pk for m in members], base_url=BASE
        )
    assert count == 5
    assert DBTaskResult.objects.count() == 1
    assert set(Invitation.objects.values_list("status", flat=True)) == {"queued"}


def test_invitations_are_written_in_each_member_language(
    analyst, opportunity, invitable, mailoutbox, django_capture_on_commit_callbacks
):
    english, urdu_reader = invitable(language="en"), invitable(language="ur")

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        invitations_create(
            user=analyst,
            opportunity=opportunity,
            member_ids=[english.pk, urdu_reader.pk],
            base_url="https://dorin.example/",
        )

    assert Invitation.objects.filter(opportunity=opportunity).count() == 2
    by_address = {message.to[0]: message for message in mailoutbox}
    with translation.override("ur"):
        invitation, accept = gettext("Invitation: %(title)s"), gettext("Accept or decline")
    assert accept != "Accept or decline"
    title = {"title": opportunity.title}
    assert by_address[english.email].subject == f"Invitation: {opportunity.title}"
    assert by_address[urdu_reader.email].subject == invitation % title
    assert accept in by_address[urdu_reader.email].alternatives[0][0]
    assert "Accept or decline" in by_address[english.email].alternatives[0][0]
