"""The public side of the registry: register, confirm, update and withdraw.

A person has no account: every step after the survey is proved by a signed,
single-purpose link sent to the registered address (registry.tokens). No step
ever tells a visitor whether an address is registered; only the owner of the
address learns it, by e-mail.

Links in e-mails are absolute; callers pass `absolute_url`, usually the
request's build_absolute_uri, so that links carry the host the person used.
"""

import logging
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from registry.mail import member_email_send_after_commit, member_greeting_name
from registry.models import Member, PendingRegistration
from registry.privacy import PRIVACY_NOTICE_VERSION
from registry.services.freshness import freshness_answered_values
from registry.services.members import member_changed_fields, member_create, member_update
from registry.services.pending import (
    pending_registration_create,
    pending_registrations_discard,
    pending_registrations_purge,
)
from registry.survey import SURVEY_FIELDS, survey_answers_from_json, survey_answers_to_json
from registry.text import normalize_email
from registry.tokens import (
    CONFIRM,
    UPDATE,
    WITHDRAW,
    LinkInvalid,
    link_lifetime_text,
    link_token_make,
    member_for_link,
    pending_for_link,
    pending_link_token_make,
)

logger = logging.getLogger(__name__)

AbsoluteUrl = Callable[[str], str]


def _survey_values(data: Mapping[str, Any], *, fields: Iterable[str]) -> dict[str, Any]:
    unexpected = set(data) - set(fields)
    if unexpected:
        raise ValueError("Not survey fields: " + ", ".join(sorted(unexpected)))
    return dict(data)


def _member_with_address(email: str, *, lock: bool = False) -> Member | None:
    # lower(email), and the condition email <> '', match the partial unique
    # index, so this is an index lookup even with a million members.
    # At most one member has the address (the index is unique): no ordering.
    # Its id alone is read first, as most addresses that register are new
    # and reading the whole row costs more than a second query when it is not.
    members = Member.objects.select_for_update() if lock else Member.objects
    ids = (
        members.alias(email_lower=Lower("email"))
        .filter(email_lower=normalize_email(email))
        .exclude(email="")
        .exclude(status=Member.Status.WITHDRAWN)
        .order_by()
        .values_list("pk", flat=True)[:1]
    )
    pk = next(iter(ids), None)
    return None if pk is None else members.get(pk=pk)


def _link(absolute_url: AbsoluteUrl, view: str, token: str) -> str:
    return absolute_url(reverse(view, args=[token]))


# Each e-mail is written in the language the member chose (the survey's, by
# default): its subject and the texts computed here are translated in it too.


def _send_confirmation(to: str, token: str, absolute_url: AbsoluteUrl, *, language: str) -> None:
    # Nobody has proved the address yet: the e-mail repeats nothing typed in
    # the survey, which anyone could have sent in someone else's name.
    with translation.override(language):
        member_email_send_after_commit(
            to=to,
            language=language,
            subject=_("Please confirm your DORIN registration"),
            template="confirm",
            context={
                "name": "",
                "confirm_url": _link(absolute_url, "registry:confirm", token),
                "lifetime": link_lifetime_text(kind=CONFIRM),
            },
        )


def _send_manage_links(member: Member, absolute_url: AbsoluteUrl, *, registered_again: bool):
    update_token = link_token_make(member=member, kind=UPDATE)
    withdraw_token = link_token_make(member=member, kind=WITHDRAW)
    with translation.override(member.language):
        member_email_send_after_commit(
            to=member.email,
            language=member.language,
            subject=_("Your DORIN profile: update or withdraw"),
            template="manage",
            context={
                "name": member_greeting_name(member=member),
                "registered_again": registered_again,
                "update_url": _link(absolute_url, "registry:profile_edit", update_token),
                "withdraw_url": _link(absolute_url, "registry:profile_withdraw", withdraw_token),
                "lifetime": link_lifetime_text(kind=UPDATE),
            },
        )


def _send_not_confirmed(member: Member, absolute_url: AbsoluteUrl) -> None:
    with translation.override(member.language):
        member_email_send_after_commit(
            to=member.email,
            language=member.language,
            subject=_("Your DORIN registration is not confirmed yet"),
            template="not_confirmed",
            context={
                "register_url": absolute_url(reverse("registry:register")),
                "lifetime": link_lifetime_text(kind=CONFIRM),
            },
        )


def _send_link_to_owner(member: Member, absolute_url: AbsoluteUrl, *, registered_again: bool):
    if member.status != Member.Status.UNCONFIRMED:
        _send_manage_links(member, absolute_url, registered_again=registered_again)
    elif member.source == Member.Source.SURVEY:
        # The entry holds the answers of the first survey sent for this
        # address, which anybody could have sent; each submission's own link
        # went out with it. A link confirming the entry could confirm a
        # stranger's answers, so the owner is sent back to that e-mail or to
        # the survey.
        _send_not_confirmed(member, absolute_url)
    else:
        # Entered by staff: confirming it confirms what staff recorded.
        token = link_token_make(member=member, kind=CONFIRM)
        _send_confirmation(member.email, token, absolute_url, language=member.language)


def _consent_record(now: datetime | None) -> dict[str, Any]:
    return {
        "consent_processing_at": now or timezone.now(),
        "privacy_notice_version": PRIVACY_NOTICE_VERSION,
    }


def _store_submission(
    values: dict[str, Any], *, submission: str, now: datetime, absolute_url: AbsoluteUrl
) -> None:
    pending = pending_registration_create(
        submission=submission,
        email=normalize_email(values["email"]),
        answers=survey_answers_to_json(values),
        now=now,
    )
    if pending is not None:
        token = pending_link_token_make(pending=pending)
        _send_confirmation(
            pending.email, token, absolute_url, language=values.get("language") or "en"
        )


@transaction.atomic
def member_register(
    *,
    data: Mapping[str, Any],
    absolute_url: AbsoluteUrl,
    now: datetime | None = None,
    submission: str | None = None,
) -> Member:
    """Store a survey answer and e-mail the owner of the address.

    `data` holds survey fields only (SURVEY_FIELDS), with consent to
    processing given; the consent time and the privacy-notice version are
    recorded. `submission` names the form sent (a UUID, new by default):
    registering the same submission again stores and sends nothing new, so
    the task that calls this may run twice.

    * A new address: the answers are stored as an unconfirmed member (staff
      see the entry) and as a pending submission; the e-mail holds that
      submission's confirmation link.
    * An address whose survey entry is still unconfirmed: the answers are
      stored as one more pending submission, beside the others, never over
      them, and the e-mail holds that submission's own link. Confirming a
      link stores the answers it was sent for (member_confirm_email), so
      nobody can change what another person's link confirms.
    * A registered address: nothing is stored, and the owner gets links to
      update or withdraw the profile (for an unconfirmed entry made by staff,
      its confirmation link again).

    Returns the new or the existing member; the caller must show the same page
    either way.
    """
    values = _survey_values(data, fields=SURVEY_FIELDS)
    if values.get("consent_processing") is not True:
        raise ValueError("Registration requires consent to processing.")
    now = now or timezone.now()
    submission = str(submission or uuid.uuid4())
    pending_registrations_purge(now=now)
    member = _member_with_address(values["email"])
    if member is None:
        try:
            # member_create runs in a savepoint of its own: a concurrent
            # registration of the same address makes the insert fail without
            # spoiling this transaction.
            member = member_create(
                data={**values, **_consent_record(now)},
                source=Member.Source.SURVEY,
                status=Member.Status.UNCONFIRMED,
            )
        except IntegrityError:
            member = _member_with_address(values["email"])
            if member is None:
                raise
        else:
            _store_submission(values, submission=submission, now=now, absolute_url=absolute_url)
            return member
    logger.info("Registration with the address of member %s: no new member", member.pk)
    if member.status == Member.Status.UNCONFIRMED and member.source == Member.Source.SURVEY:
        _store_submission(values, submission=submission, now=now, absolute_url=absolute_url)
    else:
        _send_link_to_owner(member, absolute_url, registered_again=True)
    return member


def _confirm_submission(pending: PendingRegistration, now: datetime) -> Member:
    values = {
        **survey_answers_from_json(pending.answers),
        # Consent was given when the survey was sent, to the notice shown then.
        "consent_processing_at": pending.created_at,
        "privacy_notice_version": pending.privacy_notice_version,
        "email_confirmed_at": now,
        "last_confirmed_at": now,
    }
    member = _member_with_address(pending.email, lock=True)
    if member is None:
        # Staff deleted the unconfirmed entry in the meantime.
        try:
            member = member_create(data=values, source=Member.Source.SURVEY)
        except IntegrityError:
            raise LinkInvalid from None
    elif member.status == Member.Status.UNCONFIRMED and member.source == Member.Source.SURVEY:
        member = member_update(member=member, data={**values, "status": Member.Status.SUBMITTED})
    else:
        # Confirmed already, through another submission's link.
        raise LinkInvalid
    pending_registrations_discard(email=pending.email)
    return member


@transaction.atomic
def member_confirm_email(*, token: str, now: datetime | None = None) -> Member:
    """Confirm the address of an unconfirmed member: the entry goes to review.

    A link sent for a survey submission stores that submission's answers and
    consents, and discards the other submissions for the address. Raises
    LinkInvalid for a tampered, expired or already used link.
    """
    now = now or timezone.now()
    pending = pending_for_link(token=token, lock=True)
    if pending is not None:
        return _confirm_submission(pending, now)
    member = member_for_link(token=token, kind=CONFIRM, lock=True)
    if member is None or member.status != Member.Status.UNCONFIRMED:
        raise LinkInvalid
    pending_registrations_discard(email=member.email)
    return member_update(
        member=member,
        data={
            "status": Member.Status.SUBMITTED,
            "email_confirmed_at": now,
            "last_confirmed_at": now,
        },
    )


@transaction.atomic
def member_request_update_link(*, email: str, absolute_url: AbsoluteUrl) -> bool:
    """E-mail the owner of the address a link to update or withdraw the profile.

    An unconfirmed survey entry gets no link, only the way to confirm (the
    link sent with the survey, or the survey again); an unconfirmed entry
    made by staff gets its confirmation link. Returns
    whether an e-mail was sent; the caller must not tell the visitor.
    """
    member = _member_with_address(email)
    if member is None:
        return False
    _send_link_to_owner(member, absolute_url, registered_again=False)
    return True


@transaction.atomic
def member_update_profile(
    *, token: str, data: Mapping[str, Any], now: datetime | None = None
) -> Member:
    """Save the member's own changes to their profile, through an update link.

    `data` holds survey fields except the e-mail address, which a link cannot
    change. A verified profile that changes goes back to *submitted*, so the
    focal point reviews it again. Consent is recorded anew when the privacy
    notice changed since it was given. The link stays usable after a save,
    until it expires (registry.tokens). Raises LinkInvalid for a tampered or
    expired link, or one whose member withdrew or changed address.
    """
    values = _survey_values(data, fields=set(SURVEY_FIELDS) - {"email"})
    member = member_for_link(token=token, kind=UPDATE, lock=True)
    if member is None:
        raise LinkInvalid
    # The language of the e-mails is a preference, not something to review.
    changed = member_changed_fields(member=member, data=values) - {"language"}
    if changed and member.status == Member.Status.VERIFIED:
        values["status"] = Member.Status.SUBMITTED
    if member.privacy_notice_version != PRIVACY_NOTICE_VERSION:
        values.update(_consent_record(now))
    # Saving the profile is the member's answer to "still current?".
    values.update(freshness_answered_values(now=now or timezone.now()))
    return member_update(member=member, data=values)
