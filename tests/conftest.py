"""Fixtures shared by the whole suite; the data they make comes from tests.factories.

Folder conftest.py files hold only what one folder needs.
"""

import os
import urllib.parse

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from registry import form_cache
from registry.models import EngagementType, Sdg, Subfield
from tests import factories


def pytest_configure(config):
    """Give each pytest-xdist worker a Redis database of its own.

    Tests clear the cache, which on Redis empties the whole database: two
    workers sharing one would wipe each other's rate-limit counters and shared
    pages mid-test. The caches connect lazily, so changing the location here,
    before any test runs, is enough; app servers started by a test inherit it
    through REDIS_URL.
    """
    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    url = os.environ.get("REDIS_URL", "").strip()
    if not (worker.startswith("gw") and url):
        return
    number = int(worker.removeprefix("gw")) + 1
    url = urllib.parse.urlsplit(url)._replace(path=f"/{number}").geturl()
    os.environ["REDIS_URL"] = url
    settings.CACHES["default"]["LOCATION"] = url


@pytest.fixture(autouse=True)
def _fresh_shared_pages():
    """Pages shared between visitors (registry.form_cache) never outlive a test."""
    form_cache.forget_local_copies()
    yield
    form_cache.forget_local_copies()


@pytest.fixture(autouse=True)
def _site_language():
    """Every test starts in the site's language: a request in Urdu through the
    test client leaves Urdu active in the test's thread afterwards."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and shared figures live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def urdu(settings):
    """Urdu pages: the portal offers Urdu, and the request headers returned ask for it.

    Use as client.get(url, headers=urdu).
    """
    settings.LANGUAGES = [("en", "English"), ("ur", "Urdu")]
    yield {"accept-language": "ur"}
    # A request leaves its language active in the thread; the next test starts in English.
    translation.deactivate()


@pytest.fixture
def make_member(db):
    """factories.make_member with database access: keyword arguments override fields."""
    return factories.make_member


@pytest.fixture
def member(make_member):
    return make_member()


@pytest.fixture
def subfield(db):
    def get(code: str) -> Subfield:
        return Subfield.objects.get(code=code)

    return get


@pytest.fixture
def engagement_types(db):
    return list(EngagementType.objects.all())


@pytest.fixture
def sdgs(db):
    return list(Sdg.objects.all())


@pytest.fixture
def members(make_member, subfield):
    """The fixed search set (factories.fixed_members), by first name."""
    return factories.fixed_members(make_member, subfield)


@pytest.fixture
def submit(client, django_capture_on_commit_callbacks):
    """POST like a browser, then run what waits for the commit (the e-mails)."""

    def submit(url, data, *, using=None, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return (using or client).post(url, data, **extra)

    return submit


# Staff users.


@pytest.fixture
def staff_password():
    return factories.STAFF_PASSWORD


@pytest.fixture
def staff(db):
    """factories.staff_user: staff(role), staff(perms=(...)), with an optional username."""
    return factories.staff_user


@pytest.fixture
def focal_point(db):
    return factories.staff_user("focal_point")


@pytest.fixture
def role_client(client, db):
    """A test client logged in as the role ("anonymous": not logged in)."""

    def login(role: str):
        if role != "anonymous":
            client.force_login(factories.staff_user(role))
        return client

    return login
