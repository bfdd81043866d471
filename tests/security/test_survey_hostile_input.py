"""Hostile text in the public survey, the profile pages and the e-mails.

Whatever a visitor types: never a server error, markup shown as text wherever
it appears again, control characters and oversized answers refused with a
message next to the field, everything else stored as typed (composed to NFC).
"""

import pytest
from django.conf import settings
from django.urls import reverse

from registry.models import Member
from registry.tokens import UPDATE, WITHDRAW, link_token_make
from tests.factories import PROFILE_URL, REGISTER_URL, html_body, link_to, survey_payload
from tests.security import hostile
from tests.security.hostile import (
    ACCEPTED,
    CONTROL,
    MARKUP,
    MULTI_LINE_TEXT_FIELDS,
    TEXT_FIELDS,
    assert_runs_nothing_new,
    audit,
    fits,
)

pytestmark = pytest.mark.django_db

CHOICE_FIELDS = (
    "gender",
    "country",
    "connection",
    "highest_qualification",
    "qualification_country",
    "sector",
    "career_stage",
    "primary_subfield",
)
MULTIPLE_CHOICE_FIELDS = ("subfields", "engagement_types", "sdgs", "international_projects")
NUMBER_FIELDS = ("qualification_year", "years_experience", "hours_per_month")


def every_text_field(value: str) -> dict[str, str]:
    """The value in every free-text answer, cut to each answer's limit."""
    return {name: fits(value, limit) for name, limit in TEXT_FIELDS.items()}


def survey_shown_again(client, **answers) -> str:
    """The survey page after a submission that lacks consent, so it comes back."""
    response = client.post(REGISTER_URL, survey_payload(consent_processing=None, **answers))
    assert response.status_code == 200
    assert "consent_processing" in response.context["form"].errors
    return response.content.decode()


def field_errors(response) -> dict:
    assert response.status_code == 200, response.status_code
    return response.context["form"].errors


# The survey shown again after an error


@pytest.mark.parametrize("payload", MARKUP.values(), ids=MARKUP.keys())
def test_markup_in_every_text_field_is_escaped_when_the_survey_is_shown_again(client, payload):
    answers = every_text_field(payload)

    html = survey_shown_again(client, **answers)

    assert_runs_nothing_new(html, baseline=survey_shown_again(client))
    page = audit(html)
    for name, value in answers.items():
        shown = page.textareas[name] if name in MULTI_LINE_TEXT_FIELDS else page.input_values[name]
        # The whole value came back inside its own attribute or textarea.
        assert shown in (value, [value]), name


@pytest.mark.parametrize("payload", MARKUP.values(), ids=MARKUP.keys())
def test_markup_in_choice_and_number_answers_is_escaped_in_the_error_messages(client, payload):
    answers = {name: payload for name in CHOICE_FIELDS + NUMBER_FIELDS}
    answers.update({name: [payload, "1"] for name in MULTIPLE_CHOICE_FIELDS})

    response = client.post(REGISTER_URL, survey_payload(**answers))

    errors = field_errors(response)
    assert set(CHOICE_FIELDS + NUMBER_FIELDS + MULTIPLE_CHOICE_FIELDS) <= set(errors)
    assert_runs_nothing_new(response.content.decode(), baseline=survey_shown_again(client))
    assert Member.objects.count() == 0


@pytest.mark.parametrize(
    "huge", [str(2**63), str(-(2**63) - 1), "9" * 30], ids=["2^63", "-2^63-1", "30_digits"]
)
def test_ids_beyond_the_database_integer_range_are_invalid_choices_not_a_server_error(client, huge):
    answers = {name: [huge] for name in MULTIPLE_CHOICE_FIELDS}
    answers["primary_subfield"] = huge

    response = client.post(REGISTER_URL, survey_payload(**answers))

    errors = field_errors(response)
    assert set(errors) == {*MULTIPLE_CHOICE_FIELDS, "primary_subfield"}
    assert Member.objects.count() == 0


# Accepted hostile text: stored as typed, shown as text


@pytest.mark.parametrize("payload", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_hostile_but_valid_text_is_stored_exactly_as_typed_in_nfc(submit, payload):
    answers = every_text_field(payload)

    response = submit(REGISTER_URL, survey_payload(**answers))

    assert response.status_code == 302, response.context and response.context["form"].errors
    member = Member.objects.get()
    for name, value in answers.items():
        assert getattr(member, name) == value, name
    assert member.status == Member.Status.UNCONFIRMED


def test_decomposed_accents_are_stored_composed(submit):
    submit(
        REGISTER_URL, survey_payload(full_name="Ame\u0301lie Lefe\u0300vre", city="Zu\u0308rich")
    )

    member = Member.objects.get()
    assert member.full_name == "Amélie Lefèvre"
    assert member.city == "Zürich"


@pytest.mark.parametrize("payload", MARKUP.values(), ids=MARKUP.keys())
def test_stored_markup_is_escaped_on_the_pre_filled_update_page(client, make_member, payload):
    clean = make_member(email="clean@example.org")
    member = make_member(email="amina@example.org", **every_text_field(payload))

    def update_page(m) -> str:
        url = reverse("registry:profile_edit", args=[link_token_make(member=m, kind=UPDATE)])
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    html = update_page(member)

    assert_runs_nothing_new(html, baseline=update_page(clean))
    page = audit(html)
    assert page.input_values["full_name"] == [fits(payload, 200)]


@pytest.mark.parametrize("payload", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_hostile_text_saved_through_the_update_link_is_stored_in_nfc(submit, make_member, payload):
    member = make_member(email="amina.khan@example.org")
    url = reverse("registry:profile_edit", args=[link_token_make(member=member, kind=UPDATE)])
    answers = every_text_field(payload)

    response = submit(url, survey_payload(email=None, **answers))

    assert response.status_code == 302
    member.refresh_from_db()
    for name, value in answers.items():
        assert getattr(member, name) == value, name


# Refused: control characters and oversized answers


@pytest.mark.parametrize("payload", CONTROL.values(), ids=CONTROL.keys())
def test_control_characters_in_every_text_field_get_field_errors_and_store_nothing(client, payload):
    response = client.post(REGISTER_URL, survey_payload(**every_text_field(payload)))

    assert set(field_errors(response)) == set(TEXT_FIELDS)
    assert Member.objects.count() == 0


@pytest.mark.parametrize(
    "oversized",
    [
        lambda limit: "a" * (limit + 1),
        lambda limit: "👩🏽‍🔬" * limit,
        lambda limit: "عائشہ " * limit,
        # Characters that NFC decomposes (U+0958 becomes two code points): a
        # value that fits as typed does not fit once stored.
        lambda limit: "\u0958" * limit,
        lambda limit: "x" * 20_000,
    ],
    ids=["one_over", "emoji", "urdu", "grows_under_nfc", "twenty_thousand"],
)
def test_oversized_text_gets_a_field_error_not_a_database_error(client, oversized):
    answers = {name: oversized(limit) for name, limit in TEXT_FIELDS.items()}

    response = client.post(REGISTER_URL, survey_payload(**answers))

    errors = field_errors(response)
    assert set(errors) == set(TEXT_FIELDS)
    for name, limit in TEXT_FIELDS.items():
        (message,) = errors[name]
        assert f"at most {limit:,} characters" in message or f"at most {limit} " in message
    assert Member.objects.count() == 0


def test_decomposed_accents_up_to_the_limit_fit_because_they_are_counted_composed(submit):
    response = submit(REGISTER_URL, survey_payload(full_name="e\u0301" * 200))

    assert response.status_code == 302
    assert Member.objects.get().full_name == "é" * 200


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "a" * 250 + "@example.org"),
        ("orcid", "0000-0002-1825-0097" * 10),
        ("website_url", "https://example.org/" + "a" * 400),
        ("scholar_url", "https://" + "a" * 300 + ".org/"),
    ],
)
def test_oversized_formatted_answers_get_a_field_error(client, field, value):
    response = client.post(REGISTER_URL, survey_payload(**{field: value}))

    assert field in field_errors(response)
    assert Member.objects.count() == 0


def test_a_body_larger_than_the_upload_limit_is_refused_with_400(client):
    huge = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = client.post(REGISTER_URL, survey_payload(summary=huge))

    assert response.status_code == 400
    assert Member.objects.count() == 0


def test_too_many_form_fields_are_refused_with_400(client):
    many = {f"extra{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}

    response = client.post(REGISTER_URL, {**survey_payload(), **many})

    assert response.status_code == 400
    assert Member.objects.count() == 0


# Hostile text in formatted answers


@pytest.mark.parametrize("payload", hostile.ALL.values(), ids=hostile.ALL.keys())
def test_hostile_text_in_every_formatted_answer_gets_field_errors(client, payload):
    answers = dict.fromkeys(hostile.FORMATTED_FIELDS, payload)

    response = client.post(REGISTER_URL, survey_payload(**answers))

    assert set(field_errors(response)) == set(hostile.FORMATTED_FIELDS)
    assert Member.objects.count() == 0


@pytest.mark.parametrize(
    "address",
    [
        "amina@example.org\nBcc: everyone@example.org",
        "amina@example.org\r\nSubject: hello",
        "amina@example.org, other@example.org",
        "Amina <amina@example.org>",
        "amina@example.org%0aBcc:x@example.org",
        "amina@[127.0.0.1]\x00",
    ],
)
def test_e_mail_header_injection_in_the_address_is_refused_and_sends_nothing(
    submit, mailoutbox, address
):
    response = submit(REGISTER_URL, survey_payload(email=address))

    assert "email" in field_errors(response)
    assert mailoutbox == []


def test_markup_in_the_path_of_a_web_address_is_kept_as_text_on_the_update_page(
    client, submit, mailoutbox
):
    url = 'https://example.org/"><script>alert(1)</script>'
    submit(REGISTER_URL, survey_payload(website_url=url))
    member = Member.objects.get()
    assert member.website_url == url

    page = audit(client.get(link_to_update(member)).content.decode())

    assert page.input_values["website_url"] == [url]
    assert page.scripts.count(None) == 0


def link_to_update(member) -> str:
    return reverse("registry:profile_edit", args=[link_token_make(member=member, kind=UPDATE)])


# E-mails


@pytest.mark.parametrize("payload", MARKUP.values(), ids=MARKUP.keys())
def test_markup_in_the_name_is_escaped_in_the_html_e_mail_and_verbatim_in_the_text(
    submit, make_member, mailoutbox, payload
):
    # Only a confirmed member is greeted by name (tests/security/test_e_mail_content.py).
    make_member(email="hostile@example.org", full_name=payload)
    make_member(email="clean@example.org")
    submit(PROFILE_URL, {"email": "hostile@example.org"})
    submit(PROFILE_URL, {"email": "clean@example.org"})

    (hostile_mail, clean_mail) = mailoutbox
    # A name a mail program could show as a link is left out.
    greeting = "Hello," if "javascript:" in payload else f"Dear {payload},"
    assert hostile_mail.body.startswith(greeting + "\n")
    assert_runs_nothing_new(html_body(hostile_mail), baseline=html_body(clean_mail))


@pytest.mark.parametrize(
    "payload",
    [
        "{{ settings.SECRET_KEY }}",
        "{% debug %}",
        "{{ confirm_url }}",
        "{% include 'registry/email/base.txt' %}",
    ],
)
def test_template_syntax_in_the_name_is_not_evaluated_in_e_mails(
    submit, make_member, mailoutbox, payload
):
    make_member(email="amina.khan@example.org", full_name=payload)
    submit(PROFILE_URL, {"email": "amina.khan@example.org"})

    (message,) = mailoutbox
    # A name with a dot between two words could become a link: left out.
    greeted = payload in ("{% debug %}", "{{ confirm_url }}")
    assert message.body.startswith("Dear " if greeted else "Hello,")
    for body in (message.body, html_body(message)):
        if greeted:
            assert payload in body
        assert settings.SECRET_KEY not in body
        assert body.count("/profile/edit/") == 1


def test_markup_in_a_stored_name_is_escaped_in_the_manage_and_withdrawal_e_mails(
    client, submit, make_member, mailoutbox
):
    payload = MARKUP["script_tag"]
    member = make_member(email="amina.khan@example.org", full_name=payload)

    submit(PROFILE_URL, {"email": "amina.khan@example.org"})
    (manage,) = mailoutbox
    submit(link_to(manage, "registry:profile_withdraw"), {})
    _, withdrawn = mailoutbox

    for message in (manage, withdrawn):
        assert f"Dear {payload}," in message.body
        html = html_body(message)
        assert "<script>" not in html and "&lt;script&gt;" in html
    member.refresh_from_db()
    assert member.status == Member.Status.WITHDRAWN


def test_the_e_mail_subject_never_carries_what_the_visitor_typed(submit, mailoutbox):
    submit(REGISTER_URL, survey_payload(full_name="Amina\u2028Bcc: x@example.org"))

    (message,) = mailoutbox
    assert "Amina" not in message.subject
    assert message.to == ["amina.khan@example.org"]
    assert message.bcc == [] and message.cc == []


# The link request form and the link pages


@pytest.mark.parametrize("payload", hostile.ALL.values(), ids=hostile.ALL.keys())
def test_hostile_text_in_the_link_request_is_refused_without_an_error_page(client, payload):
    response = client.post(PROFILE_URL, {"email": payload, "homepage": payload})

    # A filled honeypot looks like success; otherwise the address is invalid.
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert "email" in response.context["form"].errors
        baseline = client.post(PROFILE_URL, {"email": "x"}).content.decode()
        assert_runs_nothing_new(response.content.decode(), baseline=baseline)


@pytest.mark.parametrize(
    "view", ["registry:confirm", "registry:profile_edit", "registry:profile_withdraw"]
)
@pytest.mark.parametrize(
    "token",
    [
        *MARKUP.values(),
        "a" * 5000,
        "%00",
        "\x00",
        "..%2f..%2fetc%2fpasswd",
        "\u202egnp.exe",
        "eyJtIjoxfQ:1uAbCd:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "e30:1uAbCd:",
        ".eJyrVspVslIqSk0tUqoFAC7uBSo:1uAbCd:xyz",
    ],
)
def test_a_hostile_token_in_a_link_gets_the_invalid_link_page(client, view, token):
    prefix = reverse(view, args=["TOKEN"]).removesuffix("TOKEN/")
    url = prefix + token.replace("/", "%2F") + "/"

    response = client.get(url)
    posted = client.post(url, {}) if view != "registry:confirm" else response

    for r in (response, posted):
        assert r.status_code in (400, 404)
        html = r.content.decode()
        assert "<script>alert" not in html and "onerror=alert" not in html


def test_a_withdraw_token_made_with_a_guessed_member_id_does_nothing(client, make_member):
    member = make_member()
    token = link_token_make(member=member, kind=WITHDRAW)
    payload, rest = token.split(":", 1)
    forged = "eyJtIjoxLCJzIjoiMCJ9" + ":" + rest

    response = client.post(reverse("registry:profile_withdraw", args=[forged]))

    assert response.status_code == 400
    member.refresh_from_db()
    assert member.status != Member.Status.WITHDRAWN
