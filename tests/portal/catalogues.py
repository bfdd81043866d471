"""Checks shared by the tests of the portal's gettext catalogues."""

import gettext
from pathlib import Path

import polib


def assert_compiled_matches(catalogue: polib.POFile, compiled: Path, *, fix: str) -> None:
    """The .mo holds exactly the translations of the .po; `fix` says how to mend it."""
    with compiled.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)

    for entry in catalogue.translated_entries():
        context = f"{entry.msgctxt}\x04" if entry.msgctxt else ""
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                assert translations._catalog[(context + entry.msgid, index)] == text, fix
        else:
            assert translations._catalog[context + entry.msgid] == entry.msgstr, (
                f"{entry.msgid!r}: {fix}"
            )
    # No translation left in the .mo that the .po no longer has.
    assert len({k for k in translations._catalog if k != ""}) == sum(
        len(e.msgstr_plural) if e.msgid_plural else 1 for e in catalogue.translated_entries()
    ), fix
