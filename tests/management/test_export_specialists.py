"""manage.py export_specialists: the search's filters, the same CSV, the log."""

import codecs
import csv
import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from registry.export import export_header
from registry.models import ExportLog
from tests.factories import VIEWER_PERMS, staff_user

pytestmark = pytest.mark.django_db


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def test_command_writes_a_file_with_the_search_filters(members, tmp_path):
    target = tmp_path / "specialists.csv"
    err = StringIO()
    call_command("export_specialists", "--q", "physics OR oncology", "-o", str(target), stderr=err)
    data = target.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    rows = rows_of(data.decode("utf-8"))
    assert rows[0] == export_header()
    assert {r[1] for r in rows[1:]} == {"Chen Wei", "Jiří Dvořák", "Élodie Lefèvre"}
    assert "Exported 3 members." in err.getvalue()
    log = ExportLog.objects.get()
    assert (log.entry_point, log.user, log.row_count) == ("command", None, 3)
    assert log.filters == {"q": "physics OR oncology", "status": "confirmed"}
    assert log.finished_at is not None


def test_command_writes_to_standard_output(members):
    out = StringIO()
    call_command(
        "export_specialists", "--subfield", "1.2", "--status", "all", stdout=out, stderr=StringIO()
    )
    assert out.getvalue().startswith("\ufeff")
    rows = rows_of(out.getvalue())
    assert {r[1] for r in rows[1:]} == {"Amina Rahman", "Bilal Chaudhry"}
    # A real standard output gets the bytes as they are.
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw)  # kept: collecting it would close `raw`
    call_command("export_specialists", "--subfield", "1.2", stdout=stdout, stderr=StringIO())
    assert raw.getvalue().startswith(codecs.BOM_UTF8)
    assert raw.getvalue().decode("utf-8-sig") == out.getvalue().removeprefix("\ufeff")


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--country", "GB"], {"Amina Rahman", "Farhan Malik"}),
        (["--cluster", "health-biomedicine"], {"Bilal Chaudhry", "Élodie Lefèvre", "Farhan Malik"}),
        (["--engagement", "lectures", "--sector", "industry"], {"Bilal Chaudhry"}),
        (["--sdg", "3", "--stage", "r4"], {"Élodie Lefèvre"}),
        (["--field", "1", "--qualification", "masters"], {"Jiří Dvořák"}),
        (["--status", "unconfirmed"], {"Ghulam Qureshi"}),
        (["--status", "all"], None),
    ],
)
def test_command_options_filter_like_the_search(members, options, expected):
    out = StringIO()
    call_command("export_specialists", *options, stdout=out, stderr=StringIO())
    names = {r[1] for r in rows_of(out.getvalue())[1:]}
    assert names == (expected or {m.full_name for m in members.values()})


def test_command_refuses_invalid_filters(members):
    with pytest.raises(CommandError, match="--subfield"):
        call_command("export_specialists", "--subfield", "9.9", stdout=StringIO())
    assert not ExportLog.objects.exists()


def test_command_records_the_user_and_shows_what_they_may_see(members):
    viewer = staff_user(perms=VIEWER_PERMS, username="viewer")
    staff_user(username="nobody")
    out = StringIO()
    call_command("export_specialists", "--user", "viewer", stdout=out, stderr=StringIO())
    assert len(rows_of(out.getvalue())) == 8
    call_command("export_specialists", "--user", "nobody", stdout=StringIO(), stderr=StringIO())
    logs = list(ExportLog.objects.order_by("id"))
    assert [(log.user.username, log.row_count) for log in logs] == [("viewer", 7), ("nobody", 0)]
    assert logs[0].user == viewer
    with pytest.raises(CommandError, match="No user"):
        call_command("export_specialists", "--user", "ghost", stdout=StringIO())
