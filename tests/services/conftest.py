"""Fixtures for the service tests."""

import pytest
from django.contrib.auth.models import User


@pytest.fixture
def reviewer(db):
    return User.objects.create_user("reviewer", "reviewer@ministry.example", is_staff=True)
