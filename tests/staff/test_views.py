"""The staff search page and its CSV export (registry.staff.views)."""

import codecs
import csv
import io
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.demo.seed import demo_members_seed
from registry.models import ExportLog, Member
from registry.search import SearchTimedOut, grouping
from registry.services.roles import ANALYST, FOCAL_POINT, VIEWER
from tests.factories import ANALYST_PERMS, VIEWER_PERMS, staff_user

pytestmark = pytest.mark.django_db
SEARCH = reverse("registry:staff_search")
EXPORT = reverse("registry:staff_export")


def url(base: str, **params) -> str:
    return f"{base}?{urlencode(params)}" if params else base


def csv_rows(response) -> list[list[str]]:
    data = b"".join(response.streaming_content)
    assert data.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.fixture
def viewer(db):
    return staff_user(perms=VIEWER_PERMS, username="viewer")


@pytest.fixture
def analyst(db):
    return staff_user(perms=ANALYST_PERMS, username="analyst")


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


# Access.


@pytest.mark.parametrize("path", [SEARCH, EXPORT])
def test_anonymous_users_go_to_the_admin_login(client, path):
    response = client.get(path + "?q=x")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login") + "?next=")
    assert not ExportLog.objects.exists()


@pytest.mark.parametrize("path", [SEARCH, EXPORT])
def test_staff_without_the_view_permission_get_403(client, path):
    client.force_login(staff_user(username="nobody"))
    assert client.get(path).status_code == 403


def test_a_non_staff_user_with_the_permission_gets_403(client, members):
    client.force_login(staff_user(perms=ANALYST_PERMS, username="outsider", is_staff=False))
    assert client.get(SEARCH).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_viewer_searches_but_gets_no_csv(viewer_client, members):
    page = viewer_client.get(SEARCH)
    assert page.status_code == 200
    assert EXPORT not in page.content.decode()
    response = viewer_client.get(EXPORT)
    assert response.status_code == 403
    assert not isinstance(response, StreamingHttpResponse)
    assert not ExportLog.objects.exists()


@pytest.mark.parametrize(
    ("role", "may_export"), [(VIEWER, False), (ANALYST, True), (FOCAL_POINT, True)]
)
def test_the_staff_roles_search_and_exporting_roles_export(client, members, role, may_export):
    user = staff_user(username=role.lower().replace(" ", "_"))
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    assert client.get(SEARCH).status_code == 200
    response = client.get(EXPORT)
    assert isinstance(response, StreamingHttpResponse) is may_export
    assert response.status_code == (200 if may_export else 403)
    if may_export:
        assert len(csv_rows(response)) == 8
    assert ExportLog.objects.count() == int(may_export)


def test_search_page_only_answers_get(viewer_client):
    assert viewer_client.post(SEARCH).status_code == 405


# The page.


def test_page_groups_members_by_field_with_counts(viewer_client, members):
    response = viewer_client.get(SEARCH)
    html = response.content.decode()
    results = response.context["results"]
    assert results.total == 7
    assert [(g.code, g.count) for g in results.fields] == [("1", 4), ("3", 2), ("6", 1)]
    assert [(s.code, s.count) for s in results.fields[0].subfields] == [("1.2", 2), ("1.3", 2)]
    assert "1 Natural sciences" in html and "1.2 Computer and information sciences" in html
    assert "under their main subfield" in html  # the counting rule is stated
    change_url = reverse("admin:registry_member_change", args=[members["jiri"].pk])
    assert f'href="{change_url}"' in html
    assert "Jiří Dvořák" in html and "عائشہ خان" in html
    assert "Ghulam Qureshi" not in html  # unconfirmed: not in the default result


def test_page_in_urdu_names_fields_and_filters_in_urdu_with_the_same_queries(
    viewer_client, members, urdu
):
    # The session and the user, read once, are not compared, nor the
    # taxonomy's choices, read once per language (StaffSearchForm).
    viewer_client.get(SEARCH)
    viewer_client.get(SEARCH, headers=urdu)
    with CaptureQueriesContext(connection) as english:
        viewer_client.get(SEARCH)
    with CaptureQueriesContext(connection) as queries:
        html = viewer_client.get(SEARCH, headers=urdu).content.decode()
    assert "1 قدرتی علوم" in html
    assert "1.2 کمپیوٹر اور معلوماتی علوم" in html
    assert "Computer and information sciences" not in html
    # The filters: engagement types are read as values, not rows.
    assert '<option value="joint-research">مشترکہ تحقیق</option>' in html
    assert "SDG 13: موسمیاتی اقدامات" in html
    assert len(queries) == len(english)


def test_page_offers_show_all_when_a_subfield_has_more(viewer_client, members, monkeypatch):
    monkeypatch.setattr(grouping, "PER_SUBFIELD", 1)
    html = viewer_client.get(SEARCH).content.decode()
    assert "Show all 2 members" in html
    assert "subfield=1.2" in html


def test_page_narrowed_to_a_subfield_lists_it(viewer_client, members):
    response = viewer_client.get(url(SEARCH, subfield="1.3"))
    results = response.context["results"]
    assert results.page is not None
    assert [m.full_name for m in results.page.object_list] == ["Chen Wei", "Jiří Dvořák"]
    html = response.content.decode()
    assert "Back to all fields" in html
    assert "Amina Rahman" not in html


def test_status_filter_can_show_every_member(viewer_client, members):
    confirmed = viewer_client.get(SEARCH).context["results"].total
    everyone = viewer_client.get(url(SEARCH, status="all")).context["results"].total
    unconfirmed = viewer_client.get(url(SEARCH, status="unconfirmed")).context["results"]
    assert (confirmed, everyone, unconfirmed.total) == (7, 9, 1)
    assert unconfirmed.fields[0].subfields[0].members[0].full_name == "Ghulam Qureshi"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": '"particle physics"'}, {"Chen Wei"}),
        ({"q": "oncology OR cardiology"}, {"Élodie Lefèvre", "Farhan Malik"}),
        ({"q": "physics -cern"}, {"Jiří Dvořák"}),
        ({"q": "DVORAK"}, {"Jiří Dvořák"}),
        ({"q": "physics", "country": "CZ"}, {"Jiří Dvořák"}),
        ({"cluster": "health-biomedicine"}, {"Bilal Chaudhry", "Élodie Lefèvre", "Farhan Malik"}),
        ({"engagement": "lectures"}, {"Amina Rahman", "Bilal Chaudhry"}),
        ({"sdg": "3"}, {"Élodie Lefèvre", "Farhan Malik"}),
        ({"field": "3"}, {"Élodie Lefèvre", "Farhan Malik"}),
        ({"sector": "industry"}, {"Bilal Chaudhry"}),
        ({"qualification": "masters"}, {"Jiří Dvořák"}),
        ({"stage": "r4"}, {"Élodie Lefèvre"}),
    ],
)
def test_filters_in_the_url_narrow_the_results(viewer_client, members, params, expected):
    results = viewer_client.get(url(SEARCH, **params)).context["results"]
    shown = {m.full_name for g in results.fields for s in g.subfields for m in s.members}
    assert shown == expected
    assert results.total == len(expected)


@pytest.mark.parametrize("text", ["((", '"', "!&|", "'", "\\", "a" * 5000, "<script>x</script>"])
def test_odd_search_text_never_fails(viewer_client, members, text):
    response = viewer_client.get(url(SEARCH, q=text))
    assert response.status_code == 200
    assert "<script>x" not in response.content.decode()
    assert response.context["form"].cleaned_data["q"] == text[:200]


def test_invalid_filter_values_show_an_error_not_a_failure(viewer_client, members):
    response = viewer_client.get(url(SEARCH, subfield="9.99", status="bogus"))
    assert response.status_code == 200
    assert response.context["results"] is None
    assert "not valid" in response.content.decode()


def test_a_search_that_times_out_shows_a_friendly_message(viewer_client, members, monkeypatch):
    def too_slow(**kwargs):
        raise SearchTimedOut

    monkeypatch.setattr("registry.staff.views.staff_search_results", too_slow)
    response = viewer_client.get(url(SEARCH, q="physics"))
    assert response.status_code == 200
    assert "took too long" in response.content.decode()


def test_page_has_no_inline_script_or_style(viewer_client, members):
    html = viewer_client.get(SEARCH).content.decode()
    assert " style=" not in html and "<style" not in html
    assert "<script>" not in html and "<script " not in html.replace('<script src="', "")


def test_query_count_is_the_same_for_10_and_200_matches(
    viewer_client, make_member, subfield, monkeypatch
):
    # A name-like word that finds almost nobody costs one more query (similar
    # names are added); here only a search that finds nobody would.
    monkeypatch.setattr("registry.search.grouping.FUZZY_FALLBACK_BELOW", 1)
    codes = ["1.1", "1.2", "1.3", "2.1", "2.2", "3.2", "4.1", "5.2", "6.1", "6.2"]
    for code in codes:
        make_member(primary_subfield=subfield(code), keywords="particle physics")
    searches = [{}, {"q": "physics"}, {"subfield": "1.2"}, {"q": "physics", "subfield": "1.2"}]
    viewer_client.get(SEARCH)  # the session, the user and the taxonomy's choices, read once
    few = {}
    for n, params in enumerate(searches):
        with CaptureQueriesContext(connection) as queries:
            response = viewer_client.get(url(SEARCH, **params))
        few[n] = (len(queries), response.context["results"].total)
    demo_members_seed(count=200, seed=6)
    for n, params in enumerate(searches):
        with CaptureQueriesContext(connection) as queries:
            response = viewer_client.get(url(SEARCH, **params))
        total = response.context["results"].total
        assert len(queries) == few[n][0], params
        assert total > few[n][1], params  # the same queries read many more matches
    assert few[0][1] == 10


# The export.


def test_export_streams_exactly_the_members_of_the_search(analyst_client, analyst, members):
    params = {"q": "physics OR oncology", "status": "all"}
    search = analyst_client.get(url(SEARCH, **params))
    page = search.content.decode()
    assert f'<form method="get" action="{EXPORT}"' in page
    for name, value in params.items():
        assert f'<input type="hidden" name="{name}" value="{value}">' in page
    expected = {
        m.full_name
        for g in search.context["results"].fields
        for s in g.subfields
        for m in s.members
    }
    response = analyst_client.get(url(EXPORT, **params))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="dorin-specialists-20')
    assert disposition.endswith('.csv"')
    rows = csv_rows(response)
    assert rows[0][1] == "Full name"
    assert {r[1] for r in rows[1:]} == expected == {"Chen Wei", "Jiří Dvořák", "Élodie Lefèvre"}
    log = ExportLog.objects.get()
    assert (log.user, log.entry_point, log.row_count) == (analyst, "search", 3)
    assert log.filters == {"q": "physics OR oncology", "status": "all"}
    assert log.finished_at is not None


def test_export_covers_every_page_of_a_narrowed_search(analyst_client, make_member, subfield):
    for n in range(60):
        make_member(full_name=f"Physicist {n:02}", primary_subfield=subfield("1.3"))
    page = analyst_client.get(url(SEARCH, subfield="1.3")).context["results"].page
    assert len(page.object_list) == 50 and page.paginator.num_pages == 2
    rows = csv_rows(analyst_client.get(url(EXPORT, subfield="1.3", page="2")))
    assert len(rows) == 61


def test_export_with_default_filters_leaves_out_unconfirmed_members(analyst_client, members):
    names = {r[1] for r in csv_rows(analyst_client.get(EXPORT))[1:]}
    assert len(names) == 7 and "Ghulam Qureshi" not in names
    assert ExportLog.objects.get().filters == {"status": "confirmed"}


def test_export_neutralises_formulas_and_keeps_urdu(analyst_client, make_member, subfield):
    make_member(full_name='=HYPERLINK("http://x")', keywords="+1, -2, @3")
    make_member(full_name="عائشہ خان", keywords="@mention")
    rows = csv_rows(analyst_client.get(EXPORT))
    by_name = {r[1]: r for r in rows[1:]}
    keywords = rows[0].index("Keywords")
    assert by_name['\'=HYPERLINK("http://x")'][keywords] == "'+1, -2, @3"
    assert by_name["عائشہ خان"][keywords] == "'@mention"


def test_export_content_is_produced_lazily(analyst_client, make_member, monkeypatch):
    monkeypatch.setattr("registry.export.CHUNK_SIZE", 4)
    for n in range(10):
        make_member(full_name=f"Member {n}")
    with CaptureQueriesContext(connection) as at_response:
        response = analyst_client.get(EXPORT)
    assert not any('FROM "registry_member"' in q["sql"] for q in at_response)
    chunks = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as at_header:
        header = next(chunks)
    assert header.count(b"\r\n") == 1
    assert not any('FROM "registry_member"' in q["sql"] for q in at_header)
    assert next(chunks).count(b"\r\n") == 4
    assert ExportLog.objects.get().finished_at is None  # rows still to come
    rest = b"".join(chunks)
    assert rest.count(b"\r\n") == 6
    assert ExportLog.objects.get().row_count == 10


def test_export_with_invalid_filters_is_refused(analyst_client, members):
    response = analyst_client.get(url(EXPORT, sdg="99"))
    assert response.status_code == 400
    assert not ExportLog.objects.exists()


def test_export_only_answers_get(analyst_client):
    assert analyst_client.post(EXPORT).status_code == 405


def test_search_page_offers_the_export_to_analysts(analyst_client, members):
    html = analyst_client.get(url(SEARCH, q="physics", page="1")).content.decode()
    assert f'action="{EXPORT}"' in html
    assert '<input type="hidden" name="q" value="physics">' in html
    assert 'name="page"' not in html.split(f'action="{EXPORT}"')[1].split("</form>")[0]
    assert 'name="include_no_contact" value="1"' in html
    assert "Include members who did not agree to be contacted" in html
    assert "in order of registration" in html
    assert "Export CSV" in html


def test_member_rows_show_name_position_country_keywords_and_status(viewer_client, members):
    html = viewer_client.get(url(SEARCH, q="cardiology")).content.decode()
    for text in ("Farhan Malik", "Research fellow", "Imperial College London", "United Kingdom"):
        assert text in html
    assert "cardiology" in html and "Verified" in html
    assert Member.objects.filter(full_name="Farhan Malik").exists()


def test_a_search_without_matches_says_so_and_offers_no_export(analyst_client, members):
    html = analyst_client.get(url(SEARCH, q="nonexistentword")).content.decode()
    assert "No member matches this search" in html
    assert "Export CSV" not in html
