"""Deployment: check --deploy with production variables, and the headers and
cookies every response carries under production settings."""

import json
import secrets
import subprocess
import sys
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tests.factories import PROFILE_URL, REGISTER_URL, survey_payload
from tests.portal.test_settings import clean_env

pytestmark = pytest.mark.django_db

HOST = "dorin.example.gov"
PRODUCTION_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_DEBUG": "0",
    "ALLOWED_HOSTS": HOST,
    "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
    "SECURE_PROXY_SSL_HEADER": "1",
}
# The settings that production variables switch on, read from a real start below.
SECURITY_SETTINGS = (
    "DEBUG",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
)


def run_manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=django_settings.BASE_DIR,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("change", "warning"),
    [
        ({}, None),
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"SESSION_COOKIE_SECURE": "0"}, "security.W012"),
        ({"SECRET_KEY": "short-and-guessable"}, "security.W009"),
    ],
    ids=["production", "no_hsts", "session_cookie_over_http", "weak_secret_key"],
)
def test_check_deploy_passes_with_production_variables_and_fails_without_each_switch(
    change, warning
):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION_ENV, **change}
    )

    output = result.stdout + result.stderr
    if warning is None:
        assert result.returncode == 0, output
        assert "System check identified no issues" in result.stdout
    else:
        assert result.returncode != 0
        assert warning in output


@pytest.fixture(scope="module")
def production_values() -> dict:
    """The security settings as the portal computes them from production variables."""
    code = (
        "import json; from portal import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {SECURITY_SETTINGS!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env=clean_env(**PRODUCTION_ENV),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def production(settings, production_values):
    for name, value in production_values.items():
        setattr(settings, name, value)
    return production_values


def assert_security_headers(response, *, tls: bool):
    headers = response.headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    if tls:
        assert headers["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        )


def test_home_page_over_tls_carries_csp_hsts_frame_options_referrer_policy_and_nosniff(
    client, production
):
    response = client.get("/", secure=True, HTTP_HOST=HOST)

    assert response.status_code == 200
    assert_security_headers(response, tls=True)


def test_plain_http_is_redirected_to_https_before_anything_else(client, production):
    response = client.get(REGISTER_URL, HTTP_HOST=HOST)

    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}{REGISTER_URL}"
    assert "Strict-Transport-Security" not in response.headers


def error_and_edge_responses(client) -> dict:
    """Responses that do not come from a normal page render."""
    invalid_link = reverse("registry:profile_edit", args=["not-a-token"])
    responses = {
        "not_found": client.get("/no-such-page/", secure=True, HTTP_HOST=HOST),
        "method_not_allowed": client.delete(REGISTER_URL, secure=True, HTTP_HOST=HOST),
        "invalid_link": client.get(invalid_link, secure=True, HTTP_HOST=HOST),
        "admin_login": client.get("/admin/login/", secure=True, HTTP_HOST=HOST),
        "csrf_failure": Client(enforce_csrf_checks=True).post(
            PROFILE_URL, {"email": "a@example.org"}, secure=True, HTTP_HOST=HOST
        ),
    }
    for _ in range(django_settings.RATELIMIT_LINK_REQUESTS_PER_IP + 1):
        last = client.post(
            PROFILE_URL, {"email": "nobody@example.org"}, secure=True, HTTP_HOST=HOST
        )
    responses["too_many_requests"] = last
    return responses


def test_error_pages_carry_the_same_security_headers(client, production):
    responses = error_and_edge_responses(client)

    assert {name: r.status_code for name, r in responses.items()} == {
        "not_found": 404,
        "method_not_allowed": 405,
        "invalid_link": 400,
        "admin_login": 200,
        "csrf_failure": 403,
        "too_many_requests": 429,
    }
    for name, response in responses.items():
        assert "Content-Security-Policy" in response.headers, name
        assert_security_headers(response, tls=True)


def test_a_foreign_host_gets_400_with_the_security_headers(client, production):
    response = client.get("/", secure=True, HTTP_HOST="evil.example.org")

    assert response.status_code == 400
    assert_security_headers(response, tls=True)


def test_cookies_are_secure_http_only_and_same_site_under_production_settings(
    client, production, admin_user
):
    client.get(REGISTER_URL, secure=True, HTTP_HOST=HOST)
    csrf = client.cookies["csrftoken"]
    client.force_login(admin_user)
    response = client.get("/admin/", secure=True, HTTP_HOST=HOST)
    assert response.status_code == 200

    assert csrf["secure"] is True and csrf["samesite"] == "Lax"
    session = client.cookies[django_settings.SESSION_COOKIE_NAME]
    login = Client()
    login.post(
        "/admin/login/",
        {"username": "admin", "password": "password"},
        secure=True,
        HTTP_HOST=HOST,
    )
    session = login.cookies[django_settings.SESSION_COOKIE_NAME]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


def test_a_server_error_shows_the_plain_500_page_without_details(production):
    client = Client(raise_request_exception=False)
    boom = RuntimeError(f"secret detail {django_settings.SECRET_KEY}")

    with mock.patch("registry.views.survey_answers_to_json", side_effect=boom):
        response = client.post(REGISTER_URL, survey_payload(), secure=True, HTTP_HOST=HOST)

    assert response.status_code == 500
    html = response.content.decode()
    assert "secret detail" not in html and "Traceback" not in html
    assert django_settings.SECRET_KEY not in html
    assert_security_headers(response, tls=True)
