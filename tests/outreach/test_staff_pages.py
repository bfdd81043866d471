import pytest
from django.urls import reverse

from outreach.models import Invitation, Opportunity
from registry.models import ExportLog, Member
from tests.factories import make_mission, parse_csv
from tests.outreach.conftest import opportunity_data

LIST_URL = reverse("outreach:opportunity_list")
CREATE_URL = reverse("outreach:opportunity_create")


def _form(**overrides) -> dict:
    data = opportunity_data(**overrides)
    data["subfields"] = [s.pk for s in data["subfields"]]
    data["sdgs"] = [s.pk for s in data["sdgs"]]
    return {k: v for k, v in data.items() if v is not None}


def test_analyst_creates_an_opportunity_with_the_mission_of_their_account(client, staff):
    mission = make_mission()
    client.force_login(staff("analyst", mission=mission))
    response = client.post(CREATE_URL, _form(mission=""))
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert opportunity.mission == mission
    assert opportunity.history.count() == 1
    assert list(opportunity.subfields.values_list("code", flat=True)) == ["1.3"]


def test_headquarters_choose_the_mission(client, staff):
    mission = make_mission()
    client.force_login(staff("focal_point"))
    client.post(CREATE_URL, _form(mission=mission.pk))
    assert Opportunity.objects.get().mission == mission


def test_dates_out_of_order_are_refused_next_to_the_field(client, analyst):
    client.force_login(analyst)
    data = _form()
    data["ends_on"] = "2020-01-01"
    response = client.post(CREATE_URL, data)
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.content.decode()
    assert not Opportunity.objects.exists()


@pytest.mark.parametrize("name", ["create", "invite", "export", "close"])
def test_viewer_cannot_create_invite_or_export(client, staff, opportunity, invitable, name):
    member = invitable()
    client.force_login(staff("viewer"))
    urls = {
        "create": (CREATE_URL, "post", _form()),
        "invite": (
            reverse("outreach:opportunity_invite", args=[opportunity.pk]),
            "post",
            {"member": [member.pk]},
        ),
        "export": (reverse("outreach:opportunity_export", args=[opportunity.pk]), "get", {}),
        "close": (reverse("outreach:opportunity_close", args=[opportunity.pk]), "post", {}),
    }
    url, method, data = urls[name]
    assert getattr(client, method)(url, data).status_code == 403
    assert Opportunity.objects.count() == 1
    assert not Invitation.objects.exists()
    assert not ExportLog.objects.exists()
    assert client.get(LIST_URL).status_code == 200


def test_other_missions_opportunity_is_not_found(client, staff, make_opportunity):
    berlin = make_mission()
    other = make_opportunity(user=staff("analyst", username="hq"))
    client.force_login(staff("analyst", mission=berlin))
    assert client.get(reverse("outreach:opportunity_detail", args=[other.pk])).status_code == 404


def test_invite_refuses_members_that_cannot_be_invited_even_if_posted(
    client, analyst, opportunity, invitable, mailoutbox, django_capture_on_commit_callbacks
):
    ok = invitable()
    refused = [
        invitable(status=Member.Status.SUBMITTED),
        invitable(consent_contact=False),
        invitable(invitations_opted_out_at="2026-01-01T00:00Z"),
    ]
    client.force_login(analyst)
    url = reverse("outreach:opportunity_invite", args=[opportunity.pk])
    ids = [ok.pk, *(m.pk for m in refused), "x", "-1", "99999999999999999999"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"member": ids})
    assert list(Invitation.objects.values_list("member_id", flat=True)) == [ok.pk]
    assert [m.to for m in mailoutbox] == [[ok.email]]


def test_invite_refuses_members_outside_the_mission(client, staff, opportunity, invitable):
    mission = make_mission(countries=("DE",))
    Opportunity.objects.filter(pk=opportunity.pk).update(mission=mission)
    outside = invitable(country="GB")
    inside = invitable(country="DE")
    client.force_login(staff("analyst", mission=mission))
    url = reverse("outreach:opportunity_invite", args=[opportunity.pk])
    client.post(url, {"member": [outside.pk, inside.pk]})
    assert list(Invitation.objects.values_list("member_id", flat=True)) == [inside.pk]


def test_double_submission_creates_no_duplicate(client, analyst, opportunity, invitable):
    members = [invitable() for _ in range(3)]
    client.force_login(analyst)
    url = reverse("outreach:opportunity_invite", args=[opportunity.pk])
    for _ in range(2):
        client.post(url, {"member": [m.pk for m in members]})
    assert Invitation.objects.count() == 3


def test_shortlist_then_invite_sends_and_counts(
    client, analyst, opportunity, invitable, mailoutbox, django_capture_on_commit_callbacks
):
    members = [invitable(full_name=f"Fit {n}") for n in range(4)]
    client.force_login(analyst)
    detail = reverse("outreach:opportunity_detail", args=[opportunity.pk])
    page = client.get(detail).content.decode()
    assert "Main subfield" in page and "Fit 3" in page
    client.post(detail, {"member": [m.pk for m in members[:3]]})
    page = client.get(detail).content.decode()
    assert "Invite 3 shortlisted members" in page
    url = reverse("outreach:opportunity_invite", args=[opportunity.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"member": [m.pk for m in members[:3]]})
    assert len(mailoutbox) == 3
    assert set(Invitation.objects.values_list("status", flat=True)) == {"sent"}
    listing = client.get(LIST_URL)
    row = listing.context["opportunities"][0]
    assert (row.n_invited, row.n_accepted, row.n_no_answer) == (3, 0, 0)


def test_closing_stops_pending_sends(client, analyst, opportunity, invitable, mailoutbox):
    # Not run at commit: the invitations stay queued, as if the worker were busy.
    client.force_login(analyst)
    member = invitable()
    client.post(
        reverse("outreach:opportunity_invite", args=[opportunity.pk]), {"member": [member.pk]}
    )
    client.post(reverse("outreach:opportunity_close", args=[opportunity.pk]))
    from outreach.services.sending import invitation_send

    invitation = Invitation.objects.get()
    assert invitation.status == Invitation.Status.CANCELLED
    assert invitation_send(invitation_id=invitation.pk, base_url="http://t/") == "skipped"
    assert mailoutbox == []
    assert Opportunity.objects.get().status == Opportunity.Status.CLOSED


def test_export_of_accepted_members_is_neutralised_and_logged(
    client, analyst, opportunity, invitable
):
    member = invitable(full_name="=HYPERLINK(1)")
    Invitation.objects.create(
        opportunity=opportunity,
        member=member,
        key="k1",
        status=Invitation.Status.ACCEPTED,
        message="+cmd",
    )
    Invitation.objects.create(
        opportunity=opportunity, member=invitable(), key="k2", status=Invitation.Status.DECLINED
    )
    client.force_login(analyst)
    response = client.get(reverse("outreach:opportunity_export", args=[opportunity.pk]))
    rows = parse_csv(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert len(rows) == 2
    assert rows[1][0] == "'=HYPERLINK(1)"
    assert "'+cmd" in rows[1]
    log = ExportLog.objects.get()
    assert (log.entry_point, log.row_count, log.user) == ("outreach", 1, analyst)


def test_outcome_recorded_for_an_accepted_member(client, analyst, opportunity, invitable):
    invitation = Invitation.objects.create(
        opportunity=opportunity, member=invitable(), key="k", status=Invitation.Status.ACCEPTED
    )
    client.force_login(analyst)
    url = reverse("outreach:invitation_outcome", args=[opportunity.pk, invitation.pk])
    prefix = f"i{invitation.pk}"
    client.post(url, {f"{prefix}-outcome": "took_place", f"{prefix}-outcome_notes": "Went well"})
    invitation.refresh_from_db()
    assert (invitation.outcome, invitation.outcome_notes) == ("took_place", "Went well")


HOSTILE = '<script>alert("x")</script>'


def test_hostile_text_is_escaped_on_every_page_and_in_the_email(
    client, analyst, make_opportunity, invitable, mailoutbox, django_capture_on_commit_callbacks
):
    opportunity = make_opportunity(
        title=HOSTILE, host_institution=HOSTILE, description=HOSTILE, keywords=HOSTILE
    )
    client.force_login(analyst)
    member = invitable(keywords=HOSTILE)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("outreach:opportunity_invite", args=[opportunity.pk]), {"member": [member.pk]}
        )
    pages = [
        LIST_URL,
        reverse("outreach:opportunity_detail", args=[opportunity.pk]),
        reverse("outreach:opportunity_edit", args=[opportunity.pk]),
        CREATE_URL,
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert HOSTILE not in body, url
    html = mailoutbox[0].alternatives[0][0]
    assert HOSTILE not in html and "&lt;script&gt;" in html
    respond = [line for line in mailoutbox[0].body.split() if "/invitations/" in line][0]
    client.logout()
    assert HOSTILE not in client.get(respond).content.decode()


def test_opportunity_pages_are_never_cached(client, analyst, opportunity):
    client.force_login(analyst)
    for name in ("opportunity_detail", "opportunity_edit", "opportunity_export"):
        response = client.get(reverse(f"outreach:{name}", args=[opportunity.pk]))
        assert response.status_code == 200, name
        assert "no-store" in response["Cache-Control"], name
