"""Views that exist only on the benchmark servers (bench.urls)."""

import csv
import io

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.views.decorators.http import require_safe

from bench.contenders import headers, member_row
from registry.export import CSV_BOM
from registry.models import CONFIRMED_STATUSES
from registry.selectors.members import members_visible_to


@require_safe
def trivial(request):
    """The floor of the survey benchmark: the full middleware stack, no work."""
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def naive_export(request):
    """The export as it is often first written: everything in memory, N+1 queries.

    The same rows and cells as the portal's export of the default search, so
    the benchmark compares only how the data is read and sent. `max_id` (the
    harness's row cap) stops at that member id.
    """
    if not request.user.has_perm("registry.export_member"):
        raise PermissionDenied
    members = members_visible_to(request.user).filter(status__in=CONFIRMED_STATUSES)
    if request.GET.get("max_id", "").isdigit():
        members = members.filter(pk__lte=int(request.GET["max_id"]))
    members = list(members.order_by("pk"))
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    output.write(CSV_BOM)
    writer.writerow(headers())
    for member in members:
        writer.writerow(member_row(member))
    return HttpResponse(output.getvalue(), content_type="text/csv; charset=utf-8")
