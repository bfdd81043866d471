"""Opportunities to engage the network, the invitations sent for them and the answers.

Invariants live in the database: one invitation per opportunity and member,
valid choices, dates in order. Writes go through outreach.services, reads
that span relations through outreach.selectors.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from registry.models import (
    EngagementType,
    InternationalProject,
    Member,
    Mission,
    Sdg,
    Subfield,
)
from registry.validators import (
    validate_no_control_characters,
    validate_no_control_characters_multiline,
)


class OpportunityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class OpportunityMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    EITHER = "either", _("In person or online")


class Opportunity(models.Model):
    """Something a host institution needs the diaspora for: lectures, supervision, advice."""

    Status = OpportunityStatus
    Mode = OpportunityMode

    title = models.CharField(
        _("title"), max_length=200, validators=[validate_no_control_characters]
    )
    host_institution = models.CharField(
        _("host institution"), max_length=200, validators=[validate_no_control_characters]
    )
    description = models.TextField(
        _("description"),
        max_length=5000,
        blank=True,
        validators=[validate_no_control_characters_multiline],
    )
    engagement_types = models.ManyToManyField(
        EngagementType, related_name="opportunities", blank=True, verbose_name=_("engagement types")
    )
    subfields = models.ManyToManyField(
        Subfield, related_name="opportunities", blank=True, verbose_name=_("subfields")
    )
    keywords = models.CharField(
        _("keywords"),
        max_length=500,
        blank=True,
        validators=[validate_no_control_characters],
        help_text=_("Comma-separated, e.g. accelerator physics, beam optics."),
    )
    sdgs = models.ManyToManyField(
        Sdg,
        related_name="opportunities",
        blank=True,
        verbose_name=_("Sustainable Development Goals"),
    )
    international_projects = models.ManyToManyField(
        InternationalProject,
        related_name="opportunities",
        blank=True,
        verbose_name=_("international projects"),
    )
    countries = CountryField(
        _("countries of residence"),
        multiple=True,
        blank=True,
        help_text=_("Optional. Leave empty to consider members wherever they live."),
    )
    mode = models.CharField(
        _("in person or online"), max_length=10, choices=OpportunityMode, default="either"
    )
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    reply_by = models.DateField(_("reply by"))
    places = models.PositiveSmallIntegerField(_("number of places"), default=1)
    status = models.CharField(
        _("status"), max_length=8, choices=OpportunityStatus, default=OpportunityStatus.DRAFT
    )
    # Empty for headquarters' own opportunities.
    mission = models.ForeignKey(
        Mission,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opportunities",
        verbose_name=_("Mission"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    history = HistoricalRecords(
        m2m_fields=["engagement_types", "subfields", "sdgs", "international_projects"],
        excluded_fields=["updated_at"],
        user_related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        permissions = [
            ("manage_opportunity", _("Can create opportunities, invite members, record outcomes")),
            ("export_opportunity", _("Can export the members who accepted an opportunity")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OpportunityStatus.values), name="opportunity_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(mode__in=OpportunityMode.values), name="opportunity_mode_valid"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="opportunity_dates_in_order"
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="opportunity_places_positive"),
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="opportunity_status_idx")]

    def __str__(self):
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status == OpportunityStatus.CLOSED


class InvitationStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    OPTED_OUT = "opted_out", _("Opted out")
    CANCELLED = "cancelled", _("Not sent (opportunity closed)")


# The states in which the member has answered.
ANSWERED_STATUSES = (
    InvitationStatus.ACCEPTED,
    InvitationStatus.DECLINED,
    InvitationStatus.OPTED_OUT,
)
# The states a sending task still has work in.
SENDABLE_STATUSES = (InvitationStatus.QUEUED, InvitationStatus.FAILED)


class Outcome(models.TextChoices):
    TOOK_PLACE = "took_place", _("Took place")
    DID_NOT_TAKE_PLACE = "not_held", _("Did not take place")


class Invitation(models.Model):
    """One member invited to one opportunity, its sending, the answer and the outcome."""

    Status = InvitationStatus
    Outcome = Outcome

    # No index of their own: invitation_once_per_member and
    # invitation_opp_status_idx start with the opportunity, invitation_member_idx
    # is the member's; one index fewer each to write for every invitation.
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="invitations", db_index=False
    )
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="invitations", db_index=False
    )
    # The secret the signed response link stands for (outreach.tokens).
    key = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=InvitationStatus, default=InvitationStatus.QUEUED
    )
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    # Set once the e-mail has left: what makes sending idempotent.
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    failure_reason = models.CharField(_("failure reason"), max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    availability = models.CharField(_("availability"), max_length=300, blank=True)
    decline_reason = models.TextField(_("reason"), max_length=2000, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome, blank=True)
    outcome_notes = models.TextField(_("outcome notes"), max_length=2000, blank=True)
    outcome_recorded_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)

    class Meta:
        ordering = ["opportunity", "id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "member"], name="invitation_once_per_member"
            ),
            models.CheckConstraint(
                condition=Q(status__in=InvitationStatus.values), name="invitation_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=Outcome.values),
                name="invitation_outcome_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["opportunity", "status"], name="invitation_opp_status_idx"),
            models.Index(fields=["member"], name="invitation_member_idx"),
        ]

    def __str__(self):
        return f"{self.opportunity} → #{self.member_id}"

    @property
    def is_answered(self) -> bool:
        return self.status in ANSWERED_STATUSES


class OpportunityRanking(models.Model):
    """An opportunity's best candidates as last ranked among every member, best first.

    Written by outreach.services.ranking (in a task); the opportunity page
    scores these members again, with the members changed since, instead of
    every member (outreach.selectors.ranking, docs/matching.md).
    """

    opportunity = models.OneToOneField(
        Opportunity,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="ranking",
        verbose_name=_("opportunity"),
    )
    # outreach.selectors.matching.wishes_key() of what was ranked.
    wishes = models.CharField(_("wishes"), max_length=64, blank=True)
    member_ids = models.JSONField(_("members"), default=list, blank=True)
    # True when member_ids holds every candidate there was.
    complete = models.BooleanField(_("complete"), default=False)
    # When the ranking started reading the members.
    ranked_at = models.DateTimeField(_("ranked at"), null=True, blank=True)
    requested_at = models.DateTimeField(_("requested at"), null=True, blank=True)

    class Meta:
        verbose_name = _("stored ranking")
        verbose_name_plural = _("stored rankings")

    def __str__(self):
        return f"{self.opportunity_id}"
