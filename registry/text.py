"""Normalisation of the text people type, applied once on the way in.

Forms and services use the same functions, so what is stored, compared and
searched is the same whatever the entry point (survey, admin, import, seed).
"""

import re
import unicodedata
from functools import lru_cache

# Control characters a person never types on purpose (C0, DEL, C1), apart from
# the line breaks and tab that multi-line fields legitimately contain.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_CONTROLS = re.compile(r"[\t\r\n]")
_SPACES = re.compile(r"\s+")


def has_control_characters(value: str, *, multiline: bool = False) -> bool:
    """True if the value holds a NUL or another control character.

    Single-line fields also refuse tab and line breaks.
    """
    if _CONTROL_CHARS.search(value):
        return True
    return not multiline and bool(_LINE_CONTROLS.search(value))


def normalize_text(value: str | None) -> str:
    """Trim and compose to NFC, so the same word is always stored the same way."""
    if not value:
        return ""
    return unicodedata.normalize("NFC", value).strip()


def normalize_email(value: str | None) -> str:
    """Trim the address and lower-case it.

    The local part is case-sensitive in theory, but no mail provider our
    members use treats it so, and the registry must never hold one person
    twice because of a capital letter.
    """
    return normalize_text(value).lower()


def _keeps_marks(base: str) -> bool:
    # Marks on Arabic-script letters (hamza, madda) are part of the letter in
    # Urdu and Arabic, not an accent, so they stay.
    return bool(base) and (0x0600 <= ord(base) <= 0x08FF or 0xFB50 <= ord(base) <= 0xFEFF)


@lru_cache(maxsize=8192)
def _fold_cached(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    kept = []
    base = ""
    for ch in decomposed:
        if not unicodedata.combining(ch):
            base = ch
        elif not _keeps_marks(base):
            continue
        kept.append(ch)
    stripped = "".join(kept)
    return _SPACES.sub(" ", unicodedata.normalize("NFC", stripped).casefold()).strip()


def fold(value: str | None) -> str:
    """Case- and accent-insensitive form used for search and duplicate keys.

    "Ángström" and "angstrom" fold to the same string. Scripts without
    combining accents (Urdu, Arabic) keep their letters.
    """
    if not value:
        return ""
    if value.isascii():
        return " ".join(value.lower().split())
    # Names, organisations and subfield names repeat; short values are cached.
    if len(value) <= 200:
        return _fold_cached(value)
    return _fold_cached.__wrapped__(value)


def split_keywords(value: str | None) -> list[str]:
    """Split a free keyword field on commas, semicolons and line breaks."""
    if not value:
        return []
    seen: dict[str, str] = {}
    for part in re.split(r"[,;\n]", value):
        keyword = _SPACES.sub(" ", part).strip()
        if keyword and keyword.casefold() not in seen:
            seen[keyword.casefold()] = keyword
    return list(seen.values())
