"""Every other database's side of the dashboard's counts: all on demand.

SQLite serves development and tests, where members are few; the summary
table stays empty there (no triggers fill it).
"""

from datetime import datetime

from registry.search.filters import MemberFilters
from registry.selectors.dashboard import DashboardCounts
from registry.selectors.dashboard.ondemand import counts_on_demand


def dashboard_counts(
    *, user, filters: MemberFilters, now: datetime | None = None
) -> DashboardCounts:
    return counts_on_demand(user=user, filters=filters, now=now)
