"""Hostile text in the admin: stored member data, the search box, filters, the change form.

Members whose every text field holds a hostile string (created through the
services, as the survey and imports do) are shown on the member list, their
change page and their history page as text: the escaped form is in the page,
the markup never is, and the page runs no script the same page with harmless
data would not. The search box and the list's filters take hostile GET
values without a server error. Posting hostile values through the change
form stores them composed (NFC); control characters and oversized values
get a field error.
"""

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils.html import escape

from registry.admin.forms import EDITABLE_FIELDS
from registry.models import Member
from tests.security.hostile import (
    ACCEPTED,
    ALL,
    CONTROL,
    MARKUP,
    MULTI_LINE_TEXT_FIELDS,
    ODD_NUMBERS,
    TEXT_FIELDS,
    assert_runs_nothing_new,
    audit,
    fits,
)

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:registry_member_changelist")
RELATIONS = ("subfields", "engagement_types", "sdgs", "international_projects")


@pytest.fixture
def superuser_client(role_client):
    return role_client("superuser")


def every_text_field(value: str) -> dict[str, str]:
    """The value in every free-text field, cut to each field's limit."""
    return {name: fits(value, limit) for name, limit in TEXT_FIELDS.items()}


def member_pages(client, member) -> dict[str, str]:
    """The member list (searched down to the member), change page and history page."""
    urls = {
        "list": CHANGELIST + f"?q={member.email}",
        "change": reverse("admin:registry_member_change", args=[member.pk]),
        "history": reverse("admin:registry_member_history", args=[member.pk]),
    }
    pages = {}
    for page, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, page
        pages[page] = response.content.decode()
    return pages


_HARMLESS_PAGES: dict[str, str] = {}


def harmless_pages(client, make_member) -> dict[str, str]:
    """The same pages for a harmless member: what scripts and tags they carry
    depends on the templates only, so they are made once for the module."""
    if not _HARMLESS_PAGES:
        _HARMLESS_PAGES.update(member_pages(client, make_member(email="clean@example.org")))
    return _HARMLESS_PAGES


# Stored hostile text, shown by the admin.


@pytest.mark.parametrize("payload", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_hostile_text_stored_in_every_field_is_shown_escaped_on_list_change_and_history_pages(
    superuser_client, make_member, payload
):
    answers = every_text_field(payload)
    member = make_member(email="hostile@example.org", **answers)

    pages = member_pages(superuser_client, member)

    name = escape(answers["full_name"])
    for page, html in pages.items():
        assert name in html, page
    assert escape(answers["organisation"]) in pages["list"]
    # The change form holds each whole value inside its own input or textarea.
    form = audit(pages["change"])
    for field, value in answers.items():
        shown = (
            form.textareas[field] if field in MULTI_LINE_TEXT_FIELDS else form.input_values[field]
        )
        assert shown in (value, [value]), field
    if payload in MARKUP.values():
        # Never as markup: no more script than the same pages of a harmless member.
        baseline = harmless_pages(superuser_client, make_member)
        for page, html in pages.items():
            assert payload not in html, page
            assert_runs_nothing_new(html, baseline=baseline[page])


def test_a_long_name_is_shown_whole_and_escaped(superuser_client, make_member):
    long_name = ("<b>Ω</b> " * 40)[:200].strip()
    member = make_member(email="long@example.org", full_name=long_name)

    pages = member_pages(superuser_client, member)

    for page, html in pages.items():
        assert escape(long_name) in html, page
        assert "<b>Ω</b>" not in html, page


# The search box and the filters of the member list.


def assert_list_answers(response, hostile: str) -> None:
    """A list page, or the admin's redirect for a wrong filter (?e=1); never markup."""
    if response.status_code == 302:
        assert response["Location"] == CHANGELIST + "?e=1"
        return
    assert response.status_code == 200
    html = response.content.decode()
    if hostile in MARKUP.values():
        assert hostile not in html


@pytest.mark.parametrize("payload", ALL.values(), ids=ALL.keys())
def test_hostile_search_text_lists_without_error_and_is_echoed_escaped(
    superuser_client, make_member, payload
):
    name = fits(payload, 200) if payload in ACCEPTED.values() else "Plain Name"
    make_member(full_name=name, email="hostile@example.org")

    response = superuser_client.get(CHANGELIST, {"q": payload})

    assert response.status_code == 200
    page = audit(response.content.decode())
    # What was searched for is shown back in the box, as text; Django's search
    # form refuses a NUL, and the box then stays empty.
    assert page.input_values["q"] == ["" if "\x00" in payload else payload]
    assert_list_answers(response, payload)


def test_a_search_as_long_as_a_book_lists_without_error(superuser_client, member):
    response = superuser_client.get(CHANGELIST, {"q": "zzyzx " * 5000})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


# Every filter and list parameter of the member list, with values no option has.
LIST_PARAMETERS = (
    "status__exact",
    "broad_field",
    "subfield",
    # cluster and engagement are the same filter class as sdg.
    "sdg",
    "country",
    # sector and career stage are the same filter class as qualification.
    "highest_qualification__exact",
    "consent_contact__exact",
    "email_confirmed_at__isempty",
    "created_at__year",
    "created_at__month",
    "created_at__day",
    "o",
    "p",
)
HOSTILE_VALUES = {
    "script_tag": MARKUP["script_tag"],
    "attribute_breakout": MARKUP["attribute_breakout"],
    "sql_quote": "'; DROP TABLE registry_member; --",
    "nul": "1\x00",
    **ODD_NUMBERS,
    "arabic_digits": "١٢",
    "huge_page": "999999",
    # Years the date hierarchy cannot turn into a date range.
    "last_year_of_dates": "9999",
}


@pytest.mark.parametrize("parameter", LIST_PARAMETERS)
def test_hostile_filter_values_give_the_list_or_a_wrong_filter_notice_never_an_error(
    superuser_client, make_member, parameter
):
    member = make_member(email="filtered@example.org")

    for kind, value in HOSTILE_VALUES.items():
        response = superuser_client.get(CHANGELIST, {parameter: value})
        assert_list_answers(response, value)
        if response.status_code == 200 and parameter in {"o", "p"}:
            # A wrong sort or page number still shows the members.
            assert member in response.context["cl"].result_list, kind


def test_filter_values_given_twice_or_as_lists_never_fail(superuser_client, member):
    query = "country=GB&country=<script>&subfield=1&subfield=²&status__exact=%00&status__exact=b"

    dates = "created_at__year=2020&created_at__year=9999&created_at__month=12"

    response = superuser_client.get(f"{CHANGELIST}?{query}&{dates}&p=1&p=-1&o=1&o=x")

    assert_list_answers(response, "<script>")


def test_the_error_notice_after_a_wrong_filter_shows_the_list(superuser_client, member):
    wrong = superuser_client.get(CHANGELIST, {"country": "<script>"})

    notice = superuser_client.get(wrong["Location"])

    assert notice.status_code == 200
    assert member in notice.context["cl"].result_list


@pytest.mark.parametrize("value", [*ODD_NUMBERS.values(), "١٢", "<script>", "1\x00"])
def test_member_autocomplete_with_a_hostile_exclude_value_answers_json(
    superuser_client, member, value
):
    params = {"app_label": "registry", "model_name": "member", "field_name": "duplicate_of"}

    response = superuser_client.get(
        reverse("admin:registry_member_autocomplete"), {**params, "exclude": value}
    )

    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(member.pk)]


# The change form, posted with hostile values.


def change_form_data(member: Member, **changes) -> dict:
    """The change form as the page would post it, with `changes` typed in."""
    data = model_to_dict(member, fields=EDITABLE_FIELDS)
    for name in RELATIONS:
        data[name] = [related.pk for related in data[name]]
    data = {name: "" if value is None else value for name, value in data.items()}
    data.update(changes)
    return data


def post_change(client, member, **changes):
    url = reverse("admin:registry_member_change", args=[member.pk])
    return client.post(url, change_form_data(member, **changes))


def form_errors(response) -> dict:
    assert response.status_code == 200, response.status_code
    return response.context["adminform"].form.errors


@pytest.fixture
def focal_point_client(role_client):
    return role_client("focal_point")


@pytest.mark.parametrize("payload", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_hostile_text_posted_through_the_change_form_is_stored_in_nfc(
    focal_point_client, member, payload
):
    typed = {name: payload[:limit] for name, limit in TEXT_FIELDS.items()}

    response = post_change(focal_point_client, member, **typed)

    assert response.status_code == 302, form_errors(response)
    member.refresh_from_db()
    for name, value in typed.items():
        assert getattr(member, name) == fits(value, TEXT_FIELDS[name]), name


def test_decomposed_accents_posted_through_the_change_form_are_stored_composed(
    focal_point_client, member
):
    response = post_change(
        focal_point_client, member, full_name=" Ame\u0301lie Lefe\u0300vre ", city="Zu\u0308rich"
    )

    assert response.status_code == 302, form_errors(response)
    member.refresh_from_db()
    assert member.full_name == "Amélie Lefèvre"
    assert member.city == "Zürich"
    # The search keys follow the stored, composed name.
    assert "amelie lefevre" in member.search_document


@pytest.mark.parametrize("payload", CONTROL.values(), ids=CONTROL.keys())
def test_control_characters_posted_through_the_change_form_get_field_errors(
    focal_point_client, member, payload
):
    before = {name: getattr(member, name) for name in TEXT_FIELDS}

    response = post_change(focal_point_client, member, **every_text_field(payload))

    assert set(form_errors(response)) == set(TEXT_FIELDS)
    member.refresh_from_db()
    assert {name: getattr(member, name) for name in TEXT_FIELDS} == before


@pytest.mark.parametrize(
    "oversized",
    [
        lambda limit: "a" * (limit + 1),
        lambda limit: "👩🏽‍🔬" * limit,
        # NFC turns U+0958 into two code points: it fits as typed, not as stored.
        lambda limit: "\u0958" * limit,
        lambda limit: "x" * 20_000,
    ],
    ids=["one_over", "emoji", "grows_under_nfc", "twenty_thousand"],
)
def test_oversized_values_posted_through_the_change_form_get_field_errors_not_a_500(
    focal_point_client, member, oversized
):
    before = member.full_name

    response = post_change(
        focal_point_client,
        member,
        **{name: oversized(limit) for name, limit in TEXT_FIELDS.items()},
    )

    errors = form_errors(response)
    assert set(errors) == set(TEXT_FIELDS)
    for name, limit in TEXT_FIELDS.items():
        assert f"at most {limit} characters" in errors[name][0], name
    member.refresh_from_db()
    assert member.full_name == before


def test_a_refused_change_form_shows_the_hostile_values_back_escaped(focal_point_client, member):
    # Each kind of markup in its own field; a control character in the phone
    # number keeps the form on the page.
    fields = ["full_name", "city", "home_region", "job_title", "summary", "organisation"]
    typed = dict(zip([*fields, "home_collaborations"], MARKUP.values(), strict=True))
    typed["phone"] = "1\x07"

    response = post_change(focal_point_client, member, **typed)

    assert set(form_errors(response)) == {"phone"}
    html = response.content.decode()
    page = audit(html)
    for name, value in typed.items():
        if name == "phone":
            continue
        assert value not in html, name
        shown = page.textareas[name] if name in MULTI_LINE_TEXT_FIELDS else page.input_values[name]
        assert shown in (value, [value]), name


# The other lists of the admin.


@pytest.mark.parametrize(
    "params",
    [
        {"q": MARKUP["script_tag"], "o": "xyz", "p": "-1"},
        {"q": "1\x00", "p": "999999"},
        {"o": "1.2.-3", "p": "²"},
    ],
    ids=["markup_search_bad_sort_and_page", "nul_search_huge_page", "odd_sort_and_page"],
)
def test_every_admin_list_takes_hostile_search_sort_and_page_values(superuser_client, params):
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = superuser_client.get(url, params)
        if response.status_code == 302:
            assert response["Location"] == url + "?e=1", model
        else:
            assert response.status_code == 200, model
            assert MARKUP["script_tag"] not in response.content.decode(), model


@pytest.mark.parametrize(
    "params",
    [{"entry_point__exact": "admin\x00"}, {"started_at__year": "9999"}, {"started_at__year": "²"}],
    ids=["nul_in_a_choice", "year_9999", "superscript_year"],
)
def test_the_export_log_list_shows_a_wrong_filter_notice_for_hostile_filters(
    superuser_client, params
):
    url = reverse("admin:registry_exportlog_changelist")

    response = superuser_client.get(url, params)

    assert response.status_code == 302
    assert response["Location"] == url + "?e=1"
