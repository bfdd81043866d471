"""The CSV file: rows, both reading paths, streaming and the export log."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from registry.export import (
    COLUMNS,
    CSV_BOM,
    export_header,
    export_rows,
    export_stream,
    member_export_records,
)
from registry.models import ExportLog, Member
from registry.services.exports import export_log_finish, export_log_start
from tests.factories import parse_csv, postgres_only

pytestmark = pytest.mark.django_db


def export_bytes(queryset, **kwargs) -> bytes:
    log = export_log_start(user=None, entry_point=ExportLog.EntryPoint.COMMAND, filters={})
    return b"".join(export_stream(queryset=queryset, log=log, **kwargs))


def by_name(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    header = rows[0]
    return {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}


# The file.


def test_export_has_a_bom_a_readable_header_and_one_row_per_member(members):
    rows = parse_csv(export_bytes(Member.objects.all()))
    assert rows[0] == [str(c.header) for c in COLUMNS]
    assert rows[0][:3] == ["Member ID", "Full name", "E-mail address"]
    assert sorted(int(r[0]) for r in rows[1:]) == sorted(m.pk for m in members.values())
    assert [int(r[0]) for r in rows[1:]] == sorted(int(r[0]) for r in rows[1:])


def test_the_export_is_in_english_whatever_the_language(members):
    header = [str(c.header) for c in COLUMNS]
    with translation.override("ur"):
        data = parse_csv(export_bytes(Member.objects.all()))
    assert data[0] == header
    rows = {row[1]: dict(zip(header, row, strict=True)) for row in data[1:]}
    bilal, amina = rows["Bilal Chaudhry"], rows["Amina Rahman"]
    assert bilal["Sector"] == "Industry"
    assert rows["Chen Wei"]["Country of residence"] == "Switzerland"
    assert rows["Farhan Malik"]["Status"] == "Verified"
    assert rows["Farhan Malik"]["Willing to visit"] == "no"
    assert bilal["Broad field"] == "1 Natural sciences"
    assert bilal["Main subfield"] == "1.2 Computer and information sciences"
    assert bilal["Other subfields"] == "3.2 Clinical medicine"
    assert amina["Engagement types"] == "Joint research; Guest lectures / online teaching"
    assert amina["Sustainable Development Goals"] == "SDG 13: Climate action"
    assert rows["Chen Wei"]["International projects"].startswith("CERN (and its experiments")


def test_export_writes_labels_lists_countries_and_dates(members):
    farhan = members["farhan"]
    rows = by_name(parse_csv(export_bytes(Member.objects.all())))
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
    row = by_name(parse_csv(export_bytes(Member.objects.all())))['\'=HYPERLINK("http://x")']
    assert row["Keywords"] == "'+plus, more"
    assert row["Organisation"] == "'-minus"
    assert row["Job title"] == "'@at"
    assert row["Summary"] == "'=1+2"
    for cell in row.values():
        assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r")


def test_urdu_and_accented_names_round_trip(members):
    data = export_bytes(Member.objects.all())
    names = {row[1] for row in parse_csv(data)[1:]}
    assert {"عائشہ خان", "Jiří Dvořák", "Élodie Lefèvre"} <= names
    assert "عائشہ خان".encode() in data


def test_multiline_text_stays_in_one_cell(make_member):
    make_member(full_name="Multi Line", summary="First line.\nSecond, with a comma.")
    rows = parse_csv(export_bytes(Member.objects.all()))
    assert len(rows) == 2
    assert by_name(rows)["Multi Line"]["Summary"] == "First line.\nSecond, with a comma."


def test_export_of_nothing_is_the_header_alone(db):
    rows = parse_csv(export_bytes(Member.objects.none()))
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
