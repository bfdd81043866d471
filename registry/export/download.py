"""The CSV export as a web download: bounded, recorded, streamed.

The staff search's export and the admin's "export selected" action answer
with export_download(). It takes the download's slots (slots.py) first: when
the account or the site already runs as many downloads as allowed, the answer
is the "an export is already running" page (429) and nothing is recorded.
Otherwise the export is recorded in the export log and streamed; the slots are
given back when the stream ends or is closed, also when the client goes away.
"""

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render

from registry.export import export_stream, members_to_export
from registry.export.slots import ExportsBusy, ExportSlots, export_slots_take
from registry.export.writer import export_csv_response
from registry.models import Member
from registry.services.exports import export_log_start

# Seconds a refused client is asked to wait before trying again.
RETRY_AFTER_S = 60


class SlotHeldPieces:
    """The CSV pieces, holding the download's slots until they end or are closed.

    A class rather than a generator: the response closes it even when it was
    never iterated, and a generator closed before it started would not run
    its `finally`.
    """

    def __init__(self, pieces: Iterator[bytes], slots: ExportSlots):
        self.pieces = pieces
        self.slots = slots

    def __iter__(self):
        return self

    def __next__(self) -> bytes:
        try:
            piece = next(self.pieces)
        except BaseException:
            self.close()
            raise
        self.slots.keep()
        return piece

    def close(self) -> None:
        try:
            self.pieces.close()
        finally:
            self.slots.release()


def export_busy_response(request, *, busy: ExportsBusy) -> HttpResponse:
    """The "an export is already running" page, 429, with Retry-After."""
    response = render(
        request,
        "registry/staff/export_busy.html",
        {"per_user": busy.per_user, "limit": busy.limit},
        status=429,
    )
    response["Retry-After"] = str(RETRY_AFTER_S)
    return response


def export_download(
    request,
    *,
    members: QuerySet[Member],
    entry_point: str,
    filters: dict[str, Any],
    include_no_contact: bool = False,
) -> HttpResponse:
    """The members as a streamed CSV download for the request's user, recorded in the log.

    Only members who agreed to be contacted, unless `include_no_contact`
    (recorded in the log); rows in member id order. Or the "an export is
    already running" page (429) when the user, or the site, already runs as
    many downloads as allowed.
    """
    try:
        slots = export_slots_take(user=request.user)
    except ExportsBusy as busy:
        return export_busy_response(request, busy=busy)
    try:
        log = export_log_start(
            user=request.user,
            entry_point=entry_point,
            filters=filters,
            includes_no_contact=include_no_contact,
        )
        pieces = export_stream(
            queryset=members_to_export(members, include_no_contact=include_no_contact), log=log
        )
    except BaseException:
        slots.release()
        raise
    return export_csv_response(SlotHeldPieces(pieces, slots))
