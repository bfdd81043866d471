"""Withdrawal also erases searches for the member kept in the export log (issue 13, item 3).

Staff who look a person up by name or address and export the result leave
that text in the export log's filters, through every entry point: the staff
search's export, the admin's "export selected" action and the
export_specialists command. When the person withdraws, that text is replaced
by ERASED; who exported, when, how and how many rows stay on record.
"""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from registry.models import ExportLog, Member
from registry.services import exports
from registry.services.exports import ERASED, export_log_start
from registry.tokens import WITHDRAW, link_token_make

pytestmark = pytest.mark.django_db

EXPORT = reverse("registry:staff_export")
CHANGELIST = reverse("admin:registry_member_changelist")


@pytest.fixture
def zoe(make_member):
    return make_member(
        full_name="Zoë Ångström-Khan",
        email="Zoe.Angstrom@Example.org",
        status=Member.Status.VERIFIED,
        country="GB",
    )


@pytest.fixture
def analyst_client(client, staff):
    client.force_login(staff("analyst"))
    return client


def withdraw(client, member, django_capture_on_commit_callbacks) -> None:
    """Withdraw through the member's own link, as the member would."""
    url = reverse("registry:profile_withdraw", args=[link_token_make(member=member, kind=WITHDRAW)])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    member.refresh_from_db()
    assert member.status == Member.Status.WITHDRAWN


def staff_export(client, **params) -> ExportLog:
    response = client.get(EXPORT, {"status": "all", **params})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    return ExportLog.objects.latest("pk")


def as_stored(log: ExportLog) -> dict:
    """The entry's columns as stored, to compare before and after an erasure."""
    return ExportLog.objects.filter(pk=log.pk).values().get()


@pytest.mark.parametrize(
    "search",
    [
        "Zoë Ångström-Khan",
        "zoe angstrom-khan",
        "ANGSTROM KHAN Zoe",
        "Khan, Zoë Ångström physics",
        "zoe.angstrom@example.org",
        "ZOE.ANGSTROM@EXAMPLE.ORG",
        '"zoe.angstrom"',
    ],
)
def test_withdrawal_erases_a_staff_search_for_the_member_from_the_export_log(
    analyst_client, zoe, search, django_capture_on_commit_callbacks
):
    log = staff_export(analyst_client, q=search, country="GB")
    before = as_stored(log)
    assert before["filters"]["q"] == search

    withdraw(analyst_client, zoe, django_capture_on_commit_callbacks)

    after = as_stored(log)
    assert after["filters"] == {"q": ERASED, "country": "GB", "status": "all"}
    # Who, when, how and how many rows stay on record.
    assert {k: v for k, v in after.items() if k != "filters"} == {
        k: v for k, v in before.items() if k != "filters"
    }
    assert after["user_id"] is not None and after["finished_at"] is not None


@pytest.mark.parametrize("search", ["Zoë", "Khan physics", "angstrom@example.org", "zoe.ang"])
def test_a_search_that_does_not_name_the_member_stays_in_the_export_log(
    analyst_client, zoe, search, django_capture_on_commit_callbacks
):
    log = staff_export(analyst_client, q=search)

    withdraw(analyst_client, zoe, django_capture_on_commit_callbacks)

    assert as_stored(log)["filters"]["q"] == search


def test_searches_for_other_members_stay_in_the_export_log(
    analyst_client, zoe, make_member, django_capture_on_commit_callbacks
):
    make_member(full_name="Bilal Ahmed", email="bilal@example.org")
    other = staff_export(analyst_client, q="Bilal Ahmed")
    by_address = staff_export(analyst_client, q="bilal@example.org")

    withdraw(analyst_client, zoe, django_capture_on_commit_callbacks)

    assert as_stored(other)["filters"]["q"] == "Bilal Ahmed"
    assert as_stored(by_address)["filters"]["q"] == "bilal@example.org"


def test_withdrawal_erases_the_admin_actions_search_and_keeps_what_was_selected(
    analyst_client, zoe, django_capture_on_commit_callbacks
):
    response = analyst_client.post(
        f"{CHANGELIST}?q=Zo%C3%AB+%C3%85ngstr%C3%B6m-Khan&status__exact=verified",
        {"action": "export_selected_members", "_selected_action": [zoe.pk]},
    )
    assert response.status_code == 200
    b"".join(response.streaming_content)
    log = ExportLog.objects.get(entry_point=ExportLog.EntryPoint.ADMIN)
    # The action records how many members were ticked, never which.
    assert log.filters == {
        "changelist": {"q": "Zoë Ångström-Khan", "status__exact": "verified"},
        "select_across": False,
        "selected": 1,
    }

    withdraw(analyst_client, zoe, django_capture_on_commit_callbacks)

    log.refresh_from_db()
    assert log.filters == {
        "changelist": {"q": ERASED, "status__exact": "verified"},
        "select_across": False,
        "selected": 1,
    }
    assert log.row_count == 1 and log.finished_at is not None


def test_withdrawal_erases_the_export_commands_search(
    client, zoe, django_capture_on_commit_callbacks
):
    call_command(
        "export_specialists", "--q", "angström zoë khan", stdout=io.StringIO(), stderr=io.StringIO()
    )
    log = ExportLog.objects.get(entry_point=ExportLog.EntryPoint.COMMAND)

    withdraw(client, zoe, django_capture_on_commit_callbacks)

    log.refresh_from_db()
    assert log.filters["q"] == ERASED
    assert log.filters["status"] == "confirmed"
    assert log.row_count == 1


def test_withdrawal_erases_searches_for_a_name_and_address_the_member_had_before(
    analyst_client, zoe, django_capture_on_commit_callbacks
):
    by_old_name = staff_export(analyst_client, q="Zoë Ångström-Khan")
    by_old_address = staff_export(analyst_client, q="zoe.angstrom@example.org")
    # Changes leave the old values in the history until the withdrawal.
    zoe.full_name = "Zoë Berg"
    zoe.email = "zoe.berg@example.org"
    zoe.save()

    withdraw(analyst_client, zoe, django_capture_on_commit_callbacks)

    assert as_stored(by_old_name)["filters"]["q"] == ERASED
    assert as_stored(by_old_address)["filters"]["q"] == ERASED


def test_the_whole_export_log_is_read_a_chunk_at_a_time(
    client, zoe, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(exports, "REDACT_CHUNK_SIZE", 2)
    searches = ["physics", "Zoë Ångström-Khan", "chemistry", "x", "y", "zoe.angstrom", "z"]
    logs = [
        export_log_start(user=None, entry_point=ExportLog.EntryPoint.COMMAND, filters={"q": q})
        for q in searches
    ]
    # An entry without filters, and one from before filters had a search.
    export_log_start(user=None, entry_point=ExportLog.EntryPoint.COMMAND, filters={})

    withdraw(client, zoe, django_capture_on_commit_callbacks)

    stored = [as_stored(log)["filters"]["q"] for log in logs]
    assert stored == ["physics", ERASED, "chemistry", "x", "y", ERASED, "z"]


def test_the_privacy_notice_says_what_the_export_log_keeps(client):
    body = client.get(reverse("registry:privacy")).content.decode()

    assert "who exported it, when, the search used and how many profiles" in body
    assert "searches for your name or e-mail address" in body
