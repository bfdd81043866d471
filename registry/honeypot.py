"""The honeypot of the public forms: a field people never see (hidden by CSS
and from assistive technology) and that simple bots fill in."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "homepage"


class HoneypotMixin:
    def is_spam(self) -> bool:
        """True when the hidden honeypot field was filled in."""
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())


def honeypot_field():
    return forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


def honeypot_layout() -> Div:
    """The hidden block that holds the honeypot field in a crispy layout."""
    return Div(HONEYPOT_FIELD, css_class="hp-field", aria_hidden="true")


def honeypot_form_helper(*fields) -> FormHelper:
    """Crispy layout of a short public form: its fields (names or layout
    objects), then the hidden honeypot.

    The template writes the <form> tag and the CSRF token itself.
    """
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields, honeypot_layout())
    return helper
