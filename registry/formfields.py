"""Form fields of the registry's forms: text cleaned as it is stored, ids a database can hold."""

from itertools import groupby

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from registry.text import normalize_text
from registry.validators import MAX_ROW_ID, normalize_orcid


class NormalizedCharField(forms.CharField):
    """Trims, composes to NFC and turns CRLF into LF before any length check.

    Browsers send line breaks as CRLF but count them as one character; without
    this a text that fits the box could fail the server's length check.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_text(value.replace("\r\n", "\n"))


class OrcidField(NormalizedCharField):
    """An ORCID iD, typed bare or as its https://orcid.org/ link; cleaned to the bare iD."""

    def __init__(self, **kwargs):
        # Room for the link form; the bare iD is checked by the model's validator.
        kwargs["max_length"] = 64
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize_orcid(super().to_python(value))


class WebAddressField(forms.URLField):
    """A web address: http or https only, "https://" added when left out."""

    default_validators = [URLValidator(schemes=["http", "https"])]

    def __init__(self, **kwargs):
        super().__init__(assume_scheme="https", **kwargs)


class ModelIdsField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows by id that refuses ids the database cannot hold.

    Django looks the posted ids up with one `IN (...)` query. SQLite cannot
    even bind a number beyond its 64-bit range (OverflowError: a server
    error), so such an id is refused first, as the invalid choice it is.
    """

    def _check_values(self, value):
        for candidate in value if isinstance(value, list | tuple) else ():
            try:
                number = int(candidate)
            except (TypeError, ValueError):
                continue  # Django reports it as an invalid value.
            if abs(number) > MAX_ROW_ID:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": candidate},
                )
        return super()._check_values(value)


class _GroupedBySubfieldField:
    """Offers subfields grouped under their broad field (optgroups)."""

    def label_from_instance(self, obj):
        return obj.display_name


class GroupedSubfieldIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for broad_field, subfields in groupby(self.queryset, key=lambda s: s.field):
            yield (broad_field.display_name, [self.choice(s) for s in subfields])


class GroupedSubfieldChoiceField(_GroupedBySubfieldField, forms.ModelChoiceField):
    iterator = GroupedSubfieldIterator


class GroupedSubfieldMultipleChoiceField(_GroupedBySubfieldField, ModelIdsField):
    iterator = GroupedSubfieldIterator
