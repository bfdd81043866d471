"""Staff pages: the staff home, the member search grouped by field, and its CSV export."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe

from registry.export.download import export_download
from registry.models import ExportLog
from registry.search import SearchTimedOut
from registry.search.filters import members_search
from registry.search.grouping import staff_search_results
from registry.selectors.missions import staff_scope
from registry.selectors.review import REVIEW_QUEUES
from registry.selectors.staff_home import staff_home_counts
from registry.staff.forms import StaffSearchForm, search_form_data
from registry.staff.navigation import staff_links

# The export's check box: also members who did not agree to be contacted.
INCLUDE_NO_CONTACT = "include_no_contact"


def staff_permission_required(*perms: str):
    """Anonymous users go to the admin login; staff without `perms` get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not (user.is_active and user.is_staff and user.has_perms(perms)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


@require_safe
@staff_permission_required()
def staff_home(request):
    """Where staff land: what waits for review, recent registrations, the staff pages."""
    context = {"links": staff_links(request.user), "scope": staff_scope(request.user)}
    if request.user.has_perm("registry.view_member"):
        counts = staff_home_counts(user=request.user)
        changelist = reverse("admin:registry_member_changelist")
        context["review"] = [
            {"label": label, "count": counts.review[queue], "url": f"{changelist}?review={queue}"}
            for queue, label in REVIEW_QUEUES.items()
        ]
        context["recent"] = counts.recent
    return render(request, "registry/staff/home.html", context)


@require_safe
@staff_permission_required("registry.view_member")
def staff_search(request):
    form = StaffSearchForm(search_form_data(request.GET), scope=staff_scope(request.user))
    context = {
        "form": form,
        "results": None,
        "timed_out": False,
        "can_export": request.user.has_perm("registry.export_member"),
        "include_no_contact_name": INCLUDE_NO_CONTACT,
    }
    if form.is_valid():
        try:
            context["results"] = staff_search_results(
                user=request.user, filters=form.filters(), page_number=request.GET.get("page")
            )
        except SearchTimedOut:
            context["timed_out"] = True
    return render(request, "registry/staff/search.html", context)


# GET only: a HEAD (a link checker, a proxy) would run the export and record
# it in the export log without anyone receiving the file.
@require_GET
@staff_permission_required("registry.view_member", "registry.export_member")
def staff_export(request):
    form = StaffSearchForm(search_form_data(request.GET), scope=staff_scope(request.user))
    if not form.is_valid():
        return HttpResponseBadRequest(_("The search filters are not valid."))
    return export_download(
        request,
        members=members_search(user=request.user, filters=form.filters()),
        entry_point=ExportLog.EntryPoint.SEARCH,
        filters=form.filter_values(),
        include_no_contact=request.GET.get(INCLUDE_NO_CONTACT) == "1",
    )
