"""Forms of the member admin: the change form and the review decisions."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import models
from django.utils.translation import gettext_lazy as _

from registry import survey
from registry.models import Member
from registry.text import normalize_email
from registry.validators import normalize_orcid

# When and to which privacy notice consent was given: recorded, never typed.
CONSENT_RECORD_FIELDS = ["consent_processing_at", "privacy_notice_version"]
CONSENT_FIELDS = [*survey.CONSENT.fields, *CONSENT_RECORD_FIELDS]
REVIEW_READONLY_FIELDS = [
    "status",
    "duplicate_of",
    "reviewed_by",
    "reviewed_at",
    "review_reason",
    "email_confirmed_at",
    "source",
    "created_at",
    "updated_at",
    "last_confirmed_at",
    "stale_since",
]
DERIVED_FIELDS = ["cluster_list", "search_document", "name_key", "organisation_key"]

# What staff see in a survey section beside the member's answers, after the
# answer named.
_SHOWN_AFTER = {"summary": ["cluster_list"], "consent_processing": CONSENT_RECORD_FIELDS}


def _with_staff_fields(fields) -> list[str]:
    return [shown for name in fields for shown in [name, *_SHOWN_AFTER.get(name, [])]]


# The change form in the survey's sections, then the review and derived data.
MEMBER_FIELDSETS = [
    *(
        (section.title, {"fields": _with_staff_fields(section.fields)})
        for section in survey.SECTIONS
    ),
    (_("Review"), {"fields": [*REVIEW_READONLY_FIELDS, "staff_notes"]}),
    (
        _("Search data"),
        {
            "classes": ["collapse"],
            "fields": ["search_document", "name_key", "organisation_key"],
            "description": _("Computed from the fields above whenever the member is saved."),
        },
    ),
]
# What staff can edit: the member's answers and the staff notes.
EDITABLE_FIELDS = [*survey.SURVEY_FIELDS, "staff_notes"]


def https_url_formfield(db_field, **kwargs):
    """Form field for a model field; a web address typed without scheme gets https."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class MemberAdminForm(forms.ModelForm):
    """The admin's member form: values normalised as the survey stores them."""

    class Meta:
        model = Member
        formfield_callback = https_url_formfield
        # The admin narrows this to what is not read-only for the page.
        fields = EDITABLE_FIELDS
        widgets = {
            "engagement_types": forms.CheckboxSelectMultiple,
            "sdgs": forms.CheckboxSelectMultiple,
            "international_projects": forms.CheckboxSelectMultiple,
        }

    def clean_email(self):
        return normalize_email(self.cleaned_data["email"])

    def clean_orcid(self):
        return normalize_orcid(self.cleaned_data["orcid"])


class MemberChoiceAutocomplete(AutocompleteSelect):
    """The autocomplete of the member admin, with name, organisation and status.

    `leave_out` leaves that member (the one being marked) out of the choices.
    """

    url_name = "%s:registry_member_autocomplete"

    def __init__(self, field, admin_site, *, leave_out: int | None = None, **kwargs):
        super().__init__(field, admin_site, **kwargs)
        self.leave_out = leave_out

    def get_url(self):
        url = super().get_url()
        return f"{url}?exclude={self.leave_out}" if self.leave_out else url


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_(
            "Kept with the entry and in its history. The member is told of the decision "
            "by e-mail; the reason only if you tick the box below."
        ),
    )
    send_reason = forms.BooleanField(
        label=_("Send the reason to the member"),
        required=False,
        help_text=_("Write the reason politely, as the member will read it."),
    )


class DuplicateForm(forms.Form):
    def __init__(self, *args, queryset, admin_site, member: Member | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Built here: the autocomplete widget needs the admin site.
        self.fields["original"] = forms.ModelChoiceField(
            label=_("Original entry"),
            queryset=queryset,
            widget=MemberChoiceAutocomplete(
                Member._meta.get_field("duplicate_of"),
                admin_site,
                leave_out=member.pk if member else None,
            ),
            help_text=_("Type a name, organisation or keyword to find the entry to keep."),
        )
