"""Exact counts per subfield from the dashboard's summary, for registry.search.postgres.

On PostgreSQL, triggers keep registry_dashboardcount (registry.models.
DashboardCount, migration 0014) exact in the same transaction as every
write. Its "subfield" rows count members by status, country of residence
and primary subfield: summed, they are the staff search's counts whenever
the search has no free text and filters by status, country, broad field and
subfield only (the empty search among them), however many members match,
in one query over a few thousand rows. Any other filter needs the members
themselves. Other databases leave the summary empty and never read it.
"""

from dataclasses import replace

from django.db.models import CharField, QuerySet, Sum
from django.db.models.functions import Cast

from registry.models import DashboardCount, Subfield
from registry.search.filters import MemberFilters
from registry.selectors.members import rows_visible_to


def summary_answers(filters: MemberFilters) -> bool:
    """Whether the summary holds the counts of `filters`: status, country, field, subfield."""
    rest = replace(filters, statuses=(), country="", field_id=None, subfield_id=None)
    return rest == MemberFilters(statuses=())


def _subfield_rows(*, user, filters: MemberFilters) -> QuerySet[DashboardCount]:
    # rows_visible_to() is the gate of members_visible_to(): the same scope
    # (a Mission's countries), applied to the summary's country column.
    rows = rows_visible_to(user, DashboardCount.objects.filter(facet="subfield"))
    if filters.statuses:
        rows = rows.filter(status__in=filters.statuses)
    if filters.country:
        rows = rows.filter(country=filters.country)
    if filters.subfield_id:
        rows = rows.filter(value=str(filters.subfield_id))
    if filters.field_id:
        subfields = Subfield.objects.filter(field_id=filters.field_id)
        rows = rows.filter(value__in=subfields.values(id_text=Cast("id", CharField())))
    return rows


def subfield_counts_from_summary(*, user, filters: MemberFilters) -> dict[int, int] | None:
    """{subfield id: members} that `user` may see matching `filters`, or None
    when the summary cannot tell (free text, or any other filter). One query."""
    if not summary_answers(filters):
        return None
    sums = (
        _subfield_rows(user=user, filters=filters)
        .values("value")
        .annotate(n=Sum("members"))
        .values_list("value", "n")
        .order_by()
    )
    return {int(value): n for value, n in sums if value and n}
