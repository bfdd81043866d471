"""The members' audit history (django-simple-history): recording and erasing.

Every save of a member stores a historical row with its values and its chosen
relations, who saved (the request's user, or `_history_user`) and why
(`_change_reason`). Members inserted in bulk (demo data, imports) have no row
until their first change; member_history_ensure_baseline() then stores their
state as it was, so that the first change also shows what it replaced.
"""

import functools
from collections.abc import Mapping

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.signals import post_create_historical_record, pre_create_historical_record

from registry.models import Member

HistoricalMember = Member.history.model


@functools.cache
def _history_relations() -> list[tuple[str, type, type]]:
    # One table per many-to-many field that history keeps (subfields, SDGs...):
    # its name, the member's relation table and the history's copy of it.
    # Looked up once: each look-up of the history's manager makes a new class.
    return [
        (f.name, getattr(Member, f.name).through, getattr(HistoricalMember, f.name).model)
        for f in HistoricalMember._history_m2m_fields
    ]


def _history_relation_models():
    return [model for _name, _through, model in _history_relations()]


@transaction.atomic
def member_history_ensure_baseline(*, member_id: int) -> bool:
    """Store the member's current state as a first history row if it has none.

    The row is dated when the member was last written and names no user.
    Returns True when a row was stored.
    """
    if HistoricalMember.objects.filter(id=member_id).exists():
        return False
    stored = Member.objects.get(pk=member_id)
    stored._history_date = stored.updated_at
    stored._history_user = None
    stored._change_reason = _("State before the first recorded change")
    # A save is what makes django-simple-history copy the relations too.
    stored.save(update_fields=["updated_at"])
    return True


# No savepoint inside a caller's transaction: a failure here spoils it anyway.
@transaction.atomic(savepoint=False)
def member_history_record(
    *, member: Member, user, reason: str = "", relation_rows: Mapping[str, list] | None = None
) -> None:
    """Store one history row with the member's current values and relations.

    The member services save a member and its relations with history
    switched off (`skip_history_when_saving`), then call this once, so one
    change is one row rather than one per relation. The row is what
    django-simple-history stores on a save ("~", the user, the reason),
    written directly: one INSERT for the row and one per relation table.
    `relation_rows` holds, by relation name, the member's relation rows
    (through-model rows with their ids) when the caller has just written
    them; the other relations are read.
    """
    if hasattr(member, "skip_history_when_saving"):
        del member.skip_history_when_saving
    member._history_user = user
    member._change_reason = reason
    date = getattr(member, "_history_date", None) or timezone.now()
    record = HistoricalMember(
        history_date=date,
        history_type="~",
        history_user=user,
        history_change_reason=reason,
        **{f.attname: getattr(member, f.attname) for f in HistoricalMember.tracked_fields},
    )
    signal_arguments = {
        "sender": HistoricalMember,
        "instance": member,
        "history_instance": record,
        "history_date": date,
        "history_user": user,
        "history_change_reason": reason,
        "using": None,
    }
    pre_create_historical_record.send(**signal_arguments)
    record.save()
    relation_rows = relation_rows or {}
    for name, through, model in _history_relations():
        rows = relation_rows.get(name)
        if rows is None:
            rows = through.objects.filter(member_id=member.pk)
        columns = [f.attname for f in through._meta.concrete_fields]
        model.objects.bulk_create(
            [model(history=record, **{c: getattr(row, c) for c in columns}) for row in rows]
        )
    post_create_historical_record.send(**signal_arguments)


def _admin_log_entries(member: Member):
    # The admin's log keeps the member's name (object_repr) and the changed
    # values (change_message) of every staff change.
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Member), object_id=str(member.pk)
    )


@transaction.atomic
def member_admin_log_erase(*, member: Member) -> int:
    """Delete the admin's log entries about the member; returns how many."""
    erased, _by_model = _admin_log_entries(member).delete()
    return erased


@transaction.atomic
def member_history_erase(*, member: Member) -> int:
    """Erase every trace of the member's past values; returns the rows erased.

    For withdrawal (right to erasure): deletes the member's historical rows
    and the relation rows stored with them, and replaces the name that the
    admin's "recent actions" log keeps with the member's number. Call it
    after the member's personal data has been anonymised, in the same
    transaction, so that the anonymising save's own history row goes too.
    """
    for model in _history_relation_models():
        model.objects.filter(member_id=member.pk).delete()
    erased, _by_model = HistoricalMember.objects.filter(id=member.pk).delete()
    _admin_log_entries(member).update(object_repr=f"#{member.pk}")
    return erased
