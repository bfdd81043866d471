"""Text of one direction inside a sentence of the other (a name in Latin script
in an Urdu e-mail, an Urdu name or an address in an English one).

Without isolation the Unicode bidirectional algorithm lets the embedded text
reorder its neighbours: punctuation jumps sides, an address reads backwards.
Text that starts in the direction of the language around it needs nothing,
and is left as it is.
"""

import unicodedata

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language_bidi

register = template.Library()

# U+2068 FIRST STRONG ISOLATE ... U+2069 POP DIRECTIONAL ISOLATE.
_ISOLATE = "\u2068{}\u2069"
_RIGHT_TO_LEFT = {"R", "AL"}


def _reads_against_the_page(text: str) -> bool:
    """Whether the text's first strong character runs against the active language."""
    for character in text:
        direction = unicodedata.bidirectional(character)
        if direction == "L":
            return get_language_bidi()
        if direction in _RIGHT_TO_LEFT:
            return not get_language_bidi()
    return False


@register.filter
def bdi(value):
    """The value, escaped; in a <bdi> element when it runs against the page: for HTML."""
    if value in (None, ""):
        return ""
    if not _reads_against_the_page(str(value)):
        return value
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def isolate(value):
    """The value, between Unicode isolate marks when it runs against the text around it.

    For plain text, such as an e-mail's.
    """
    if value in (None, ""):
        return ""
    if not _reads_against_the_page(str(value)):
        return value
    return _ISOLATE.format(value)
