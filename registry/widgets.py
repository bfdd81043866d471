"""Form widgets that write their HTML in Python.

Django renders every <option> of a Select through its own template include:
for the staff search's filters (250 countries, 42 subfields in groups, the
clusters, goals and engagement types) that was most of the page's time. These
widgets write the same markup as Django's templates, escaped by format_html.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class PlainSelect(forms.Select):
    """A Select with the markup of Django's select.html, written in Python."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            items = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (option["value"], flatatt(option["attrs"]), option["label"])
                    for option in options
                ),
            )
            if group_name:
                parts.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, items))
            else:
                parts.append(items)
        parts.append("</select>")
        return mark_safe("".join(parts))  # every part is escaped above
