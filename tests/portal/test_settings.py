"""Settings, read in a fresh interpreter so the real settings code runs; and the
database and cache the suite itself runs on."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from uuid import uuid4

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import connection

BASE_DIR = Path(django_settings.BASE_DIR)
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


def test_contact_email_defaults_to_the_sender_address():
    values = settings_in_subprocess(
        clean_env(DJANGO_DEBUG="1", DEFAULT_FROM_EMAIL="DORIN <desk@mfa.example>")
    )

    assert values["CONTACT_EMAIL"] == "desk@mfa.example"


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
    assert redis["BACKEND"] == "portal.cache.RedisCache"
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
