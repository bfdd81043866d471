"""English and Urdu on the page: the language switch, lang and dir, the RTL style sheet, formats.

The Urdu catalogue (locale/ur) is another piece of work: strings are looked
up with gettext under translation.override("ur"), never written out here, so
these tests hold before and after it lands.
"""

import hashlib
import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext

from tests.portal.test_layout import audit

BASE_DIR = Path(django_settings.BASE_DIR)
VENDOR = BASE_DIR / "static" / "vendor"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_afterwards():
    """LocaleMiddleware leaves the request's language active in the test's thread."""
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


def _switch_form(html: str) -> str:
    start = html.index('<form class="language-switch')
    return html[start : html.index("</form>", start)]


def test_the_portal_offers_english_and_urdu_each_named_in_its_own_language():
    assert [code for code, _name in django_settings.LANGUAGES] == ["en", "ur"]
    assert translation.get_language_info("ur")["name_local"] == "اردو"
    assert translation.get_language_info("ur")["bidi"] is True


def test_a_first_visit_follows_the_browsers_accept_language(client):
    urdu = client.get(reverse("registry:home"), headers={"accept-language": "ur-PK,ur;q=0.9"})
    english = client.get(reverse("registry:home"), headers={"accept-language": "en-GB"})
    other = client.get(reverse("registry:home"), headers={"accept-language": "fr"})

    assert audit(urdu.content.decode()).html_attrs == {"lang": "ur", "dir": "rtl"}
    assert urdu.headers["Content-Language"] == "ur"
    assert "Accept-Language" in urdu.headers["Vary"]
    assert audit(english.content.decode()).html_attrs == {"lang": "en", "dir": "ltr"}
    assert audit(other.content.decode()).html_attrs == {"lang": "en", "dir": "ltr"}


def test_urls_carry_no_language_prefix():
    assert reverse("registry:register") == "/register/"
    with translation.override("ur"):
        assert reverse("registry:register") == "/register/"


def test_every_page_has_a_switch_to_the_other_language_named_in_its_own_script(client):
    english = _switch_form(client.get("/privacy/?section=rights").content.decode())

    assert 'action="/i18n/setlang/"' in english
    assert 'method="post"' in english
    assert 'name="csrfmiddlewaretoken"' in english
    assert '<input type="hidden" name="next" value="/privacy/?section=rights">' in english
    assert 'name="language" value="ur"' in english
    assert '<span lang="ur" dir="rtl">اردو</span>' in english
    assert 'value="en"' not in english

    urdu_page = client.get("/privacy/", headers={"accept-language": "ur"}).content.decode()
    urdu = _switch_form(urdu_page)
    assert 'name="language" value="en"' in urdu
    assert '<span lang="en" dir="ltr">English</span>' in urdu


def test_the_switch_stores_the_choice_and_returns_to_the_same_page(client):
    page = "/privacy/?section=rights"
    client.get(page)  # the CSRF cookie, as a browser has it

    response = client.post(reverse("set_language"), {"language": "ur", "next": page})

    assert response.status_code == 302
    assert response["Location"] == page
    cookie = response.cookies[django_settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "ur"
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    # The cookie now outranks the browser's Accept-Language.
    again = client.get(page, headers={"accept-language": "en"})
    assert audit(again.content.decode()).html_attrs == {"lang": "ur", "dir": "rtl"}

    back = client.post(reverse("set_language"), {"language": "en", "next": page})
    assert back.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert audit(client.get(page).content.decode()).html_attrs == {"lang": "en", "dir": "ltr"}


def test_the_switch_needs_the_csrf_token_and_refuses_a_foreign_next(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    refused = strict.post(reverse("set_language"), {"language": "ur", "next": "/"})
    assert refused.status_code == 403

    page = strict.get("/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    accepted = strict.post(
        reverse("set_language"),
        {"language": "ur", "next": "https://evil.example/", "csrfmiddlewaretoken": token},
    )
    assert accepted.status_code == 302
    assert not accepted["Location"].startswith("https://evil.example")
    assert accepted.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "ur"


def test_an_unknown_language_is_not_stored(client):
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    assert django_settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_right_to_left_pages_load_bootstraps_rtl_build(client):
    english = client.get("/").content.decode()
    urdu = client.get("/", headers={"accept-language": "ur"}).content.decode()

    assert "vendor/bootstrap/css/bootstrap.min.css" in english
    assert "bootstrap.rtl.min.css" not in english
    assert "vendor/bootstrap/css/bootstrap.rtl.min.css" in urdu
    assert "bootstrap.min.css" not in urdu


def test_standalone_error_pages_follow_the_language_and_direction():
    with translation.override("ur"):
        html = render_to_string("500.html")
    assert audit(html).html_attrs == {"lang": "ur", "dir": "rtl"}
    assert "bootstrap.rtl.min.css" in html
    with translation.override("en"):
        html = render_to_string("500.html")
    assert audit(html).html_attrs == {"lang": "en", "dir": "ltr"}


def test_html_e_mails_carry_lang_and_dir_and_put_borders_on_the_starting_side():
    context = {"message": "سلام", "sender": "Amina", "sender_email": "a@example.org"}
    with translation.override("ur"):
        urdu = render_to_string("registry/email/directory_message.html", context)
    with translation.override("en"):
        english = render_to_string("registry/email/directory_message.html", context)

    assert audit(urdu).html_attrs == {"lang": "ur", "dir": "rtl"}
    assert '<div lang="ur" dir="rtl"' in urdu
    assert "border-right:4px" in urdu and "border-left" not in urdu
    assert audit(english).html_attrs == {"lang": "en", "dir": "ltr"}
    assert "border-left:4px" in english and "border-right" not in english
    assert '<blockquote dir="auto"' in urdu


def test_the_admin_stays_in_english_for_a_visitor_who_chose_urdu(client, focal_point):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "ur"
    client.force_login(focal_point)

    admin = client.get(reverse("admin:index"))
    staff_home = client.get(reverse("registry:staff_home"))

    assert admin.headers["Content-Language"] == "en"
    assert audit(admin.content.decode()).html_attrs["lang"] == "en"
    assert audit(staff_home.content.decode()).html_attrs == {"lang": "ur", "dir": "rtl"}


def test_urdu_dates_put_the_day_first_and_numbers_are_grouped():
    day = date(2026, 3, 5)
    with translation.override("ur"):
        urdu_date = formats.date_format(day)
        urdu_short = formats.date_format(day, "SHORT_DATE_FORMAT")
        count = Template('{{ n|floatformat:"g" }}').render(Context({"n": 12345}))
        march = gettext("March")
        # Date fields of type "date" render their value in the first input format.
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%Y-%m-%d"
    assert urdu_date == f"5 {march} 2026"
    assert urdu_short == "05/03/2026"
    assert count == "12,345"


def test_vendored_rtl_bootstrap_and_urdu_font_match_their_sums_and_readme():
    sums = dict(
        reversed(line.split("  ", 1)) for line in (VENDOR / "SHA256SUMS").read_text().splitlines()
    )
    readme = (VENDOR / "README.md").read_text()
    expected = [
        "bootstrap/css/bootstrap.rtl.min.css",
        "bootstrap/css/bootstrap.rtl.min.css.map",
        "noto-nastaliq-urdu/files/noto-nastaliq-urdu-arabic-400-normal.woff2",
        "noto-nastaliq-urdu/files/noto-nastaliq-urdu-arabic-700-normal.woff2",
        "noto-nastaliq-urdu/LICENSE",
    ]
    for name in expected:
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == sums[name], name
    rtl = (VENDOR / "bootstrap/css/bootstrap.rtl.min.css").read_text()
    assert rtl.startswith('@charset "UTF-8";/*!\n * Bootstrap  v5.3.9')
    assert rtl.rstrip().endswith("/*# sourceMappingURL=bootstrap.rtl.min.css.map */")
    assert "SIL Open Font License" in (VENDOR / "noto-nastaliq-urdu/LICENSE").read_text()
    assert "bootstrap.rtl.min.css" in readme
    assert "@fontsource/noto-nastaliq-urdu" in readme


def test_the_urdu_font_is_declared_for_arabic_script_and_allowed_by_the_csp():
    css = (BASE_DIR / "static" / "css" / "portal.css").read_text()
    faces = re.findall(r"@font-face \{(.*?)\}", css, re.DOTALL)

    assert len(faces) == 2
    for face in faces:
        assert 'font-family: "Noto Nastaliq Urdu"' in face
        assert "font-display: swap" in face
        assert "unicode-range: U+0600-06FF" in face
        url = re.search(r'url\("([^"]+)"\)', face)[1]
        assert (BASE_DIR / "static" / "css" / url).resolve().is_file(), url
    assert "font-src 'self'" in django_settings.CONTENT_SECURITY_POLICY


def test_the_portals_style_sheets_use_logical_properties_not_left_and_right():
    physical = re.compile(
        r"(margin|padding|border)-(left|right)\b|(?<![-\w])(left|right)\s*:"
        r"|text-align:\s*(left|right)|float:\s*(left|right)"
    )
    offenders = []
    for sheet in sorted((BASE_DIR / "static" / "css").glob("*.css")):
        # Comments may name a side ("Bootstrap floats legends (float: left ...").
        text = re.sub(r"/\*.*?\*/", "", sheet.read_text(), flags=re.DOTALL)
        offenders += [f"{sheet.name}: {m.group(0)}" for m in physical.finditer(text)]
    assert offenders == []


def test_hashed_static_storage_rewrites_the_font_urls_and_the_rtl_source_map(tmp_path, settings):
    """The hashed names of production's storage (whitenoise compresses on top of
    Django's ManifestStaticFilesStorage, left out here for speed): collectstatic
    fails on a url() or sourceMappingURL whose file is missing, rewrites the rest."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.management import call_command

    # Django's test signals reset the storage when these settings change.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    css = (tmp_path / staticfiles_storage.stored_name("css/portal.css")).read_text()
    rtl = staticfiles_storage.stored_name("vendor/bootstrap/css/bootstrap.rtl.min.css")

    assert re.search(r"noto-nastaliq-urdu-arabic-400-normal\.[0-9a-f]{12}\.woff2", css)
    assert re.search(r"noto-nastaliq-urdu-arabic-700-normal\.[0-9a-f]{12}\.woff2", css)
    assert re.search(r"bootstrap\.rtl\.min\.[0-9a-f]{12}\.css$", rtl)
