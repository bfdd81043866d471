"""Fixtures for the admin tests."""

import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Staff accounts are made in most tests; a slow hasher only costs time here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def many_members(make_member, subfield, engagement_types, sdgs, settings):
    # The list does not read history; leaving it out makes the fixture fast.
    settings.SIMPLE_HISTORY_ENABLED = False
    codes = ["1.2", "1.3", "2.2", "3.2", "5.2", "6.1"]
    members = [
        make_member(
            primary_subfield=subfield(codes[i % len(codes)]),
            subfields=[subfield(codes[(i + 1) % len(codes)])],
            engagement_types=engagement_types[: 1 + i % 3],
            sdgs=sdgs[: 1 + i % 4],
            keywords="machine learning, oncology",
        )
        for i in range(110)
    ]
    settings.SIMPLE_HISTORY_ENABLED = True
    return members
