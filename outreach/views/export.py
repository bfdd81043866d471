"""CSV of the members who accepted an opportunity, neutralised and logged like the registry's."""

import csv
import io

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from outreach.models import Invitation
from outreach.selectors.opportunities import invitations_visible, opportunities_visible_to
from registry.export.columns import CSV_BOM, ENGLISH, neutralise_cell
from registry.models import ExportLog
from registry.services.exports import export_log_finish, export_log_start
from registry.staff.views import staff_permission_required


def _header() -> list[str]:
    return [
        _("Full name"),
        _("E-mail address"),
        _("Country of residence"),
        _("Organisation"),
        _("Job title"),
        _("Main field of expertise"),
        _("Accepted at"),
        _("Availability"),
        _("Message"),
        _("Outcome"),
        _("Outcome notes"),
    ]


def _row(invitation: Invitation) -> list[str]:
    member = invitation.member
    cells = [
        member.full_name,
        member.email,
        member.country.name,
        member.organisation,
        member.job_title,
        str(member.primary_subfield),
        invitation.answered_at.isoformat(timespec="seconds") if invitation.answered_at else "",
        invitation.availability,
        invitation.message,
        invitation.get_outcome_display() if invitation.outcome else "",
        invitation.outcome_notes,
    ]
    return [neutralise_cell(str(cell)) for cell in cells]


# GET only, as the registry's export: a HEAD would be logged with no file sent.
@require_GET
@staff_permission_required("outreach.view_opportunity", "outreach.export_opportunity")
def opportunity_export(request, pk):
    # In English whatever the page's language, as every CSV file of the portal.
    with translation.override(ENGLISH):
        return _opportunity_export(request, pk)


def _opportunity_export(request, pk):
    opportunity = get_object_or_404(opportunities_visible_to(request.user), pk=pk)
    accepted = (
        invitations_visible(user=request.user, opportunity=opportunity)
        .filter(status=Invitation.Status.ACCEPTED)
        .select_related("member__primary_subfield")
    )
    log = export_log_start(
        user=request.user,
        entry_point=ExportLog.EntryPoint.OUTREACH,
        filters={"opportunity": opportunity.pk, "status": "accepted"},
    )
    buffer = io.StringIO()
    buffer.write(CSV_BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_header())
    count = 0
    for invitation in accepted:
        writer.writerow(_row(invitation))
        count += 1
    export_log_finish(log=log, row_count=count)
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv")
    response["Content-Disposition"] = (
        f'attachment; filename="dorin-opportunity-{opportunity.pk}-accepted.csv"'
    )
    return response
