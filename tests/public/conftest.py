"""Fixtures for the public pages: survey, confirmation, profile links, withdrawal."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def submit(client, django_capture_on_commit_callbacks):
    """POST like a browser, then run what waits for the commit (the e-mails)."""

    def submit(url, data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data, **extra)

    return submit
