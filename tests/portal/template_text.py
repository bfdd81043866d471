"""Finds text in the portal's templates that is not marked for translation.

A template is read with Django's own lexer: translation tags, variables and
comments are taken out (what {% blocktranslate %} encloses is marked), and
what is left is parsed as HTML (plain text for e-mail .txt templates). Any
word left in a text node, or in an attribute people read (alt, title,
aria-label, placeholder), is text nobody can translate.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

# Names and codes that read the same in every language.
UNTRANSLATED_WORDS = frozenset({"DORIN", "ORCID", "CSV", "SDG", "SDGs", "JSON", "OECD", "iD"})
READ_ATTRIBUTES = frozenset({"alt", "title", "aria-label", "placeholder", "aria-description"})
# Blocks that hold class names, not text.
NON_TEXT_BLOCKS = frozenset({"bodyclass"})
MARKER = "\x00"
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_LITERAL_IN_VARIABLE = re.compile(r"""(?:default|default_if_none|yesno):\s*["']([^"']*)["']""")


def _unmarked_words(text: str) -> list[str]:
    return [word for word in _WORD.findall(text) if word not in UNTRANSLATED_WORDS]


class _TextFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value and _unmarked_words(value):
                self.found.append(f'{name}="{value}"')

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and _unmarked_words(data):
            self.found.append(" ".join(data.split()))


def _template_text(source: str) -> tuple[str, list[str]]:
    """The template with every tag and variable replaced by MARKER; literal
    strings found in variables' filters."""
    parts: list[str] = []
    literals: list[str] = []
    depth = {"blocktranslate": 0, "comment": 0, "non_text": 0}
    for token in Lexer(source).tokenize():
        contents = token.contents.strip()
        name = contents.split(" ", 1)[0] if token.token_type == TokenType.BLOCK else ""
        if name in ("blocktranslate", "blocktrans"):
            depth["blocktranslate"] += 1
        elif name in ("endblocktranslate", "endblocktrans"):
            depth["blocktranslate"] -= 1
        elif name == "comment":
            depth["comment"] += 1
        elif name == "endcomment":
            depth["comment"] -= 1
        elif name == "block" and set(contents.split()[1:2]) & NON_TEXT_BLOCKS:
            depth["non_text"] += 1
        elif name == "endblock" and depth["non_text"]:
            depth["non_text"] -= 1
        if token.token_type == TokenType.TEXT and not any(depth.values()):
            parts.append(token.contents)
        else:
            parts.append(MARKER)
            if token.token_type == TokenType.VAR:
                literals += [
                    m for m in _LITERAL_IN_VARIABLE.findall(contents) if _unmarked_words(m)
                ]
    return "".join(parts), literals


def unmarked_text(path: Path) -> list[str]:
    """The pieces of text in a template that are not marked for translation."""
    text, found = _template_text(path.read_text(encoding="utf-8"))
    text = text.replace(MARKER, " ")
    if path.suffix == ".txt":
        return found + [line.strip() for line in text.splitlines() if _unmarked_words(line)]
    finder = _TextFinder()
    finder.feed(text)
    finder.close()
    return found + finder.found
