"""The Urdu catalogue of third-party strings: complete, compiled, and in use.

django-countries ships no Urdu catalogue and Django's own leaves many form
errors untranslated; locale-third-party/ fills both gaps. Like our own
catalogue, it is read with polib and the standard library, so no GNU gettext
is needed. tools/third_party_catalogue.py writes it.
"""

import importlib.util
import re
from pathlib import Path

import polib
import pytest
from django import forms
from django.conf import settings
from django.utils import translation
from django_countries import countries

from tests.portal.catalogues import assert_compiled_matches

BASE_DIR = Path(settings.BASE_DIR)
LOCALE_DIR = BASE_DIR / "locale-third-party"
CATALOGUE = LOCALE_DIR / "ur" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
TOOL = BASE_DIR / "tools" / "third_party_catalogue.py"
PLACEHOLDER = re.compile(r"%\(\w+\)[dsr]|\{\w*\}")


def _key(entry: polib.POEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(CATALOGUE))


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("third_party_catalogue", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_message_of_the_third_party_catalogue_is_translated(catalogue):
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    obsolete = [e.msgid for e in catalogue.obsolete_entries()]

    assert len(catalogue) > 400
    assert untranslated == []
    assert fuzzy == []
    assert obsolete == []
    assert catalogue.metadata["Language"] == "ur"
    assert catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    for entry in catalogue:
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == [0, 1], entry.msgid
            assert all(entry.msgstr_plural.values()), entry.msgid


def test_the_compiled_catalogue_matches_the_po_file(catalogue):
    assert_compiled_matches(catalogue, COMPILED, fix="run tools/third_party_catalogue.py")


def test_the_catalogue_holds_every_message_of_the_installed_packages(catalogue, tool):
    # After an upgrade of Django or django-countries this fails until the
    # tool has been rerun and the new entries translated.
    expected = {_key(e) for e in tool.build(None)}
    held = {_key(e) for e in catalogue}

    assert sorted(expected - held) == [], "run tools/third_party_catalogue.py and translate"
    assert sorted(held - expected) == [], "run tools/third_party_catalogue.py"


def test_every_country_django_countries_lists_has_an_entry(catalogue):
    held = {e.msgid for e in catalogue}
    with translation.override(None):
        names = {str(name) for _code, name in countries}

    assert len(names) > 240
    assert sorted(names - held) == []
    assert {"Pakistan", "United Kingdom", "United States of America"} <= names


def test_the_placeholders_of_django_messages_are_kept(catalogue):
    # Both %-style and {}-style placeholders, which msgfmt does not check for
    # python-brace-format messages unless they are flagged.
    for entry in catalogue:
        sources = [entry.msgid, entry.msgid_plural or entry.msgid]
        texts = (
            [entry.msgstr_plural[0], entry.msgstr_plural[1]]
            if entry.msgid_plural
            else [entry.msgstr]
        )
        for source, text in zip(sources, texts, strict=False):
            assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(text)), (
                entry.msgid
            )


def test_the_site_loads_the_third_party_catalogue():
    assert [Path(path) for path in settings.LOCALE_PATHS] == [
        BASE_DIR / "locale",
        LOCALE_DIR,
    ], "LOCALE_PATHS lists our catalogue first, then locale-third-party"


def test_country_names_render_in_urdu():
    with translation.override("ur"):
        assert str(countries.name("PK")) == "پاکستان"
        assert str(countries.name("GB")) == "برطانیہ"
        assert str(countries.name("US")) == "ریاست ہائے متحدہ امریکہ"
        rendered = {code: str(name) for code, name in countries}
    with translation.override("en"):
        english = {code: str(name) for code, name in countries}

    assert [code for code in rendered if rendered[code] == english[code]] == []


class _Form(forms.Form):
    name = forms.CharField(max_length=3)
    email = forms.EmailField()


def test_django_form_errors_render_in_urdu():
    with translation.override("ur"):
        form = _Form(data={"name": "abcd", "email": "not an address"})
        assert not form.is_valid()
        errors = {field: [str(e) for e in messages] for field, messages in form.errors.items()}

    assert errors == {
        "name": ["یقینی بنائیں کہ یہ قدر زیادہ سے زیادہ 3 حروف پر مشتمل ہو (اس میں 4 ہیں)۔"],
        "email": ["درست ای میل ایڈریس درج کریں۔"],
    }
