"""Public forms: the registration survey and the request for a profile link."""

from functools import cached_property

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Field, Fieldset, Layout
from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from registry.email_typos import EmailTypoMixin, email_suggestion
from registry.formfields import (
    GroupedSubfieldChoiceField,
    GroupedSubfieldMultipleChoiceField,
    ModelIdsField,
    NormalizedCharField,
    OrcidField,
    WebAddressField,
    choices_prepare,
    country_formfield,
    text_boxes_follow_typing,
)
from registry.honeypot import (
    HONEYPOT_FIELD,
    HoneypotMixin,
    honeypot_field,
    honeypot_layout,
)
from registry.models import (
    KEYWORDS_MAX_LENGTH,
    MAX_HOURS_PER_MONTH,
    MAX_YEARS_EXPERIENCE,
    MIN_YEAR,
    SUMMARY_MAX_LENGTH,
    EngagementType,
    InternationalProject,
    Member,
    Sdg,
    Subfield,
)
from registry.privacy import PRIVACY_NOTICE_VERSION
from registry.survey import SECTIONS, SURVEY_FIELDS
from registry.templatetags.bidi import isolate
from registry.text import normalize_email

# The "did you mean …?" hint, right under the e-mail field.
EMAIL_HINT = HTML('{% include "registry/includes/email_hint.html" %}')


def _current_language() -> str:
    # The request's language (LocaleMiddleware), as one of the member's choices.
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in Member.Language.values else Member.Language.ENGLISH


def _subfields():
    return Subfield.objects.select_related("field").order_by("field__position", "position")


def _model_label(name: str) -> str:
    """The label a model form gives the Member field, for a field declared on the form."""
    return capfirst(Member._meta.get_field(name).verbose_name)


def _checkboxes(queryset, label, help_text, field_class=ModelIdsField):
    """An optional multiple choice shown as checkboxes."""
    return field_class(
        queryset=queryset,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=label,
        help_text=help_text,
    )


def _this_year() -> int:
    return timezone.localdate().year


def _consent_help_text() -> str:
    return format_html(
        '<a href="{}" target="_blank" rel="noopener">{}</a>',
        reverse("registry:privacy"),
        _("Read the privacy notice (version %(version)s, opens in a new tab).")
        % {"version": isolate(PRIVACY_NOTICE_VERSION)},
    )


def _with_limit(text, limit: int) -> str:
    return _("%(text)s Up to %(limit)s characters.") % {
        "text": text,
        "limit": number_format(limit, force_grouping=True),
    }


def _survey_fields_prepare(fields) -> None:
    """What every survey form shares, set once on the class.

    Texts stay lazy (read in each request's language, only when rendered)
    and the year is read when it is checked, so no form needs its own copy
    of any of it: a form only copies its fields, and a valid answer never
    translates a help text.
    """
    fields["consent_processing"].required = True
    fields["consent_processing"].help_text = lazy(_consent_help_text, SafeString)()
    fields["language"].required = False
    limits = {
        "keywords": (Member._meta.get_field("keywords").help_text, KEYWORDS_MAX_LENGTH),
        "summary": (_("A few sentences about your work."), SUMMARY_MAX_LENGTH),
        "home_collaborations": (
            _("Optional. Which institutions, and what you do together."),
            SUMMARY_MAX_LENGTH,
        ),
    }
    for name, (text, limit) in limits.items():
        fields[name].help_text = lazy(_with_limit, str)(text, limit)
    year = fields["qualification_year"]
    year.validators.append(
        MaxValueValidator(_this_year, message=_("The year cannot be in the future."))
    )
    this_year = lazy(lambda: str(_this_year()), str)()
    year.widget.attrs.update({"min": MIN_YEAR, "max": this_year, "inputmode": "numeric"})
    fields["years_experience"].widget.attrs.update(
        {"min": 0, "max": MAX_YEARS_EXPERIENCE, "inputmode": "numeric"}
    )
    fields["hours_per_month"].widget.attrs.update(
        {"min": 0, "max": MAX_HOURS_PER_MONTH, "inputmode": "numeric"}
    )


class SurveyForm(EmailTypoMixin, HoneypotMixin, forms.ModelForm):
    """The registration survey; with `for_update`, the same survey to edit a profile.

    Only SURVEY_FIELDS are read from the request: anything else posted
    (status, review fields, ids, timestamps) is ignored.
    """

    homepage = honeypot_field()
    primary_subfield = GroupedSubfieldChoiceField(
        queryset=_subfields(),
        label=_model_label("primary_subfield"),
        help_text=_("The field closest to your work, listed under its broad area."),
        error_messages={"required": _("Choose your main field of expertise.")},
    )
    subfields = _checkboxes(
        _subfields(),
        _model_label("subfields"),
        _("Optional. Open a broad area to tick the fields in it."),
        field_class=GroupedSubfieldMultipleChoiceField,
    )
    engagement_types = _checkboxes(
        EngagementType.objects.all(),
        _("What you could offer"),
        _("Optional. Tick all that apply."),
    )
    sdgs = _checkboxes(
        Sdg.objects.all(),
        _("Sustainable Development Goals you work on"),
        _("Optional. Tick all that apply."),
    )
    international_projects = _checkboxes(
        InternationalProject.objects.all(),
        _("Large international projects you take part in"),
        _("Optional. Tick all that apply."),
    )

    class Meta:
        model = Member
        fields = SURVEY_FIELDS
        formfield_callback = country_formfield
        field_classes = {
            # Free text: trimmed and composed before its length is checked.
            **{
                name: NormalizedCharField
                for name in SURVEY_FIELDS
                if type(Member._meta.get_field(name)) in {models.CharField, models.TextField}
                and not Member._meta.get_field(name).choices
            },
            **{
                name: WebAddressField
                for name in SURVEY_FIELDS
                if isinstance(Member._meta.get_field(name), models.URLField)
            },
            "orcid": OrcidField,
        }
        # The model's labels and help texts serve staff and the public
        # alike; these read differently to the person answering. A bare
        # "Optional." is for the public only: the admin marks required fields.
        labels = {
            "language": _("Language of our e-mails to you"),
            "country": _("Country where you live"),
            "connection": _("Your connection to the country"),
            "qualification_subject": _("Subject of that qualification"),
            "organisation": _("Organisation or employer"),
            "willing_to_visit": _("I would be willing to travel to the country for the network"),
            "consent_processing": _(
                "I agree that the Ministry of Foreign Affairs keeps and uses my answers "
                "as described in the privacy notice."
            ),
            "consent_contact": _(
                "I agree to be contacted about opportunities that match my expertise."
            ),
            "consent_directory": _("I agree to appear in a public directory of network members."),
        }
        help_texts = {
            "full_name": _("As you would like the ministry to address you."),
            "email": _("We send a confirmation link to this address. It is never published."),
            "gender": _("Optional."),
            "language": _("You can change it later on your profile page."),
            "city": _("Optional."),
            "website_url": _("Optional."),
            "home_region": _("Optional. The province or region you or your family come from."),
            "orcid": _(
                "Optional. For example 0000-0002-1825-0097, or your https://orcid.org/ link."
            ),
            "scholar_url": _("Optional. The full web address of your profile."),
            "linkedin_url": _("Optional. The full web address of your profile."),
            "consent_contact": _("You can change this at any time."),
            "consent_directory": _("Off unless you tick it. You can change this at any time."),
        }
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            # Type-ahead over the 250 countries (static/js/typeahead.js); the
            # select itself works without JavaScript.
            "country": forms.Select(attrs={"autocomplete": "country", "data-typeahead": "1"}),
            "qualification_country": forms.Select(attrs={"data-typeahead": "1"}),
            "language": forms.RadioSelect,
            "connection": forms.RadioSelect,
            "career_stage": forms.RadioSelect,
            "job_title": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
            "summary": forms.Textarea(attrs={"rows": 5}),
            "home_collaborations": forms.Textarea(attrs={"rows": 3}),
            "orcid": forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "off"}),
            "scholar_url": forms.URLInput(attrs={"autocomplete": "url"}),
            "linkedin_url": forms.URLInput(attrs={"autocomplete": "url"}),
            "website_url": forms.URLInput(attrs={"autocomplete": "url"}),
        }
        error_messages = {
            "full_name": {"required": _("Enter your full name.")},
            "email": {
                "required": _("Enter your e-mail address."),
                "invalid": _("Enter an e-mail address such as name@example.org."),
            },
            "country": {"required": _("Choose the country where you live.")},
            "connection": {"required": _("Choose your connection to the country.")},
            "highest_qualification": {"required": _("Choose your highest qualification.")},
            "sector": {"required": _("Choose the sector you work in.")},
            "career_stage": {"required": _("Choose your career stage.")},
            "consent_processing": {
                "required": _(
                    "To register, please agree that we keep and use your answers; "
                    "without it we cannot include you in the network."
                )
            },
        }

    def __init__(self, *args, for_update: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_update = for_update
        fields = self.fields
        # The language the survey is read in, unless the person picks the other.
        if not self.is_bound and not for_update:
            fields["language"].initial = _current_language()
        if for_update:
            # A link cannot move a profile to another address: that address
            # would have to be confirmed, and must not be revealed as taken.
            fields["email"].disabled = True
            fields["email"].help_text = _(
                "To use another address, write to %(contact)s or withdraw this profile "
                "and register again."
            ) % {"contact": settings.CONTACT_EMAIL}
            del fields[HONEYPOT_FIELD]
            # The member cannot change the address here; the hint says whom to ask.
            self.email_suggestion = email_suggestion(self.instance.email)
            self.contact_email = settings.CONTACT_EMAIL

    @cached_property
    def helper(self) -> FormHelper:
        # Built when the form is rendered: a valid answer never needs it.
        helper = FormHelper()
        # The template writes the <form> element, the CSRF token, the error
        # summary and the buttons.
        helper.form_tag = False
        helper.disable_csrf = True
        sections = [
            Fieldset(
                section.title,
                *(
                    item
                    for q in section.questions
                    for item in (
                        Field(q.name, **q.layout) if q.layout else q.name,
                        *([EMAIL_HINT] if q.name == "email" else []),
                    )
                ),
                css_class="survey-section",
                css_id=f"section-{number}",
            )
            for number, section in enumerate(SECTIONS, start=1)
        ]
        if not self.for_update:
            sections.append(honeypot_layout())
        helper.layout = Layout(*sections)
        return helper

    def clean_email(self):
        email = normalize_email(self.cleaned_data["email"])
        return email if self.for_update else self.email_typo_resolve(email)

    def clean_language(self):
        # Not sent (an old form, a script): the profile keeps its language,
        # and a new registration takes the one the survey was read in.
        if self.cleaned_data["language"]:
            return self.cleaned_data["language"]
        return self.instance.language if self.for_update else _current_language()

    def clean(self):
        cleaned = super().clean()
        primary = cleaned.get("primary_subfield")
        others = cleaned.get("subfields")
        if primary is not None and others is not None:
            # The main field is not also one of the "other" fields.
            cleaned["subfields"] = [s for s in others if s.pk != primary.pk]
        return cleaned

    def _get_validation_exclusions(self):
        # The database keeps addresses unique, but the survey must never say
        # that an address is taken: member_register handles a known address
        # without a word to the visitor. So the model's own checks, which
        # would report it, leave the e-mail out; the form field validates it.
        exclusions = super()._get_validation_exclusions()
        exclusions.add("email")
        # The form field has just fetched the chosen subfield from the
        # database; the model's check that it exists would fetch it again.
        exclusions.add("primary_subfield")
        # The form fields have checked the country codes (CountryChoiceField);
        # the model's check would list and sort every country's name to do it.
        exclusions.update({"country", "qualification_country"})
        return exclusions

    def survey_data(self) -> dict:
        """The cleaned answers, for registry.services.registration."""
        return {
            name: self.cleaned_data[name]
            for name in self._meta.fields
            if name in self.fields and not self.fields[name].disabled
        }

    def section_index(self) -> list[dict]:
        """The sections, with their anchors and whether they hold an error, for the index."""
        errors = set(self.errors) if self.is_bound else set()
        return [
            {"title": s.title, "anchor": f"section-{n}", "has_errors": bool(errors & set(s.fields))}
            for n, s in enumerate(SECTIONS, start=1)
        ]

    def error_summary(self) -> list[dict]:
        """Every error, in the order of the form, with the id of the field to jump to."""
        items = [
            {"anchor": "survey-errors", "label": "", "message": message}
            for message in self.errors.get(NON_FIELD_ERRORS, [])
        ]
        for name in self.fields:
            if name not in self.errors:
                continue
            bound = self[name]
            # Radio buttons and checkbox lists: jump to the first option.
            anchor = bound.subwidgets[0].id_for_label if bound.use_fieldset else bound.auto_id
            items.extend(
                {"anchor": anchor, "label": bound.label, "message": message}
                for message in self.errors[name]
            )
        return items


choices_prepare(
    SurveyForm.base_fields, radio=("connection", "language", "career_stage"), empty=_("Choose…")
)

text_boxes_follow_typing(SurveyForm.base_fields)
_survey_fields_prepare(SurveyForm.base_fields)
