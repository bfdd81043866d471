"""The Urdu catalogue: complete, compiled in step, covering every string of the code.

The compiled .mo is committed so that a machine without GNU gettext runs the
portal; these tests read both files with polib and the standard library, so
they need no gettext either. Only the check that the catalogue holds every
string of the code extracts them with makemessages, which needs xgettext:
it is skipped without it, except in CI (DORIN_REQUIRE_GETTEXT=1).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

from tests.portal.catalogues import assert_compiled_matches
from tests.portal.template_text import unmarked_text

BASE_DIR = Path(settings.BASE_DIR)
CATALOGUE = BASE_DIR / "locale" / "ur" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
# What `make messages` extracts from: the code and templates the site runs.
SOURCES = ("manage.py", "pyproject.toml", "portal", "registry", "outreach", "templates")


def _key(entry: polib.POEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(CATALOGUE))


def test_every_message_of_the_urdu_catalogue_is_translated(catalogue):
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    obsolete = [e.msgid for e in catalogue.obsolete_entries()]

    assert len(catalogue) > 850
    assert untranslated == []
    assert fuzzy == []
    assert obsolete == []
    assert catalogue.metadata["Language"] == "ur"
    assert catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


def test_the_compiled_catalogue_matches_the_po_file(catalogue):
    assert_compiled_matches(catalogue, COMPILED, fix="run make messages")


def test_the_catalogue_holds_every_string_of_the_code(catalogue, tmp_path):
    if shutil.which("xgettext") is None:
        if os.environ.get("DORIN_REQUIRE_GETTEXT"):
            pytest.fail("GNU gettext (xgettext) is required here but not installed")
        pytest.skip("GNU gettext (xgettext) is not installed")
    # makemessages writes next to the code it reads: it runs on a copy.
    for name in SOURCES:
        source = BASE_DIR / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale=ur", "--no-location"],
        cwd=tmp_path,
        env={**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": "sqlite:///:memory:"},
        check=True,
        capture_output=True,
    )
    extracted = polib.pofile(str(tmp_path / "locale" / "ur" / "LC_MESSAGES" / "django.po"))

    in_code = {_key(e) for e in extracted if e.msgid}
    in_catalogue = {_key(e) for e in catalogue if e.msgid}
    assert len(in_code) > 850
    assert sorted(in_code - in_catalogue) == [], "new strings: run make messages and translate"
    assert sorted(in_catalogue - in_code) == [], "strings gone from the code: run make messages"


def _templates() -> list[Path]:
    return sorted(
        path for path in (BASE_DIR / "templates").rglob("*") if path.suffix in {".html", ".txt"}
    )


@pytest.mark.parametrize("path", _templates(), ids=lambda path: str(path.relative_to(BASE_DIR)))
def test_template_text_is_marked_for_translation(path):
    assert unmarked_text(path) == []


def test_the_template_check_finds_unmarked_text(tmp_path):
    template = tmp_path / "page.html"
    template.write_text(
        '{% load i18n %}<h1>{% translate "Marked" %}</h1><p>Not marked</p>'
        '<img alt="A picture" src="x.png">{{ value|default:"Nothing" }}'
        "{% blocktranslate %}Marked too{% endblocktranslate %}<p>DORIN</p>"
    )
    text = tmp_path / "mail.txt"
    text.write_text('{% load i18n %}{% translate "Hello" %}\nThanks for reading\n')

    assert unmarked_text(template) == ["Nothing", "Not marked", 'alt="A picture"']
    assert unmarked_text(text) == ["Thanks for reading"]
