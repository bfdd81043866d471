"""PostgreSQL's side of the dashboard's counts: one statement per page.

The triggers of migration 0014 keep registry_dashboardcount exact in the
same transaction as every write, by status, country of residence and one
facet value: summing its rows answers every figure of a page filtered by
status and country only (the unfiltered page, a Mission's scope, a country
picked), a few thousand rows instead of every member and relation row.

Any other filter needs the members themselves. Counted figure by figure
(ondemand.py, as on other databases), such a page evaluated its filters
once per figure and joined the four relation tables, and missed its target
at 10^6 members (BENCHMARKS.md). Here one statement reads the filtered
members once and groups them by every figure at once (GROUPING SETS); the
relations come from the members' masks (migration 0016), read with the
other columns from one covering index, and a relation filter tests a mask
instead of the relation table. Targets whose id is beyond the masks are
counted from their relation table in the same statement.
"""

from dataclasses import replace
from datetime import date, datetime

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncMonth

from registry.models import DashboardCount, Member
from registry.search.filters import MemberFilters, members_filtered
from registry.selectors.dashboard import CHOICES, LAST_MASK_BIT, RELATED, DashboardCounts
from registry.selectors.dashboard.ondemand import month_bounds
from registry.selectors.members import members_visible_to, rows_visible_to

# The relations a staff filter may test: name -> MemberFilters field.
FILTERED_RELATIONS = {
    "cluster": "cluster_id",
    "engagement": "engagement_type_id",
    "sdg": "sdg_id",
}
# The grouping sets of the statement over the members: figure -> columns.
MEMBER_FIGURES = {
    "status": ("status",),
    "subfield": ("primary_subfield_id", "country"),
    "choice": tuple(CHOICES.values()),
    "month": ("month",),
    **{name: (f"{name}_mask",) for name in RELATED},
}
# The grouping sets of the statement over the summary.
SUMMARY_FIGURES = {"status": ("status",), "value": ("facet", "value", "matrix_country")}


def summary_answers(filters: MemberFilters) -> bool:
    """Whether the summary holds the counts for `filters`: status and country at most."""
    return replace(filters, statuses=(), country="") == MemberFilters(statuses=())


def _empty_counts(starts: list[date]) -> DashboardCounts:
    return DashboardCounts(
        by_choice={name: {} for name in CHOICES},
        by_related={name: {} for name in RELATED},
        by_month=dict.fromkeys(starts, 0),
    )


def _shown(filters: MemberFilters) -> tuple[str, list]:
    """The SQL condition (and its parameters) on the statuses the figures count."""
    if filters.statuses:
        return "status = ANY(%s)", [list(filters.statuses)]
    return "TRUE", []


def _columns(figures: dict) -> list[str]:
    return list(dict.fromkeys(c for group in figures.values() for c in group))


def _grouped(
    queryset: QuerySet, figures: dict, counted: tuple[str, list], extra: tuple[str, list] = ("", [])
) -> list[tuple]:
    """The rows of `queryset` grouped by every set of `figures` in one statement.

    Each row: the figure's name, the value of every column of `figures`
    (None where the figure does not group by it), then the aggregates of
    `counted`. `extra`, if given, is a query appended with UNION ALL that
    may read the queryset's rows as `grouped` and returns rows of the same
    shape, with -1 for the figure ("extra"). Raises EmptyResultSet for a
    queryset that can match nothing.
    """
    columns = _columns(figures)
    sql, params = queryset.query.get_compiler(connection=connection).as_sql()
    sets = ", ".join(f"({', '.join(group)})" for group in figures.values())
    # GROUPING() has a 1 bit for each column a set leaves out, the first column highest.
    names = {
        sum(1 << (len(columns) - 1 - i) for i, c in enumerate(columns) if c not in group): name
        for name, group in figures.items()
    }
    names[-1] = "extra"
    # OFFSET 0 keeps the planner out of the query: looking in, it would take
    # a month (a function of created_at) for nearly as many groups as rows,
    # and sort the rows for it instead of hashing them with the others.
    statement = (
        f"WITH grouped AS NOT MATERIALIZED ({sql} OFFSET 0) "
        f"SELECT GROUPING({', '.join(columns)}), {', '.join(columns)}, {counted[0]} "
        f"FROM grouped GROUP BY GROUPING SETS ({sets}){extra[0]}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, *counted[1], *extra[1]])
        return [(names[grouping], *rest) for grouping, *rest in cursor.fetchall()]


def counts_from_summary(
    *, user, filters: MemberFilters, now: datetime | None = None
) -> DashboardCounts:
    """dashboard_counts() summed from the summary (one query, as counts_from_members())."""
    starts, _since, _until = month_bounds(now)
    rows = rows_visible_to(user, DashboardCount.objects.all())
    if filters.country:
        rows = rows.filter(country=filters.country)
    months = Q(value__gte=starts[0].isoformat(), value__lte=starts[-1].isoformat())
    # Only the subfield's rows keep their country (the matrix). A status
    # counts the subfield's rows, where every member is once.
    rows = (
        rows.filter(~Q(facet="month") | months)
        .values("facet", "value", "status", "members")
        .annotate(matrix_country=Case(When(facet="subfield", then="country"), default=Value("")))
        .order_by()
    )
    shown, params = _shown(filters)
    counted = (
        f"sum(members) FILTER (WHERE {shown}), sum(members) FILTER (WHERE facet = 'subfield')",
        params,
    )
    counts = _empty_counts(starts)
    try:
        found = _grouped(rows, SUMMARY_FIGURES, counted)
    except EmptyResultSet:
        return counts
    cells = []
    for figure, status, facet, value, country, n, in_status in found:
        if figure == "status":
            if in_status:
                counts.by_status[status] = int(in_status)
        elif not n:
            continue
        elif facet == "subfield":
            cells.append((int(value) if value else None, country, int(n)))
        elif facet == "month":
            counts.by_month[date.fromisoformat(value)] = int(n)
        elif facet in CHOICES:
            counts.by_choice[facet][value] = int(n)
        else:
            counts.by_related[facet][int(value)] = int(n)
    counts.add_subfield_country(cells)
    return counts


def _members(*, user, filters: MemberFilters, since: datetime, until: datetime) -> QuerySet:
    """The members `user` may see matching every filter but the status, with
    the columns of MEMBER_FIGURES and their id."""
    masked = {}
    for name, field in FILTERED_RELATIONS.items():
        target = getattr(filters, field)
        if target is not None and 0 <= target <= LAST_MASK_BIT:
            filters = replace(filters, **{field: None})
            masked[f"{name}_mask"] = 1 << target
    members = members_filtered(
        members_visible_to(user), replace(filters, statuses=()), fuzzy_names=False
    )
    table = connection.ops.quote_name(Member._meta.db_table)
    for column, bit in masked.items():
        has_target = RawSQL(f"{table}.{column} & %s <> 0", [bit], output_field=BooleanField())
        members = members.filter(has_target)
    masks = {f"{name}_mask": RawSQL(f"{table}.{name}_mask", []) for name in RELATED}
    recent = Q(created_at__gte=since, created_at__lt=until)
    return (
        members.annotate(**masks, month=Case(When(recent, then=TruncMonth("created_at"))))
        .values("id", *(c for group in MEMBER_FIGURES.values() for c in group))
        .order_by()
    )


def _beyond_masks(shown: str) -> str:
    """UNION ALL the members counted by relation target beyond the masks.

    Each row carries the target's id in its relation's mask column. The
    relation rows are found by their target id first: while no target is
    beyond the masks, this reads no member.
    """
    parts = " UNION ALL ".join(
        f"SELECT '{name}' AS relation, {column} AS target, member_id "
        f"FROM {Member._meta.get_field(relation).remote_field.through._meta.db_table} "
        f"WHERE NOT {column} BETWEEN 0 AND {LAST_MASK_BIT}"
        for name, (relation, column) in RELATED.items()
    )
    values = [
        f"CASE WHEN r.relation = '{column.removesuffix('_mask')}' THEN r.target END"
        if column.removesuffix("_mask") in RELATED
        else "NULL"
        for column in _columns(MEMBER_FIGURES)
    ]
    return (
        f" UNION ALL SELECT -1, {', '.join(values)}, count(*), count(*) FROM ({parts}) AS r "
        f"WHERE r.member_id IN (SELECT id FROM grouped WHERE {shown}) "
        "GROUP BY r.relation, r.target"
    )


def counts_from_members(
    *, user, filters: MemberFilters, now: datetime | None = None
) -> DashboardCounts:
    """dashboard_counts() counted from the members (one query)."""
    starts, since, until = month_bounds(now)
    members = _members(user=user, filters=filters, since=since, until=until)
    shown, params = _shown(filters)
    counted = (f"count(*) FILTER (WHERE {shown}), count(*)", params)
    counts = _empty_counts(starts)
    try:
        found = _grouped(members, MEMBER_FIGURES, counted, (_beyond_masks(shown), params))
    except EmptyResultSet:
        return counts
    columns = _columns(MEMBER_FIGURES)
    cells = []
    for figure, *values, n, in_any_status in found:
        row = dict(zip(columns, values, strict=True))
        if figure == "status":
            counts.by_status[row["status"]] = in_any_status
        elif not n:
            continue
        elif figure == "subfield":
            cells.append((row["primary_subfield_id"], row["country"], n))
        elif figure == "choice":
            for name, column in CHOICES.items():
                counts.by_choice[name][row[column]] = counts.by_choice[name].get(row[column], 0) + n
        elif figure == "month":
            # None: registered outside the months shown. Otherwise the month's
            # first moment in the current time zone (TruncMonth).
            if row["month"] is not None:
                counts.by_month[row["month"].date()] = n
        elif figure == "extra":
            for name in RELATED:
                if (target := row[f"{name}_mask"]) is not None:
                    counts.by_related[name][target] = n
        else:
            _add_mask_counts(counts.by_related[figure], row[f"{figure}_mask"], n)
    counts.add_subfield_country(cells)
    return counts


def _add_mask_counts(by_target: dict[int, int], mask: int, n: int) -> None:
    """Count `n` members for every target whose bit is set in `mask`."""
    target = 0
    while mask:
        if mask & 1:
            by_target[target] = by_target.get(target, 0) + n
        mask >>= 1
        target += 1


def dashboard_counts(
    *, user, filters: MemberFilters, now: datetime | None = None
) -> DashboardCounts:
    if summary_answers(filters):
        return counts_from_summary(user=user, filters=filters, now=now)
    return counts_from_members(user=user, filters=filters, now=now)
