"""Validation of the survey: every rule, with its message next to the field."""

import re

import pytest
from django.http import QueryDict
from django.utils import timezone

from registry.forms import SurveyForm
from registry.link_forms import LinkRequestForm
from registry.models import Member, Subfield
from registry.survey import SURVEY_FIELDS
from tests.factories import REGISTER_URL, survey_payload

pytestmark = pytest.mark.django_db

CONTROL_MESSAGE = "Remove the invisible control characters from this field."


def bound_form(**overrides) -> SurveyForm:
    data = QueryDict(mutable=True)
    for key, value in survey_payload(**overrides).items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return SurveyForm(data)


def errors_for(**overrides) -> dict:
    form = bound_form(**overrides)
    assert not form.is_valid()
    return form.errors


def test_the_complete_payload_is_valid():
    form = bound_form()
    assert form.is_valid(), form.errors


REQUIRED = {
    "full_name": "Enter your full name.",
    "email": "Enter your e-mail address.",
    "country": "Choose the country where you live.",
    "connection": "Choose your connection to the country.",
    "highest_qualification": "Choose your highest qualification.",
    "sector": "Choose the sector you work in.",
    "career_stage": "Choose your career stage.",
    "primary_subfield": "Choose your main field of expertise.",
    "consent_processing": "To register, please agree that we keep and use your answers; "
    "without it we cannot include you in the network.",
}


@pytest.mark.parametrize(("name", "message"), REQUIRED.items())
def test_required_answer_missing_says_what_to_do(name, message):
    assert errors_for(**{name: None})[name] == [message]


@pytest.mark.parametrize("name", ["full_name", "email"])
def test_required_answer_of_only_spaces_is_missing(name):
    assert errors_for(**{name: "  \t "})[name] == [REQUIRED[name]]


@pytest.mark.parametrize("name", [n for n in SURVEY_FIELDS if n not in REQUIRED])
def test_optional_answer_may_be_left_out(name):
    form = bound_form(**{name: None})
    assert form.is_valid(), form.errors


def test_text_is_trimmed_and_composed_to_nfc():
    form = bound_form(full_name="  Ami\u0301na  Khan \t", city=" Zu\u0308rich ")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["full_name"] == "Amína  Khan"
    assert form.cleaned_data["city"] == "Zürich"


def test_e_mail_address_is_trimmed_and_lower_cased():
    form = bound_form(email="  Amina.Khan@Example.ORG ")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["email"] == "amina.khan@example.org"


@pytest.mark.parametrize("value", ["amina", "amina@", "amina@example", "a b@example.org"])
def test_invalid_e_mail_address(value):
    assert errors_for(email=value)["email"] == ["Enter an e-mail address such as name@example.org."]


@pytest.mark.parametrize("name", ["full_name", "city", "organisation", "keywords"])
@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b", "\x7f", "\u0085", "\n"])
def test_control_characters_in_single_line_text_are_refused(name, bad):
    errors = errors_for(**{name: "Amina" + bad + "Khan"})[name]
    assert CONTROL_MESSAGE in errors or "Null characters are not allowed." in errors


@pytest.mark.parametrize("name", ["summary", "home_collaborations"])
def test_multi_line_text_keeps_line_breaks_and_refuses_other_controls(name):
    form = bound_form(**{name: "First line\r\nSecond line\n\tindented"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data[name] == "First line\nSecond line\n\tindented"
    assert CONTROL_MESSAGE in errors_for(**{name: "bell\x07"})[name]
    assert "Null characters are not allowed." in errors_for(**{name: "nul\x00"})[name]


@pytest.mark.parametrize(
    ("name", "limit"),
    [
        ("full_name", 200),
        ("phone", 40),
        ("city", 120),
        ("home_region", 120),
        ("qualification_subject", 200),
        ("qualification_institution", 200),
        ("job_title", 200),
        ("organisation", 200),
        ("keywords", 500),
        ("summary", 2000),
        ("home_collaborations", 2000),
    ],
)
def test_every_text_answer_has_a_length_limit(name, limit):
    assert bound_form(**{name: "a" * limit}).is_valid()
    (message,) = errors_for(**{name: "a" * (limit + 1)})[name]
    assert f"at most {limit} characters" in message


def test_line_breaks_count_as_one_character_like_the_browser_counts_them():
    text = ("a" * 99 + "\r\n") * 20  # 2,000 characters as typed, 2,020 as sent
    form = bound_form(summary=text)
    assert form.is_valid(), form.errors


def test_text_boxes_tell_the_browser_their_limit(client):
    html = client.get(REGISTER_URL).content.decode()
    assert re.search(r'<textarea[^>]*name="summary"[^>]*maxlength="2000"', html)
    assert re.search(r'<input[^>]*name="full_name"[^>]*maxlength="200"', html)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("https://orcid.org/0000-0002-1694-233x", "0000-0002-1694-233X"),
        (" orcid.org/0000-0002-1825-0097 ", "0000-0002-1825-0097"),
    ],
)
def test_orcid_accepts_the_bare_id_or_its_link(typed, stored):
    form = bound_form(orcid=typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["orcid"] == stored


@pytest.mark.parametrize(
    ("typed", "code_word"),
    [
        ("0000-0002-1825-0098", "last character"),
        ("0000-0002-1825", "such as"),
        ("https://example.org/0000-0002-1825-0097", "such as"),
    ],
)
def test_orcid_with_a_wrong_format_or_check_digit_is_refused(typed, code_word):
    messages = errors_for(orcid=typed)["orcid"]
    assert any(code_word in message for message in messages)


@pytest.mark.parametrize(
    "value", ["javascript:alert(1)", "ftp://example.org/me", "http://", "not a url"]
)
def test_profile_links_must_be_web_addresses(value):
    assert errors_for(website_url=value)["website_url"] == ["Enter a valid URL."]


def test_a_web_address_without_scheme_gets_https():
    form = bound_form(website_url="example.org/amina")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["website_url"] == "https://example.org/amina"


def test_qualification_year_must_be_in_range_and_not_in_the_future():
    this_year = timezone.localdate().year
    assert bound_form(qualification_year=str(this_year)).is_valid()
    assert errors_for(qualification_year=str(this_year + 1))["qualification_year"] == [
        "The year cannot be in the future."
    ]
    (message,) = errors_for(qualification_year="1939")["qualification_year"]
    assert "greater than or equal to 1940" in message
    assert errors_for(qualification_year="twenty")["qualification_year"] == [
        "Enter a whole number."
    ]


@pytest.mark.parametrize(("name", "top"), [("years_experience", 80), ("hours_per_month", 200)])
def test_numbers_in_range(name, top):
    assert bound_form(**{name: str(top)}).is_valid()
    assert name in errors_for(**{name: str(top + 1)})
    assert name in errors_for(**{name: "-1"})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("sector", "pirate"),
        ("connection", "alien"),
        ("gender", "x"),
        ("career_stage", "r9"),
        ("country", "XX"),
        ("primary_subfield", "999999"),
        ("subfields", ["999999"]),
        ("sdgs", ["abc"]),
    ],
)
def test_answers_outside_the_offered_choices_are_refused(name, value):
    assert name in errors_for(**{name: value})


def test_the_main_field_is_not_also_kept_among_the_other_fields(subfield):
    main, other = subfield("3.2"), subfield("1.3")
    form = bound_form(primary_subfield=str(main.pk), subfields=[str(main.pk), str(other.pk)])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["subfields"] == [subfield("1.3")]


def test_a_registered_address_is_not_a_form_error(make_member):
    make_member(email="amina.khan@example.org")
    form = bound_form(email="Amina.Khan@example.org")
    assert form.is_valid(), form.errors


def test_survey_data_holds_only_survey_fields():
    form = bound_form(status="verified", id="7")
    assert form.is_valid()
    data = form.survey_data()
    assert "homepage" not in data and "status" not in data and "id" not in data
    assert data["full_name"] == "Amina Khan"


def test_errors_are_shown_next_to_the_field_and_summed_up_at_the_top(client):
    response = client.post(
        REGISTER_URL,
        survey_payload(full_name=None, connection=None, consent_processing=None, orcid="1234"),
    )

    assert response.status_code == 200
    html = response.content.decode()
    summary = re.search(r'<div id="survey-errors".*?</div>', html, re.S).group(0)
    anchors = re.findall(r'href="#([^"]+)"', summary)
    assert anchors == ["id_full_name", "id_connection_0", "id_orcid", "id_consent_processing"]
    for anchor in anchors:
        assert f'id="{anchor}"' in html
    assert "Full name: Enter your full name." in summary
    # Next to the field, and announced with it.
    assert re.search(
        r'<input[^>]*name="full_name"[^>]*aria-invalid="true"[^>]*'
        r'aria-describedby="id_full_name_helptext id_full_name_error"',
        html,
    )
    error = r'id="id_full_name_error"[^>]*>\s*<span[^>]*><strong>Enter your full name.'
    assert re.search(error, html)


def test_what_was_typed_survives_a_validation_error(client, subfield):
    response = client.post(
        REGISTER_URL,
        survey_payload(full_name=None, city="Zürich", summary="Line one\r\nLine two"),
    )

    html = response.content.decode()
    assert 'value="Zürich"' in html
    assert 'value="amina.khan@example.org"' in html
    assert re.search(r'<option value="GB"[^>]*selected', html)
    assert re.search(r'value="dual"[^>]*checked', html)
    assert re.search(rf'<option value="{subfield("3.2").pk}" selected>', html)
    other = subfield("1.3").pk
    assert re.search(rf'name="subfields" value="{other}"[^>]*checked', html)
    # The group holding a ticked subfield stays open.
    assert re.search(r'<details class="choice-group" open>\s*<summary>Natural sciences', html)
    assert re.search(r'<details class="choice-group">\s*<summary>Humanities and the arts', html)
    assert re.search(r'name="consent_processing"[^>]*checked', html)
    assert re.search(r"Line one\r?\nLine two</textarea>", html)
    assert Member.objects.count() == 0


def test_link_request_form_normalises_the_address():
    form = LinkRequestForm({"email": " Amina.Khan@Example.org "})
    assert form.is_valid()
    assert form.cleaned_data["email"] == "amina.khan@example.org"


def test_subfield_choices_are_grouped_by_broad_field_in_taxonomy_order():
    form = SurveyForm()
    empty, *grouped = form.fields["primary_subfield"].choices
    groups = [(group, len(options)) for group, options in grouped]
    assert groups == [
        ("Natural sciences", 7),
        ("Engineering and technology", 11),
        ("Medical and health sciences", 5),
        ("Agricultural and veterinary sciences", 5),
        ("Social sciences", 9),
        ("Humanities and the arts", 5),
    ]
    assert empty == ("", "Choose…")
    assert Subfield.objects.count() == 42


def test_free_text_boxes_follow_the_direction_of_what_is_typed(db):
    form = SurveyForm()

    assert form.fields["full_name"].widget.attrs["dir"] == "auto"
    assert form.fields["summary"].widget.attrs["dir"] == "auto"
    assert "dir" not in form.fields["email"].widget.attrs
    assert "dir" not in form.fields["phone"].widget.attrs
