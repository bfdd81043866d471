"""The registry: taxonomy of expertise and the diaspora members themselves.

Invariants live in the database (unique e-mail regardless of case, choices,
year ranges) so that every entry point, not only the survey form, keeps them.
Writes go through registry.services; reads that span relations through
registry.selectors.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower, Upper
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from registry.validators import (
    validate_no_control_characters,
    validate_no_control_characters_multiline,
    validate_orcid,
)

# Bounds shared by the model, the forms and the database constraints.
MIN_YEAR = 1940
MAX_YEAR = 2100
MAX_YEARS_EXPERIENCE = 80
MAX_HOURS_PER_MONTH = 200
SUMMARY_MAX_LENGTH = 2000
KEYWORDS_MAX_LENGTH = 500


def name_in_language(name: str, name_ur: str) -> str:
    """The name to show in the active language: `name_ur` on an Urdu page when
    it is filled in, the English `name` otherwise (a row staff added without a
    translation stays readable)."""
    if name_ur and (translation.get_language() or "").startswith("ur"):
        return name_ur
    return name


class UrduNamed(models.Model):
    """A taxonomy row that members and the public read, named in English and in Urdu.

    `name` is the English name, which the search index and the CSV export
    use; pages show `display_name`, as `__str__` does. Expertise clusters have
    no Urdu name: staff create and rename them at will, as working labels of
    the staff pages, which no member or visitor sees.
    """

    name_ur = models.CharField(
        _("name in Urdu"),
        max_length=160,
        blank=True,
        help_text=_("Shown on Urdu pages. Left empty, Urdu pages show the English name."),
    )

    class Meta:
        abstract = True

    @property
    def display_name(self) -> str:
        return name_in_language(self.name, self.name_ur)


class Field(UrduNamed):
    """A broad field of the OECD Fields of Research and Development (FORD)."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("broad field")
        verbose_name_plural = _("broad fields")

    def __str__(self):
        return f"{self.code} {self.display_name}"


class Subfield(UrduNamed):
    """A FORD subfield such as "1.2 Computer and information sciences"."""

    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="subfields", verbose_name=_("broad field")
    )
    code = models.CharField(_("code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=160)
    # Codes sort as text ("2.10" before "2.2"), so the order is stored.
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("subfield")
        verbose_name_plural = _("subfields")

    def __str__(self):
        return f"{self.code} {self.display_name}"


class Sdg(UrduNamed):
    """One of the 17 UN Sustainable Development Goals."""

    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["number"]
        verbose_name = _("Sustainable Development Goal")
        verbose_name_plural = _("Sustainable Development Goals")

    def __str__(self):
        return gettext("SDG %(number)s: %(name)s") % {
            "number": self.number,
            "name": self.display_name,
        }


class EngagementType(UrduNamed):
    """A way a member offers to engage, e.g. guest lectures."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("engagement type")
        verbose_name_plural = _("engagement types")

    def __str__(self):
        return self.display_name


class InternationalProject(UrduNamed):
    """A large international collaboration such as CERN or ITER."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=160)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("international project")
        verbose_name_plural = _("international projects")

    def __str__(self):
        return self.display_name


class ExpertiseCluster(models.Model):
    """A thematic cluster curated by staff.

    A member belongs to it when one of their subfields is among the cluster's
    subfields or one of the cluster's keywords appears, as whole words and
    regardless of case, in their keywords. Membership is computed by
    registry.services and stored in Member.clusters.
    """

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    subfields = models.ManyToManyField(
        Subfield, related_name="clusters", blank=True, verbose_name=_("subfields")
    )
    keywords = models.TextField(
        _("keywords"),
        blank=True,
        help_text=_("One keyword or phrase per line (or separated by commas)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("expertise cluster")
        verbose_name_plural = _("expertise clusters")

    def __str__(self):
        return self.name

    def keyword_list(self) -> list[str]:
        from registry.text import split_keywords

        return split_keywords(self.keywords)


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Another gender")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


class Connection(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    DUAL_NATIONAL = "dual", _("Dual national")
    ORIGIN = "origin", _("Of national origin, with foreign citizenship")


class Qualification(models.TextChoices):
    PHD = "phd", _("PhD or equivalent doctorate")
    MEDICAL = "md", _("MD / MBBS or equivalent")
    MASTERS = "masters", _("Master's degree")
    BACHELORS = "bachelors", _("Bachelor's degree")
    OTHER = "other", _("Other")


class Sector(models.TextChoices):
    ACADEMIA = "academia", _("Academia (university)")
    RESEARCH = "research", _("Research institute")
    INDUSTRY = "industry", _("Industry")
    GOVERNMENT = "government", _("Government")
    INTERNATIONAL = "international", _("International organisation")
    NONPROFIT = "nonprofit", _("Non-profit")
    ENTREPRENEUR = "entrepreneur", _("Self-employed / entrepreneur")
    STUDENT = "student", _("Student")


class CareerStage(models.TextChoices):
    R1 = "r1", _("R1 First-stage researcher (up to PhD)")
    R2 = "r2", _("R2 Recognised researcher (PhD holder)")
    R3 = "r3", _("R3 Established researcher")
    R4 = "r4", _("R4 Leading researcher")
    PRACTITIONER = "practitioner", _("Practitioner / professional")
    STUDENT = "student", _("Student")


class MemberStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Unconfirmed e-mail")
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Duplicate")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Members whose address is confirmed and who have not been turned away: what
# staff search and export by default, and what public figures count.
CONFIRMED_STATUSES = (MemberStatus.SUBMITTED, MemberStatus.VERIFIED)


class Language(models.TextChoices):
    """The languages the portal speaks (settings.LANGUAGES), each named in itself."""

    # A language is named in its own words in every language, so that a
    # reader of the other one can still find theirs.
    ENGLISH = "en", "English"
    URDU = "ur", "اردو"


class MemberSource(models.TextChoices):
    SURVEY = "survey", _("Survey")
    ADMIN = "admin", _("Admin")
    IMPORT = "import", _("Import")


class Member(models.Model):
    """One diaspora professional who registered through the survey."""

    # The choices live at module level so Meta's constraints can use them.
    Gender = Gender
    Connection = Connection
    Qualification = Qualification
    Sector = Sector
    CareerStage = CareerStage
    Status = MemberStatus
    Source = MemberSource
    Language = Language

    # Identity and contact.
    full_name = models.CharField(
        _("full name"), max_length=200, validators=[validate_no_control_characters]
    )
    email = models.EmailField(_("e-mail address"), max_length=254)
    phone = models.CharField(
        _("phone number"),
        max_length=40,
        blank=True,
        validators=[validate_no_control_characters],
        help_text=_("Optional. With the country code, for example +44 20 7946 0958."),
    )
    gender = models.CharField(_("gender"), max_length=12, choices=Gender, blank=True)
    language = models.CharField(
        _("language for e-mails"),
        max_length=8,
        choices=Language,
        default=Language.ENGLISH,
        help_text=_("Every e-mail to the member is written in this language."),
    )

    # Residence and connection to the country.
    country = CountryField(_("country of residence"))
    city = models.CharField(
        _("city"), max_length=120, blank=True, validators=[validate_no_control_characters]
    )
    connection = models.CharField(_("connection to the country"), max_length=12, choices=Connection)
    home_region = models.CharField(
        _("home province or region"),
        max_length=120,
        blank=True,
        validators=[validate_no_control_characters],
    )

    # Education.
    highest_qualification = models.CharField(
        _("highest qualification"), max_length=12, choices=Qualification
    )
    qualification_subject = models.CharField(
        _("subject"),
        max_length=200,
        blank=True,
        validators=[validate_no_control_characters],
        help_text=_("For example: Nuclear physics."),
    )
    qualification_institution = models.CharField(
        _("university or institution"),
        max_length=200,
        blank=True,
        validators=[validate_no_control_characters],
    )
    qualification_country = CountryField(_("country of the institution"), blank=True)
    qualification_year = models.PositiveSmallIntegerField(
        _("year obtained"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
        help_text=_("For example: 2012."),
    )

    # Current position.
    job_title = models.CharField(
        _("job title"), max_length=200, blank=True, validators=[validate_no_control_characters]
    )
    organisation = models.CharField(
        _("organisation"), max_length=200, blank=True, validators=[validate_no_control_characters]
    )
    sector = models.CharField(_("sector"), max_length=16, choices=Sector)
    career_stage = models.CharField(
        _("career stage"),
        max_length=16,
        choices=CareerStage,
        help_text=_(
            "R1 to R4 are the European research career stages, from doctoral "
            "researcher (R1) to research leader (R4)."
        ),
    )
    years_experience = models.PositiveSmallIntegerField(
        _("years of professional experience"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_YEARS_EXPERIENCE)],
    )

    # Expertise.
    primary_subfield = models.ForeignKey(
        Subfield,
        on_delete=models.PROTECT,
        related_name="primary_members",
        verbose_name=_("main field of expertise"),
    )
    subfields = models.ManyToManyField(
        Subfield,
        related_name="members",
        blank=True,
        verbose_name=_("other fields of expertise"),
    )
    keywords = models.CharField(
        _("keywords and specialisations"),
        max_length=KEYWORDS_MAX_LENGTH,
        blank=True,
        validators=[validate_no_control_characters],
        help_text=_("Separate them with commas, for example: medical physics, PET imaging."),
    )
    summary = models.TextField(
        _("short summary of your expertise"),
        max_length=SUMMARY_MAX_LENGTH,
        blank=True,
        validators=[validate_no_control_characters_multiline],
    )

    # Research identity.
    orcid = models.CharField(_("ORCID iD"), max_length=19, blank=True, validators=[validate_orcid])
    scholar_url = models.URLField(_("Google Scholar profile"), max_length=300, blank=True)
    linkedin_url = models.URLField(_("LinkedIn profile"), max_length=300, blank=True)
    website_url = models.URLField(
        _("personal or institutional website"), max_length=300, blank=True
    )

    # Engagement.
    engagement_types = models.ManyToManyField(
        EngagementType, related_name="members", blank=True, verbose_name=_("how you would engage")
    )
    sdgs = models.ManyToManyField(
        Sdg, related_name="members", blank=True, verbose_name=_("Sustainable Development Goals")
    )
    international_projects = models.ManyToManyField(
        InternationalProject,
        related_name="members",
        blank=True,
        verbose_name=_("international projects"),
    )
    home_collaborations = models.TextField(
        _("existing collaborations with institutions in the country"),
        max_length=SUMMARY_MAX_LENGTH,
        blank=True,
        validators=[validate_no_control_characters_multiline],
    )
    hours_per_month = models.PositiveSmallIntegerField(
        _("hours per month you could give"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_HOURS_PER_MONTH)],
        help_text=_("Optional. A rough estimate, up to 200."),
    )
    willing_to_visit = models.BooleanField(_("willing to visit the country"), default=False)

    # Consent.
    consent_processing = models.BooleanField(_("consent to processing"), default=False)
    consent_processing_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    privacy_notice_version = models.CharField(
        _("privacy notice version"), max_length=20, blank=True
    )
    consent_contact = models.BooleanField(_("consent to be contacted"), default=False)
    consent_directory = models.BooleanField(
        _("consent to appear in a public directory"), default=False
    )
    # When the member asked, from an invitation, to receive no more
    # invitations (outreach); empty when they accept them. Reversible from the
    # profile page.
    invitations_opted_out_at = models.DateTimeField(
        _("opted out of invitations at"), null=True, blank=True
    )

    # Workflow.
    status = models.CharField(
        _("status"), max_length=12, choices=MemberStatus, default=MemberStatus.UNCONFIRMED
    )
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_members",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_reason = models.TextField(_("reason for the decision"), blank=True)
    staff_notes = models.TextField(_("staff notes"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    source = models.CharField(
        _("source"), max_length=8, choices=MemberSource, default=MemberSource.SURVEY
    )
    # Freshness (registry/services/freshness.py): when the member last said
    # the profile is current (confirming the address, saving the profile or
    # answering "still current"), the prompts sent since, and since when the
    # member is stale for having answered neither. stale_since null = fresh.
    last_confirmed_at = models.DateTimeField(
        _("last confirmed by the member"), null=True, blank=True, db_index=True
    )
    freshness_prompted_at = models.DateTimeField(
        _("asked whether still current"), null=True, blank=True
    )
    freshness_reminded_at = models.DateTimeField(
        _("reminded whether still current"), null=True, blank=True
    )
    stale_since = models.DateTimeField(_("stale since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    # Set by every change of the profile, its relations or its review (the
    # services save the member). Opportunities' stored rankings rely on it
    # to find the members changed since (outreach.selectors.ranking); the
    # freshness answers and the opt-out of invitations leave it as it is.
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Derived data, kept current by registry.services on every write.
    clusters = models.ManyToManyField(
        ExpertiseCluster,
        related_name="members",
        blank=True,
        editable=False,
        verbose_name=_("expertise clusters"),
    )
    # Folded (case- and accent-free) text of the searchable fields.
    search_document = models.TextField(editable=False, blank=True, default="")
    # Folded name and organisation, to find possible duplicates with an index.
    name_key = models.CharField(max_length=200, editable=False, blank=True, default="")
    organisation_key = models.CharField(max_length=200, editable=False, blank=True, default="")
    # Set when the member had, as its name, organisation or ORCID iD last
    # changed (its own or another member's), another member not withdrawn
    # with the same ORCID iD or the same folded name at the same folded
    # organisation (registry.services.duplicates). It can outlive the
    # duplicate, never miss one: the review queue checks each flagged member
    # again within the staff user's scope (registry.selectors.review), and
    # the flag keeps that check to a few members instead of every one.
    possible_duplicate = models.BooleanField(
        _("possible duplicate"), default=False, db_default=False, editable=False
    )
    # A random key that stands for the member in the links e-mailed to them
    # (registry.tokens), so that a link does not give away the member's id.
    # Made with the member, or on first use for members loaded in bulk (their
    # rows get the database default).
    link_key = models.CharField(
        max_length=64, editable=False, blank=True, default="", db_default=""
    )

    # Audit trail: every save stores a row with the values (and the relations
    # people choose) as they became, who made the change and when. Derived
    # data is left out: it follows from the rest. Deleting a member deletes
    # its history rather than keeping a last copy of the personal data.
    history = HistoricalRecords(
        excluded_fields=[
            "search_document",
            "name_key",
            "organisation_key",
            "updated_at",
            "link_key",
            "possible_duplicate",
            "freshness_prompted_at",
            "freshness_reminded_at",
        ],
        m2m_fields=["subfields", "engagement_types", "sdgs", "international_projects"],
        user_related_name="+",
        cascade_delete_history=True,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        permissions = [
            ("review_member", _("Can review members (verify, reject, mark duplicate)")),
            ("export_member", _("Can export members as CSV")),
        ]
        constraints = [
            # Unique regardless of case, enforced by the database. Withdrawn
            # members keep an anonymous tombstone with an empty address.
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="member_email_ci_unique",
                violation_error_message=_("A member with this e-mail address already exists."),
            ),
            models.UniqueConstraint(
                fields=["link_key"], condition=~Q(link_key=""), name="member_link_key_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MemberStatus.values), name="member_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=MemberSource.values), name="member_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(sector__in=Sector.values), name="member_sector_valid"
            ),
            models.CheckConstraint(
                condition=Q(career_stage__in=CareerStage.values), name="member_career_stage_valid"
            ),
            models.CheckConstraint(
                condition=Q(highest_qualification__in=Qualification.values),
                name="member_qualification_valid",
            ),
            models.CheckConstraint(
                condition=Q(connection__in=Connection.values), name="member_connection_valid"
            ),
            models.CheckConstraint(
                condition=Q(gender="") | Q(gender__in=Gender.values), name="member_gender_valid"
            ),
            models.CheckConstraint(
                condition=Q(qualification_year__isnull=True)
                | Q(qualification_year__gte=MIN_YEAR, qualification_year__lte=MAX_YEAR),
                name="member_qualification_year_range",
            ),
            models.CheckConstraint(
                condition=Q(years_experience__isnull=True)
                | Q(years_experience__lte=MAX_YEARS_EXPERIENCE),
                name="member_years_experience_range",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_month__isnull=True)
                | Q(hours_per_month__lte=MAX_HOURS_PER_MONTH),
                name="member_hours_per_month_range",
            ),
            models.CheckConstraint(
                condition=Q(duplicate_of__isnull=True) | ~Q(duplicate_of=F("id")),
                name="member_not_duplicate_of_itself",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="member_status_created_idx"),
            # The members whose profile changed since an opportunity was
            # ranked (outreach.selectors.ranking).
            models.Index(fields=["updated_at"], name="member_updated_idx"),
            # The staff home's new and edited review queues, counted from the
            # index alone (registry.selectors.staff_home).
            models.Index(
                fields=["country"],
                include=["reviewed_at"],
                name="member_review_queue_idx",
                condition=Q(status="submitted"),
            ),
            # The members the "suspected duplicates" review queue checks.
            models.Index(
                fields=["status", "country"],
                name="member_possible_dup_idx",
                condition=Q(possible_duplicate=True),
            ),
            models.Index(fields=["country", "status"], name="member_country_status_idx"),
            models.Index(fields=["primary_subfield", "status"], name="member_subfield_status_idx"),
            models.Index(fields=["sector"], name="member_sector_idx"),
            models.Index(fields=["orcid"], name="member_orcid_idx", condition=~Q(orcid="")),
            models.Index(fields=["name_key", "organisation_key"], name="member_name_org_key_idx"),
            # The staff search's free text also matches the city, case aside.
            models.Index(Upper("city"), name="member_city_upper_idx"),
            # The first members of each subfield in name order, read without
            # sorting every match (the staff search's groups).
            models.Index(
                fields=["primary_subfield", "name_key", "id"], name="member_subfield_name_idx"
            ),
            # The same for confirmed members only, what the staff search lists
            # by default: withdrawn members keep no name, so in the index above
            # they come first and a walk to the first confirmed names would read
            # them all.
            models.Index(
                fields=["primary_subfield", "name_key", "id"],
                name="member_confirmed_name_idx",
                # Spelled as an OR, not IN: PostgreSQL prints an IN condition
                # with casts that read back differently, so an index rebuilt
                # from its printed definition (the demo seed's bulk load) would
                # not match the migrations' schema.
                condition=Q(status=MemberStatus.SUBMITTED) | Q(status=MemberStatus.VERIFIED),
            ),
            # The same within a country, with the other member columns the
            # staff search filters on: it counts a country's (or a Mission's
            # countries') confirmed matches from this narrow index alone
            # instead of reading their rows scattered over the table, and
            # walks to a subfield's first names within the country.
            models.Index(
                fields=["country", "primary_subfield", "name_key", "id"],
                include=["sector", "career_stage", "highest_qualification", "stale_since"],
                name="member_country_name_idx",
                condition=Q(status=MemberStatus.SUBMITTED) | Q(status=MemberStatus.VERIFIED),
            ),
            # The staff search's "stale" filter: few members, found without a
            # scan of the table.
            models.Index(
                fields=["stale_since"],
                name="member_stale_idx",
                condition=Q(stale_since__isnull=False),
            ),
            # The public directory's pages, in its order, over listed members
            # only (registry.selectors.directory).
            models.Index(
                fields=["primary_subfield", "name_key", "id"],
                name="member_directory_idx",
                condition=Q(status="verified", consent_directory=True),
            ),
            models.Index(
                fields=["country", "primary_subfield", "name_key", "id"],
                name="member_directory_country_idx",
                condition=Q(status="verified", consent_directory=True),
            ),
        ]

    def __str__(self):
        return self.full_name or _("Withdrawn member #%(id)s") % {"id": self.pk}

    def clean(self):
        if self.pk and self.duplicate_of_id == self.pk:
            raise ValidationError({"duplicate_of": _("A member cannot be a duplicate of itself.")})

    def get_constraints(self):
        # Model validation would re-check every constraint with its own query.
        # The check constraints repeat the fields' choices and validators,
        # which full_clean applies already (and clean() above), and the
        # database enforces them anyway; only the unique e-mail needs a query.
        return [
            (model, [c for c in constraints if isinstance(c, models.UniqueConstraint)])
            for model, constraints in super().get_constraints()
        ]

    @property
    def broad_field(self) -> Field:
        return self.primary_subfield.field


class DashboardCount(models.Model):
    """How many members of a status and country have one value of one facet.

    The staff dashboard's summary, kept on PostgreSQL only, in the same
    transaction as every write, by the triggers of migration 0013 on the
    member table and its four relation tables: the services, the admin and
    the bulk loader all pass through them, so the counts are exact at every
    commit. Facets: "subfield" (the primary subfield's id, "" without one),
    "sector", "stage", "qualification", "gender", "month" (the first day of
    the month of registration, ISO, in settings.TIME_ZONE when migrated) and
    "cluster", "engagement", "sdg", "project" (a target's id). Rows may hold
    zero. Other databases leave the table empty and count on demand.
    """

    facet = models.CharField(max_length=16)
    # Plain copies of Member.status and Member.country, written only by SQL.
    status = models.CharField(max_length=12)
    country = models.CharField(max_length=2)
    value = models.CharField(max_length=16, blank=True)
    members = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["facet", "status", "country", "value"], name="dashboard_count_key"
            ),
        ]

    def __str__(self):
        return f"{self.facet}={self.value} {self.status} {self.country}: {self.members}"


class NameWord(models.Model):
    """A word of some member's folded name (Member.name_key), once.

    The staff search's fuzzy names look for words like a misspelt name here
    first (a trigram index on PostgreSQL), then only at the members whose
    name holds one of them (registry.search.postgres). Kept by the services
    of registry.services.name_words: a word is added when a member's name
    is written and goes when no member's name holds it any more.
    """

    word = models.CharField(max_length=200, primary_key=True)

    def __str__(self):
        return self.word


class Mission(models.Model):
    """A Mission abroad (embassy, high commission, consulate) and the countries it covers.

    Its staff see only the members residing in those countries; an inactive
    Mission, or one covering no country, lets its staff see nobody.
    """

    name = models.CharField(
        _("name"),
        max_length=120,
        unique=True,
        validators=[validate_no_control_characters],
        help_text=_("For example: Embassy in Berlin."),
    )
    city = models.CharField(
        _("city"), max_length=120, blank=True, validators=[validate_no_control_characters]
    )
    # Stored as one sorted list of ISO codes: read once per request and
    # matched with country IN (...) on the member table's (country, status)
    # index, so no join is needed.
    countries = CountryField(_("countries covered"), multiple=True, blank=True)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Staff of an inactive Mission see no member at all."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(user_related_name="+")

    class Meta:
        ordering = ["name"]
        verbose_name = _("Mission")
        verbose_name_plural = _("Missions")

    def __str__(self):
        return self.name

    @property
    def country_codes(self) -> tuple[str, ...]:
        return tuple(sorted(country.code for country in self.countries))


class MissionMembership(models.Model):
    """The Mission a staff account belongs to; an account without one is headquarters."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mission_membership",
        verbose_name=_("user"),
    )
    # A Mission with staff cannot be deleted: its staff would silently become
    # headquarters and see every member.
    mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("Mission")
    )

    history = HistoricalRecords(user_related_name="+")

    class Meta:
        ordering = ["mission", "user"]
        verbose_name = _("Mission membership")
        verbose_name_plural = _("Mission memberships")

    def __str__(self):
        return f"{self.user} @ {self.mission}"


class ExportLog(models.Model):
    """One CSV export of members: who, when, which filters, how many rows."""

    class EntryPoint(models.TextChoices):
        SEARCH = "search", _("Staff search")
        ADMIN = "admin", _("Admin action")
        COMMAND = "command", _("Management command")
        OUTREACH = "outreach", _("Opportunity: accepted members")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member_exports",
        verbose_name=_("user"),
    )
    # The Mission whose scope the export had; empty for headquarters.
    mission = models.ForeignKey(
        Mission,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exports",
        verbose_name=_("Mission"),
    )
    entry_point = models.CharField(_("entry point"), max_length=8, choices=EntryPoint)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    # Whether the file also holds members who did not agree to be contacted.
    includes_no_contact = models.BooleanField(
        _("includes members who did not agree to be contacted"), default=False
    )
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log")
        constraints = [
            models.CheckConstraint(
                condition=Q(entry_point__in=["search", "admin", "command", "outreach"]),
                name="exportlog_entry_point_valid",
            )
        ]

    def __str__(self):
        return f"{self.get_entry_point_display()} {self.started_at:%Y-%m-%d %H:%M}"


class PendingRegistration(models.Model):
    """One survey submission for an address whose entry is not confirmed yet.

    Nobody has proved the address yet, so a submission must not overwrite
    another one's answers and consents: each keeps its own answers and is
    e-mailed its own confirmation link, and confirming a link stores the
    answers that link was sent for (registry.services.pending). The other
    pending submissions for the address are deleted then, and every one when
    its link expires.
    """

    # The submission's id, given when the form was sent: running the
    # registration task again for the same submission finds it and does nothing.
    id = models.UUIDField(primary_key=True, editable=False)
    email = models.EmailField(_("e-mail address"), max_length=254, db_index=True)
    # The survey answers, as JSON (registry.survey.survey_answers_to_json).
    answers = models.JSONField(_("answers"))
    privacy_notice_version = models.CharField(_("privacy notice version"), max_length=20)
    # The secret of the confirmation link.
    key = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("submitted"), db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pending registration")
        verbose_name_plural = _("pending registrations")

    def __str__(self):
        return f"{self.email} {self.created_at:%Y-%m-%d %H:%M}"


class ContactMessage(models.Model):
    """A query to the focal point sent through the contact page.

    Kept so that staff can read it in the admin even when the e-mail to the
    focal point failed; erased after the retention period like rejected
    entries (purge_registry, registry.services.retention).
    """

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), max_length=254)
    subject = models.CharField(_("subject"), max_length=150)
    message = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_contact_messages",
        verbose_name=_("handled by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")

    def __str__(self):
        return self.subject
