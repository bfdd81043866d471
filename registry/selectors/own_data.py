"""Everything the registry holds about one member, for the member (right of access).

The download on the profile page (registry.views.profile_download) is built
from OWN_DATA_SECTIONS: each section is a name and a function of the member
that returns JSON values. Another store of data about members (invitations,
for example, are one) adds a section to the tuple.

What is included, and why: every survey answer (taxonomy as names), the
consents with their dates and notice version, the registration and review
workflow about the member (status, dates, the reason recorded for a
decision), the expertise clusters the member is counted in, the change
history of the profile (when, by the member or by staff, what changed, why)
and survey submissions still waiting for confirmation for the address. Left
out: other people's data, that is the identity of the staff who reviewed or
changed the profile and the profile a duplicate was matched with, and the
staff's internal working notes, which may hold other people's data and are
given on a written request to the data protection contact once reviewed.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone
from django_countries.fields import CountryField

from registry.models import Member, PendingRegistration
from registry.privacy import PRIVACY_NOTICE_VERSION
from registry.survey import SURVEY_FIELDS

JsonValue = Any
Section = tuple[str, Callable[[Member], JsonValue]]

_CONSENT_FIELDS = ("consent_processing", "consent_contact", "consent_directory")


def _date(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _value(member: Member, name: str) -> JsonValue:
    field = Member._meta.get_field(name)
    if field.many_to_many:
        return [str(row) for row in getattr(member, name).order_by("pk")]
    value = getattr(member, name)
    if field.is_relation:
        return str(value) if value is not None else None
    if isinstance(field, CountryField):
        return {"code": value.code, "name": str(value.name)} if value else None
    if field.choices and value:
        return str(getattr(member, f"get_{name}_display")())
    return value


def _profile(member: Member) -> JsonValue:
    return {name: _value(member, name) for name in SURVEY_FIELDS if name not in _CONSENT_FIELDS} | {
        "broad_field": str(member.primary_subfield.field)
    }


def _consents(member: Member) -> JsonValue:
    return {
        "processing": member.consent_processing,
        "processing_given_at": _date(member.consent_processing_at),
        "privacy_notice_version_accepted": member.privacy_notice_version,
        "contact": member.consent_contact,
        "directory": member.consent_directory,
    }


def _workflow(member: Member) -> JsonValue:
    return {
        "status": str(member.get_status_display()),
        "source": str(member.get_source_display()),
        "registered_at": _date(member.created_at),
        "email_confirmed_at": _date(member.email_confirmed_at),
        "last_changed_at": _date(member.updated_at),
        "last_confirmed_by_you_at": _date(member.last_confirmed_at),
        "stale_since": _date(member.stale_since),
        "reviewed_at": _date(member.reviewed_at),
        "decision_reason": member.review_reason,
        "marked_as_duplicate_of_another_profile": member.duplicate_of_id is not None,
        "expertise_clusters": sorted(str(c) for c in member.clusters.all()),
    }


def _changed_fields(record, previous) -> list[str]:
    if previous is None:
        return []
    delta = record.diff_against(previous, included_fields=list(SURVEY_FIELDS))
    return sorted(change.field for change in delta.changes)


def _history(member: Member) -> JsonValue:
    records = list(member.history.order_by("history_date", "history_id"))
    entries = []
    previous = None
    for record in records:
        entries.append(
            {
                "at": _date(record.history_date),
                # The services store a new member's first row as a change.
                "kind": "created" if previous is None else "changed",
                # Who on the staff made the change is their data, not the member's.
                "by_staff": record.history_user_id is not None,
                "reason": record.history_change_reason or "",
                "changed_fields": _changed_fields(record, previous),
            }
        )
        previous = record
    return entries


def _pending_submissions(member: Member) -> JsonValue:
    rows = PendingRegistration.objects.filter(email=member.email).order_by("created_at")
    return [
        {
            "submitted_at": _date(row.created_at),
            "privacy_notice_version": row.privacy_notice_version,
        }
        for row in rows
    ]


def _invitations(member: Member) -> JsonValue:
    # Invitations to opportunities (the outreach app) and the member's own
    # answers; the staff's notes on the outcome are theirs, as above.
    rows = member.invitations.select_related("opportunity").order_by("created_at", "pk")
    return [
        {
            "opportunity": row.opportunity.title,
            "host_institution": row.opportunity.host_institution,
            "invited_at": _date(row.created_at),
            "sent_at": _date(row.sent_at),
            "state": row.status,
            "answered_at": _date(row.answered_at),
            "message": row.message,
            "availability": row.availability,
            "decline_reason": row.decline_reason,
        }
        for row in rows
    ]


OWN_DATA_SECTIONS: tuple[Section, ...] = (
    ("profile", _profile),
    ("consents", _consents),
    ("registration_and_review", _workflow),
    ("history", _history),
    ("survey_submissions_awaiting_confirmation", _pending_submissions),
    ("invitations", _invitations),
    ("invitations_opted_out_at", lambda member: _date(member.invitations_opted_out_at)),
)


def member_own_data(
    *, member: Member, sections: tuple[Section, ...] = OWN_DATA_SECTIONS
) -> dict[str, JsonValue]:
    """The member's own data as JSON values, one key per section."""
    member = (
        Member.objects.select_related("primary_subfield__field")
        .prefetch_related(models.Prefetch("clusters"))
        .get(pk=member.pk)
    )
    data: dict[str, JsonValue] = {
        "generated_at": _date(timezone.now()),
        "current_privacy_notice_version": PRIVACY_NOTICE_VERSION,
    }
    for name, section in sections:
        data[name] = section(member)
    return data
