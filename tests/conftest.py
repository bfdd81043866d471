"""Shared fixtures: taxonomy lookups and a member factory."""

import itertools
import os
import urllib.parse

import pytest

from registry import form_cache
from registry.models import EngagementType, Member, Sdg, Subfield
from registry.services.members import member_create

_counter = itertools.count(1)


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


def member_data(**overrides) -> dict:
    """Valid member field values; override any of them."""
    n = next(_counter)
    data = {
        "full_name": f"Test Member {n}",
        "email": f"member{n}@example.org",
        "country": "GB",
        "city": "London",
        "connection": Member.Connection.CITIZEN,
        "highest_qualification": Member.Qualification.PHD,
        "job_title": "Research fellow",
        "organisation": "Imperial College London",
        "sector": Member.Sector.ACADEMIA,
        "career_stage": Member.CareerStage.R2,
        "primary_subfield": Subfield.objects.get(code="1.3"),
        "keywords": "",
        "consent_processing": True,
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_member(db):
    """Create a member through the service; keyword arguments override fields."""

    def make(*, status=Member.Status.SUBMITTED, source=Member.Source.ADMIN, **overrides):
        return member_create(data=member_data(**overrides), status=status, source=source)

    return make


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
