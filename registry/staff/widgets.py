"""A select for filters with hundreds of options, written without a template per option."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


class ManyOptionsSelect(forms.Select):
    """Django's Select, its HTML written here in Python rather than by its templates.

    The staff search's filters (shared with the dashboard) offer hundreds of
    options: every country, every subfield. Django's templates, one include
    per option and then one loop over them in a template of ours, made the
    filter panel most of an empty search page's time (BENCHMARKS.md, bench/notes.md):
    about 4 ms for the country list alone on the bench machine. The output
    is the same HTML as Django's Select but for the order of the select's
    attributes after its name, which a test compares.
    """

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        selected = set(self.format_value(value))
        parts = [f'<select name="{conditional_escape(name)}"{flatatt(attrs)}>']
        found = False
        for group_value, group_label in self.choices:
            if isinstance(group_label, list | tuple):
                parts.append(f'\n  <optgroup label="{conditional_escape(group_value)}">')
                options = group_label
            else:
                options = [(group_value, group_label)]
            for option_value, option_label in options:
                text = "" if option_value is None else str(option_value)
                is_selected = not found and text in selected
                found = found or is_selected
                value_attr = conditional_escape(text)
                label = conditional_escape(option_label)
                mark = " selected" if is_selected else ""
                parts.append(f'\n  <option value="{value_attr}"{mark}>{label}</option>')
            if options is group_label:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))
