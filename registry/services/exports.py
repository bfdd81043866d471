"""The export log: every CSV export of members is recorded, whatever its entry point.

A log entry keeps who exported, when, through which entry point, with which
filters and how many rows. The filters may hold a person's name or address
typed into a search; member_export_log_erase() redacts them when that person
withdraws, and leaves the rest of the record.
"""

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from registry.models import ExportLog, Member
from registry.selectors.missions import staff_scope
from registry.text import fold

# What replaces a filter value that named a withdrawn member.
ERASED = "[erased]"
# Log entries read per query while looking for a withdrawn member's name.
REDACT_CHUNK_SIZE = 500
# Search text cut into tokens: words of a name, or an address and its parts.
_WORDS = re.compile(r"\w+")
_TOKENS = re.compile(r"[^\s\"'(),;<>]+")


def export_log_start(
    *, user, entry_point: str, filters: dict[str, Any], includes_no_contact: bool = False
) -> ExportLog:
    """Record that `user` (None for an unattended command) starts an export.

    Written before the first row leaves, so an export that never finishes is
    on record too (with no finish time). The user's Mission is recorded with
    it (none for headquarters and unattended commands), and whether the file
    holds members who did not agree to be contacted.
    """
    if user is not None and not user.is_authenticated:
        user = None
    mission_id = staff_scope(user).mission_id if user is not None else None
    return ExportLog.objects.create(
        user=user,
        entry_point=entry_point,
        filters=filters,
        mission_id=mission_id,
        includes_no_contact=includes_no_contact,
    )


def export_log_finish(
    *, log: ExportLog, row_count: int, completed: bool = True, now: datetime | None = None
) -> ExportLog:
    """Record how many rows an export produced and, if it completed, when.

    An export cut short (the client went away) keeps the rows sent so far and
    no finish time.
    """
    log.row_count = row_count
    log.finished_at = (now or timezone.now()) if completed else None
    ExportLog.objects.filter(pk=log.pk).update(row_count=log.row_count, finished_at=log.finished_at)
    return log


class _PersonMatcher:
    """Whether a piece of search text names one person, case and accents aside.

    Text names the person when it holds every word of one of their names (in
    any order: "Khan, Amina"), one of their addresses, or an address's local
    part as a token of its own ("amina.khan"). A single word of a name
    ("Amina") is not enough: it names many people, and the record of every
    search for it would be lost.
    """

    def __init__(self, *, names: Iterable[str], emails: Iterable[str]):
        words_of_names = (set(_WORDS.findall(fold(name))) for name in names)
        self.names = [words for words in words_of_names if words]
        self.addresses = {fold(email) for email in emails if "@" in (email or "")}
        self.local_parts = {address.split("@", 1)[0] for address in self.addresses} - {""}
        self.is_empty = not (self.names or self.addresses)

    def matches(self, text: str) -> bool:
        folded = fold(text)
        if any(address in folded for address in self.addresses):
            return True
        if self.local_parts & set(_TOKENS.findall(folded)):
            return True
        words = set(_WORDS.findall(folded))
        return any(name <= words for name in self.names)

    def redact(self, value: Any) -> Any:
        """The value with every string that names the person replaced by ERASED."""
        if isinstance(value, str):
            return ERASED if self.matches(value) else value
        if isinstance(value, dict):
            return {key: self.redact(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.redact(item) for item in value]
        return value


@transaction.atomic
def export_log_redact_person(*, names: Iterable[str], emails: Iterable[str]) -> int:
    """Replace every filter value in the export log that names the person by ERASED.

    The search text staff typed (the staff search's and the command's `q`,
    any value of the admin list's address bar) is checked whole, case- and
    accent-insensitively; everything else in the entries stays. Returns how
    many entries changed.
    """
    matcher = _PersonMatcher(names=names, emails=emails)
    if matcher.is_empty:
        return 0
    # The log is read in Python, in id-ordered chunks: the JSON of the filters
    # escapes accents differently on each database, and the log is small next
    # to the members.
    entries = ExportLog.objects.order_by("pk").values_list("pk", "filters")
    changed = 0
    last_pk = 0
    while chunk := list(entries.filter(pk__gt=last_pk)[:REDACT_CHUNK_SIZE]):
        for pk, filters in chunk:
            redacted = matcher.redact(filters)
            if redacted != filters:
                ExportLog.objects.filter(pk=pk).update(filters=redacted)
                changed += 1
        last_pk = chunk[-1][0]
    return changed


def member_export_log_erase(*, member: Member) -> int:
    """Redact the export log's search text that names the member; for withdrawal.

    Uses the name and address the member has now and every one the history
    still holds, so call it before the member's personal data and history
    are erased. Returns how many log entries changed.
    """
    past = Member.history.model.objects.filter(id=member.pk).values_list("full_name", "email")
    names = {member.full_name, *(name for name, _email in past)}
    emails = {member.email, *(email for _name, email in past)}
    return export_log_redact_person(names=names, emails=emails)
