from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from outreach.models import Invitation, Opportunity
from outreach.selectors.ranking import opportunity_matches
from outreach.services.invitations import invitations_create
from outreach.tokens import invitation_token_make
from registry.models import Member
from registry.services.withdrawal import member_withdraw
from registry.tokens import UPDATE, WITHDRAW, link_token_make


@pytest.fixture
def sent(analyst, opportunity, invitable, mailoutbox, django_capture_on_commit_callbacks):
    """An invitation sent to one member; its response URL taken from the e-mail."""
    member = invitable()
    with django_capture_on_commit_callbacks(execute=True):
        invitations_create(
            user=analyst,
            opportunity=opportunity,
            member_ids=[member.pk],
            base_url="http://testserver/",
        )
    invitation = Invitation.objects.get(member=member)
    url = next(w for w in mailoutbox[-1].body.split() if "/invitations/" in w and "/stop/" not in w)
    return invitation, url.removeprefix("http://testserver")


def test_accept_with_message_records_one_answer(client, sent, analyst):
    invitation, url = sent
    page = client.get(url)
    assert "Accept the invitation" in page.content.decode()
    data = {"answer": "accept", "message": "Happy to", "availability": "March"}
    assert client.post(url, data).status_code == 302
    again = client.post(url, {"answer": "decline", "reason": "changed my mind"})
    assert "You accepted" in again.content.decode()
    invitation.refresh_from_db()
    assert (invitation.status, invitation.message, invitation.availability) == (
        "accepted",
        "Happy to",
        "March",
    )
    assert invitation.decline_reason == ""
    client.force_login(analyst)
    detail = client.get(reverse("outreach:opportunity_detail", args=[invitation.opportunity_id]))
    assert "1 accepted" in detail.content.decode()


def test_decline_with_reason(client, sent):
    invitation, url = sent
    client.post(url, {"answer": "decline", "reason": "Teaching"})
    invitation.refresh_from_db()
    assert (invitation.status, invitation.decline_reason) == ("declined", "Teaching")


def test_stop_inviting_me_is_honoured_by_later_rankings(client, sent, analyst, make_opportunity):
    invitation, url = sent
    client.post(url, {"answer": "opt_out"})
    member = Member.objects.get(pk=invitation.member_id)
    assert member.invitations_opted_out_at is not None
    invitation.refresh_from_db()
    assert invitation.status == "opted_out"
    later = make_opportunity(title="Another")
    assert opportunity_matches(user=analyst, opportunity=later) == []


def test_one_click_unsubscribe_needs_no_csrf_token(sent, mailoutbox):
    from django.test import Client

    invitation, _url = sent
    header = mailoutbox[-1].extra_headers["List-Unsubscribe"].strip("<>")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        header.removeprefix("http://testserver"), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert Member.objects.get(pk=invitation.member_id).invitations_opted_out_at is not None


def test_answer_after_close_gets_a_polite_page(client, sent):
    invitation, url = sent
    Opportunity.objects.update(status=Opportunity.Status.CLOSED)
    response = client.post(url, {"answer": "accept"})
    assert response.status_code == 200
    assert "This opportunity is closed" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == "sent"


@pytest.mark.parametrize("how", ["tampered", "expired"])
def test_tampered_or_expired_link_gets_the_clear_link_page(client, sent, how):
    invitation, url = sent
    if how == "tampered":
        url = url[:-3] + ("A" if url[-3] != "A" else "B") + url[-2:]
    else:
        Opportunity.objects.update(reply_by=timezone.localdate() - timedelta(days=1))
    response = client.post(url, {"answer": "accept"})
    assert response.status_code == 400
    assert "This link no longer works" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == "sent"


def test_a_token_answers_only_its_own_invitation(client, sent, invitable, make_opportunity):
    invitation, url = sent
    other = Invitation.objects.create(
        opportunity=make_opportunity(title="Other"), member=invitable(), key="other-key"
    )
    token = invitation_token_make(invitation=other)
    client.post(reverse("invitations:respond", args=[token]), {"answer": "accept"})
    invitation.refresh_from_db()
    assert invitation.status == "sent"
    # A token made for another purpose (a profile link) is refused.
    update = link_token_make(member=invitation.member, kind=UPDATE)
    assert client.get(reverse("invitations:respond", args=[update])).status_code == 400


def test_profile_lists_invitations_and_resumes_them(client, sent):
    invitation, url = sent
    client.post(url, {"answer": "opt_out"})
    member = Member.objects.get(pk=invitation.member_id)
    token = link_token_make(member=member, kind=UPDATE)
    page = client.get(reverse("registry:profile_edit", args=[token])).content.decode()
    assert "Guest lectures in accelerator physics" in page
    assert "Invite me again" in page
    client.post(reverse("invitations:resume", args=[token]))
    assert Member.objects.get(pk=member.pk).invitations_opted_out_at is None
    # The profile link still works after resuming.
    assert client.get(reverse("registry:profile_edit", args=[token])).status_code == 200


def test_withdrawal_erases_the_answers(client, sent):
    invitation, url = sent
    client.post(url, {"answer": "accept", "message": "Call me on +44 20", "availability": "May"})
    Invitation.objects.filter(pk=invitation.pk).update(outcome_notes="Met Dr X")
    member = Member.objects.get(pk=invitation.member_id)
    member_withdraw(token=link_token_make(member=member, kind=WITHDRAW))
    invitation.refresh_from_db()
    assert (invitation.message, invitation.availability, invitation.outcome_notes) == ("", "", "")
