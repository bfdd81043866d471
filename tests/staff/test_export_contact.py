"""Exports hold only members who agreed to be contacted, unless asked; the log says which."""

import codecs
import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from registry.export import export_header
from registry.models import ExportLog, Member
from tests.factories import staff_user

pytestmark = pytest.mark.django_db
SEARCH = reverse("registry:staff_search")
EXPORT = reverse("registry:staff_export")
CHANGELIST = reverse("admin:registry_member_changelist")


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def names(rows: list[list[str]]) -> list[str]:
    column = export_header().index("Full name")
    return [row[column] for row in rows[1:]]


@pytest.fixture
def mixed(make_member):
    """Two who agreed to be contacted, one who did not; all verified physicists."""
    return {
        "yes_b": make_member(full_name="Bilal Agreed", keywords="physics", consent_contact=True),
        "no": make_member(full_name="Nadia Declined", keywords="physics", consent_contact=False),
        "yes_a": make_member(full_name="Amina Agreed", keywords="physics", consent_contact=True),
    }


@pytest.fixture
def analyst_client(client):
    client.force_login(staff_user("analyst"))
    return client


def test_the_search_export_leaves_out_members_who_did_not_agree(analyst_client, mixed):
    response = analyst_client.get(EXPORT, {"q": "physics"})

    rows = csv_rows(b"".join(response.streaming_content))
    consent = export_header().index("Consent to be contacted")
    # Member id order, as the page says.
    assert names(rows) == ["Bilal Agreed", "Amina Agreed"]
    assert {row[consent] for row in rows[1:]} == {"yes"}
    log = ExportLog.objects.get()
    assert (log.includes_no_contact, log.row_count) == (False, 2)


def test_ticking_the_box_includes_them_and_is_logged(analyst_client, mixed):
    response = analyst_client.get(EXPORT, {"q": "physics", "include_no_contact": "1"})

    rows = csv_rows(b"".join(response.streaming_content))
    assert names(rows) == ["Bilal Agreed", "Nadia Declined", "Amina Agreed"]
    consent = export_header().index("Consent to be contacted")
    assert rows[2][consent] == "no"
    log = ExportLog.objects.get()
    assert (log.includes_no_contact, log.row_count) == (True, 3)


def test_the_page_shows_each_members_consent_in_words(analyst_client, mixed):
    page = analyst_client.get(SEARCH, {"q": "physics"}).content.decode()
    assert page.count("Agreed to be contacted") == 2
    assert page.count("Did not agree to be contacted") == 1


def test_the_admin_action_follows_the_same_rule(client, mixed):
    client.force_login(staff_user("focal_point"))
    selected = [member.pk for member in mixed.values()]

    without = client.post(
        CHANGELIST, {"action": "export_selected_members", "_selected_action": selected}
    )
    assert names(csv_rows(b"".join(without.streaming_content))) == [
        "Bilal Agreed",
        "Amina Agreed",
    ]
    with_them = client.post(
        CHANGELIST,
        {
            "action": "export_selected_members",
            "_selected_action": selected,
            "include_no_contact": "on",
        },
    )
    assert len(names(csv_rows(b"".join(with_them.streaming_content)))) == 3
    logs = list(ExportLog.objects.order_by("pk").values_list("includes_no_contact", "row_count"))
    assert logs == [(False, 2), (True, 3)]


def test_the_admin_list_offers_the_choice_in_its_action_bar(client, mixed):
    client.force_login(staff_user("analyst"))
    page = client.get(CHANGELIST).content.decode()
    assert 'name="include_no_contact"' in page
    assert "include members who did not agree to be contacted" in page


def test_the_command_follows_the_same_rule(tmp_path, mixed):
    out = tmp_path / "out.csv"
    call_command("export_specialists", "--q", "physics", "-o", str(out))
    assert names(csv_rows(out.read_bytes())) == ["Bilal Agreed", "Amina Agreed"]

    call_command("export_specialists", "--q", "physics", "--include-no-contact", "-o", str(out))
    assert len(names(csv_rows(out.read_bytes()))) == 3
    logs = list(ExportLog.objects.order_by("pk").values_list("includes_no_contact", "row_count"))
    assert logs == [(False, 2), (True, 3)]


def test_the_export_log_page_shows_the_choice(client, mixed):
    ExportLog.objects.create(entry_point="search", includes_no_contact=True, row_count=3)
    client.force_login(staff_user("superuser"))
    log = ExportLog.objects.get()
    page = client.get(reverse("admin:registry_exportlog_change", args=[log.pk])).content.decode()
    assert "includes members who did not agree to be contacted" in page.lower()
    listing = client.get(reverse("admin:registry_exportlog_changelist")).content.decode()
    assert "includes_no_contact" in listing


def test_members_default_to_no_contact_consent():
    assert Member._meta.get_field("consent_contact").default is False
