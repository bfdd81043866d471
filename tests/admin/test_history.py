"""The admin keeps a history row and a log entry for every change, read-only."""

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.urls import reverse

from registry.models import ExpertiseCluster, Member
from registry.services.review import member_verify
from tests.admin.pages import CHANGELIST, change_url
from tests.factories import VALID_ORCID


def test_saving_in_the_admin_stores_one_history_row_with_the_user(staff, client, member, subfield):
    focal = staff("focal_point", username="farah")
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
    focal = staff("focal_point", username="farah")
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
        "language": "en",
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
    focal = staff("focal_point", username="farah")
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
