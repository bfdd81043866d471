"""The dashboard's counts: members by country, field, subfield and the rest.

Every count is read on demand from the members `user` may see
(members_visible_to) that match the staff search's filters, one GROUP BY
query per kind of figure and never a query per row, so the number of
queries does not depend on the data. Nothing is stored or cached: the
figures are exact at the moment of the request.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from registry.models import InternationalProject, Member
from registry.search.filters import MemberFilters, members_filtered
from registry.selectors.members import members_visible_to

MONTHS = 24
# The many-to-many figures: name -> (Member field, id column of its through table).
RELATED = {
    "cluster": ("clusters", "expertisecluster_id"),
    "engagement": ("engagement_types", "engagementtype_id"),
    "sdg": ("sdgs", "sdg_id"),
    "project": ("international_projects", "internationalproject_id"),
}
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


def month_starts(today: date, months: int = MONTHS) -> list[date]:
    """The first day of each of the `months` months ending with today's, oldest first."""
    index = today.year * 12 + today.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def _grouped(queryset: QuerySet, *columns: str) -> list[dict]:
    return list(queryset.values(*columns).annotate(n=Count("*")).order_by())


def dashboard_counts(
    *, user, filters: MemberFilters, now: datetime | None = None
) -> DashboardCounts:
    """The dashboard's counts of the members `user` may see matching `filters`.

    Runs 8 queries whatever the data (fuzzy name matching, which would decide
    with a count, is off). Evaluate inside search_time_limit() to bound them.
    """
    visible = members_visible_to(user)
    members = members_filtered(visible, filters, fuzzy_names=False)
    counts = DashboardCounts()

    for row in _grouped(members, "primary_subfield_id", "country"):
        key = (row["primary_subfield_id"], row["country"])
        counts.by_subfield_country[key] = row["n"]
    countries: Counter = Counter()
    subfields: Counter = Counter()
    for (subfield_id, country), n in counts.by_subfield_country.items():
        countries[country] += n
        subfields[subfield_id] += n
    counts.by_country = dict(countries)
    counts.by_subfield = dict(subfields)
    counts.total = sum(countries.values())

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

    now = now or timezone.now()
    starts = month_starts(timezone.localdate(now))
    since = timezone.make_aware(datetime.combine(starts[0], datetime.min.time()))
    recent = members.filter(created_at__gte=since, created_at__lte=now)
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


def international_project_names() -> dict[int, tuple[str, str]]:
    """Id -> (slug, name in the active language) of every international project, in their order."""
    return {p.pk: (p.slug, p.display_name) for p in InternationalProject.objects.all()}
