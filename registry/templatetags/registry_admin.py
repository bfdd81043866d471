"""Template tags of the member admin."""

import calendar
import datetime

from django import template
from django.db.models import Max, Min
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

register = template.Library()


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@register.inclusion_tag("admin/date_hierarchy.html")
def date_hierarchy_from_bounds(cl):
    """The admin's date drill-down, built from the first and last date only.

    Django's own tag lists the years (months, days) that have rows with a
    SELECT DISTINCT over every matching row, a full scan of a large table.
    This one reads MIN and MAX of the unfiltered list, which the index on the
    date answers at once whatever the filters, and offers every year (month,
    day) between them: one cheap query. A period may show no rows.
    """
    field_name = cl.date_hierarchy
    year_field, month_field, day_field = (
        f"{field_name}__year",
        f"{field_name}__month",
        f"{field_name}__day",
    )
    year = _int_or_none(cl.params.get(year_field))
    month = _int_or_none(cl.params.get(month_field))
    day = _int_or_none(cl.params.get(day_field))

    def link(filters):
        return cl.get_query_string(filters, [f"{field_name}__"])

    if year and month and day:
        try:
            date = datetime.date(year, month, day)
        except ValueError:
            return {"show": False}
        return {
            "show": True,
            "back": {
                "link": link({year_field: year, month_field: month}),
                "title": capfirst(formats.date_format(date, "YEAR_MONTH_FORMAT")),
            },
            "choices": [{"title": capfirst(formats.date_format(date, "MONTH_DAY_FORMAT"))}],
        }

    bounds = cl.root_queryset.aggregate(first=Min(field_name), last=Max(field_name))
    if bounds["first"] is None:
        return {"show": False}
    first, last = (timezone.localtime(v) if timezone.is_aware(v) else v for v in bounds.values())
    first, last = first.date(), last.date()

    if year and month:
        try:
            start = max(datetime.date(year, month, 1), first)
        except ValueError:
            return {"show": False}
        end = min(datetime.date(year, month, calendar.monthrange(year, month)[1]), last)
        days = [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]
        return {
            "show": True,
            "back": {"link": link({year_field: year}), "title": str(year)},
            "choices": [
                {
                    "link": link({year_field: year, month_field: month, day_field: d.day}),
                    "title": capfirst(formats.date_format(d, "MONTH_DAY_FORMAT")),
                }
                for d in days
            ],
        }
    if year:
        first_month = first.month if year == first.year else 1
        last_month = last.month if year == last.year else 12
        months = [datetime.date(year, m, 1) for m in range(first_month, last_month + 1)]
        return {
            "show": True,
            "back": {"link": link({}), "title": _("All dates")},
            "choices": [
                {
                    "link": link({year_field: year, month_field: m.month}),
                    "title": capfirst(formats.date_format(m, "YEAR_MONTH_FORMAT")),
                }
                for m in months
            ],
        }
    return {
        "show": True,
        "back": None,
        "choices": [
            {"link": link({year_field: str(y)}), "title": str(y)}
            for y in range(first.year, last.year + 1)
        ],
    }
