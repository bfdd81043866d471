"""Writing to a listed member through the directory."""

import pytest
from django.urls import reverse

from registry.models import Member
from registry.selectors.directory import directory_contact_key
from tests.factories import html_body

pytestmark = pytest.mark.django_db

SENT_URL = reverse("registry:directory_contact_sent")


def contact_url(member):
    return reverse("registry:directory_contact", args=[directory_contact_key(member_id=member.pk)])


def payload(**overrides):
    data = {
        "name": "Dr Sara Lee",
        "email": "sara.lee@example.net",
        "message": "Would you give a seminar at our institute?",
        "homepage": "",
    }
    data.update(overrides)
    return data


def test_message_reaches_the_member_with_reply_to_the_sender(client, submit, listed, mailoutbox):
    page = client.get(contact_url(listed)).content.decode()
    assert "Write to Amina Khan" in page
    response = submit(contact_url(listed), payload())
    assert response.status_code == 302 and response["Location"] == SENT_URL
    [message] = mailoutbox
    assert message.to == ["amina.secret@example.org"]
    assert message.reply_to == ["sara.lee@example.net"]
    assert "Would you give a seminar at our institute?" in message.body
    assert "Dr Sara Lee (sara.lee@example.net)" in message.body
    # Why they got it, and how to leave the directory.
    assert "because you chose to appear in that directory" in message.body
    assert "Leave the public directory" in message.body
    assert reverse("registry:profile") in message.body
    assert "Leave the public directory" in html_body(message)


def test_the_subject_is_fixed(submit, listed, mailoutbox):
    submit(contact_url(listed), payload(message="Buy now"))
    assert mailoutbox[0].subject == "A message through the DORIN directory"


def test_honeypot_sends_nothing_and_answers_the_same(submit, listed, mailoutbox):
    response = submit(contact_url(listed), payload(homepage="x"))
    assert response["Location"] == SENT_URL
    assert mailoutbox == []


def test_per_member_limit_drops_silently(submit, listed, mailoutbox, settings):
    settings.RATELIMIT_DIRECTORY_PER_MEMBER = 2
    responses = [submit(contact_url(listed), payload()) for _ in range(3)]
    assert [r["Location"] for r in responses] == [SENT_URL] * 3
    assert len(mailoutbox) == 2


def test_per_ip_limit_keeps_the_form(submit, listed, mailoutbox, settings):
    settings.RATELIMIT_CONTACT_PER_IP = 1
    submit(contact_url(listed), payload())
    response = submit(contact_url(listed), payload(message="Second try"))
    assert response.status_code == 429
    assert "Second try" in response.content.decode()
    assert len(mailoutbox) == 1


def test_invalid_form_shows_errors(client, listed, mailoutbox):
    response = client.post(contact_url(listed), payload(email="nope", message=""))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter an e-mail address such as name@example.org." in page
    assert "Write your message." in page
    assert mailoutbox == []


def test_contact_pages_are_not_indexed(client, listed):
    assert client.get(contact_url(listed))["X-Robots-Tag"] == "noindex, nofollow"
    assert client.get(SENT_URL)["X-Robots-Tag"] == "noindex, nofollow"


def test_member_who_left_meanwhile_gets_nothing_and_the_sender_learns_nothing(
    submit, listed, mailoutbox
):
    url = contact_url(listed)
    Member.objects.filter(pk=listed.pk).update(consent_directory=False)
    response = submit(url, payload())
    assert response.status_code == 302 and response["Location"] == SENT_URL
    assert mailoutbox == []
