"""Field rules: ORCID iDs and control characters (registry.validators)."""

import pytest
from django.core.exceptions import ValidationError

from registry.validators import (
    normalize_orcid,
    orcid_check_digit,
    validate_no_control_characters,
    validate_orcid,
)


@pytest.mark.parametrize(
    "value",
    [
        "0000-0002-1825-0097",
        "https://orcid.org/0000-0001-5109-3700",
        "0000-0002-1694-233X",
        "0000-0002-1694-233x",
        "http://www.orcid.org/0000-0002-1825-0097/",
    ],
)
def test_valid_orcid_ids_are_accepted(value):
    validate_orcid(value)


@pytest.mark.parametrize(
    "value",
    [
        "0000-0002-1825-0098",  # wrong check digit
        "0000-0001-5109-370X",
        "0000-0002-1694-2330",
        "0000000218250097",  # no dashes
        "0000-0002-1825-009",
        "https://example.org/0000-0002-1825-0097",
        "",
    ],
)
def test_invalid_orcid_ids_are_rejected(value):
    with pytest.raises(ValidationError):
        validate_orcid(value)


def test_orcid_url_form_is_stored_as_the_bare_id():
    assert normalize_orcid(" https://orcid.org/0000-0002-1694-233x ") == "0000-0002-1694-233X"


def test_orcid_check_digit_follows_iso_7064_mod_11_2():
    assert orcid_check_digit("000000021825009") == "7"
    assert orcid_check_digit("000000021694233") == "X"


def test_control_characters_are_rejected():
    with pytest.raises(ValidationError):
        validate_no_control_characters("Amina\x00Khan")
    validate_no_control_characters("Amina Khan")
