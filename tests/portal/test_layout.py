"""The site layout: language direction, accessibility, the Content-Security-Policy."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

BASE_DIR = Path(django_settings.BASE_DIR)
ERROR_PAGE_URLS = "tests.portal.urls_error_pages"

# The home page reads its public figures from the database.
pytestmark = pytest.mark.django_db


class PageAudit(HTMLParser):
    """Collects what a strict CSP and the no-external-host rule care about."""

    def __init__(self):
        super().__init__()
        self.inline_scripts = 0
        self.style_elements = 0
        self.style_attributes: list[str] = []
        self.event_handlers: list[str] = []
        self.urls: list[str] = []
        self.html_attrs: dict[str, str | None] = {}
        self.ids: set[str] = set()
        self._in_script_without_src = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.html_attrs = attributes
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if "style" in attributes:
            self.style_attributes.append(tag)
        self.event_handlers += [name for name in attributes if name.startswith("on")]
        if tag == "style":
            self.style_elements += 1
        if tag == "script" and not attributes.get("src"):
            self.inline_scripts += 1
        for name in ("src", "href", "action", "formaction", "srcset", "poster"):
            if attributes.get(name):
                self.urls.append(attributes[name])


def audit(html: str) -> PageAudit:
    parser = PageAudit()
    parser.feed(html)
    return parser


def is_external(url: str) -> bool:
    return bool(re.match(r"^\s*([a-z][a-z0-9+.-]*:)?//", url, re.IGNORECASE))


def error_pages_html() -> dict[str, str]:
    request = RequestFactory().get("/")
    return {
        "403": render_to_string("403.html", request=request),
        "404": render_to_string("404.html", request=request),
        "429": render_to_string("429.html", request=request),
        "500": render_to_string("500.html"),
    }


@pytest.mark.urls(ERROR_PAGE_URLS)
def test_layout_has_language_direction_skip_link_and_main_landmark(client):
    page = audit(client.get(reverse("registry:home")).content.decode())

    assert page.html_attrs == {"lang": "en", "dir": "ltr"}
    assert "#main" in page.urls
    assert "main" in page.ids


def test_layout_direction_follows_a_right_to_left_language(client, settings):
    settings.LANGUAGES = [("en", "English"), ("ur", "Urdu")]

    try:
        response = client.get(reverse("registry:home"), headers={"accept-language": "ur"})
    finally:
        # LocaleMiddleware leaves the request's language active in this thread.
        translation.activate(settings.LANGUAGE_CODE)

    assert audit(response.content.decode()).html_attrs == {"lang": "ur", "dir": "rtl"}


def test_pages_have_no_inline_script_or_style(client):
    pages = {
        "home": client.get(reverse("registry:home")).content.decode(),
        "privacy": client.get(reverse("registry:privacy")).content.decode(),
        **error_pages_html(),
    }

    for name, html in pages.items():
        page = audit(html)
        assert page.inline_scripts == 0, name
        assert page.style_elements == 0, name
        assert page.style_attributes == [], name
        assert page.event_handlers == [], name


def test_pages_load_their_styles_and_scripts_from_the_portal_only(client):
    pages = {
        "home": client.get(reverse("registry:home")).content.decode(),
        "privacy": client.get(reverse("registry:privacy")).content.decode(),
        **error_pages_html(),
    }

    for name, html in pages.items():
        page = audit(html)
        assert "/static/vendor/bootstrap/css/bootstrap.min.css" in page.urls, name
        assert "/static/css/portal.css" in page.urls, name
        assert [url for url in page.urls if is_external(url)] == [], name


def test_responses_carry_the_security_headers(client):
    response = client.get(reverse("registry:home"))

    csp = response.headers["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in csp.split(";") if part.strip()
    )
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_no_template_or_site_static_file_references_an_external_host():
    url_pattern = re.compile(
        r"""(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}|(?:src|href|action)\s*=\s*["']?\s*//|url\(\s*["']?//""",
        re.IGNORECASE,
    )
    vendor = BASE_DIR / "static" / "vendor"
    scanned = []
    offenders = []
    for root in (BASE_DIR / "templates", BASE_DIR / "static"):
        for path in sorted(root.rglob("*")):
            if not path.is_file() or vendor in path.parents:
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue  # images and other binary files
            scanned.append(path.relative_to(BASE_DIR).as_posix())
            offenders += [
                f"{path.relative_to(BASE_DIR)}: {match.group(0)}"
                for match in url_pattern.finditer(text)
            ]

    assert "templates/base.html" in scanned
    assert "static/css/portal.css" in scanned
    assert offenders == []


def test_vendored_bootstrap_and_its_licence_are_present():
    vendor = BASE_DIR / "static" / "vendor"

    css = (vendor / "bootstrap" / "css" / "bootstrap.min.css").read_text()
    assert css.startswith('@charset "UTF-8";/*!\n * Bootstrap  v5.3.')
    assert (vendor / "bootstrap" / "js" / "bootstrap.bundle.min.js").stat().st_size > 50_000
    assert "MIT License" in (vendor / "bootstrap" / "LICENSE").read_text()
    assert "Bootstrap | 5.3." in (vendor / "README.md").read_text()
