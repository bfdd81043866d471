"""Withdrawal: the member's right to erasure.

Everything that holds the member's personal data is erased, in the order of
ERASURE_STEPS, and an anonymous tombstone (TOMBSTONE_FIELDS) is kept. A
last e-mail, to the address captured before erasure, confirms it.
"""

import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from registry.mail import member_email_send_after_commit, member_greeting_name
from registry.models import Member
from registry.services.duplicates import (
    member_possible_duplicates_lock,
    member_possible_duplicates_release,
)
from registry.services.exports import member_export_log_erase
from registry.services.history import member_admin_log_erase, member_history_erase
from registry.services.name_words import name_words_release
from registry.services.pending import (
    pending_registrations_discard,
    submission_task_results_erase,
)
from registry.tokens import WITHDRAW, LinkInvalid, member_for_link

logger = logging.getLogger(__name__)

# The anonymous tombstone a withdrawal leaves: dates and coarse statistics
# that identify no one. Every other column is reset to its default (blank),
# so a column added to Member later is erased unless it is listed here.
TOMBSTONE_FIELDS = frozenset(
    {
        "id",
        "status",
        "source",
        "created_at",
        "updated_at",
        "email_confirmed_at",
        # When consent was given and to which notice: proof that processing
        # before the withdrawal was lawful.
        "consent_processing_at",
        "privacy_notice_version",
        "reviewed_by",
        "reviewed_at",
        "country",
        # Required by a database constraint; one of three coarse values.
        "connection",
        "highest_qualification",
        "sector",
        "career_stage",
        "primary_subfield",
    }
)


def _erase_export_log_searches(member: Member) -> None:
    # First: it looks for the name and address that the next steps erase.
    member_export_log_erase(member=member)


def _erase_pending_submissions(member: Member) -> None:
    # First, while the member still has the address.
    pending_registrations_discard(email=member.email)
    submission_task_results_erase(email=member.email)


def _erase_personal_fields(member: Member) -> None:
    keys = member_possible_duplicates_lock(member=member)
    name_key = member.name_key
    for field in Member._meta.concrete_fields:
        if field.name not in TOMBSTONE_FIELDS:
            setattr(member, field.attname, field.get_default())
    member.status = Member.Status.WITHDRAWN
    member.save()
    # The members it shared an ORCID iD or a name at an organisation with
    # may duplicate nobody now; the words of its name may be no one's now.
    member_possible_duplicates_release(keys=keys)
    name_words_release(name_key=name_key)


def _erase_relations(member: Member) -> None:
    for field in Member._meta.many_to_many:
        getattr(member, field.name).clear()


def _erase_admin_log(member: Member) -> None:
    member_admin_log_erase(member=member)


def _erase_invitation_answers(member: Member) -> None:
    # Outreach: the messages, availability and reasons of the member's answers.
    from outreach.services.responses import member_invitations_erase

    member_invitations_erase(member=member)


def _erase_history(member: Member) -> None:
    # Last, so the history rows written by the erasing saves above go too.
    member_history_erase(member=member)


# The steps of an erasure, in order. A new store of personal data adds its
# step before the history, which must be erased last.
ERASURE_STEPS: tuple[Callable[[Member], None], ...] = (
    _erase_export_log_searches,
    _erase_pending_submissions,
    _erase_personal_fields,
    _erase_relations,
    _erase_admin_log,
    _erase_invitation_answers,
    _erase_history,
)


@transaction.atomic
def member_erase(*, member: Member) -> None:
    """Erase the member's personal data as a withdrawal does, without an e-mail.

    Runs every step of ERASURE_STEPS on a member the caller has locked; the
    tombstone keeps TOMBSTONE_FIELDS. Used by member_withdraw and by the
    retention purge (registry.services.retention).
    """
    for erase in ERASURE_STEPS:
        erase(member)


@transaction.atomic
def member_withdraw(*, token: str) -> Member:
    """Erase the member's personal data, keep an anonymous tombstone, say goodbye.

    The tombstone keeps TOMBSTONE_FIELDS (status withdrawn, dates, country,
    fields and other coarse statistics); everything else, the relations and the
    admin log entries about the member are erased. A last e-mail, to the
    address captured before erasure, confirms it. Raises LinkInvalid for a
    tampered, expired, used or out-of-date link.
    """
    member = member_for_link(token=token, kind=WITHDRAW, lock=True)
    if member is None:
        raise LinkInvalid
    email, name, language = member.email, member_greeting_name(member=member), member.language
    member_erase(member=member)
    logger.info("Member %s withdrew; personal data erased", member.pk)
    with translation.override(language):
        member_email_send_after_commit(
            to=email,
            language=language,
            subject=_("Your DORIN profile has been deleted"),
            template="withdrawn",
            context={"name": name},
        )
    return member
