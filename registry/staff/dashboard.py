"""The staff dashboard: the network at a glance, and a CSV of each figure's numbers."""

import csv
import io

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from registry.export.columns import CSV_BOM, ENGLISH, neutralise_cell
from registry.search import SearchTimedOut
from registry.search.filters import search_time_limit
from registry.selectors.dashboard import dashboard_counts
from registry.selectors.missions import staff_scope
from registry.staff.figures import TITLES, Figure, dashboard_figures
from registry.staff.forms import StaffSearchForm, search_form_data
from registry.staff.views import staff_permission_required

# The figures shown as a list of bars, in page order, after the map and the matrix.
BAR_FIGURES = (
    "subfield",
    "sector",
    "stage",
    "qualification",
    "engagement",
    "sdg",
    "project",
    "gender",
)


def _figures(request):
    """(form, figures or None, timed out) for the request's filters."""
    form = StaffSearchForm(search_form_data(request.GET), scope=staff_scope(request.user))
    if not form.is_valid():
        return form, None, False
    try:
        with search_time_limit():
            counts = dashboard_counts(user=request.user, filters=form.filters())
    except SearchTimedOut:
        return form, None, True
    return form, dashboard_figures(form, counts), False


@require_safe
@staff_permission_required("registry.view_member")
def staff_dashboard(request):
    form, figures, timed_out = _figures(request)
    context = {
        "form": form,
        "figures": figures,
        "timed_out": timed_out,
        "bar_figures": [figures[key] for key in BAR_FIGURES] if figures else [],
        "total": sum(row.count for row in figures["country"].rows) if figures else 0,
        "query": request.GET.urlencode(),
    }
    return render(request, "registry/staff/dashboard.html", context)


def _csv_rows(figure: Figure) -> tuple[list[str], list[list]]:
    if figure.key == "matrix":
        extra = figure.extra
        header = [_("Broad field"), *(name for _code, name in extra["columns"])]
        if extra["has_others"]:
            header.append(_("Others"))
        header.append(_("Total"))
        rows = [
            [row["label"], *(cell["count"] for cell in row["cells"]), row["total"]]
            for row in extra["table"]
        ]
        return header, rows
    if figure.key == "subfield":
        return [_("Broad field"), _("Subfield"), _("Members")], [
            [row.group, row.label, row.count] for row in figure.rows
        ]
    label = _("Month") if figure.key == "month" else _("Category")
    return [label, _("Members")], [[row.label, row.count] for row in figure.rows]


@require_safe
@staff_permission_required("registry.view_member")
def staff_dashboard_csv(request, figure: str):
    if figure not in TITLES:
        raise Http404
    # In English whatever the page's language, as every CSV file of the portal.
    with translation.override(ENGLISH):
        return _dashboard_csv(request, figure)


def _dashboard_csv(request, figure: str):
    form, figures, timed_out = _figures(request)
    if figures is None:
        message = _("The figures took too long.") if timed_out else _("The filters are not valid.")
        return HttpResponseBadRequest(message)
    header, rows = _csv_rows(figures[figure])
    buffer = io.StringIO()
    buffer.write(CSV_BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise_cell(str(cell)) for cell in header])
    for row in rows:
        writer.writerow([c if isinstance(c, int) else neutralise_cell(str(c)) for c in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"dorin-dashboard-{figure}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    return response
