"""The privacy notice answers a data protection officer's questions; members accept new versions."""

import re

import pytest
from django.urls import reverse

from registry.models import Member
from registry.privacy import PRIVACY_NOTICE_VERSION
from registry.tokens import UPDATE, link_token_make
from tests.factories import survey_payload

pytestmark = pytest.mark.django_db

PRIVACY_URL = reverse("registry:privacy")


def _text(body: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_notice_names_controller_contact_periods_and_authority_from_the_settings(client, settings):
    settings.PRIVACY_CONTROLLER_NAME = "Ministry of Foreign Affairs of Testland"
    settings.PRIVACY_CONTROLLER_ADDRESS = "1 Constitution Avenue\nCapital City"
    settings.PRIVACY_CONTACT_EMAIL = "dpo@mfa.example"
    settings.PRIVACY_SUPERVISORY_AUTHORITY = "Testland Data Protection Commission"
    settings.PRIVACY_SUPERVISORY_AUTHORITY_URL = "https://dpc.example"
    settings.RETENTION_UNCONFIRMED_DAYS = 21
    settings.RETENTION_REJECTED_DAYS = 180
    settings.FRESHNESS_DAYS = 400

    body = client.get(PRIVACY_URL).content.decode()
    text = _text(body)

    assert "The controller of your data is the Ministry of Foreign Affairs of Testland." in text
    assert "1 Constitution Avenue<br>Capital City" in body
    assert '<a href="mailto:dpo@mfa.example">dpo@mfa.example</a>' in body
    assert '<a href="https://dpc.example">Testland Data Protection Commission</a>' in body
    assert "erased 21 days after it was made" in text
    assert "erased 180 days after that decision" in text
    assert "Every 400 days after you last confirmed" in text
    for right in ("Access and portability", "Rectification", "Erasure", "Objection"):
        assert f"<dt>{right}" in body
    assert "Staff of an embassy, high commission or consulate (a Mission)" in text
    assert 'id="transfers"' in body
    assert f'href="{reverse("registry:profile")}"' in body


def test_notice_without_an_authority_setting_still_states_the_right_to_complain(client, settings):
    settings.PRIVACY_SUPERVISORY_AUTHORITY = ""
    text = _text(client.get(PRIVACY_URL).content.decode())
    assert "You have the right to complain to the data protection authority at any time." in text


def _edit_url(member) -> str:
    return reverse("registry:profile_edit", args=[link_token_make(member=member, kind=UPDATE)])


def _payload(member, **overrides):
    return survey_payload(email=member.email, homepage=None, **overrides)


def test_member_who_accepted_an_older_notice_is_asked_to_accept_the_new_one(client, make_member):
    member = make_member(privacy_notice_version="2020-01")

    body = client.get(_edit_url(member)).content.decode()

    assert 'id="privacy-notice-changed"' in body
    assert f"version {PRIVACY_NOTICE_VERSION}" in body
    consent = re.search(r'<input[^>]*name="consent_processing"[^>]*>', body).group(0)
    assert "checked" not in consent


def test_profile_cannot_be_saved_without_accepting_the_new_notice(client, make_member):
    member = make_member(privacy_notice_version="2020-01", city="London")

    response = client.post(_edit_url(member), _payload(member, consent_processing=None))

    assert response.status_code == 200
    member.refresh_from_db()
    assert member.privacy_notice_version == "2020-01"
    assert member.city == "London"


def test_accepting_the_new_notice_records_the_version_and_the_time(
    client, make_member, django_capture_on_commit_callbacks
):
    member = make_member(privacy_notice_version="2020-01")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_edit_url(member), _payload(member))

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.privacy_notice_version == PRIVACY_NOTICE_VERSION
    assert member.consent_processing_at is not None


def test_member_on_the_current_notice_sees_no_acceptance_step(client, make_member):
    member = make_member(privacy_notice_version=PRIVACY_NOTICE_VERSION)

    body = client.get(_edit_url(member)).content.decode()

    assert 'id="privacy-notice-changed"' not in body
    consent = re.search(r'<input[^>]*name="consent_processing"[^>]*>', body).group(0)
    assert "checked" in consent
    assert Member.objects.get(pk=member.pk).privacy_notice_version == PRIVACY_NOTICE_VERSION
