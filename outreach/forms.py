"""Forms of the opportunity pages and of the member's answer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from outreach.models import Invitation, Opportunity
from registry.models import Mission
from registry.validators import (
    validate_no_control_characters,
    validate_no_control_characters_multiline,
)

# What staff fill in: the form and the admin show the same fields.
OPPORTUNITY_FIELDS = [
    "title",
    "host_institution",
    "description",
    "engagement_types",
    "subfields",
    "keywords",
    "sdgs",
    "international_projects",
    "countries",
    "mode",
    "starts_on",
    "ends_on",
    "reply_by",
    "places",
    "status",
]


class DateInput(forms.DateInput):
    input_type = "date"


class OpportunityForm(forms.ModelForm):
    """Create or edit an opportunity; headquarters also choose its Mission on creation."""

    mission = forms.ModelChoiceField(
        label=_("Mission"),
        queryset=Mission.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=_("Headquarters"),
    )

    class Meta:
        model = Opportunity
        fields = OPPORTUNITY_FIELDS
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "reply_by": DateInput(),
            "engagement_types": forms.CheckboxSelectMultiple,
            "sdgs": forms.CheckboxSelectMultiple,
            "international_projects": forms.CheckboxSelectMultiple,
            "host_institution": forms.TextInput(attrs={"list": "host-suggestions"}),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, can_choose_mission: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_choose_mission or self.instance.pk:
            del self.fields["mission"]
        self.fields["subfields"].widget.attrs["size"] = 10
        self.fields["countries"].widget.attrs["size"] = 8

    def clean(self):
        data = super().clean()
        starts, ends, reply_by = data.get("starts_on"), data.get("ends_on"), data.get("reply_by")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date cannot be before the start date."))
        if reply_by and ends and reply_by > ends:
            self.add_error("reply_by", _("The reply-by date cannot be after the end date."))
        return data


class OpportunityStatusFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Opportunity.Status.choices],
    )


class AnswerForm(forms.Form):
    """The member's answer; the button pressed is `answer`."""

    ANSWERS = [
        ("accept", _("Accept")),
        ("decline", _("Decline")),
        ("opt_out", _("Stop inviting me")),
    ]

    answer = forms.ChoiceField(choices=ANSWERS, widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("Message to the organisers (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_no_control_characters_multiline],
    )
    availability = forms.CharField(
        label=_("Your availability (optional)"),
        required=False,
        max_length=300,
        help_text=_("For example: the first two weeks of March, online on Fridays."),
        validators=[validate_no_control_characters],
    )
    reason = forms.CharField(
        label=_("Why you decline (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_no_control_characters_multiline],
    )


class OutcomeForm(forms.ModelForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Invitation.Outcome.choices)

    class Meta:
        model = Invitation
        fields = ["outcome", "outcome_notes"]
        widgets = {"outcome_notes": forms.Textarea(attrs={"rows": 2})}
