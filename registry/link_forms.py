"""The form that asks for a link to update or withdraw a profile."""

from django import forms
from django.utils.translation import gettext_lazy as _

from registry.email_typos import EmailTypoMixin
from registry.forms import EMAIL_HINT
from registry.honeypot import HoneypotMixin, honeypot_field, honeypot_form_helper
from registry.text import normalize_email


class LinkRequestForm(EmailTypoMixin, HoneypotMixin, forms.Form):
    """Ask for a link to update or withdraw a profile."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("The address you registered with."),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address such as name@example.org."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    homepage = honeypot_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = honeypot_form_helper("email", EMAIL_HINT)

    def clean_email(self):
        return self.email_typo_resolve(normalize_email(self.cleaned_data["email"]))
