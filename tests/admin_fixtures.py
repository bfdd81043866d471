"""Staff accounts in each role, for the admin tests.

A pytest plugin: test modules load it with `pytest_plugins`.
"""

import pytest
from django.contrib.auth.models import Group, User

from registry.services.roles import ANALYST, FOCAL_POINT, VIEWER

PASSWORD = "a-long-test-password-1234"
GROUP_OF = {"viewer": VIEWER, "analyst": ANALYST, "focal_point": FOCAL_POINT}


def make_staff(role: str, username: str | None = None) -> User:
    """A staff user in the role's group (or a superuser)."""
    username = username or role
    if role == "superuser":
        return User.objects.create_superuser(username, f"{username}@ministry.example", PASSWORD)
    user = User.objects.create_user(
        username, f"{username}@ministry.example", PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=GROUP_OF[role]))
    return user


@pytest.fixture
def staff_password():
    return PASSWORD


@pytest.fixture
def staff(db):
    """make_staff(role) for "viewer", "analyst", "focal_point" or "superuser"."""
    return make_staff


@pytest.fixture
def focal_point(db):
    return make_staff("focal_point")


@pytest.fixture
def role_client(client, db):
    """A test client logged in as the role ("anonymous": not logged in)."""

    def login(role: str):
        if role != "anonymous":
            client.force_login(make_staff(role))
        return client

    return login
