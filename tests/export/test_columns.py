"""The CSV columns: neutralised cells and the documented column list (registry.export.columns)."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.export import COLUMNS, neutralise_cell
from registry.export.columns import text

pytestmark = pytest.mark.django_db
DOCS = Path(django_settings.BASE_DIR) / "docs" / "export-columns.md"


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


def test_the_columns_are_documented():
    documented = DOCS.read_text(encoding="utf-8")
    for column in COLUMNS:
        assert f"| {column.header} |" in documented, column.header
