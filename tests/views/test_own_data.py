"""The member's own-data download (right of access and portability)."""

import json
from datetime import date

import pytest
from django.urls import reverse

from outreach.models import Invitation, Opportunity
from registry.models import Member, PendingRegistration
from registry.privacy import PRIVACY_NOTICE_VERSION
from registry.services.members import member_update
from registry.tokens import UPDATE, link_token_make

pytestmark = pytest.mark.django_db


def download_url(member) -> str:
    return reverse("registry:profile_download", args=[link_token_make(member=member, kind=UPDATE)])


@pytest.fixture
def amina(make_member, subfield, sdgs, staff):
    member = make_member(
        status=Member.Status.VERIFIED,
        full_name="Amina Khan",
        email="amina.khan@example.org",
        phone="+44 20 7946 0958",
        country="GB",
        primary_subfield=subfield("3.2"),
        subfields=[subfield("1.3")],
        sdgs=sdgs[2:3],
        consent_contact=True,
        staff_notes="Met her at the embassy reception.",
        review_reason="Checked with her institute.",
        privacy_notice_version=PRIVACY_NOTICE_VERSION,
    )
    return member_update(
        member=member, data={"city": "Leeds"}, user=staff("focal_point"), reason="Moved"
    )


def test_download_is_a_json_attachment_with_every_section(client, amina):
    response = client.get(download_url(amina))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="dorin-my-data.json"'
    assert "no-cache" in response["Cache-Control"]
    data = json.loads(response.content)
    assert set(data) >= {
        "profile",
        "consents",
        "registration_and_review",
        "history",
        "survey_submissions_awaiting_confirmation",
    }


def test_download_holds_the_answers_with_taxonomy_names(client, amina):
    profile = json.loads(client.get(download_url(amina)).content)["profile"]

    assert profile["full_name"] == "Amina Khan"
    assert profile["email"] == "amina.khan@example.org"
    assert profile["phone"] == "+44 20 7946 0958"
    assert profile["city"] == "Leeds"
    assert profile["country"] == {"code": "GB", "name": "United Kingdom"}
    assert profile["primary_subfield"].endswith("Clinical medicine")
    assert profile["broad_field"].endswith("Medical and health sciences")
    assert any("Physical sciences" in name for name in profile["subfields"])
    assert profile["sdgs"] and "3" in profile["sdgs"][0]
    assert profile["sector"] == "Academia (university)"


def test_download_holds_consents_review_and_history(client, amina):
    data = json.loads(client.get(download_url(amina)).content)

    assert data["consents"]["processing"] is True
    assert data["consents"]["contact"] is True
    assert data["consents"]["directory"] is False
    assert data["consents"]["privacy_notice_version_accepted"] == PRIVACY_NOTICE_VERSION
    assert (
        data["consents"]["processing_given_at"] is None
        or "T" in (data["consents"]["processing_given_at"])
    )
    review = data["registration_and_review"]
    assert review["status"] == "Verified"
    assert review["decision_reason"] == "Checked with her institute."
    kinds = [(entry["kind"], entry["by_staff"]) for entry in data["history"]]
    assert kinds == [("created", False), ("changed", True)]
    assert data["history"][1]["reason"] == "Moved"
    assert data["history"][1]["changed_fields"] == ["city"]


def test_download_leaves_out_staff_notes_and_staff_identity(client, amina):
    raw = client.get(download_url(amina)).content.decode()

    assert "Met her at the embassy reception." not in raw
    assert "staff_notes" not in raw
    assert "reviewed_by" not in raw
    assert "focal_point" not in raw


def test_download_lists_survey_submissions_waiting_for_the_address(client, amina):
    PendingRegistration.objects.create(
        pk="6f1c1d2e-0000-4000-8000-000000000001",
        email=amina.email,
        answers={"email": amina.email},
        privacy_notice_version="2026-11",
        key="pending-key",
        created_at=amina.created_at,
    )

    data = json.loads(client.get(download_url(amina)).content)

    assert data["survey_submissions_awaiting_confirmation"] == [
        {"submitted_at": amina.created_at.isoformat(), "privacy_notice_version": "2026-11"}
    ]


def test_profile_page_links_to_the_download(client, amina):
    token = link_token_make(member=amina, kind=UPDATE)
    body = client.get(reverse("registry:profile_edit", args=[token])).content.decode()
    assert f'href="{reverse("registry:profile_download", args=[token])}"' in body


def test_downloading_changes_nothing_and_keeps_the_link_usable(client, amina):
    url = download_url(amina)
    before = Member.objects.values().get(pk=amina.pk)

    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert Member.objects.values().get(pk=amina.pk) == before


def test_download_holds_the_invitations_and_answers_but_not_staff_outcome_notes(
    client, amina, staff
):
    opportunity = Opportunity.objects.create(
        title="Guest lectures in hydrology",
        host_institution="National Water Institute",
        starts_on=date(2027, 3, 1),
        ends_on=date(2027, 3, 31),
        reply_by=date(2027, 2, 1),
        status=Opportunity.Status.OPEN,
    )
    Invitation.objects.create(
        opportunity=opportunity,
        member=amina,
        key="own-data-invitation",
        status=Invitation.Status.ACCEPTED,
        availability="March, online",
        outcome_notes="Staff only: excellent lecture.",
    )

    data = json.loads(client.get(download_url(amina)).content)

    [invitation] = data["invitations"]
    assert invitation["opportunity"] == "Guest lectures in hydrology"
    assert invitation["host_institution"] == "National Water Institute"
    assert invitation["state"] == "accepted"
    assert invitation["availability"] == "March, online"
    assert data["invitations_opted_out_at"] is None
    assert "excellent lecture" not in json.dumps(data)
