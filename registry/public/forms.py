"""Forms of the public directory and the contact page."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from registry.honeypot import HoneypotMixin, honeypot_field, honeypot_form_helper
from registry.models import ContactMessage, Field, Subfield
from registry.selectors.directory import DirectoryFilters
from registry.text import normalize_email, normalize_text
from registry.validators import (
    validate_no_control_characters,
    validate_no_control_characters_multiline,
)

MESSAGE_MAX_LENGTH = 5000


class DirectoryFilterForm(forms.Form):
    """The directory's filters, read from the query string."""

    field = forms.ModelChoiceField(
        queryset=Field.objects.order_by("position", "code"),
        required=False,
        label=_("Broad field"),
        empty_label=_("All fields"),
    )
    subfield = forms.ModelChoiceField(
        queryset=Subfield.objects.select_related("field").order_by("field__position", "position"),
        required=False,
        label=_("Subfield"),
        empty_label=_("All subfields"),
    )
    country = forms.ChoiceField(
        choices=[("", _("All countries")), *countries],
        required=False,
        label=_("Country of residence"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for bound in self.fields.values():
            bound.widget.attrs["class"] = "form-select"

    def filters(self) -> DirectoryFilters:
        """The valid filters; an invalid value filters nothing."""
        if not self.is_bound:
            return DirectoryFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        field, subfield = data.get("field"), data.get("subfield")
        return DirectoryFilters(
            field_id=field.id if field else None,
            subfield_id=subfield.id if subfield else None,
            country=data.get("country") or "",
        )


def _name_field():
    return forms.CharField(
        label=_("Your name"),
        max_length=200,
        validators=[validate_no_control_characters],
        error_messages={"required": _("Enter your name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


def _email_field(help_text):
    return forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=help_text,
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address such as name@example.org."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def _message_field():
    return forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_MAX_LENGTH,
        validators=[validate_no_control_characters_multiline],
        error_messages={"required": _("Write your message.")},
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class _MessageForm(HoneypotMixin, forms.Form):
    field_order: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = honeypot_form_helper(*self.field_order)

    def clean_name(self):
        return normalize_text(self.cleaned_data["name"])

    def clean_email(self):
        return normalize_email(self.cleaned_data["email"])

    def clean_message(self):
        return normalize_text(self.cleaned_data["message"])


class DirectoryContactForm(_MessageForm):
    """A message to a member listed in the directory."""

    field_order = ["name", "email", "message"]
    name = _name_field()
    email = _email_field(_("The member's reply comes to this address."))
    message = _message_field()
    homepage = honeypot_field()


class ContactForm(_MessageForm):
    """A query to the focal point."""

    field_order = ["name", "email", "subject", "message"]
    name = _name_field()
    email = _email_field(_("Our answer comes to this address."))
    subject = forms.CharField(
        label=_("Subject"),
        max_length=ContactMessage._meta.get_field("subject").max_length,
        # A line break in the subject could add headers to the e-mail.
        validators=[validate_no_control_characters],
        error_messages={"required": _("Enter a subject.")},
    )
    message = _message_field()
    homepage = honeypot_field()

    def clean_subject(self):
        return normalize_text(self.cleaned_data["subject"])
