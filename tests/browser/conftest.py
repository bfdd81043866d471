"""Fixtures for tests that drive a real Chromium through Playwright.

Browser tests are marked ``browser``. Without /usr/bin/chromium they skip with
a reason on a developer's machine; with DORIN_REQUIRE_BROWSER=1 (set by
.ci/run) a missing browser is a failure, so CI never skips them silently.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread, and Django then
# refuses ORM calls there (SynchronousOnlyOperation), including pytest-django's
# own database teardown. The tests never share that loop with Django code.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _browser_required() -> bool:
    return os.environ.get("DORIN_REQUIRE_BROWSER", "").strip() == "1"


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium, shared by the whole test session."""
    if not CHROMIUM.exists():
        reason = (
            f"{CHROMIUM} not found: install Debian's chromium package "
            "(apt-get install chromium) to run the browser tests"
        )
        if _browser_required():
            pytest.fail(f"{reason}; DORIN_REQUIRE_BROWSER=1 forbids skipping", pytrace=False)
        pytest.skip(reason)

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def live_taxonomy(transactional_db):
    """The taxonomy and roles the migrations load: a live-server test flushes
    the database after it runs, so the next one loads them again."""
    from registry.models import Subfield
    from registry.services.roles import roles_setup
    from tests.factories import taxonomy_load

    if not Subfield.objects.exists():
        taxonomy_load()
    roles_setup()


@pytest.fixture
def page(make_page):
    """A fresh browser page whose relative URLs go to pytest-django's live server.

    ``page.console_errors`` collects console errors (CSP violations included,
    Chromium reports them there), uncaught script errors and failed requests
    (not the ones a navigation cancels).
    """
    return make_page()


@pytest.fixture
def make_page(browser, live_server, live_taxonomy):
    """Pages like ``page``, with arguments for their browser context
    (``viewport``, ``locale`` for the Accept-Language header ...)."""
    contexts = []

    def make(**context_options):
        context = browser.new_context(base_url=live_server.url, **context_options)
        contexts.append(context)
        return _watched_page(context)

    yield make
    for context in contexts:
        context.close()


def _watched_page(context):
    new_page = context.new_page()
    errors: list[str] = []
    new_page.on(
        "console",
        lambda message: (
            errors.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    new_page.on("pageerror", lambda error: errors.append(f"page error: {error}"))

    def request_failed(request):
        # A navigation cancels the requests still in flight (the favicon, often):
        # Chromium reports them as ERR_ABORTED, which is no fault of the page.
        # A missing file is not "failed" but a 404 response, reported as a console error.
        if "ERR_ABORTED" not in (request.failure or ""):
            errors.append(f"request failed: {request.url} {request.failure}")

    new_page.on("requestfailed", request_failed)
    new_page.console_errors = errors
    return new_page
