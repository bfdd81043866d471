"""Hostile strings, and a parser that finds what markup a page really carries.

The strings are what a probe of a public government form sends: markup and
attribute breakouts, SQL, Django template syntax, control and invisible
characters, and real-world scripts (Urdu, Arabic, emoji, combining accents)
that must pass through untouched.
"""

import unicodedata
from html.parser import HTMLParser

# Markup a page must show as text, never run.
MARKUP = {
    "script_tag": '<script>alert("xss")</script>',
    "img_onerror": "<img src=x onerror=alert(1)>",
    "attribute_breakout": '" onfocus="alert(1)" autofocus="',
    "single_quote_breakout": "' onmouseover='alert(1)' x='",
    "closing_textarea": "</textarea><script>alert(1)</script>",
    "javascript_url": '<a href="javascript:alert(1)">me</a>',
    "svg_onload": "<svg/onload=alert(1)>",
}
# Text that is harmless when treated as text and must be stored as typed.
PLAIN_BUT_SUSPICIOUS = {
    "sql_quote": "O'Brien'; DROP TABLE registry_member; --",
    "sql_union": "x' UNION SELECT password FROM auth_user --",
    "sql_comment": "1/**/OR/**/1=1",
    "template_variable": "{{ settings.SECRET_KEY }}",
    "template_tag": "{% debug %}{% load static %}",
    "template_comment": "{# hidden #}{{ request.META }}",
    "percent_format": "%(email)s %s %d {0} {email}",
    "ampersand_entity": "R&amp;D &lt;lab&gt; &#60;",
}
# Scripts and characters that real members type.
INTERNATIONAL = {
    "urdu": "ڈاکٹر عائشہ خان",
    "arabic": "د. أمينة الخطيب",
    "emoji": "Amina 👩🏽‍🔬 🧪",
    "combining_accents": "Ame\u0301lie Lefe\u0300vre",
    "zero_width": "Am\u200bina\u200c Kh\u200dan",
    "rtl_override": "Amina \u202ereversed\u202c Khan",
    "rtl_mark": "\u200fخان\u200e Khan",
    "cjk": "山田 花子",
    "astral_math": "𝔸𝕞𝕚𝕟𝕒",
}
# Refused with a field error: control characters no one types.
CONTROL = {
    "nul": "Amina\x00Khan",
    "escape_sequence": "Amina\x1b[31mKhan",
    "bell": "Amina\x07Khan",
    "c1_control": "Amina\x85Khan",
}
# Values for a row id or page number that are none: never a server error.
ODD_NUMBERS = {
    "zero": "0",
    "negative": "-1",
    "beyond_bigint": str(2**64),
    # str.isdigit() says yes, int() says no.
    "superscript_digit": "²",
    # Beyond int()'s default limit on digits.
    "long_number": "9" * 5000,
}
ACCEPTED = {**MARKUP, **PLAIN_BUT_SUSPICIOUS, **INTERNATIONAL}
ALL = {**ACCEPTED, **CONTROL}

# Every free-text answer of the survey and its length limit.
SINGLE_LINE_TEXT_FIELDS = {
    "full_name": 200,
    "phone": 40,
    "city": 120,
    "home_region": 120,
    "qualification_subject": 200,
    "qualification_institution": 200,
    "job_title": 200,
    "organisation": 200,
    "keywords": 500,
}
MULTI_LINE_TEXT_FIELDS = {"summary": 2000, "home_collaborations": 2000}
TEXT_FIELDS = {**SINGLE_LINE_TEXT_FIELDS, **MULTI_LINE_TEXT_FIELDS}
# Answers with a format of their own; hostile text there is refused.
FORMATTED_FIELDS = ("email", "orcid", "scholar_url", "linkedin_url", "website_url")


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


def fits(value: str, limit: int) -> str:
    """The value, cut to the field's limit (after NFC, as the form counts)."""
    return nfc(value)[:limit].strip()


class MarkupAudit(HTMLParser):
    """What a page would run: script elements, event handlers, javascript: URLs.

    Also keeps the value of every form control and the text of every
    textarea, so a test can check that a hostile value stayed inside its
    attribute or element.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[str | None] = []
        self.event_handlers: list[tuple[str, str]] = []
        self.javascript_urls: list[str] = []
        self.tags: list[str] = []
        self.input_values: dict[str, list[str]] = {}
        self.textareas: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append(tag)
        if tag == "script":
            self.scripts.append(attributes.get("src"))
        for name, value in attrs:
            if name.startswith("on"):
                self.event_handlers.append((tag, name))
            if (value or "").strip().lower().startswith("javascript:"):
                self.javascript_urls.append(value)
        if tag == "input" and attributes.get("name"):
            self.input_values.setdefault(attributes["name"], []).append(
                attributes.get("value") or ""
            )
        if tag == "textarea":
            self._textarea = attributes.get("name", "")
            self.textareas[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            # Browsers drop the line break that follows <textarea>.
            self.textareas[self._textarea] = self.textareas[self._textarea].removeprefix("\n")
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self.textareas[self._textarea] += data


def audit(html: str) -> MarkupAudit:
    parser = MarkupAudit()
    parser.feed(html)
    parser.close()
    return parser


def assert_runs_nothing_new(html: str, baseline: str) -> None:
    """The page runs no more script than the same page with harmless answers."""
    page, clean = audit(html), audit(baseline)
    assert page.scripts == clean.scripts
    assert page.event_handlers == clean.event_handlers
    assert page.javascript_urls == clean.javascript_urls
    assert sorted(set(page.tags)) == sorted(set(clean.tags))
