"""Fixtures for the security and reliability suite."""

import pytest
from django.db import connection

from tests.factories import taxonomy_load


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Many tests here make staff accounts; what they test is not the hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def no_rate_limits(settings):
    """Limits high enough that a test sending many submissions is never turned away."""
    settings.RATELIMIT_SURVEY_PER_IP = 1_000_000
    settings.RATELIMIT_LINK_EMAILS_PER_ADDRESS = 1_000_000
    settings.RATELIMIT_LINK_REQUESTS_PER_IP = 1_000_000


@pytest.fixture
def postgresql(request):
    """Skips on SQLite, with the module's POSTGRESQL_ONLY reason.

    CI runs the whole suite on PostgreSQL too (make test-postgres), where
    these tests run.
    """
    if connection.vendor != "postgresql":
        reason = getattr(request.module, "POSTGRESQL_ONLY", "needs PostgreSQL")
        pytest.skip(f"{reason}; runs in CI's PostgreSQL pass (make test-postgres)")


@pytest.fixture
def committed_taxonomy(transactional_db):
    """The taxonomy, committed, for tests whose data other threads or processes read.

    Transactional tests (the browser tests, these) flush the database when
    they end, taxonomy included; the migration's loader is idempotent, so it
    simply runs again. (serialized_rollback does not mix with other
    transactional tests: their flush re-creates content types that the
    serialised copy then collides with.)
    """
    taxonomy_load()
