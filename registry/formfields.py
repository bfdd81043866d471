"""Form fields of the registry's forms: text cleaned as it is stored, ids a database can hold."""

from itertools import groupby

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.choices import BlankChoiceIterator
from django_countries.fields import CountryField, LazyTypedChoiceField

from registry.selectors.taxonomy import taxonomy_rows
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


def _taxonomy_choice_rows(field) -> dict | None:
    # Only an unfiltered list of rows is kept (registry.selectors.taxonomy).
    queryset = field.queryset
    if field.to_field_name or queryset.query.where or queryset.query.is_sliced:
        return None
    return taxonomy_rows(queryset)


def _row_id(field, value):
    """The posted value as a row id, or ValidationError, as a query would refuse it."""
    try:
        return field.queryset.model._meta.pk.to_python(value)
    except ValidationError:
        raise ValidationError(
            field.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": value}
        ) from None


class TaxonomyChoiceField(forms.ModelChoiceField):
    """A single choice among taxonomy rows, checked against this process's copy of them.

    The same answers and errors as Django's field, without a query per form.
    """

    def to_python(self, value):
        rows = _taxonomy_choice_rows(self)
        if rows is None or value in self.empty_values or isinstance(value, self.queryset.model):
            return super().to_python(value)
        self.validate_no_null_characters(value)
        try:
            return rows[self.queryset.model._meta.pk.to_python(value)]
        except (ValidationError, KeyError):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from None


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
        rows = _taxonomy_choice_rows(self)
        if rows is None:
            return super()._check_values(value)
        # As Django's own: every id well formed, then every id a row; the
        # chosen rows in the order of the choices.
        try:
            value = frozenset(value)
        except TypeError:
            message = self.error_messages["invalid_list"]
            raise ValidationError(message, code="invalid_list") from None
        for candidate in value:
            self.validate_no_null_characters(candidate)
            _row_id(self, candidate)
        # Django compares the ids as text: "03" is no choice, though a query finds row 3.
        offered = {str(pk) for pk in rows}
        for candidate in value:
            if str(candidate) not in offered:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": candidate},
                )
        chosen = {str(candidate) for candidate in value}
        return [row for pk, row in rows.items() if str(pk) in chosen]


class SharedChoicesMixin:
    """A choice field whose copies share its list of choices.

    Every form deep-copies its fields, and Django's ChoiceField deep-copies
    its choices with them (labels included): for the survey's lists, set once
    on the form class and never changed in place, a third of the cost of
    reading an answer (bench/notes.md, "Round 2, issue 19, second pass").
    Setting `choices` on a copy still gives that copy a list of its own.
    """

    def __deepcopy__(self, memo):
        return forms.Field.__deepcopy__(self, memo)


class CountryChoiceField(SharedChoicesMixin, LazyTypedChoiceField):
    """A country, checked against the codes rather than the list of names.

    Listing the countries translates and sorts their names, which only the
    drop-down needs.
    """

    countries = None

    def valid_value(self, value):
        if self.countries is None:
            return super().valid_value(value)
        return str(value) in self.countries


class SharedChoicesTypedChoiceField(SharedChoicesMixin, forms.TypedChoiceField):
    pass


def country_formfield(db_field, **kwargs):
    """A model form's field for a model field: CountryChoiceField for a country,
    SharedChoicesTypedChoiceField for any other field with choices."""
    if not isinstance(db_field, CountryField):
        if db_field.choices:
            kwargs.setdefault("choices_form_class", SharedChoicesTypedChoiceField)
        return db_field.formfield(**kwargs)
    field = db_field.formfield(choices_form_class=CountryChoiceField, **kwargs)
    field.countries = db_field.countries
    return field


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


class GroupedSubfieldChoiceField(_GroupedBySubfieldField, TaxonomyChoiceField):
    iterator = GroupedSubfieldIterator


class GroupedSubfieldMultipleChoiceField(_GroupedBySubfieldField, ModelIdsField):
    iterator = GroupedSubfieldIterator


def choices_prepare(fields, *, radio, empty) -> None:
    """Choices as a public form offers them, set once on the form class.

    The radio buttons named in `radio` lose the empty "---------" choice;
    drop-downs call theirs `empty`. Setting choices on each form would list
    every option again (two lists of countries) for every answer sent.
    Labels stay lazy, so each request reads them in its language; the
    countries are listed only to render.
    """
    for name in radio:
        fields[name].choices = [c for c in fields[name].choices if c[0] != ""]
    for field in fields.values():
        if not isinstance(field.widget, forms.Select) or isinstance(
            field.widget, forms.RadioSelect | forms.SelectMultiple
        ):
            continue
        if isinstance(field, forms.ModelChoiceField):
            # On the field rather than in a list of its choices: listing them
            # is a query, which only rendering the drop-down needs.
            if field.empty_label is not None:
                field.empty_label = empty
        elif isinstance(field, CountryChoiceField):
            field.choices = BlankChoiceIterator(field.choices.choices, [("", empty)])
        else:
            choices = list(field.choices)
            if choices and choices[0][0] == "":
                field.choices = [("", empty), *choices[1:]]


def text_boxes_follow_typing(fields) -> None:
    """Free-text boxes take the direction of what is typed into them (dir="auto").

    Names, titles and summaries come in either script; addresses, links and
    numbers keep their left-to-right boxes.
    """
    for field in fields.values():
        widget = field.widget
        if isinstance(widget, forms.Textarea) or (
            isinstance(widget, forms.TextInput)
            and widget.attrs.get("type", widget.input_type) == "text"
        ):
            widget.attrs.setdefault("dir", "auto")
