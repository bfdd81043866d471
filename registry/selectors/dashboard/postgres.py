"""PostgreSQL's side of the dashboard's counts: the summary where it answers.

The triggers of migration 0013 keep registry_dashboardcount exact in the
same transaction as every write, by status, country of residence and one
facet value: summing its rows answers every figure of a page filtered by
status and country only (the unfiltered page, a Mission's scope, a country
picked), a few thousand rows instead of every member and relation row.
Any other filter needs the members themselves: counted on demand.
"""

from dataclasses import replace
from datetime import date, datetime

from django.db.models import QuerySet, Sum

from registry.models import DashboardCount
from registry.search.filters import MemberFilters
from registry.selectors.dashboard import CHOICES, RELATED, DashboardCounts
from registry.selectors.dashboard.ondemand import counts_on_demand, month_bounds
from registry.selectors.members import rows_visible_to


def summary_answers(filters: MemberFilters) -> bool:
    """Whether the summary holds the counts for `filters`: status and country at most."""
    return replace(filters, statuses=(), country="") == MemberFilters(statuses=())


def _sums(rows: QuerySet, *columns: str) -> list[dict]:
    return [row for row in rows.values(*columns).annotate(n=Sum("members")).order_by() if row["n"]]


def counts_from_summary(
    *, user, filters: MemberFilters, now: datetime | None = None
) -> DashboardCounts:
    """dashboard_counts() summed from the summary (8 queries, like on demand)."""
    rows = rows_visible_to(user, DashboardCount.objects.all())
    if filters.country:
        rows = rows.filter(country=filters.country)
    statused = rows.filter(status__in=filters.statuses) if filters.statuses else rows
    counts = DashboardCounts()
    counts.add_subfield_country(
        (int(row["value"]) if row["value"] else None, row["country"], row["n"])
        for row in _sums(statused.filter(facet="subfield"), "value", "country")
    )

    counts.by_choice = {name: {} for name in CHOICES}
    for row in _sums(statused.filter(facet__in=CHOICES), "facet", "value"):
        counts.by_choice[row["facet"]][row["value"]] = row["n"]

    for name in RELATED:
        found = _sums(statused.filter(facet=name), "value")
        counts.by_related[name] = {int(row["value"]): row["n"] for row in found}

    starts, _since, _until = month_bounds(now)
    months = statused.filter(
        facet="month", value__gte=starts[0].isoformat(), value__lte=starts[-1].isoformat()
    )
    counts.by_month = {start: 0 for start in starts}
    for row in _sums(months, "value"):
        counts.by_month[date.fromisoformat(row["value"])] = row["n"]

    found = _sums(rows.filter(facet="subfield"), "status")
    counts.by_status = {row["status"]: row["n"] for row in found}
    return counts


def dashboard_counts(
    *, user, filters: MemberFilters, now: datetime | None = None
) -> DashboardCounts:
    if summary_answers(filters):
        return counts_from_summary(user=user, filters=filters, now=now)
    return counts_on_demand(user=user, filters=filters, now=now)
