"""Field rules shared by models, forms and imports."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from registry.text import has_control_characters

_ORCID_URL_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?orcid\.org/", re.IGNORECASE)
_ORCID_FORMAT = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")


def orcid_check_digit(base_digits: str) -> str:
    """ISO 7064 11,2 check character for the first 15 digits of an ORCID iD."""
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def normalize_orcid(value: str | None) -> str:
    """Return the bare iD (0000-0000-0000-000X) from either accepted form.

    Accepts the bare iD or its https://orcid.org/ URL, in any letter case for
    the final X. Does not validate; see validate_orcid.
    """
    if not value:
        return ""
    bare = _ORCID_URL_PREFIX.sub("", value.strip()).strip().strip("/")
    return bare.upper()


def validate_orcid(value: str) -> None:
    """Reject an ORCID iD with a wrong format or check digit."""
    bare = normalize_orcid(value)
    if not _ORCID_FORMAT.match(bare):
        raise ValidationError(
            _("Enter an ORCID iD such as 0000-0002-1825-0097 or its https://orcid.org/ link."),
            code="orcid_format",
        )
    digits = bare.replace("-", "")
    if orcid_check_digit(digits[:15]) != digits[15]:
        raise ValidationError(
            _("This ORCID iD is not valid: its last character does not match. Please check it."),
            code="orcid_checksum",
        )


def validate_no_control_characters(value: str) -> None:
    """Reject NUL bytes and other control characters in a single-line field."""
    if value and has_control_characters(value):
        raise ValidationError(
            _("Remove the invisible control characters from this field."),
            code="control_characters",
        )


def validate_no_control_characters_multiline(value: str) -> None:
    """Like validate_no_control_characters, but line breaks and tabs are fine."""
    if value and has_control_characters(value, multiline=True):
        raise ValidationError(
            _("Remove the invisible control characters from this field."),
            code="control_characters",
        )


# The largest id a database integer column holds (bigint, on PostgreSQL and
# SQLite alike): a larger number fails in the database, a server error.
MAX_ROW_ID = 2**63 - 1


def row_id(value: str | None) -> int | None:
    """The row id a query parameter names, or None if it cannot be one.

    str.isdigit() alone also accepts digits int() refuses (superscripts such
    as "²"), and a number beyond the database's integer range fails in the
    database: both would be a server error instead of a "wrong filter".
    """
    if not value or not (value.isascii() and value.isdigit()) or len(value) > 19:
        return None
    number = int(value)
    return number if number <= MAX_ROW_ID else None
