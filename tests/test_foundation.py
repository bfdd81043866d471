"""The foundation: pages, layout, security headers, settings and dev commands."""

import json
import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from uuid import uuid4

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from registry.privacy import PRIVACY_NOTICE_VERSION

BASE_DIR = Path(django_settings.BASE_DIR)
PORTAL_NAME = "Diaspora Outreach Research and Innovation Network"
WITH_SURVEY_ROUTES = "tests.urls_with_survey_routes"

# The home page reads its public figures from the database.
pytestmark = pytest.mark.django_db
SETTINGS_SOURCE = (BASE_DIR / "portal" / "settings.py").read_text()
# Every environment variable portal/settings.py reads, found in its source so
# a new knob is covered (and must be documented) without editing this list.
SETTINGS_ENV_VARS = sorted(
    set(
        re.findall(
            r"(?:os\.environ\.get|env_bool|env_list|env_int)\(\s*\"([A-Z][A-Z0-9_]*)\"",
            SETTINGS_SOURCE,
        )
    )
)


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


# Pages


def test_home_page_says_what_the_network_is_and_calls_to_register(client):
    response = client.get(reverse("registry:home"))

    body = response.content.decode()
    assert response.status_code == 200
    assert f"<title>{PORTAL_NAME} · DORIN</title>" in body
    assert f'<h1 id="hero-title" class="display-5 fw-bold">{PORTAL_NAME}</h1>' in body
    assert "Register as a member of the network" in body
    assert "scientists, engineers, doctors and scholars" in body
    assert "CERN" in body
    assert "How it works" in body
    assert "Confirm your e-mail" in body
    assert f'href="{reverse("registry:privacy")}"' in body
    assert f'href="{reverse("admin:index")}"' in body


@pytest.mark.urls(WITH_SURVEY_ROUTES)
def test_layout_links_to_register_and_profile_once_the_survey_routes_exist(client):
    body = client.get(reverse("registry:home")).content.decode()

    assert f'<a class="nav-link" href="{reverse("registry:register")}">Register</a>' in body
    assert f'href="{reverse("registry:profile")}">Update my profile</a>' in body
    assert f'<a class="btn btn-lg btn-cta" href="{reverse("registry:register")}">' in body


def test_layout_renders_survey_links_only_for_routes_that_exist(client):
    body = client.get(reverse("registry:privacy")).content.decode()

    survey_links = [("registry:register", "Register"), ("registry:profile", "Update my profile")]
    for name, label in survey_links:
        try:
            url = reverse(name)
        except NoReverseMatch:
            assert f">{label}</a>" not in body
        else:
            assert f'href="{url}"' in body


@pytest.mark.urls(WITH_SURVEY_ROUTES)
def test_navigation_marks_the_current_page(client):
    body = client.get(reverse("registry:privacy")).content.decode()

    assert f'href="{reverse("registry:privacy")}" aria-current="page">Privacy</a>' in body
    assert body.count('aria-current="page"') == 1


def test_privacy_notice_shows_its_version_and_what_a_member_needs_to_know(client, settings):
    settings.CONTACT_EMAIL = "focal.point@mfa.example"

    response = client.get(reverse("registry:privacy"))

    body = response.content.decode()
    assert response.status_code == 200
    assert f"Version {PRIVACY_NOTICE_VERSION}." in body
    for heading in (
        "What we collect",
        "Why we collect it",
        "Legal basis",
        "Who can see it",
        "How long we keep it",
        "Updating or withdrawing your profile",
        "Contact",
    ):
        assert f"<h2>{heading}</h2>" in body
    assert "on the basis of your consent" in body
    assert "public directory only if you" in body
    assert "Update my profile" in body
    assert '<a href="mailto:focal.point@mfa.example">focal.point@mfa.example</a>' in body


def test_privacy_notice_version_is_a_year_and_month():
    assert re.fullmatch(r"20\d\d-(0[1-9]|1[0-2])(-\w+)?", PRIVACY_NOTICE_VERSION)


def test_contact_email_defaults_to_the_sender_address():
    values = settings_in_subprocess(
        clean_env(DJANGO_DEBUG="1", DEFAULT_FROM_EMAIL="DORIN <desk@mfa.example>")
    )

    assert values["CONTACT_EMAIL"] == "desk@mfa.example"


def test_favicon_ico_redirects_to_the_static_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response.headers["Location"] == "/static/img/favicon.png"


def test_pages_only_accept_safe_methods(client):
    assert client.post(reverse("registry:home")).status_code == 405
    assert client.post(reverse("registry:privacy")).status_code == 405


# Layout, accessibility and the Content-Security-Policy


@pytest.mark.urls(WITH_SURVEY_ROUTES)
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


# Error pages


def test_unknown_page_uses_the_portal_404_page(client):
    response = client.get("/no-such-page/")

    body = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in body
    assert PORTAL_NAME in body
    assert f'href="{reverse("registry:home")}"' in body


@pytest.mark.urls(WITH_SURVEY_ROUTES)
def test_permission_denied_uses_the_portal_403_page(client):
    response = client.get("/forbidden/")

    assert response.status_code == 403
    assert "Access denied" in response.content.decode()


@pytest.mark.urls(WITH_SURVEY_ROUTES)
def test_server_error_uses_the_standalone_500_page(client):
    client.raise_request_exception = False

    response = client.get("/broken/")

    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in body
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in body
    assert "a failure on purpose" not in body


def test_429_page_tells_the_visitor_to_wait():
    html = render_to_string("429.html", request=RequestFactory().get("/"))

    assert "Too many requests" in html
    assert "wait a few minutes" in html
    assert PORTAL_NAME in html


# Settings, read in a fresh interpreter so the real settings code runs


def clean_env(**overrides: str) -> dict[str, str]:
    """The current environment without any setting (pytest-env sets some), plus overrides."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV_VARS}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # The browser tests' conftest sets this for Playwright; a deployment never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(overrides)
    return env


def settings_in_subprocess(env: dict[str, str]) -> dict:
    code = (
        "import json; from portal import settings as s; "
        "print(json.dumps({name: getattr(s, name) for name in "
        "('DEBUG', 'DATABASES', 'CACHES', 'ALLOWED_HOSTS', 'CONTACT_EMAIL', "
        "'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'SECURE_HSTS_SECONDS')}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_settings_default_to_a_sqlite_file_in_the_project_with_wal():
    database = settings_in_subprocess(clean_env(DJANGO_DEBUG="1"))["DATABASES"]["default"]

    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(BASE_DIR / "db.sqlite3")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "PRAGMA journal_mode=WAL" in database["OPTIONS"]["init_command"]


def test_settings_read_a_sqlite_database_url(tmp_path):
    path = tmp_path / "other.sqlite3"

    database = settings_in_subprocess(
        clean_env(DJANGO_DEBUG="1", DATABASE_URL=f"sqlite:///{path}")
    )["DATABASES"]["default"]

    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(path)
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_settings_read_a_postgresql_database_url():
    env = clean_env(
        SECRET_KEY="x" * 60,
        DATABASE_URL="postgres://dorin:s3cret@db.internal:6543/dorin_prod",
        DB_CONN_MAX_AGE="120",
    )

    database = settings_in_subprocess(env)["DATABASES"]["default"]

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"]) == ("db.internal", 6543)
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == (
        "dorin_prod",
        "dorin",
        "s3cret",
    )
    assert database["CONN_MAX_AGE"] == 120
    assert database["CONN_HEALTH_CHECKS"] is True


def test_settings_use_redis_for_the_cache_only_when_redis_url_is_set():
    local = settings_in_subprocess(clean_env(DJANGO_DEBUG="1"))["CACHES"]["default"]
    redis = settings_in_subprocess(
        clean_env(DJANGO_DEBUG="1", REDIS_URL="redis://cache.internal:6379/2")
    )["CACHES"]["default"]

    assert local["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://cache.internal:6379/2"


def test_production_switches_are_on_when_debug_is_off():
    env = clean_env(SECRET_KEY="y" * 60, ALLOWED_HOSTS="dorin.example.org")

    values = settings_in_subprocess(env)

    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["dorin.example.org"]
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000


def test_check_deploy_passes_with_a_production_environment():
    env = clean_env(
        SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_DEBUG="0",
        ALLOWED_HOSTS="dorin.example.org",
        CSRF_TRUSTED_ORIGINS="https://dorin.example.org",
        SECURE_PROXY_SSL_HEADER="1",
    )

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_portal_refuses_to_start_without_secret_key_when_debug_is_off():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=clean_env(DJANGO_DEBUG="0"),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


def test_every_setting_environment_variable_is_documented_in_the_readme():
    readme = (BASE_DIR / "README.md").read_text()

    assert len(SETTINGS_ENV_VARS) >= 20
    assert [name for name in SETTINGS_ENV_VARS if f"| `{name}` |" not in readme] == []


# The real database and cache the suite runs against


@pytest.mark.django_db
def test_suite_runs_on_the_database_named_by_database_url():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        row = cursor.fetchone()

    assert connection.vendor == expected
    assert row[0] == 1


def test_cache_round_trips_through_the_configured_backend():
    cache = caches["default"]
    expected = "RedisCache" if os.environ.get("REDIS_URL") else "LocMemCache"
    key = f"foundation-test-{uuid4().hex}"

    cache.set(key, {"answer": 42}, timeout=30)
    try:
        assert type(cache).__name__ == expected
        assert cache.get(key) == {"answer": 42}
    finally:
        cache.delete(key)
    assert cache.get(key) is None


# ensure_dev_admin


def run_ensure_dev_admin() -> str:
    out = StringIO()
    call_command("ensure_dev_admin", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_ensure_dev_admin_creates_one_superuser_and_prints_its_password_once(settings):
    settings.DEBUG = True
    user_model = get_user_model()

    first = run_ensure_dev_admin()
    second = run_ensure_dev_admin()

    password = re.search(r"password: (\S+)", first).group(1)
    admin = user_model.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password(password)
    assert len(password) >= 20
    assert user_model.objects.filter(is_superuser=True).count() == 1
    assert "already exists" in second
    assert password not in second


@pytest.mark.django_db
def test_ensure_dev_admin_leaves_an_existing_superuser_alone(settings):
    settings.DEBUG = True
    user_model = get_user_model()
    user_model.objects.create_superuser("focal", "focal@mfa.example", "a-long-password-123")

    output = run_ensure_dev_admin()

    assert "already exists (focal)" in output
    assert list(user_model.objects.values_list("username", flat=True)) == ["focal"]


@pytest.mark.django_db
def test_ensure_dev_admin_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        run_ensure_dev_admin()

    assert not get_user_model().objects.exists()
