"""Template helpers for the survey."""

from django import template

register = template.Library()


@register.filter
def any_selected(options) -> bool:
    """True when one of a choice group's options is selected (open its group)."""
    return any(option.get("selected") for option in options)
