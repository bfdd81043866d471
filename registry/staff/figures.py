"""The dashboard's figures: counts labelled, ordered and linked to the staff search.

Every row that the search can filter on links to the search with the
dashboard's filters plus the row's own (a country, a subfield, a sector...);
rows the search cannot select (gender, international project, a month, an
unanswered question) carry no link.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from registry.models import Gender, Member
from registry.selectors.dashboard import DashboardCounts, international_project_names
from registry.staff.charts import colour_classes, colour_level, month_bars, world_map
from registry.staff.forms import StaffSearchForm

MATRIX_COUNTRIES = 15
# Statuses in the order a registration moves through them.
FUNNEL = (
    Member.Status.UNCONFIRMED,
    Member.Status.SUBMITTED,
    Member.Status.VERIFIED,
    Member.Status.REJECTED,
    Member.Status.DUPLICATE,
    Member.Status.WITHDRAWN,
)
TITLES = {
    "country": gettext_lazy("Members by country of residence"),
    "matrix": gettext_lazy("Broad field by country"),
    "subfield": gettext_lazy("Members by main subfield"),
    "cluster": gettext_lazy("Expertise clusters"),
    "sector": gettext_lazy("Sector"),
    "stage": gettext_lazy("Career stage"),
    "qualification": gettext_lazy("Highest qualification"),
    "engagement": gettext_lazy("Engagement offered"),
    "sdg": gettext_lazy("Sustainable Development Goals"),
    "project": gettext_lazy("International projects"),
    "gender": gettext_lazy("Gender"),
    "month": gettext_lazy("Registrations per month, last 24 months"),
    "status": gettext_lazy("Status of registrations"),
}
# Figures where a member may count more than once.
SEVERAL = {"cluster", "engagement", "sdg", "project"}


@dataclass
class Row:
    label: str
    count: int
    url: str = ""
    group: str = ""
    percent: float = 0.0


@dataclass
class Figure:
    key: str
    rows: list[Row]
    several: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        return str(TITLES[self.key])

    @property
    def has_counts(self) -> bool:
        return any(row.count for row in self.rows)


class Links:
    """Staff search URLs: the dashboard's filters plus one figure's own."""

    def __init__(self, params: dict[str, str]):
        self.params = params
        self.base = reverse("registry:staff_search")

    def __call__(self, **extra: str) -> str:
        return f"{self.base}?{urlencode({**self.params, **extra})}"


def _bars(rows: list[Row]) -> list[Row]:
    top = max((row.count for row in rows), default=0) or 1
    for row in rows:
        row.percent = round(100 * row.count / top, 1)
    return rows


def _not_answered() -> str:
    return _("Not answered")


def _choice_figure(key, counts, choices, links, param: str | None) -> Figure:
    found = counts.by_choice.get(key, {})
    rows = [
        Row(str(label), found.get(value, 0), links(**{param: value}) if param else "")
        for value, label in choices
    ]
    if found.get(""):
        rows.append(Row(_not_answered(), found[""]))
    return Figure(key, _bars(rows))


def _related_figure(key, counts, items, links, param: str | None) -> Figure:
    """`items`: (id, code, label) in display order; rows sorted by count."""
    found = counts.by_related.get(key, {})
    rows = [
        Row(str(label), found.get(pk, 0), links(**{param: code}) if param and found.get(pk) else "")
        for pk, code, label in items
    ]
    rows.sort(key=lambda row: -row.count)
    return Figure(key, _bars(rows), several=True)


def taxonomy(form: StaffSearchForm) -> dict:
    """Labels and codes of the taxonomies, from the choices the form loaded."""
    field_choices = form.fields["field"].choices[1:]
    grouped = dict(form.fields["subfield"].choices[1:])
    field_ids = form._field_ids
    subfield_ids = form._subfield_ids
    fields = [(field_ids[code], code, str(name)) for code, name in field_choices]
    subfields = [
        (subfield_ids[code], code, str(label), field_code)
        for field_code, field_name in field_choices
        for code, label in grouped.get(field_name, [])
    ]

    def items(name: str, ids: dict) -> list:
        return [(ids[code], code, label) for code, label in form.fields[name].choices[1:]]

    return {
        "fields": fields,
        "subfields": subfields,
        "cluster": items("cluster", form._cluster_ids),
        "engagement": items("engagement", form._engagement_ids),
        "sdg": items("sdg", form._sdg_ids),
    }


def country_figure(counts: DashboardCounts, links: Links) -> Figure:
    ordered = sorted(counts.by_country.items(), key=lambda item: (-item[1], item[0]))
    rows = [Row(str(countries.name(code)), n, links(country=code)) for code, n in ordered]
    classes = colour_classes(counts.by_country.values())
    return Figure(
        "country",
        _bars(rows),
        extra={
            "classes": classes,
            "map": world_map(counts.by_country, classes, lambda code: links(country=code)),
        },
    )


def matrix_figure(counts: DashboardCounts, tax: dict, links: Links) -> Figure:
    """Broad fields (rows) by the top countries and the others summed (columns)."""
    top = sorted(counts.by_country.items(), key=lambda item: (-item[1], item[0]))
    shown = [code for code, _n in top[:MATRIX_COUNTRIES]]
    field_of = {pk: field_code for pk, _code, _label, field_code in tax["subfields"]}
    cells: dict[tuple[str, str], int] = {}
    for (subfield_id, country), n in counts.by_subfield_country.items():
        column = country if country in shown else ""
        key = (field_of.get(subfield_id, ""), column)
        cells[key] = cells.get(key, 0) + n
    classes = colour_classes(cells.values())
    columns = [(code, str(countries.name(code))) for code in shown]
    has_others = len(top) > len(shown)
    table = []
    for _pk, code, label in tax["fields"]:
        row_cells = [
            {
                "count": cells.get((code, country), 0),
                "level": colour_level(cells.get((code, country), 0), classes),
                "url": links(field=code, country=country) if cells.get((code, country)) else "",
                "country": name,
            }
            for country, name in columns
        ]
        if has_others:
            n = cells.get((code, ""), 0)
            row_cells.append(
                {"count": n, "level": colour_level(n, classes), "url": "", "country": _("Others")}
            )
        total = sum(cell["count"] for cell in row_cells)
        table.append({"label": label, "cells": row_cells, "total": total, "url": links(field=code)})
    rows = [Row(r["label"], r["total"], r["url"]) for r in table]
    return Figure(
        "matrix",
        rows,
        extra={"columns": columns, "has_others": has_others, "table": table, "classes": classes},
    )


def subfield_figure(counts: DashboardCounts, tax: dict, links: Links) -> Figure:
    field_names = {code: label for _pk, code, label in tax["fields"]}
    rows = [
        Row(label, counts.by_subfield.get(pk, 0), links(subfield=code), field_names[field_code])
        for pk, code, label, field_code in tax["subfields"]
        if counts.by_subfield.get(pk)
    ]
    return Figure("subfield", _bars(rows))


def month_figure(counts: DashboardCounts) -> Figure:
    chart = month_bars(counts.by_month)
    rows = [Row(bar.label, bar.count) for bar in chart["bars"]]
    return Figure("month", rows, extra={"chart": chart})


def status_figure(counts: DashboardCounts, links: Links) -> Figure:
    labels = dict(Member.Status.choices)
    rows = [
        Row(str(labels[status]), counts.by_status.get(status, 0), links(status=status))
        for status in FUNNEL
    ]
    return Figure("status", _bars(rows))


def dashboard_figures(form: StaffSearchForm, counts: DashboardCounts) -> dict[str, Figure]:
    """Every figure of the dashboard by key, in page order."""
    links = Links(form.filter_values())
    tax = taxonomy(form)
    projects = [(pk, slug, name) for pk, (slug, name) in international_project_names().items()]
    figures = [
        country_figure(counts, links),
        matrix_figure(counts, tax, links),
        subfield_figure(counts, tax, links),
        _related_figure("cluster", counts, tax["cluster"], links, "cluster"),
        _choice_figure("sector", counts, Member.Sector.choices, links, "sector"),
        _choice_figure("stage", counts, Member.CareerStage.choices, links, "stage"),
        _choice_figure(
            "qualification", counts, Member.Qualification.choices, links, "qualification"
        ),
        _related_figure("engagement", counts, tax["engagement"], links, "engagement"),
        _related_figure("sdg", counts, tax["sdg"], links, "sdg"),
        _related_figure("project", counts, projects, links, None),
        _choice_figure("gender", counts, Gender.choices, links, None),
        month_figure(counts),
        status_figure(counts, links),
    ]
    return {figure.key: figure for figure in figures}
