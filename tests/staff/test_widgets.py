"""The filters' select, written in Python, is Django's Select but for attribute order."""

import pytest
from django import forms
from django.test.html import parse_html

from registry.staff.forms import StaffSearchForm, search_form_data
from registry.staff.widgets import ManyOptionsSelect

CHOICES = [
    ("", "Any"),
    ("a&b", 'Tom & "Jerry" <script>'),
    ("Group <1>", [("1.1", "One.one"), ("1.2", "One.two")]),
    (3, "Three"),
    ("1.1", "One.one again"),
]


def _both(value, attrs=None):
    ours = ManyOptionsSelect(choices=CHOICES, attrs={"class": "form-select"})
    django = forms.Select(choices=CHOICES, attrs={"class": "form-select"})
    return (
        parse_html(ours.render("field", value, attrs)),
        parse_html(django.render("field", value, attrs)),
    )


@pytest.mark.parametrize("value", [None, "", "a&b", "1.2", 3, "3", "1.1", "missing"])
def test_it_writes_what_djangos_select_writes(value):
    ours, django = _both(value, attrs={"id": "id_field", "required": True, "disabled": False})
    assert ours == django


def test_only_the_first_option_with_the_value_is_selected():
    html = ManyOptionsSelect(choices=CHOICES).render("field", "1.1")
    assert html.count(" selected") == 1
    assert '<option value="1.1" selected>One.one</option>' in html


def test_labels_and_values_are_escaped():
    html = ManyOptionsSelect(choices=CHOICES).render("field", "a&b")
    assert 'value="a&amp;b" selected>Tom &amp; &quot;Jerry&quot; &lt;script&gt;</option>' in html
    assert '<optgroup label="Group &lt;1&gt;">' in html
    assert "<script>" not in html


@pytest.mark.django_db
def test_the_search_forms_filters_render_as_with_djangos_select():
    form = StaffSearchForm(search_form_data({"country": "DE", "subfield": "3.2", "sdg": "4"}))
    assert form.is_valid(), form.errors
    for name in ("country", "subfield", "sdg", "status", "field"):
        field = form[name]
        stock = forms.Select(choices=form.fields[name].choices)
        attrs = field.build_widget_attrs({"id": field.auto_id})
        assert parse_html(str(field)) == parse_html(
            stock.render(field.html_name, field.value(), attrs)
        ), name
