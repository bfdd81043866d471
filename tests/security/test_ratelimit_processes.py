"""Rate limits hold across app servers: two gunicorn processes, one Redis.

The processes serve the test database (committed data, so a transactional
test) with the suite's Redis. Both see the client as 127.0.0.1, so the per-IP
limit on survey submissions counts what arrives at either of them.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from registry.models import Member
from tests.factories import REGISTER_URL, survey_payload
from tests.portal.test_settings import clean_env

pytestmark = [
    pytest.mark.usefixtures("postgresql", "committed_taxonomy"),
]

POSTGRESQL_ONLY = (
    "the app servers need a database other processes can open "
    "(the SQLite test database lives in memory)"
)
LIMIT = 3
STARTUP_TIMEOUT = 60
REQUEST_TIMEOUT = 30


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "").strip()
    if not url:
        pytest.skip("REDIS_URL is not set: the app servers need a shared Redis (CI sets it)")
    return url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def suite_database_url() -> str:
    db = connection.settings_dict
    auth = urllib.parse.quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + urllib.parse.quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def server_env(redis_url: str) -> dict:
    return clean_env(
        SECRET_KEY=settings.SECRET_KEY,
        DJANGO_DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        STATIC_MANIFEST="0",
        DATABASE_URL=suite_database_url(),
        DB_CONN_MAX_AGE="0",
        # Registrations stored within the request, so the test can count them
        # without running a task worker.
        TASKS_BACKEND="immediate",
        REDIS_URL=redis_url,
        CACHE_KEY_PREFIX=settings.CACHES["default"].get("KEY_PREFIX", ""),
        RATELIMIT_SURVEY_PER_IP=str(LIMIT),
        RATELIMIT_LINK_EMAILS_PER_ADDRESS="100",
        TRUSTED_PROXY_COUNT="0",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A visitor with its own cookies, who fills in the survey on one server."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect()
        )

    def request(self, url: str, data: bytes | None = None, headers=None) -> tuple[int, str]:
        request = urllib.request.Request(url, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def register(self, base: str, payload: dict, headers=None) -> int:
        status, html = self.request(base + REGISTER_URL)
        assert status == 200, html[:500]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        body = urllib.parse.urlencode({**payload, "csrfmiddlewaretoken": token}, doseq=True)
        status, _ = self.request(base + REGISTER_URL, body.encode(), headers)
        return status


def wait_until_serving(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(base + "/privacy/", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    pytest.fail(f"gunicorn did not answer within {STARTUP_TIMEOUT}s:\n{log.read_text()}")


@pytest.fixture
def two_app_servers(redis_url, tmp_path):
    """Two gunicorn processes on their own ports; always stopped afterwards."""
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    env = server_env(redis_url)
    servers = []
    try:
        for n in range(2):
            port, log = free_port(), tmp_path / f"gunicorn-{n}.log"
            command = [
                gunicorn,
                "portal.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--timeout",
                str(REQUEST_TIMEOUT),
                "--graceful-timeout",
                "2",
            ]
            with log.open("w") as out:
                process = subprocess.Popen(
                    command,
                    cwd=settings.BASE_DIR,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            servers.append((f"http://127.0.0.1:{port}", process, log))
        for base, process, log in servers:
            wait_until_serving(base, process, log)
        yield [base for base, _, _ in servers]
    finally:
        for _, process, _ in servers:
            process.terminate()
        for _, process, _ in servers:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def test_the_per_ip_survey_limit_counts_submissions_on_both_app_servers(two_app_servers):
    first, second = two_app_servers
    # Alternate between the servers; a forged X-Forwarded-For must not help.
    statuses = []
    for i in range(LIMIT + 3):
        base = (first, second)[i % 2]
        headers = {"X-Forwarded-For": f"203.0.113.{i}"}
        payload = survey_payload(email=f"member{i}@example.org")
        statuses.append((base, Browser().register(base, payload, headers)))

    assert [status for _, status in statuses] == [302] * LIMIT + [429] * 3
    # Both servers turned a visitor away, so neither counted alone.
    assert {base for base, status in statuses if status == 429} == {first, second}
    assert sorted(Member.objects.values_list("email", flat=True)) == [
        f"member{i}@example.org" for i in range(LIMIT)
    ]
