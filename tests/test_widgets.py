"""PlainSelect writes the same markup as Django's template-rendered Select."""

import pytest
from django import forms
from django.test.html import parse_html

from registry.staff_forms import StaffSearchForm, search_form_data
from registry.widgets import PlainSelect

CHOICES = [
    ("", "Any"),
    ("a&b", 'Label with <script>alert("x")</script> & "quotes"'),
    ("Group <1>", [("1.1", "1.1 Mathematics"), ("1.2", "1.2 Computer & information")]),
    (3, "ﺍﺭﺩﻭ عائشہ"),
]


@pytest.mark.parametrize("value", [None, "", "a&b", "1.2", "3", "missing"])
@pytest.mark.parametrize("attrs", [None, {"class": "form-select", "id": "id_x", "disabled": True}])
def test_plain_select_writes_what_django_select_writes(value, attrs):
    ours = PlainSelect(choices=CHOICES).render("x", value, attrs=attrs)
    django = forms.Select(choices=CHOICES).render("x", value, attrs=attrs)
    assert parse_html(ours) == parse_html(django)
    assert "<script>" not in ours and "&lt;script&gt;" in ours


def test_plain_select_marks_the_selected_option_only():
    html = PlainSelect(choices=CHOICES).render("x", "1.2")
    assert html.count("selected") == 1
    assert '<option value="1.2" selected>1.2 Computer &amp; information</option>' in html


@pytest.mark.django_db
def test_every_filter_of_the_staff_search_renders_in_python():
    form = StaffSearchForm(search_form_data({"country": "PK", "subfield": "1.2"}))
    selects = [f for f in form.fields.values() if isinstance(f, forms.ChoiceField)]
    assert selects and all(isinstance(f.widget, PlainSelect) for f in selects)
    html = str(form["country"])
    assert '<option value="PK" selected>Pakistan</option>' in html
    assert '<optgroup label="1 Natural sciences">' in str(form["subfield"])
