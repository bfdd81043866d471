"""The ministry's admin backend: roles, review workflow, history, speed, lock-out."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import User
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.admin import pagination
from registry.models import EngagementType, ExpertiseCluster, ExportLog, Field, Member
from registry.ratelimit import client_ip
from registry.services.clusters import clusters_rebuild
from registry.services.review import member_verify

pytest_plugins = ["tests.admin_fixtures"]

CHANGELIST = reverse("admin:registry_member_changelist")
REVIEW_ACTIONS = {
    "verify_selected",
    "reject_selected",
    "mark_duplicate_selected",
    "return_selected_to_submitted",
}
VALID_ORCID = "0000-0002-1825-0097"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Staff accounts are made in most tests; a slow hasher only costs time here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def change_url(member):
    return reverse("admin:registry_member_change", args=[member.pk])


def review_url(member, decision):
    return reverse("admin:registry_member_review", args=[member.pk, decision])


def member_admin():
    return admin.site._registry[Member]


def admin_request(user):
    request = RequestFactory().get(CHANGELIST)
    request.user = user
    return request


# Permission matrix ---------------------------------------------------------

ROLES = ["anonymous", "viewer", "analyst", "focal_point", "superuser"]
# role: (sees the list, may change, review actions, may export)
MATRIX = {
    "anonymous": (False, False, False, False),
    "viewer": (True, False, False, False),
    "analyst": (True, False, False, True),
    "focal_point": (True, True, True, False),
    "superuser": (True, True, True, True),
}


@pytest.mark.parametrize("role", ROLES)
def test_member_list_is_shown_to_staff_roles_only(role_client, make_member, role):
    make_member(full_name="Zainab Qureshi")
    response = role_client(role).get(CHANGELIST)
    sees_list = MATRIX[role][0]
    if sees_list:
        assert response.status_code == 200
        assert "Zainab Qureshi" in response.text
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("role", ROLES)
def test_only_editing_roles_can_change_a_member(role_client, member, role):
    client = role_client(role)
    may_change = MATRIX[role][1]
    page = client.get(change_url(member))
    if role == "anonymous":
        assert page.status_code == 302
    else:
        assert page.status_code == 200
        assert ('name="full_name"' in page.text) is may_change
        assert ('name="_save"' in page.text) is may_change

    response = client.post(change_url(member), {"full_name": "Changed Name"})
    member.refresh_from_db()
    assert member.full_name != "Changed Name"
    assert response.status_code in ({200} if may_change else {302, 403})


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_each_role_sees_exactly_the_actions_it_may_use(staff, db, role):
    user = staff(role)
    request = admin_request(user)
    actions = set(member_admin().get_actions(request))
    expected = (REVIEW_ACTIONS if MATRIX[role][2] else set()) | (
        {"export_selected_members"} if MATRIX[role][3] else set()
    )
    assert actions == expected
    assert member_admin().has_review_permission(request) is MATRIX[role][2]
    assert member_admin().has_export_permission(request) is MATRIX[role][3]


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_an_export_action_is_offered_to_exporting_roles_only(staff, db, role):
    actions = set(member_admin().get_actions(admin_request(staff(role))))
    assert ("export_selected_members" in actions) is MATRIX[role][3]


def test_admin_export_action_streams_the_selected_members_as_csv(role_client, make_member):
    import csv
    import io

    chosen, _other = make_member(full_name="Zoë Núñez"), make_member(full_name="Bilal Ahmed")
    response = role_client("analyst").post(
        CHANGELIST, {"action": "export_selected_members", "_selected_action": [chosen.pk]}
    )
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2
    assert "Zoë Núñez" in rows[1]
    assert ExportLog.objects.get().entry_point == ExportLog.EntryPoint.ADMIN


def test_viewer_cannot_run_the_export_action(role_client, member):
    response = role_client("viewer").post(
        CHANGELIST, {"action": "export_selected_members", "_selected_action": [member.pk]}
    )
    assert not getattr(response, "streaming", False)
    assert not ExportLog.objects.exists()


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_action_menu_on_the_page_matches_the_role(role_client, member, role):
    response = role_client(role).get(CHANGELIST)
    assert ("Verify selected members" in response.text) is MATRIX[role][2]
    assert "Delete selected" not in response.text


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_roles_without_review_permission_cannot_decide(role_client, member, role):
    client = role_client(role)
    assert client.post(review_url(member, "verify")).status_code == 403
    assert client.get(review_url(member, "reject")).status_code == 403
    response = client.post(
        CHANGELIST, {"action": "verify_selected", "_selected_action": [member.pk]}
    )
    member.refresh_from_db()
    assert member.status == Member.Status.SUBMITTED
    assert member.reviewed_by is None
    assert response.status_code in {200, 302}


def test_review_buttons_show_only_decisions_the_status_allows(role_client, make_member):
    client = role_client("focal_point")
    submitted = client.get(change_url(make_member())).text
    assert "Verify" in submitted and "Reject…" in submitted
    assert "Back to review" not in submitted
    unconfirmed = client.get(change_url(make_member(status=Member.Status.UNCONFIRMED))).text
    assert "Review decision" not in unconfirmed
    viewer_page = role_client("viewer").get(change_url(make_member())).text
    assert "Review decision" not in viewer_page


# Review through the admin ---------------------------------------------------


def test_verify_button_records_reviewer_and_history_page_shows_it(staff, client, member):
    focal = staff("focal_point", "amina")
    client.force_login(focal)

    response = client.post(review_url(member, "verify"))

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == Member.Status.VERIFIED
    assert member.reviewed_by == focal
    assert member.reviewed_at is not None
    latest = member.history.first()
    assert (latest.status, latest.history_user, latest.history_change_reason) == (
        Member.Status.VERIFIED,
        focal,
        "Verified",
    )
    history = client.get(reverse("admin:registry_member_history", args=[member.pk])).text
    assert "Verified" in history
    assert "amina" in history
    assert re.search(
        r"<strong>Status:</strong>\s*Submitted, awaiting review &rarr; Verified", history
    )
    assert "<strong>Reviewed by:</strong> — &rarr; amina" in history


def test_verify_button_refuses_get(role_client, member):
    response = role_client("focal_point").get(review_url(member, "verify"))
    assert response.status_code == 405
    member.refresh_from_db()
    assert member.status == Member.Status.SUBMITTED


def test_reject_from_the_change_page_asks_for_a_reason(role_client, member):
    client = role_client("focal_point")
    form = client.get(review_url(member, "reject"))
    assert form.status_code == 200
    assert 'name="reason"' in form.text

    missing = client.post(review_url(member, "reject"), {"apply": "1", "reason": ""})
    assert missing.status_code == 200
    member.refresh_from_db()
    assert member.status == Member.Status.SUBMITTED

    done = client.post(review_url(member, "reject"), {"apply": "1", "reason": "Spam entry"})
    assert done.status_code == 302
    member.refresh_from_db()
    assert (member.status, member.review_reason) == (Member.Status.REJECTED, "Spam entry")
    assert member.history.first().history_change_reason == "Rejected"


def test_mark_duplicate_from_the_change_page_with_autocomplete(role_client, make_member):
    client = role_client("focal_point")
    original = make_member(full_name="Hamza Rizvi", organisation="CERN")
    copy = make_member(full_name="Hamza Rizvi", organisation="CERN")

    page = client.get(review_url(copy, "duplicate"))
    assert page.status_code == 200
    assert "admin-autocomplete" in page.text
    assert reverse("admin:registry_member_autocomplete") in page.text

    response = client.post(review_url(copy, "duplicate"), {"apply": "1", "original": original.pk})
    assert response.status_code == 302
    copy.refresh_from_db()
    assert (copy.status, copy.duplicate_of) == (Member.Status.DUPLICATE, original)


def test_member_autocomplete_tells_namesakes_apart(role_client, make_member):
    make_member(full_name="Omar Shah", organisation="Siemens", country="DE")
    make_member(full_name="Omar Shah", organisation="Google", country="US")
    make_member(full_name="Omar Shah", status=Member.Status.WITHDRAWN)
    response = role_client("focal_point").get(
        reverse("admin:registry_member_autocomplete"),
        {
            "term": "omar",
            "app_label": "registry",
            "model_name": "member",
            "field_name": "duplicate_of",
        },
    )
    texts = sorted(r["text"] for r in response.json()["results"])
    assert len(texts) == 2
    assert "Google" in texts[0] and "Siemens" in texts[1]


def test_duplicate_page_leaves_the_member_itself_out_of_the_choices(role_client, make_member):
    client = role_client("focal_point")
    member = make_member(full_name="Rania Haddad")
    other = make_member(full_name="Rania Haddad")
    page = client.get(review_url(member, "duplicate")).text
    url = re.search(r'data-ajax--url="([^"]+)"', page).group(1)
    # Select2 adds its parameters to the widget's address, as here.
    response = client.get(
        f"{url}&term=rania&app_label=registry&model_name=member&field_name=duplicate_of"
    )
    assert [r["id"] for r in response.json()["results"]] == [str(other.pk)]


def test_bulk_verify_and_return_to_review(role_client, make_member):
    client = role_client("focal_point")
    members = [make_member() for _ in range(3)]
    unconfirmed = make_member(status=Member.Status.UNCONFIRMED)
    ids = [m.pk for m in [*members, unconfirmed]]

    response = client.post(
        CHANGELIST, {"action": "verify_selected", "_selected_action": ids}, follow=True
    )

    statuses = dict(Member.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert [statuses[m.pk] for m in members] == [Member.Status.VERIFIED] * 3
    assert statuses[unconfirmed.pk] == Member.Status.UNCONFIRMED
    assert "Verify: 3 members." in response.text
    assert "cannot be changed" in response.text

    client.post(CHANGELIST, {"action": "return_selected_to_submitted", "_selected_action": ids})
    assert set(
        Member.objects.filter(pk__in=[m.pk for m in members]).values_list("status", flat=True)
    ) == {Member.Status.SUBMITTED}


def test_bulk_reject_goes_through_an_intermediate_page(role_client, make_member):
    client = role_client("focal_point")
    members = [make_member(), make_member()]
    ids = [m.pk for m in members]

    page = client.post(CHANGELIST, {"action": "reject_selected", "_selected_action": ids})
    assert page.status_code == 200
    assert 'name="reason"' in page.text
    assert all(f'name="_selected_action" value="{pk}"' in page.text for pk in ids)
    assert Member.objects.filter(pk__in=ids, status=Member.Status.REJECTED).count() == 0

    client.post(
        CHANGELIST,
        {"action": "reject_selected", "_selected_action": ids, "apply": "1", "reason": "Test"},
    )
    assert Member.objects.filter(pk__in=ids, status=Member.Status.REJECTED).count() == 2


def test_bulk_mark_duplicate_of_a_chosen_original(role_client, make_member):
    client = role_client("focal_point")
    original, first, second = make_member(), make_member(), make_member()
    ids = [first.pk, second.pk]

    page = client.post(CHANGELIST, {"action": "mark_duplicate_selected", "_selected_action": ids})
    assert "admin-autocomplete" in page.text

    client.post(
        CHANGELIST,
        {
            "action": "mark_duplicate_selected",
            "_selected_action": ids,
            "apply": "1",
            "original": original.pk,
        },
    )
    assert set(Member.objects.filter(pk__in=ids).values_list("duplicate_of", flat=True)) == {
        original.pk
    }


def test_bulk_decision_is_refused_beyond_the_batch_limit(role_client, make_member, monkeypatch):
    from registry.admin import members as member_admin_module

    monkeypatch.setattr(member_admin_module, "REVIEW_BATCH_LIMIT", 2)
    client = role_client("focal_point")
    ids = [make_member().pk for _ in range(3)]
    response = client.post(
        CHANGELIST, {"action": "verify_selected", "_selected_action": ids}, follow=True
    )
    assert "Select at most 2 members" in response.text
    assert Member.objects.filter(status=Member.Status.VERIFIED).count() == 0


# History --------------------------------------------------------------------


def test_saving_in_the_admin_stores_one_history_row_with_the_user(staff, client, member, subfield):
    focal = staff("focal_point", "farah")
    client.force_login(focal)
    before = member.history.count()
    page = client.get(change_url(member))
    data = {
        name: value
        for name, value in page.context["adminform"].form.initial.items()
        if value is not None
    }
    data.update(
        {
            "city": "Lahore",
            "subfields": [subfield("1.2").pk, subfield("3.2").pk],
            "engagement_types": [],
            "sdgs": [],
            "international_projects": [],
            "primary_subfield": member.primary_subfield_id,
            "country": "GB",
            "qualification_country": "",
        }
    )

    response = client.post(change_url(member), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    member.refresh_from_db()
    assert member.city == "Lahore"
    assert member.history.count() == before + 1
    latest = member.history.first()
    assert latest.history_user == focal
    assert latest.city == "Lahore"
    assert {row.subfield.code for row in latest.subfields.all()} == {"1.2", "3.2"}
    # Derived data follows the edit.
    assert "computer and information sciences" in member.search_document


def test_adding_in_the_admin_stores_a_submitted_member_with_history_and_log(
    staff, client, subfield, engagement_types
):
    focal = staff("focal_point", "farah")
    client.force_login(focal)
    cluster = ExpertiseCluster.objects.create(name="Imaging", slug="imaging")
    cluster.subfields.add(subfield("3.2"))
    data = {
        "full_name": " Ame\u0301lie Lefe\u0300vre ",
        "email": "Amelie@Example.org",
        "country": "FR",
        "connection": Member.Connection.ORIGIN,
        "highest_qualification": Member.Qualification.PHD,
        "organisation": "CNRS",
        "sector": Member.Sector.RESEARCH,
        "career_stage": Member.CareerStage.R3,
        "primary_subfield": subfield("1.3").pk,
        "subfields": [subfield("3.2").pk],
        "engagement_types": [engagement_types[0].pk],
        "orcid": VALID_ORCID,
        "consent_processing": "on",
        "staff_notes": "Met at the embassy.",
    }

    response = client.post(reverse("admin:registry_member_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    member = Member.objects.get()
    assert response.url == CHANGELIST
    assert member.full_name == "Amélie Lefèvre"
    assert member.email == "amelie@example.org"
    assert member.orcid == VALID_ORCID
    assert (member.source, member.status) == (Member.Source.ADMIN, Member.Status.SUBMITTED)
    assert member.consent_processing_at is not None
    assert member.privacy_notice_version == ""
    assert member.name_key == "amelie lefevre"
    assert member.organisation_key == "cnrs"
    assert "amelie lefevre" in member.search_document
    assert cluster in member.clusters.all()
    assert list(member.engagement_types.all()) == [engagement_types[0]]
    (row,) = member.history.all()
    assert (row.history_user, row.history_change_reason) == (focal, "Added in the admin")
    assert {r.subfield.code for r in row.subfields.all()} == {"3.2"}
    entry = LogEntry.objects.get()
    assert (entry.action_flag, entry.object_id, entry.user) == (ADDITION, str(member.pk), focal)
    assert entry.object_repr == "Amélie Lefèvre"


def test_changing_in_the_admin_records_the_reason_and_logs_the_change(staff, client, member):
    focal = staff("focal_point", "farah")
    client.force_login(focal)
    page = client.get(change_url(member))
    data = {
        name: value
        for name, value in page.context["adminform"].form.initial.items()
        if value is not None
    }
    data.update({"organisation": "Imperial College", "qualification_country": ""})

    response = client.post(change_url(member), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    member.refresh_from_db()
    assert member.organisation_key == "imperial college"
    assert member.source == Member.Source.ADMIN
    latest = member.history.first()
    assert (latest.history_user, latest.history_change_reason) == (focal, "Changed in the admin")
    entry = LogEntry.objects.get()
    assert (entry.action_flag, entry.object_id) == (CHANGE, str(member.pk))
    assert "Organisation" in entry.get_change_message()


def test_history_is_read_only_in_the_admin(role_client, member):
    client = role_client("viewer")
    record = member.history.first()
    url = reverse("admin:registry_member_simple_history", args=[member.pk, record.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"full_name": "Reverted"})
    assert response.status_code == 405
    member.refresh_from_db()
    assert member.full_name != "Reverted"


def test_history_page_is_visible_to_viewers(role_client, member, focal_point):
    member_verify(member=member, by=focal_point)
    history = role_client("viewer").get(reverse("admin:registry_member_history", args=[member.pk]))
    assert history.status_code == 200
    assert "Verified" in history.text


# Possible duplicates ----------------------------------------------------------


def test_change_page_flags_possible_duplicates_with_links(role_client, make_member):
    member = make_member(full_name="Bilal Awan", organisation="ETH Zürich", orcid=VALID_ORCID)
    twin = make_member(full_name="Bilal Awan", organisation="ETH Zurich")
    same_orcid = make_member(full_name="B. Awan", organisation="Google", orcid=VALID_ORCID)
    unrelated = make_member(full_name="Bilal Awan", organisation="Google")

    page = role_client("focal_point").get(change_url(member)).text

    assert "Possible duplicates" in page
    assert change_url(twin) in page
    assert change_url(same_orcid) in page
    assert change_url(unrelated) not in page
    assert "same ORCID iD" in page and "same name at the same organisation" in page
    # Nothing merged.
    assert Member.objects.filter(status=Member.Status.DUPLICATE).count() == 0


# Search and filters -------------------------------------------------------------


def test_search_finds_words_and_exact_address(role_client, make_member):
    client = role_client("viewer")
    wanted = make_member(
        full_name="Søren Okafor", keywords="radiotherapy", email="s.okafor@uni.example"
    )
    other = make_member(full_name="Another Person", keywords="hydrology")

    by_word = client.get(CHANGELIST, {"q": "okafor RADIOTHERAPY"}).context["cl"]
    assert list(by_word.result_list) == [wanted]
    by_address = client.get(CHANGELIST, {"q": "S.Okafor@UNI.example"}).context["cl"]
    assert list(by_address.result_list) == [wanted]
    assert other not in by_word.result_list


def test_filters_narrow_the_list(role_client, make_member, subfield, engagement_types, sdgs):
    client = role_client("viewer")
    physicist = make_member(
        country="CH",
        primary_subfield=subfield("1.3"),
        engagement_types=[engagement_types[0]],
        sdgs=[sdgs[6]],
        keywords="particle physics, machine learning",
    )
    doctor = make_member(country="GB", primary_subfield=subfield("3.2"))
    clusters_rebuild()
    physics_cluster = physicist.clusters.exclude(members=doctor).first()

    def results(**params):
        return set(client.get(CHANGELIST, params).context["cl"].result_list)

    assert results(broad_field=subfield("1.3").field_id) == {physicist}
    assert results(subfield=subfield("3.2").pk) == {doctor}
    assert results(country="CH") == {physicist}
    assert results(engagement=engagement_types[0].pk) == {physicist}
    assert results(sdg=sdgs[6].pk) == {physicist}
    assert results(cluster=physics_cluster.pk) == {physicist}
    assert results(status="submitted") == {physicist, doctor}


@pytest.mark.parametrize("params", [{"country": "XX"}, {"subfield": "abc"}, {"sdg": "1;drop"}])
def test_bad_filter_values_do_not_break_the_list(role_client, member, params):
    response = role_client("viewer").get(CHANGELIST, params)
    assert response.status_code == 302
    assert "e=1" in response.url


def test_filter_options_come_from_the_taxonomy_not_the_member_table(role_client, member):
    page = role_client("viewer").get(CHANGELIST).text
    # Every country is offered, not only those of existing members.
    assert "Zimbabwe" in page
    assert "6 Humanities and the arts" in page
    assert "SDG 17: Partnerships for the goals" in page


def test_date_hierarchy_spans_first_to_last_year_in_one_query(role_client, make_member):
    client = role_client("viewer")
    old, new = make_member(), make_member()
    Member.objects.filter(pk=old.pk).update(created_at="2023-03-10T10:00:00Z")
    Member.objects.filter(pk=new.pk).update(created_at="2025-07-01T10:00:00Z")

    page = client.get(CHANGELIST).text
    assert all(f"created_at__year={year}" in page for year in (2023, 2024, 2025))
    year_page = client.get(CHANGELIST, {"created_at__year": 2025}).text
    assert "created_at__month=7" in year_page
    # The bounds come from the unfiltered list, which the date index answers.
    with CaptureQueriesContext(connection) as queries:
        client.get(CHANGELIST, {"status": "submitted", "sdg": 3})
    bounds = [q["sql"] for q in queries.captured_queries if "MIN(" in q["sql"]]
    assert len(bounds) == 1
    assert "WHERE" not in bounds[0]


# Counting and query counts ---------------------------------------------------------


def test_exact_count_without_estimate_on_sqlite_or_when_filtered(role_client, make_member):
    for _ in range(3):
        make_member()
    client = role_client("viewer")
    filtered = client.get(CHANGELIST, {"status": "submitted"})
    assert "3 members" in filtered.text
    assert "about" not in filtered.text.lower().split("paginator")[-1][:200]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="estimates exist on PostgreSQL")
def test_unfiltered_list_uses_the_planner_estimate_on_postgresql(
    role_client, make_member, monkeypatch
):
    for _ in range(3):
        make_member()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_member")
    monkeypatch.setattr(pagination, "ESTIMATE_FROM_ROWS", 1)
    client = role_client("viewer")

    with CaptureQueriesContext(connection) as queries:
        page = client.get(CHANGELIST)
    assert "about 3 members" in page.text
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
    filtered = client.get(CHANGELIST, {"status": "submitted"})
    assert "about" not in filtered.text.split('class="paginator"')[-1][:300]


@pytest.fixture
def many_members(make_member, subfield, engagement_types, sdgs, settings):
    # The list does not read history; leaving it out makes the fixture fast.
    settings.SIMPLE_HISTORY_ENABLED = False
    codes = ["1.2", "1.3", "2.2", "3.2", "5.2", "6.1"]
    members = [
        make_member(
            primary_subfield=subfield(codes[i % len(codes)]),
            subfields=[subfield(codes[(i + 1) % len(codes)])],
            engagement_types=engagement_types[: 1 + i % 3],
            sdgs=sdgs[: 1 + i % 4],
            keywords="machine learning, oncology",
        )
        for i in range(110)
    ]
    settings.SIMPLE_HISTORY_ENABLED = True
    return members


@pytest.mark.parametrize("role", ["focal_point", "superuser"])
def test_changelist_queries_do_not_grow_with_page_size(
    role_client, many_members, monkeypatch, django_assert_max_num_queries, role
):
    client = role_client(role)
    model_admin = member_admin()
    counts = {}
    for per_page in (10, 100):
        monkeypatch.setattr(model_admin, "list_per_page", per_page)
        with django_assert_max_num_queries(10) as queries:
            response = client.get(CHANGELIST)
        assert response.status_code == 200
        assert len(response.context["cl"].result_list) == per_page
        counts[per_page] = len(queries.captured_queries)
    assert counts[10] == counts[100]


def test_filtered_and_searched_changelist_stays_within_budget(
    role_client, many_members, django_assert_max_num_queries, subfield
):
    client = role_client("focal_point")
    with django_assert_max_num_queries(10):
        response = client.get(
            CHANGELIST, {"q": "oncology", "broad_field": subfield("1.2").field_id, "sdg": 1}
        )
    assert response.context["cl"].result_count > 0


# Clusters and taxonomy ---------------------------------------------------------------


def test_cluster_list_counts_members_in_one_query(role_client, many_members):
    clusters_rebuild()
    client = role_client("focal_point")
    url = reverse("admin:registry_expertisecluster_changelist")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    cl = page.context["cl"]
    counted = {c.pk: c.member_count for c in cl.result_list}
    expected = {c.pk: c.members.count() for c in ExpertiseCluster.objects.all()}
    assert counted == expected
    assert any(count > 0 for count in counted.values())
    counting = [
        q["sql"]
        for q in queries.captured_queries
        if "registry_member_clusters" in q["sql"] and "COUNT(" in q["sql"].upper()
    ]
    assert len(counting) == 1


def test_editing_a_cluster_recomputes_its_membership(staff, client, make_member, subfield):
    client.force_login(staff("focal_point"))
    historian = make_member(primary_subfield=subfield("6.1"), keywords="")
    cluster = ExpertiseCluster.objects.create(name="History of science", slug="history-science")
    assert not cluster.members.exists()

    response = client.post(
        reverse("admin:registry_expertisecluster_change", args=[cluster.pk]),
        {
            "name": cluster.name,
            "slug": cluster.slug,
            "description": "",
            "subfields": [subfield("6.1").pk],
            "keywords": "",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    assert list(cluster.members.all()) == [historian]


@pytest.mark.parametrize("role", ["viewer", "analyst", "focal_point"])
def test_taxonomy_is_editable_by_the_focal_point_only(role_client, role):
    client = role_client(role)
    engagement = EngagementType.objects.first()
    field = Field.objects.get(code="1")
    may_edit = role == "focal_point"

    client.post(
        reverse("admin:registry_engagementtype_change", args=[engagement.pk]),
        {"name": "Renamed engagement", "slug": engagement.slug, "position": 1},
    )
    client.post(
        reverse("admin:registry_field_change", args=[field.pk]),
        {"code": "1", "name": "Renamed field", "position": field.position},
    )
    engagement.refresh_from_db()
    field.refresh_from_db()
    assert (engagement.name == "Renamed engagement") is may_edit
    assert (field.name == "Renamed field") is may_edit
    # Official lists (FORD, SDGs) are renamed, never added to.
    assert client.get(reverse("admin:registry_field_add")).status_code == 403


# Strict Content-Security-Policy ------------------------------------------------------


def test_admin_pages_have_no_inline_script_or_style(role_client, member):
    client = role_client("focal_point")
    for url in [CHANGELIST, change_url(member), review_url(member, "duplicate")]:
        response = client.get(url)
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.text), url
        assert " style=" not in response.text, url


# Login lock-out ---------------------------------------------------------------------


def _login(client, username, password, ip="192.0.2.10"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


def test_login_is_refused_after_repeated_failures_even_with_the_right_password(
    staff_password, staff, client, db, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    staff("focal_point", "nadia")
    for _ in range(2):
        assert _login(client, "nadia", "wrong-password").status_code == 200

    third = _login(client, "nadia", "wrong-password")
    right = _login(client, "nadia", staff_password)

    for response in (third, right):
        assert response.status_code == 429
        assert "Too many failed login attempts" in response.text
        assert "nadia" not in response.text
    assert "_auth_user_id" not in client.session
    # The same account from another address is not locked.
    assert _login(client, "nadia", staff_password, ip="198.51.100.7").status_code == 302


def test_lock_out_does_not_reveal_whether_an_account_exists(staff, client, db, settings):
    settings.AXES_FAILURE_LIMIT = 2
    staff("viewer", "existing")
    for username in ("existing", "nobody"):
        _login(client, username, "wrong")
        response = _login(client, username, "wrong")
        assert response.status_code == 429
        assert "Too many failed login attempts" in response.text


def test_a_successful_login_resets_the_failure_count(staff_password, staff, client, db, settings):
    settings.AXES_FAILURE_LIMIT = 3
    staff("analyst", "omar")
    _login(client, "omar", "wrong")
    _login(client, "omar", "wrong")
    assert _login(client, "omar", staff_password).status_code == 302
    client.logout()
    _login(client, "omar", "wrong")
    _login(client, "omar", "wrong")
    assert _login(client, "omar", staff_password).status_code == 302


def test_test_client_login_still_works_with_the_lockout_backend(staff_password, staff, client, db):
    staff("viewer", "tester")
    assert client.login(username="tester", password=staff_password)
    assert client.get(CHANGELIST).status_code == 200


@pytest.mark.parametrize(
    ("proxies", "meta", "expected"),
    [
        (0, {"REMOTE_ADDR": "203.0.113.5", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "203.0.113.5"),
        (
            1,
            {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.5"},
            "203.0.113.5",
        ),
        (
            2,
            {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.5, 10.0.0.2"},
            "203.0.113.5",
        ),
        (1, {"REMOTE_ADDR": "10.0.0.1"}, "10.0.0.1"),
    ],
)
def test_client_address_behind_trusted_proxies(settings, proxies, meta, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", **meta)
    assert client_ip(request) == expected


def test_only_members_visible_to_the_user_are_listed(staff_password, client, db, member):
    # A staff account without the view permission sees no member, even by URL.
    user = User.objects.create_user("nobody", password=staff_password, is_staff=True)
    client.force_login(user)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(member)).status_code in {302, 403}
