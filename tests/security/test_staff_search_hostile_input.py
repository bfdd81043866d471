"""Hostile input to the staff search page and its CSV export.

Every hostile string as the free text and as the value of every filter, and
filters given twice: never a server error. Free text is searched and shown
back in the box as text; a filter value that is no option gets the form's
"not valid" notice and a message next to the filter on the page, and a plain
400 from the export (whose button the page offers only for valid filters).
Hostile names among the results are shown as text.
"""

import codecs
import csv
import io
import re
from html import unescape
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils.html import escape

from registry.models import ExportLog, Member
from registry.staff.forms import FILTER_NAMES
from tests.security.hostile import (
    ACCEPTED,
    ALL,
    CONTROL,
    MARKUP,
    ODD_NUMBERS,
    assert_runs_nothing_new,
    audit,
)

pytestmark = pytest.mark.django_db
SEARCH = reverse("registry:staff_search")
EXPORT = reverse("registry:staff_export")
# The free text is cut to this many characters, never refused for length.
MAX_QUERY_LENGTH = 200
FILTERS = tuple(name for name in FILTER_NAMES if name != "q")
NOT_VALID = "Some filters are not valid; correct them to see results."
# Beyond the hostile strings: values that look like ids or codes and are none.
ODD_VALUES = {
    **ODD_NUMBERS,
    "arabic_digits": "١٢",
    "code_with_space": " 1.2 ",
    "list_syntax": "['GB']",
}
FILTER_VALUES = {**ALL, **ODD_VALUES}


@pytest.fixture
def analyst_client(role_client):
    """An Analyst: searches and exports, so the page offers the export link."""
    return role_client("analyst")


def search(client, **params):
    response = client.get(f"{SEARCH}?{urlencode(params, doseq=True)}")
    assert response.status_code == 200
    return response


def shown_members(results) -> set[str]:
    """Names of the members on the page: grouped, or one subfield's page."""
    if results.page is not None:
        return {row.full_name for row in results.page.object_list}
    return {m.full_name for g in results.fields for s in g.subfields for m in s.members}


def csv_rows(response) -> list[list[str]]:
    data = b"".join(response.streaming_content)
    assert data.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


_HARMLESS_PAGE: list[str] = []


def harmless_page(client) -> str:
    """A search for harmless text that finds no one: which scripts and tags such
    a page carries depends on the template only, so it is made once."""
    if not _HARMLESS_PAGE:
        _HARMLESS_PAGE.append(search(client, q="zzzz", status="all").content.decode())
    return _HARMLESS_PAGE[0]


# The free text.


@pytest.mark.parametrize("payload", ALL.values(), ids=ALL.keys())
def test_hostile_search_text_never_fails_and_is_shown_back_as_text(
    analyst_client, make_member, payload
):
    make_member(full_name="Plain Member", keywords="physics")

    response = search(analyst_client, q=payload, status="all")

    html = response.content.decode()
    form = response.context["form"]
    if "\x00" in payload:
        # A NUL is refused with a message by the filter, never sent to the database.
        assert set(form.errors) == {"q"}
        assert NOT_VALID in html
        assert response.context["results"] is None
    else:
        assert form.is_valid(), form.errors
        assert form.cleaned_data["q"] == payload.strip()[:MAX_QUERY_LENGTH]
        # The box holds the whole text, as text.
        assert audit(html).input_values["q"] == [payload.strip()]
    if payload in MARKUP.values():
        assert payload not in html
        assert_runs_nothing_new(html, baseline=harmless_page(analyst_client))


@pytest.mark.parametrize("payload", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_hostile_names_and_keywords_in_the_results_are_shown_as_text(
    analyst_client, make_member, subfield, payload
):
    # Broad field 1 holds the hostile member, broad field 3 a harmless one.
    member = make_member(full_name=payload[:200].strip(), keywords=payload, job_title=payload)
    make_member(full_name="Plain Member", primary_subfield=subfield("3.2"))

    html = search(analyst_client, status="all", field="1").content.decode()

    assert escape(member.full_name) in html
    assert escape(member.job_title) in html
    if payload in MARKUP.values():
        assert payload not in html
        baseline = search(analyst_client, status="all", field="3").content.decode()
        assert_runs_nothing_new(html, baseline=baseline)


@pytest.mark.parametrize("payload", ALL.values(), ids=ALL.keys())
def test_hostile_search_text_exports_a_csv_or_a_plain_refusal_never_an_error(
    analyst_client, make_member, payload
):
    make_member(full_name="Plain Member")

    response = analyst_client.get(EXPORT, {"q": payload, "status": "all"})

    if "\x00" in payload:
        assert response.status_code == 400
        assert b"The search filters are not valid." in response.content
        assert not ExportLog.objects.exists()
        return
    assert response.status_code == 200
    rows = csv_rows(response)
    assert rows[0][:2] == ["Member ID", "Full name"]
    # The log records the text searched for, as typed (cut to the limit).
    log = ExportLog.objects.get()
    assert log.filters.get("q", "") == payload.strip()[:MAX_QUERY_LENGTH]
    assert log.row_count == len(rows) - 1


def test_the_export_form_carries_hostile_search_text_encoded(analyst_client, make_member):
    payload = MARKUP["attribute_breakout"]
    make_member(full_name="Plain Member", keywords=payload)

    response = search(analyst_client, q=payload, status="all")

    assert response.context["results"].total == 1
    html = response.content.decode()
    export_form = html.split(f'action="{EXPORT}"')[1].split("</form>")[0]
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', export_form))
    assert {name: unescape(value) for name, value in hidden.items()} == {
        "q": response.wsgi_request.GET["q"],
        "status": "all",
    }
    assert payload not in html


# The filters.


@pytest.mark.parametrize("payload", FILTER_VALUES.values(), ids=FILTER_VALUES.keys())
def test_hostile_values_in_every_filter_give_a_message_next_to_each_not_a_failure(
    analyst_client, member, payload
):
    response = search(analyst_client, **dict.fromkeys(FILTERS, payload))

    form = response.context["form"]
    assert set(form.errors) == set(FILTERS)
    html = response.content.decode()
    assert NOT_VALID in html
    assert response.context["results"] is None
    # Each filter says what is wrong, next to it, without echoing markup.
    assert html.count("Select a valid choice.") >= len(FILTERS)
    if payload in MARKUP.values():
        assert payload not in html


@pytest.mark.parametrize("payload", FILTER_VALUES.values(), ids=FILTER_VALUES.keys())
def test_hostile_values_in_every_filter_refuse_the_export_plainly(analyst_client, member, payload):
    response = analyst_client.get(EXPORT, dict.fromkeys(FILTERS, payload))

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert response.content.decode() == "The search filters are not valid."
    assert not ExportLog.objects.exists()


def test_a_filter_given_twice_is_read_as_its_last_value(analyst_client, make_member):
    in_britain = make_member(country="GB", full_name="Amina Rahman")
    make_member(country="FR", full_name="Élodie Lefèvre")

    last_valid = search(analyst_client, country=["<script>", "GB"], status="all")
    last_hostile = search(analyst_client, country=["GB", "<script>"], status="all")

    assert last_valid.context["form"].is_valid()
    assert shown_members(last_valid.context["results"]) == {in_britain.full_name}
    assert set(last_hostile.context["form"].errors) == {"country"}
    assert "<script>" not in last_hostile.content.decode()


def test_every_filter_given_twice_with_hostile_values_never_fails(analyst_client, member):
    params = {name: [MARKUP["script_tag"], "'; DROP TABLE x; --"] for name in FILTER_NAMES}
    params["page"] = ["-1", "²"]

    response = search(analyst_client, **params)

    assert set(response.context["form"].errors) == set(FILTERS)
    assert MARKUP["script_tag"] not in response.content.decode()


def test_unknown_parameters_such_as_sort_are_ignored(analyst_client, member):
    response = search(
        analyst_client, status="all", sort="full_name; DROP TABLE x", o="-email", **{"q[]": "x"}
    )

    assert response.context["form"].is_valid()
    assert response.context["results"].total == 1


PAGE_VALUES = {
    **{k: v for k, v in ALL.items() if k in {"script_tag", "sql_quote", "urdu"}},
    **CONTROL,
    **ODD_NUMBERS,
    "huge": "999999",
    "float": "1.5",
    "last": "last",
}


@pytest.mark.parametrize("page", PAGE_VALUES.values(), ids=PAGE_VALUES.keys())
def test_a_hostile_page_number_shows_a_real_page_of_the_subfield(
    analyst_client, make_member, subfield, page
):
    names = {make_member(primary_subfield=subfield("1.2")).full_name for _ in range(3)}

    response = search(analyst_client, subfield="1.2", status="all", page=page)

    results = response.context["results"]
    assert results.page is not None
    # A page that does not exist shows the first or the last one.
    assert shown_members(results) == names
    assert results.page.number == 1
    if page in MARKUP.values():
        assert page not in response.content.decode()


def test_hostile_text_with_every_filter_valid_lists_and_exports_the_same_members(
    analyst_client, make_member, subfield
):
    wanted = make_member(
        full_name="Amina <b>Rahman</b>",
        keywords="machine learning",
        country="GB",
        primary_subfield=subfield("1.2"),
        status=Member.Status.VERIFIED,
    )
    make_member(full_name="Other", keywords="cardiology", primary_subfield=subfield("3.2"))
    params = {"q": "rahman <b>", "subfield": "1.2", "country": "GB", "status": "verified"}

    page = search(analyst_client, **params)
    export = analyst_client.get(EXPORT, params)

    assert escape(wanted.full_name) in page.content.decode()
    assert [row[1] for row in csv_rows(export)[1:]] == [wanted.full_name]
