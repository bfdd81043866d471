"""What a staff search result row shows of a member, read as plain values."""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.utils.text import Truncator
from django.utils.translation import get_language
from django_countries import countries

from registry.models import Member

ROW_FIELDS = (
    "id",
    "full_name",
    "job_title",
    "organisation",
    "country",
    "keywords",
    "status",
    "primary_subfield_id",
    "name_key",
    "city",
    "consent_contact",
    "last_confirmed_at",
    "stale_since",
)

# Characters of a member's keywords shown in a result row.
KEYWORDS_SHOWN = 120


# A page lists up to 210 rows and translating a country's or a status's name
# for each was a tenth of the page's rendering (BENCHMARKS.md, staff search,
# selective class missed): each name is translated once per language and process.
@lru_cache(maxsize=1024)
def _country_name(code: str, language: str | None) -> str:
    return countries.name(code)


@lru_cache(maxsize=64)
def _status_label(status: str, language: str | None) -> str:
    return str(Member.Status(status).label)


@dataclass(frozen=True)
class MemberRow:
    """What a result row shows of a member (the values of ROW_FIELDS)."""

    id: int
    full_name: str
    job_title: str
    organisation: str
    country: str
    keywords: str
    status: str
    primary_subfield_id: int
    name_key: str
    city: str
    consent_contact: bool
    last_confirmed_at: datetime | None = None
    stale_since: datetime | None = None

    @property
    def country_name(self) -> str:
        return _country_name(self.country, get_language()) if self.country else ""

    @property
    def status_label(self) -> str:
        return _status_label(self.status, get_language())

    @property
    def keywords_shown(self) -> str:
        """The keywords, cut to KEYWORDS_SHOWN characters for a result row."""
        # Most keywords fit; Truncator, which handles combining characters,
        # is costly enough per row to be worth skipping for them.
        if len(self.keywords) <= KEYWORDS_SHOWN:
            return self.keywords
        return Truncator(self.keywords).chars(KEYWORDS_SHOWN)


def member_rows(values) -> list[MemberRow]:
    """MemberRows from rows of ROW_FIELDS values."""
    return [MemberRow(*row) for row in values]
