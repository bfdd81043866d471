"""The CSV export: columns, cells, streaming, the log, and the admin side."""

import codecs
import csv
import io
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.admin.actions import export_selected_members
from registry.admin.members import MemberAdmin
from registry.export import (
    COLUMNS,
    CSV_BOM,
    export_header,
    export_rows,
    export_stream,
    member_export_records,
    neutralise_cell,
)
from registry.export.columns import text
from registry.models import ExportLog, Member
from registry.services.exports import export_log_finish, export_log_start
from tests.staff_data import (
    ANALYST_PERMS,
    VIEWER_PERMS,
    fixed_members,
    postgres_only,
    staff_user,
)

pytestmark = pytest.mark.django_db
DOCS = Path(django_settings.BASE_DIR) / "docs" / "export-columns.md"


def parse(data: bytes) -> list[list[str]]:
    assert data.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def export_bytes(queryset, **kwargs) -> bytes:
    log = export_log_start(user=None, entry_point=ExportLog.EntryPoint.COMMAND, filters={})
    return b"".join(export_stream(queryset=queryset, log=log, **kwargs))


def by_name(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    header = rows[0]
    return {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}


# Cells.


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://x")',
        "+44 20 7946 0000",
        "-2+3",
        "@SUM(A1)",
        "\tcmd",
        "\rcmd",
        "  =1+1",
        "\n=1+1",
        "\uff1d1+1",
        "\"=cmd|' /C calc'!A0",
        "'@SUM(A1)",
        '  "=1+1',
        "'  -1+1",
    ],
)
def test_formula_cells_get_a_leading_quote(value):
    assert neutralise_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["", "Ayesha Khan", "a=b", "1-2", "x@y.org", "'quoted"])
def test_ordinary_cells_stay_as_they_are(value):
    assert neutralise_cell(value) == value


_CELL_TEXT = st.text(
    alphabet=st.sampled_from("=+-@\t\r\n \u00a0\uff1d\uff0b\x00'\"aZ1,;عائشہ") | st.characters(),
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), _CELL_TEXT), max_size=12))
def test_a_free_text_column_is_neutralised_exactly_like_each_cell(values):
    # Columns are written a chunk at a time with one scan for the whole
    # column: it must never miss a cell that neutralise_cell() would change.
    written = list(text()(tuple(values)))
    assert written == [neutralise_cell("" if v is None else v) for v in values]


# The file.


@pytest.fixture
def members(make_member, subfield):
    return fixed_members(make_member, subfield)


def test_export_has_a_bom_a_readable_header_and_one_row_per_member(members):
    rows = parse(export_bytes(Member.objects.all()))
    assert rows[0] == [str(c.header) for c in COLUMNS]
    assert rows[0][:3] == ["Member ID", "Full name", "E-mail address"]
    assert sorted(int(r[0]) for r in rows[1:]) == sorted(m.pk for m in members.values())
    assert [int(r[0]) for r in rows[1:]] == sorted(int(r[0]) for r in rows[1:])


def test_export_writes_labels_lists_countries_and_dates(members):
    farhan = members["farhan"]
    rows = by_name(parse(export_bytes(Member.objects.all())))
    bilal, amina, chen = rows["Bilal Chaudhry"], rows["Amina Rahman"], rows["Chen Wei"]
    assert bilal["Broad field"] == "1 Natural sciences"
    assert bilal["Main subfield"] == "1.2 Computer and information sciences"
    assert bilal["Other subfields"] == "3.2 Clinical medicine"
    assert bilal["Sector"] == "Industry"
    assert amina["Engagement types"] == "Joint research; Guest lectures / online teaching"
    assert amina["Sustainable Development Goals"] == "SDG 13: Climate action"
    assert amina["Expertise clusters"] == "AI and data science"
    assert chen["International projects"].startswith("CERN (and its experiments")
    assert chen["Country of residence"] == "Switzerland"
    assert chen["Country of residence (ISO code)"] == "CH"
    assert rows["Farhan Malik"]["Status"] == "Verified"
    assert rows["Farhan Malik"]["Willing to visit"] == "no"
    registered = rows["Farhan Malik"]["Registered at"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", registered)
    assert registered == farhan.created_at.replace(microsecond=0).isoformat()


def test_formulas_in_member_data_come_out_neutralised(make_member, subfield):
    make_member(
        full_name='=HYPERLINK("http://x")',
        keywords="+plus, more",
        organisation="-minus",
        job_title="@at",
        summary="=1+2",
    )
    row = by_name(parse(export_bytes(Member.objects.all())))['\'=HYPERLINK("http://x")']
    assert row["Keywords"] == "'+plus, more"
    assert row["Organisation"] == "'-minus"
    assert row["Job title"] == "'@at"
    assert row["Summary"] == "'=1+2"
    for cell in row.values():
        assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r")


def test_urdu_and_accented_names_round_trip(members):
    data = export_bytes(Member.objects.all())
    names = {row[1] for row in parse(data)[1:]}
    assert {"عائشہ خان", "Jiří Dvořák", "Élodie Lefèvre"} <= names
    assert "عائشہ خان".encode() in data


def test_multiline_text_stays_in_one_cell(make_member):
    make_member(full_name="Multi Line", summary="First line.\nSecond, with a comma.")
    rows = parse(export_bytes(Member.objects.all()))
    assert len(rows) == 2
    assert by_name(rows)["Multi Line"]["Summary"] == "First line.\nSecond, with a comma."


def test_export_of_nothing_is_the_header_alone(db):
    rows = parse(export_bytes(Member.objects.none()))
    assert rows == [export_header()]


def test_both_reading_paths_give_the_same_rows(members, make_member):
    for n in range(7):
        make_member(full_name=f"Extra {n}", subfields=[members["chen"].primary_subfield])
    queryset = Member.objects.all()
    fallback = list(export_rows(queryset, portable=True))
    assert list(export_rows(queryset)) == fallback
    # Chunks smaller than the result must not lose or repeat anyone.
    records = list(member_export_records(queryset, portable=True, chunk_size=3))
    assert [r[0] for r in records] == sorted(Member.objects.values_list("id", flat=True))


def test_the_columns_are_documented():
    documented = DOCS.read_text(encoding="utf-8")
    for column in COLUMNS:
        assert f"| {column.header} |" in documented, column.header


# Streaming and the log.


def test_stream_reads_nothing_before_the_first_piece_and_then_reads_in_chunks(make_member):
    for n in range(12):
        make_member(full_name=f"Member {n:02}")
    log = export_log_start(user=None, entry_point=ExportLog.EntryPoint.COMMAND, filters={})
    stream = export_stream(queryset=Member.objects.all(), log=log, rows_per_chunk=5)
    with CaptureQueriesContext(connection) as before:
        first = next(stream)
    assert first.startswith(CSV_BOM.encode()) and first.count(b"\r\n") == 1  # the header alone
    assert not any("registry_member" in q["sql"] for q in before)
    second = next(stream)
    assert second.count(b"\r\n") == 5
    log.refresh_from_db()
    assert log.row_count is None and log.finished_at is None  # still running
    rest = b"".join(stream)
    assert rest.count(b"\r\n") == 7
    log.refresh_from_db()
    assert log.row_count == 12 and log.finished_at is not None


def test_an_abandoned_stream_records_the_rows_sent_and_no_finish(make_member):
    for n in range(12):
        make_member(full_name=f"Member {n:02}")
    log = export_log_start(user=None, entry_point=ExportLog.EntryPoint.COMMAND, filters={})
    stream = export_stream(queryset=Member.objects.all(), log=log, rows_per_chunk=5)
    next(stream)
    next(stream)
    stream.close()
    log.refresh_from_db()
    assert log.row_count == 5 and log.finished_at is None


@postgres_only
def test_postgres_abandoned_stream_closes_its_cursor_and_transaction(make_member):
    for n in range(12):
        make_member(full_name=f"Member {n:02}")
    log = export_log_start(user=None, entry_point=ExportLog.EntryPoint.COMMAND, filters={})
    stream = export_stream(queryset=Member.objects.all(), log=log, rows_per_chunk=5)
    # The test itself runs in a transaction: the export's own atomic block is
    # a savepoint on top of it, which in production is the transaction.
    depth = len(connection.savepoint_ids)
    next(stream)
    next(stream)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_cursors")
        assert cursor.fetchone()[0] == 1  # the export's server-side cursor, mid-stream
    assert len(connection.savepoint_ids) == depth + 1
    stream.close()
    assert len(connection.savepoint_ids) == depth
    assert not connection.needs_rollback
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_cursors")
        assert cursor.fetchone()[0] == 0
    log.refresh_from_db()
    assert log.row_count == 5


@postgres_only
def test_postgres_export_reads_one_query_whatever_the_members(make_member, subfield):
    for _ in range(30):
        make_member(subfields=[subfield("1.2"), subfield("2.2")], keywords="machine learning")
    log = export_log_start(user=None, entry_point=ExportLog.EntryPoint.COMMAND, filters={})
    with CaptureQueriesContext(connection) as queries:
        b"".join(export_stream(queryset=Member.objects.all(), log=log))
    member_reads = [q["sql"] for q in queries if 'FROM "registry_member"' in q["sql"]]
    assert len(member_reads) == 1
    assert "ARRAY(SELECT" in member_reads[0] and "DECLARE" in member_reads[0]


def test_export_log_finish_records_rows_and_time(db):
    log = export_log_start(user=None, entry_point=ExportLog.EntryPoint.SEARCH, filters={"q": "x"})
    export_log_finish(log=log, row_count=3)
    log.refresh_from_db()
    assert (log.row_count, log.filters) == (3, {"q": "x"})
    assert log.finished_at >= log.started_at


# Admin: the action and the read-only log.


def admin_request(user, data=None):
    request = RequestFactory().post("/admin/registry/member/?status__exact=verified", data or {})
    request.user = user
    return request


def test_admin_action_streams_the_selected_members_and_logs_it(members):
    analyst = staff_user(*ANALYST_PERMS, username="analyst")
    chosen = Member.objects.filter(pk__in=[members["chen"].pk, members["aisha"].pk])
    request = admin_request(
        analyst, {"_selected_action": [members["chen"].pk, members["aisha"].pk]}
    )
    response = export_selected_members(MemberAdmin(Member, admin.site), request, chosen)
    assert isinstance(response, StreamingHttpResponse)
    rows = parse(b"".join(response.streaming_content))
    assert {r[1] for r in rows[1:]} == {"Chen Wei", "عائشہ خان"}
    assert rows[0] == export_header()
    log = ExportLog.objects.get()
    assert (log.user, log.entry_point, log.row_count) == (analyst, "admin", 2)
    assert log.filters["selected"] == 2
    assert log.filters["changelist"] == {"status__exact": "verified"}


def test_admin_action_needs_the_export_permission(members):
    viewer = staff_user(*VIEWER_PERMS, username="viewer")
    assert list(export_selected_members.allowed_permissions) == ["export"]
    with pytest.raises(PermissionDenied):
        export_selected_members(
            MemberAdmin(Member, admin.site), admin_request(viewer), Member.objects.all()
        )
    assert not ExportLog.objects.exists()


def test_export_log_is_read_only_in_the_admin(client):
    log = export_log_start(user=None, entry_point=ExportLog.EntryPoint.COMMAND, filters={"q": "x"})
    export_log_finish(log=log, row_count=4)
    auditor = staff_user("registry.view_exportlog", username="auditor")
    model_admin = admin.site._registry[ExportLog]
    request = admin_request(auditor)
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, log)
    assert not model_admin.has_delete_permission(request, log)
    client.force_login(auditor)
    listing = client.get(reverse("admin:registry_exportlog_changelist"))
    assert listing.status_code == 200
    assert "Management command" in listing.content.decode()
    detail = client.get(reverse("admin:registry_exportlog_change", args=[log.pk]))
    assert detail.status_code == 200
    assert 'name="row_count"' not in detail.content.decode()  # shown, not editable
    assert client.post(reverse("admin:registry_exportlog_delete", args=[log.pk])).status_code == 403
    assert ExportLog.objects.filter(pk=log.pk).exists()


def test_admin_changelist_action_streams_the_csv_for_analysts_only(client, members):
    assert export_selected_members in admin.site._registry[Member].actions
    changelist = reverse("admin:registry_member_changelist")
    chosen = [members["chen"].pk, members["farhan"].pk]
    post = {"action": "export_selected_members", ACTION_CHECKBOX_NAME: chosen}
    client.force_login(staff_user(*VIEWER_PERMS, username="viewer"))
    refused = client.post(changelist, post)
    assert not isinstance(refused, StreamingHttpResponse)
    assert not ExportLog.objects.exists()
    client.force_login(staff_user(*ANALYST_PERMS, username="analyst"))
    response = client.post(changelist, post)
    assert isinstance(response, StreamingHttpResponse)
    rows = parse(b"".join(response.streaming_content))
    assert {r[1] for r in rows[1:]} == {"Chen Wei", "Farhan Malik"}
    assert ExportLog.objects.get().entry_point == "admin"
