"""The contact page: queries to the focal point, stored and e-mailed."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.models import ContactMessage
from registry.services.retention import registry_purge
from tests.factories import html_body

pytestmark = pytest.mark.django_db

URL = reverse("registry:contact")
SENT_URL = reverse("registry:contact_sent")


def payload(**overrides):
    data = {
        "name": "Bilal Ahmed",
        "email": "Bilal@Example.org",
        "subject": "Guest lectures",
        "message": "Could I offer a lecture series?\nIn spring.",
        "homepage": "",
    }
    data.update(overrides)
    return data


def test_contact_page_sends_to_the_focal_point_with_reply_to_the_sender(
    submit, mailoutbox, settings
):
    settings.FOCAL_POINT_EMAIL = "focal.point@mofa.example"
    response = submit(URL, payload())
    assert response.status_code == 302
    assert response["Location"] == SENT_URL
    stored = ContactMessage.objects.get()
    assert (stored.name, stored.email, stored.subject) == (
        "Bilal Ahmed",
        "bilal@example.org",
        "Guest lectures",
    )
    [message] = mailoutbox
    assert message.to == ["focal.point@mofa.example"]
    assert message.reply_to == ["bilal@example.org"]
    assert "Guest lectures" in message.subject
    assert "Could I offer a lecture series?\nIn spring." in message.body
    assert "bilal@example.org" in message.body


def test_no_copy_goes_to_the_address_typed(submit, mailoutbox):
    submit(URL, payload(email="stranger@example.net"))
    assert all("stranger@example.net" not in m.to + m.cc + m.bcc for m in mailoutbox)
    assert len(mailoutbox) == 1


def test_confirmation_page_after_the_redirect(client):
    page = client.get(SENT_URL).content.decode()
    assert "Thank you for your message" in page


def test_errors_are_shown_next_to_the_fields_and_nothing_is_lost(client):
    response = client.post(URL, payload(email="not an address", subject=""))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter an e-mail address such as name@example.org." in page
    assert "Enter a subject." in page
    assert "Could I offer a lecture series?" in page
    assert ContactMessage.objects.count() == 0


def test_honeypot_is_dropped_silently(submit, mailoutbox):
    response = submit(URL, payload(homepage="http://spam.example"))
    assert response["Location"] == SENT_URL
    assert ContactMessage.objects.count() == 0
    assert mailoutbox == []


def test_rate_limit_keeps_the_form_and_answers_429(submit, settings, mailoutbox):
    settings.RATELIMIT_CONTACT_PER_IP = 2
    for _ in range(2):
        assert submit(URL, payload()).status_code == 302
    response = submit(URL, payload(message="The third one"))
    assert response.status_code == 429
    page = response.content.decode()
    assert "The third one" in page and "try again within the hour" in page
    assert ContactMessage.objects.count() == 2


def test_a_failing_mail_server_keeps_the_message_and_gives_no_error(submit, mailoutbox):
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("SMTP down")
    ):
        response = submit(URL, payload())
    assert response.status_code == 302
    assert ContactMessage.objects.count() == 1


def test_the_email_goes_out_only_after_the_commit(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(URL, payload())
    assert mailoutbox == []
    assert len(callbacks) == 1


def test_hostile_input_is_escaped_in_the_html_mail(submit, mailoutbox):
    submit(URL, payload(name="<script>alert(1)</script>", message="<img src=x onerror=alert(1)>"))
    html = html_body(mailoutbox[0])
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_newlines_in_the_subject_are_refused(client, mailoutbox):
    response = client.post(URL, payload(subject="Hi\r\nBcc: victim@example.net"))
    assert response.status_code == 200
    assert "Remove the invisible control characters" in response.content.decode()
    assert ContactMessage.objects.count() == 0 and mailoutbox == []


def test_purge_registry_erases_messages_older_than_the_rejected_entries_period():
    old = ContactMessage.objects.create(name="a", email="a@example.org", subject="s", message="m")
    ContactMessage.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    ContactMessage.objects.create(name="b", email="b@example.org", subject="s", message="m")
    assert registry_purge(dry_run=True)["contact_messages"] == 1
    assert ContactMessage.objects.count() == 2
    assert registry_purge()["contact_messages"] == 1
    assert list(ContactMessage.objects.values_list("name", flat=True)) == ["b"]
    assert registry_purge()["contact_messages"] == 0
