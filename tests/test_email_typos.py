"""The "did you mean …?" hint for mistyped e-mail domains (issue 17, item 10)."""

import pytest

from registry.email_typos import email_suggestion


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("amina@gmial.com", "amina@gmail.com"),
        ("amina@gmail.con", "amina@gmail.com"),
        ("amina@GMAIL.CMO", "amina@gmail.com"),
        ("amina@hotmial.com", "amina@hotmail.com"),
        ("amina@yahooo.com", "amina@yahoo.com"),
        ("amina@outlok.com", "amina@outlook.com"),
        ("amina@gamil.com", "amina@gmail.com"),
        ("amina@icloud.co", "amina@icloud.com"),
    ],
)
def test_common_domain_typos_get_a_suggestion(typed, meant):
    assert email_suggestion(typed) == meant


@pytest.mark.parametrize(
    "typed",
    [
        "amina@gmail.com",
        "amina@mail.com",
        "amina@gmx.de",
        "amina@me.com",
        "amina@ucl.ac.uk",
        "amina@cern.ch",
        "amina@example.org",
        "not an address",
        "",
    ],
)
def test_real_domains_are_left_alone(typed):
    assert email_suggestion(typed) == ""
