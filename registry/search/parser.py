"""The web-search syntax of the staff search, parsed the same on every database.

The text is folded (case and accents) by registry.text.fold, like the stored
search document.
"""

import unicodedata
from dataclasses import dataclass

from registry.text import fold

# Longer text is cut: nobody types more, and it bounds the work per query.
MAX_QUERY_LENGTH = 200
# At most this many words and phrases reach the portable backend's SQL.
MAX_TERMS = 16
# Fuzzy name matching only for short plain queries that look like a name.
FUZZY_MIN_LENGTH = 4
FUZZY_MAX_WORDS = 3
# ... and only when full-text search finds fewer members than this.
FUZZY_FALLBACK_BELOW = 10


@dataclass(frozen=True)
class Term:
    """A word or phrase of a search, folded; `negated` for -exclusions."""

    words: tuple[str, ...]
    negated: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


# A parsed search: alternatives (OR) of conjunctions (AND) of terms, the same
# precedence as websearch_to_tsquery ("a b OR c" is "(a AND b) OR c").
ParsedSearch = tuple[tuple[Term, ...], ...]


def _is_word_char(ch: str) -> bool:
    # Letters, digits and combining marks (Urdu and Arabic keep theirs).
    return unicodedata.category(ch)[0] in "LNM"


def _words(chunk: str) -> list[str]:
    words, current = [], []
    for ch in chunk:
        if _is_word_char(ch):
            current.append(ch)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def parse_search_text(text: str) -> ParsedSearch:
    """Parse web-search syntax; never fails, whatever the input.

    "quoted words" are a phrase (an unclosed quote runs to the end), OR between
    terms is an alternative, a leading - excludes a word or phrase, every other
    punctuation separates words. Words are folded like the search document.
    An input with no word at all gives an empty tuple.
    """
    folded = fold(text[:MAX_QUERY_LENGTH])
    alternatives: list[list[Term]] = [[]]
    pos, length, count = 0, len(folded), 0
    while pos < length and count < MAX_TERMS:
        ch = folded[pos]
        if ch.isspace():
            pos += 1
            continue
        negated = ch == "-"
        if negated:
            pos += 1
            if pos >= length or folded[pos].isspace():
                continue
        if folded[pos] == '"':
            end = folded.find('"', pos + 1)
            end = length if end == -1 else end
            words = _words(folded[pos + 1 : end])
            pos = end + 1
            if words:
                alternatives[-1].append(Term(tuple(words), negated))
                count += 1
            continue
        end = pos
        while end < length and not folded[end].isspace() and folded[end] != '"':
            end += 1
        chunk, pos = folded[pos:end], end
        if chunk == "or" and not negated:
            if alternatives[-1]:
                alternatives.append([])
            continue
        # "covid-19" or "al-hassan": every part must be there, like the
        # separate words PostgreSQL's parser makes of them.
        for word in _words(chunk):
            alternatives[-1].append(Term((word,), negated))
            count += 1
    return tuple(tuple(terms) for terms in alternatives if terms)


def fuzzy_name(parsed: ParsedSearch) -> str:
    """The folded name to match fuzzily, or "" when the query is not name-like."""
    if len(parsed) != 1:
        return ""
    terms = parsed[0]
    if len(terms) > FUZZY_MAX_WORDS or any(t.negated or t.is_phrase for t in terms):
        return ""
    name = " ".join(t.text for t in terms)
    return name if len(name) >= FUZZY_MIN_LENGTH else ""
