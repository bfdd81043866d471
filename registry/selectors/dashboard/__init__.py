"""The dashboard's counts: members by country, field, subfield and the rest.

Every count is exact at the moment of the request and covers only the
members `user` may see (members_visible_to) that match the staff search's
filters. `dashboard_counts` hands the work to the backend that
`registry.db.backend_module` picks. On PostgreSQL (postgres.py) one
statement answers a page: over the summary that triggers keep in the same
transaction as every write (registry.models.DashboardCount) for the pages
filtered by status and country only, over the filtered members otherwise.
Other databases count on demand (ondemand.py), a query per kind of figure.
Each backend runs the same number of queries whatever the data.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from registry.db import backend_module
from registry.models import InternationalProject

MONTHS = 24
# The many-to-many figures: name -> (Member field, id column of its through table).
RELATED = {
    "cluster": ("clusters", "expertisecluster_id"),
    "engagement": ("engagement_types", "engagementtype_id"),
    "sdg": ("sdgs", "sdg_id"),
    "project": ("international_projects", "internationalproject_id"),
}
# On PostgreSQL every member keeps one mask per relation of RELATED, column
# "<name>_mask" (migration 0016): bit n is set when the member has the target
# whose id is n, for ids up to LAST_MASK_BIT.
LAST_MASK_BIT = 62
# Member columns counted together in one query.
CHOICES = {
    "sector": "sector",
    "stage": "career_stage",
    "qualification": "highest_qualification",
    "gender": "gender",
}


@dataclass
class DashboardCounts:
    """Member counts of one dashboard; every mapping leaves out zeros."""

    total: int = 0
    by_country: dict[str, int] = field(default_factory=dict)
    by_subfield: dict[int, int] = field(default_factory=dict)
    # (subfield id, country) -> members, the source of the field x country matrix.
    by_subfield_country: dict[tuple[int, str], int] = field(default_factory=dict)
    # "sector", "stage", "qualification", "gender" -> value -> members.
    by_choice: dict[str, dict[str, int]] = field(default_factory=dict)
    # "cluster", "engagement", "sdg", "project" -> target id -> members.
    by_related: dict[str, dict[int, int]] = field(default_factory=dict)
    # First day of each of the last MONTHS months -> members registered then.
    by_month: dict[date, int] = field(default_factory=dict)
    # Status -> members matching every filter but the status.
    by_status: dict[str, int] = field(default_factory=dict)

    def add_subfield_country(self, rows) -> None:
        """Fill the subfield x country cells, then the totals they sum to."""
        for subfield_id, country, n in rows:
            if n:
                key = (subfield_id, country)
                self.by_subfield_country[key] = self.by_subfield_country.get(key, 0) + n
        for (subfield_id, country), n in self.by_subfield_country.items():
            self.by_country[country] = self.by_country.get(country, 0) + n
            self.by_subfield[subfield_id] = self.by_subfield.get(subfield_id, 0) + n
        self.total = sum(self.by_country.values())


def relation_mask(ids) -> int:
    """The mask of a member related to the targets with these ids (beyond the mask: ignored)."""
    return sum(1 << i for i in set(ids) if 0 <= i <= LAST_MASK_BIT)


def month_starts(today: date, months: int = MONTHS) -> list[date]:
    """The first day of each of the `months` months ending with today's, oldest first."""
    index = today.year * 12 + today.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def dashboard_counts(*, user, filters, now: datetime | None = None) -> DashboardCounts:
    """The dashboard's counts of the members `user` may see matching `filters`.

    `filters` is a registry.search.filters.MemberFilters. The months are the
    MONTHS whole months ending with the month of `now` (default: now). Runs
    one query on PostgreSQL and 8 elsewhere, whatever the data (fuzzy name
    matching, which would decide with a count, is off). Evaluate inside
    search_time_limit() to bound them.
    """
    backend = backend_module("registry.selectors.dashboard")
    return backend.dashboard_counts(user=user, filters=filters, now=now)


def international_project_names() -> dict[int, tuple[str, str]]:
    """Id -> (slug, name in the active language) of every international project, in their order."""
    return {p.pk: (p.slug, p.display_name) for p in InternationalProject.objects.all()}
