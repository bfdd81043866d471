"""Registration through the survey, e-mail confirmation and abuse protection."""

import logging
import re
import time
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from registry.models import EngagementType, Member, Subfield
from registry.privacy import PRIVACY_NOTICE_VERSION
from registry.services.members import member_update
from registry.tokens import CONFIRM, UPDATE, link_token_make
from tests.factories import REGISTER_URL, html_body, link_to, links_in, survey_payload

pytestmark = pytest.mark.django_db

CHECK_INBOX_URL = reverse("registry:check_inbox")


def confirm_url(member, kind=CONFIRM):
    return reverse("registry:confirm", args=[link_token_make(member=member, kind=kind)])


def test_survey_page_has_its_sections_and_subfields_grouped_by_broad_field(client):
    response = client.get(REGISTER_URL)
    html = response.content.decode()
    sections = re.findall(r"<legend>([^<]+)</legend>", html)
    assert sections == [
        "About you",
        "Where you live and your connection to the country",
        "Education",
        "Current position",
        "Expertise",
        "Research identity",
        "How you would like to engage",
        "Consent",
    ]
    medical = re.search(r'<optgroup label="Medical and health sciences">(.*?)</optgroup>', html)
    assert "Clinical medicine" in medical.group(1)
    assert "<summary>Medical and health sciences</summary>" in html
    assert 'name="csrfmiddlewaretoken"' in html
    # The survey's token and the language switch's.
    assert html.count('name="csrfmiddlewaretoken"') == 2


def test_survey_page_in_urdu_names_fields_goals_engagement_and_projects_in_urdu(client, urdu):
    html = client.get(REGISTER_URL, headers=urdu).content.decode()
    assert "<summary>طبی اور صحت کے علوم</summary>" in html
    medical = re.search(r'<optgroup label="طبی اور صحت کے علوم">(.*?)</optgroup>', html, re.S)
    assert "کلینیکل طب" in medical.group(1)
    assert "SDG 13: موسمیاتی اقدامات" in html
    assert "مشترکہ تحقیق" in html
    assert "ITER (بین الاقوامی تجرباتی فیوژن ری ایکٹر)" in html
    for english in ("Clinical medicine", "Climate action", "Joint research"):
        assert english not in html
    # The English page, rendered and kept apart, keeps the English names.
    assert "Clinical medicine" in client.get(REGISTER_URL).content.decode()


def test_survey_page_in_urdu_shows_a_row_without_urdu_name_in_english(client, urdu):
    EngagementType.objects.create(slug="podcasts", name="Science podcasts", position=99)
    html = client.get(REGISTER_URL, headers=urdu).content.decode()
    assert "Science podcasts" in html
    assert "مشترکہ تحقیق" in html


def test_survey_page_has_no_inline_script_or_style(client):
    html = client.get(REGISTER_URL).content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    assert " style=" not in html
    assert "<style" not in html


def test_honeypot_is_hidden_from_people_and_assistive_technology(client):
    html = client.get(REGISTER_URL).content.decode()
    wrapper = re.search(r'<div[^>]*class="hp-field"[^>]*>.*?</div>\s*</div>', html, re.S).group(0)
    assert 'aria-hidden="true"' in wrapper
    assert 'tabindex="-1"' in wrapper
    assert 'autocomplete="off"' in wrapper


def test_register_stores_an_unconfirmed_member_and_e_mails_a_confirmation_link(
    submit, mailoutbox, subfield, sdgs
):
    response = submit(REGISTER_URL, survey_payload(email=" Amina.Khan@Example.ORG "))

    assert response.status_code == 302
    assert response["Location"] == CHECK_INBOX_URL
    member = Member.objects.get()
    assert member.email == "amina.khan@example.org"
    assert member.status == Member.Status.UNCONFIRMED
    assert member.source == Member.Source.SURVEY
    assert member.email_confirmed_at is None
    assert member.consent_processing is True
    assert member.consent_processing_at is not None
    assert member.privacy_notice_version == PRIVACY_NOTICE_VERSION
    assert member.orcid == "0000-0002-1825-0097"
    assert member.summary == "I work on quantitative PET imaging.\nAnd on radiotherapy planning."
    assert member.primary_subfield == subfield("3.2")
    assert list(member.subfields.all()) == [subfield("1.3")]
    assert list(member.sdgs.all()) == [sdgs[2]]
    assert member.engagement_types.count() == 2
    assert "quantitative pet imaging" in member.search_document

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["amina.khan@example.org"]
    assert "confirm" in message.subject.lower()
    assert message.body.startswith("Hello,\n")
    path = link_to(message, "registry:confirm")
    assert path in html_body(message)
    assert message.body.count("http://testserver/") == 1


def test_following_the_confirmation_link_confirms_the_address(client, submit, mailoutbox):
    submit(REGISTER_URL, survey_payload())
    path = link_to(mailoutbox[0], "registry:confirm")
    shown = client.get(path)
    # Opening the link changes nothing: the button on the page confirms.
    assert "Confirm my registration" in shown.content.decode()
    assert Member.objects.get().status == Member.Status.UNCONFIRMED
    response = client.post(path, follow=True)

    assert response.redirect_chain == [(reverse("registry:confirmed"), 302)]
    assert "your registration is confirmed" in response.content.decode()
    member = Member.objects.get()
    assert member.status == Member.Status.SUBMITTED
    assert member.email_confirmed_at is not None


def test_check_inbox_page_says_what_to_do_next(client):
    html = client.get(CHECK_INBOX_URL).content.decode()
    assert "Check your inbox" in html
    assert reverse("registry:profile") in html


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_used_confirmation_link_says_already_confirmed(client, submit, mailoutbox, method):
    submit(REGISTER_URL, survey_payload())
    path = link_to(mailoutbox[0], "registry:confirm")
    client.post(path)
    confirmed_at = Member.objects.get().email_confirmed_at

    response = getattr(client, method)(path)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Your registration is already confirmed" in html
    assert "Confirm my registration" not in html
    assert f'href="{reverse("registry:profile")}"' in html
    assert Member.objects.get().email_confirmed_at == confirmed_at


def test_expired_confirmation_link_is_refused(client, make_member):
    member = make_member(status=Member.Status.UNCONFIRMED)
    eight_days_ago = time.time() - 8 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=eight_days_ago):
        path = confirm_url(member)

    response = client.get(path)

    assert response.status_code == 400
    assert "This link no longer works" in response.content.decode()
    member.refresh_from_db()
    assert member.status == Member.Status.UNCONFIRMED


def test_confirmation_link_six_days_old_still_works(client, make_member):
    member = make_member(status=Member.Status.UNCONFIRMED)
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 6 * 24 * 3600):
        path = confirm_url(member)

    assert client.post(path).status_code == 302
    member.refresh_from_db()
    assert member.status == Member.Status.SUBMITTED


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: "x" + token,
        lambda token: token.split(":")[0],
        lambda token: "not-a-token",
    ],
)
def test_tampered_confirmation_link_is_refused(client, make_member, tamper):
    member = make_member(status=Member.Status.UNCONFIRMED)
    token = link_token_make(member=member, kind=CONFIRM)

    response = client.get(reverse("registry:confirm", args=[tamper(token)]))

    assert response.status_code == 400
    member.refresh_from_db()
    assert member.status == Member.Status.UNCONFIRMED


def test_a_head_request_does_not_confirm(client, make_member):
    member = make_member(status=Member.Status.UNCONFIRMED)
    assert client.head(confirm_url(member)).status_code == 200
    member.refresh_from_db()
    assert member.status == Member.Status.UNCONFIRMED


def test_a_link_for_another_purpose_does_not_confirm(client, make_member):
    member = make_member(status=Member.Status.UNCONFIRMED)

    response = client.get(confirm_url(member, kind=UPDATE))

    assert response.status_code == 400
    member.refresh_from_db()
    assert member.status == Member.Status.UNCONFIRMED


def _without_csrf_token(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def _same_response(first, second):
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == CHECK_INBOX_URL
    assert first.content == second.content
    assert sorted(first.cookies) == sorted(second.cookies)


def test_register_twice_does_not_reveal_existing_address(client, submit, make_member, mailoutbox):
    owner = make_member(full_name="Amina Khan", email="amina.khan@example.org")
    fresh = submit(REGISTER_URL, survey_payload(email="someone.new@example.org"))
    mailoutbox.clear()

    again = submit(
        REGISTER_URL,
        survey_payload(full_name="Mallory Intruder", email="  AMINA.Khan@Example.org "),
    )

    _same_response(fresh, again)
    # Each page carries a freshly masked CSRF token (the language switch's).
    pages = [client.get(response["Location"]).content.decode() for response in (fresh, again)]
    assert _without_csrf_token(pages[0]) == _without_csrf_token(pages[1])
    assert Member.objects.filter(email="amina.khan@example.org").count() == 1
    assert Member.objects.count() == 2
    owner.refresh_from_db()
    assert owner.full_name == "Amina Khan"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["amina.khan@example.org"]
    assert "already registered" in message.body
    assert "Dear Amina Khan," in message.body
    assert "Mallory" not in message.body + html_body(message)
    edit = client.get(link_to(message, "registry:profile_edit"))
    assert edit.status_code == 200
    assert 'value="Amina Khan"' in edit.content.decode()


def test_register_again_while_unconfirmed_confirms_the_answers_of_the_link_followed(
    client, submit, mailoutbox, subfield
):
    submit(REGISTER_URL, survey_payload())
    again = survey_payload(email="AMINA.KHAN@example.org", city="Paris", subfields=None)
    submit(REGISTER_URL, again)

    # The second submission keeps its own answers: it overwrites nothing.
    member = Member.objects.get()
    assert (member.city, member.status) == ("London", Member.Status.UNCONFIRMED)
    assert member.subfields.exists()
    assert len(mailoutbox) == 2
    assert [m.to for m in mailoutbox] == [["amina.khan@example.org"]] * 2
    # Either e-mail's link confirms the address, once, with its own answers.
    first, second = (link_to(m, "registry:confirm") for m in mailoutbox)
    assert client.post(second).status_code == 302
    member = Member.objects.get()
    assert (member.city, member.status) == ("Paris", Member.Status.SUBMITTED)
    assert not member.subfields.exists()
    # The other link's answers were discarded: it only says "already confirmed".
    assert "already confirmed" in client.post(first).content.decode()
    assert Member.objects.get().city == "Paris"


def test_register_again_does_not_touch_an_unconfirmed_entry_made_by_staff(
    submit, make_member, mailoutbox
):
    imported = make_member(
        email="amina.khan@example.org",
        city="Lahore",
        status=Member.Status.UNCONFIRMED,
        source=Member.Source.IMPORT,
    )
    submit(REGISTER_URL, survey_payload(city="Paris"))

    imported.refresh_from_db()
    assert imported.city == "Lahore"
    (message,) = mailoutbox
    assert "/register/confirm/" in message.body


def test_confirmation_link_survives_a_change_by_staff(client, make_member):
    member = make_member(status=Member.Status.UNCONFIRMED)
    path = confirm_url(member)
    member_update(member=member, data={"staff_notes": "Imported from the 2025 list."})

    assert client.post(path).status_code == 302


def test_register_ignores_fields_that_are_not_in_the_survey(submit, db):
    staff = get_user_model().objects.create_user("focal", password="x" * 16)
    response = submit(
        REGISTER_URL,
        survey_payload(
            id="4242",
            status="verified",
            reviewed_by=str(staff.pk),
            reviewed_at="2026-01-01T00:00:00Z",
            email_confirmed_at="2026-01-01T00:00:00Z",
            source="admin",
            staff_notes="trusted",
            privacy_notice_version="0",
            search_document="injected",
        ),
    )

    assert response.status_code == 302
    member = Member.objects.get()
    assert member.pk != 4242
    assert member.status == Member.Status.UNCONFIRMED
    assert member.reviewed_by is None
    assert member.reviewed_at is None
    assert member.email_confirmed_at is None
    assert member.source == Member.Source.SURVEY
    assert member.staff_notes == ""
    assert member.privacy_notice_version == PRIVACY_NOTICE_VERSION
    assert "injected" not in member.search_document


def test_filled_honeypot_is_dropped_silently(submit, mailoutbox):
    response = submit(REGISTER_URL, survey_payload(homepage="http://spam.example"))

    assert response.status_code == 302
    assert response["Location"] == CHECK_INBOX_URL
    assert Member.objects.count() == 0
    assert mailoutbox == []


def test_filled_honeypot_looks_like_success_even_with_invalid_answers(submit):
    response = submit(REGISTER_URL, {"homepage": "buy now", "email": "not an address"})
    assert response.status_code == 302
    assert response["Location"] == CHECK_INBOX_URL


def test_survey_requires_the_csrf_token(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(REGISTER_URL, survey_payload())
    assert response.status_code == 403
    assert Member.objects.count() == 0


def test_more_than_fifty_submissions_an_hour_from_one_ip_get_429(submit, mailoutbox, settings):
    assert settings.RATELIMIT_SURVEY_PER_IP == 50
    settings.RATELIMIT_SURVEY_PER_IP = 5  # The same rule, counted to 5 to keep the test quick.
    for n in range(5):
        response = submit(REGISTER_URL, survey_payload(email=f"person{n}@example.org"))
        assert response.status_code == 302

    response = submit(REGISTER_URL, survey_payload(email="person5@example.org"))

    assert response.status_code == 429
    assert "Please wait before sending again" in response.content.decode()
    assert Member.objects.count() == 5
    assert len(mailoutbox) == 5
    other_ip = submit(
        REGISTER_URL, survey_payload(email="person6@example.org"), REMOTE_ADDR="198.51.100.7"
    )
    assert other_ip.status_code == 302
    assert Member.objects.count() == 6


def test_a_limited_survey_comes_back_as_typed_with_the_real_window(submit, settings):
    settings.RATELIMIT_SURVEY_PER_IP = 1
    # Ten minutes into the hour's window: fifty minutes to wait.
    ten_past = (int(time.time()) // 3600) * 3600 + 600
    with mock.patch("registry.ratelimit.time.time", return_value=ten_past):
        submit(REGISTER_URL, survey_payload(email="first@example.org"))
        response = submit(
            REGISTER_URL,
            survey_payload(email="second@example.org", full_name="Nadia Rahman", city="Lyon"),
        )

    assert response.status_code == 429
    assert response["Retry-After"] == "3000"
    html = response.content.decode()
    assert "please send it again in 50 minutes" in html
    assert 'value="Nadia Rahman"' in html
    assert 'value="second@example.org"' in html
    assert 'value="Lyon"' in html
    assert not Member.objects.filter(email="second@example.org").exists()


def test_survey_rate_limit_is_a_setting(submit, settings):
    settings.RATELIMIT_SURVEY_PER_IP = 1
    assert submit(REGISTER_URL, survey_payload(email="a@example.org")).status_code == 302
    assert submit(REGISTER_URL, survey_payload(email="b@example.org")).status_code == 429


def test_invalid_submissions_do_not_use_up_the_rate_limit(submit, settings):
    settings.RATELIMIT_SURVEY_PER_IP = 1
    for _ in range(3):
        assert submit(REGISTER_URL, survey_payload(full_name="")).status_code == 200
    assert submit(REGISTER_URL, survey_payload()).status_code == 302


def test_behind_a_trusted_proxy_the_limit_is_per_client_address(submit, settings):
    settings.RATELIMIT_SURVEY_PER_IP = 1
    settings.TRUSTED_PROXY_COUNT = 1
    first = submit(
        REGISTER_URL,
        survey_payload(email="a@example.org"),
        HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5",
    )
    # The client forges the left part; the proxy's entry still identifies it.
    forged = submit(
        REGISTER_URL,
        survey_payload(email="b@example.org"),
        HTTP_X_FORWARDED_FOR="10.1.1.1, 203.0.113.5",
    )
    other = submit(
        REGISTER_URL,
        survey_payload(email="c@example.org"),
        HTTP_X_FORWARDED_FOR="203.0.113.6",
    )
    assert [first.status_code, forged.status_code, other.status_code] == [302, 429, 302]


def test_a_cache_outage_lets_registrations_through(submit, caplog):
    with (
        caplog.at_level(logging.ERROR, logger="registry.ratelimit"),
        mock.patch("registry.ratelimit._counted", side_effect=ConnectionError("Redis down")),
    ):
        response = submit(REGISTER_URL, survey_payload())

    assert response.status_code == 302
    assert Member.objects.count() == 1
    assert "Rate limit 'survey-ip' not counted" in caplog.text


def test_link_e_mails_to_one_address_stop_after_three_an_hour_without_a_word(
    submit, mailoutbox, make_member, settings
):
    settings.RATELIMIT_SURVEY_PER_IP = 100
    make_member(email="amina.khan@example.org")
    responses = [submit(REGISTER_URL, survey_payload()) for _ in range(5)]

    assert {(r.status_code, r["Location"]) for r in responses} == {(302, CHECK_INBOX_URL)}
    assert len(mailoutbox) == 3
    assert Member.objects.count() == 1


def test_a_mail_server_failure_keeps_the_registration_and_is_logged(submit, caplog):
    with (
        caplog.at_level(logging.ERROR, logger="registry.mail"),
        mock.patch(
            "django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("SMTP down")
        ),
    ):
        response = submit(REGISTER_URL, survey_payload())

    assert response.status_code == 302
    assert Member.objects.get().status == Member.Status.UNCONFIRMED
    assert "'confirm' e-mail could not be sent" in caplog.text
    assert "amina.khan@example.org" not in caplog.text


def test_confirmation_e_mail_holds_no_other_members_data(submit, mailoutbox, make_member):
    other = make_member(full_name="Bilal Ahmed", email="bilal@example.org", organisation="CERN")
    submit(REGISTER_URL, survey_payload())

    (message,) = mailoutbox
    everything = message.subject + message.body + html_body(message)
    for value in (other.full_name, other.email, other.organisation):
        assert value not in everything
    assert message.to == ["amina.khan@example.org"]
    assert message.cc == [] and message.bcc == []


def test_e_mail_text_is_not_html_escaped_and_html_is(submit, make_member, mailoutbox):
    make_member(email="amina.khan@example.org", full_name="Zoë O'Brien & <Partners>")
    submit(REGISTER_URL, survey_payload())

    (message,) = mailoutbox
    assert "Dear Zoë O'Brien & <Partners>," in message.body
    assert "Zoë O&#x27;Brien &amp; &lt;Partners&gt;" in html_body(message)


def test_confirmation_link_in_the_e_mail_uses_the_host_of_the_request(submit, mailoutbox, settings):
    settings.ALLOWED_HOSTS = ["dorin.example.gov"]
    submit(REGISTER_URL, survey_payload(), HTTP_HOST="dorin.example.gov", secure=True)

    (message,) = mailoutbox
    assert "https://dorin.example.gov/register/confirm/" in message.body
    assert links_in(message)[0].startswith("/register/confirm/")


def test_a_concurrent_registration_of_the_same_address_is_handled_as_a_duplicate(
    make_member, mailoutbox, django_capture_on_commit_callbacks
):
    from registry.services import registration

    owner = make_member(email="amina.khan@example.org")
    data = {
        "full_name": "Amina Khan",
        "email": "amina.khan@example.org",
        "country": "GB",
        "connection": Member.Connection.CITIZEN,
        "highest_qualification": Member.Qualification.PHD,
        "sector": Member.Sector.ACADEMIA,
        "career_stage": Member.CareerStage.R2,
        "primary_subfield": Subfield.objects.get(code="1.3"),
        "consent_processing": True,
    }
    # The other request inserted the address after this one looked it up.
    with (
        mock.patch(
            "registry.services.registration._member_with_address", side_effect=[None, owner]
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = registration.member_register(data=data, absolute_url=lambda path: path)

    assert result == owner
    assert Member.objects.count() == 1
    assert len(mailoutbox) == 1
