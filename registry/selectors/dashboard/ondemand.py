"""The dashboard's counts read from the member and relation tables on demand.

One GROUP BY query per kind of figure and never a query per row, so the
number of queries does not depend on the data. Every database can run it:
it is the portable backend's whole answer (PostgreSQL counts in one
statement instead, see postgres.py).
"""

from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date, datetime

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from registry.models import Member
from registry.search.filters import MemberFilters, members_filtered
from registry.selectors.dashboard import CHOICES, RELATED, DashboardCounts, month_starts
from registry.selectors.members import members_visible_to


def _grouped(queryset: QuerySet, *columns: str) -> list[dict]:
    return list(queryset.values(*columns).annotate(n=Count("*")).order_by())


def month_bounds(now: datetime | None) -> tuple[list[date], datetime, datetime]:
    """(first days of the months shown, start of the first, start of the one after the last)."""
    starts = month_starts(timezone.localdate(now or timezone.now()))
    last = starts[-1]
    after = date(last.year + last.month // 12, last.month % 12 + 1, 1)

    def aware(day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day, datetime.min.time()))

    return starts, aware(starts[0]), aware(after)


def counts_on_demand(
    *, user, filters: MemberFilters, now: datetime | None = None
) -> DashboardCounts:
    """registry.selectors.dashboard.dashboard_counts() counted from the members (8 queries)."""
    visible = members_visible_to(user)
    members = members_filtered(visible, filters, fuzzy_names=False)
    counts = DashboardCounts()
    counts.add_subfield_country(
        (row["primary_subfield_id"], row["country"], row["n"])
        for row in _grouped(members, "primary_subfield_id", "country")
    )

    choices: dict[str, Counter] = defaultdict(Counter)
    for row in _grouped(members, *CHOICES.values()):
        for name, column in CHOICES.items():
            choices[name][row[column]] += row["n"]
    counts.by_choice = {name: dict(choices[name]) for name in CHOICES}

    ids = members.values("pk")
    for name, (relation, column) in RELATED.items():
        through = Member._meta.get_field(relation).remote_field.through
        rows = _grouped(through.objects.filter(member_id__in=ids), column)
        counts.by_related[name] = {row[column]: row["n"] for row in rows}

    starts, since, until = month_bounds(now)
    recent = members.filter(created_at__gte=since, created_at__lt=until)
    by_month = {start: 0 for start in starts}
    for row in _grouped(recent.annotate(month=TruncMonth("created_at")), "month"):
        month = row["month"]
        if isinstance(month, datetime):
            month = timezone.localdate(month)
        by_month[month.replace(day=1)] = by_month.get(month.replace(day=1), 0) + row["n"]
    counts.by_month = by_month

    any_status = members_filtered(visible, replace(filters, statuses=()), fuzzy_names=False)
    counts.by_status = {row["status"]: row["n"] for row in _grouped(any_status, "status")}
    return counts
