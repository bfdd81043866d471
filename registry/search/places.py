"""Free text that names a place: the country of residence by name, and the city.

"Germany", "Deutschland" or "physicist Germany" find members residing in
Germany even when their text does not say so; "Lahore" finds members whose
city is Lahore. A conjunction of search terms is read several ways: all terms
as text (the plain search), or one run of terms as a country, and/or one run
as the city, with the other terms as text. The backends OR these readings
together, so a place only ever adds matches to the plain search.

Country names are django-countries' English names plus a small table of the
names people commonly type instead; cities are compared with the stored city
whole, case aside (accents must match what the member wrote).
"""

from dataclasses import dataclass
from functools import cache

from django.db.models import Q
from django.utils import translation
from django_countries import countries

from registry.search.parser import ParsedSearch, Term, parse_search_text

# Only conjunctions of up to this many terms are read as places: the SQL
# grows with the number of readings.
MAX_PLACE_TERMS = 4
# A run of separate words read as a city has at most this many words
# ("new york", "rio de janeiro" needs quotes).
MAX_CITY_WORDS = 2
# At most this many words in a country's name or alias.
MAX_COUNTRY_WORDS = 4

# Names commonly typed for a country, besides django-countries' English name.
COUNTRY_ALIASES = {
    "usa": "US",
    "us": "US",
    "u s a": "US",
    "america": "US",
    "united states": "US",
    "uk": "GB",
    "u k": "GB",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "deutschland": "DE",
    "holland": "NL",
    "netherlands": "NL",
    "the netherlands": "NL",
    "nederland": "NL",
    "uae": "AE",
    "emirates": "AE",
    "dubai": "AE",
    "russia": "RU",
    "south korea": "KR",
    "korea": "KR",
    "north korea": "KP",
    "iran": "IR",
    "syria": "SY",
    "turkey": "TR",
    "turkiye": "TR",
    "vietnam": "VN",
    "laos": "LA",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "czech republic": "CZ",
    "czechia": "CZ",
    "ivory coast": "CI",
    "schweiz": "CH",
    "suisse": "CH",
    "svizzera": "CH",
    "osterreich": "AT",
    "espana": "ES",
    "italia": "IT",
    "brasil": "BR",
    "ksa": "SA",
    "saudi": "SA",
    "palestine": "PS",
    "taiwan": "TW",
    "hong kong": "HK",
    "macau": "MO",
    "brunei": "BN",
}


@dataclass(frozen=True)
class PlaceReading:
    """One way to read a conjunction: `rest` as text, plus a country and/or a city."""

    rest: tuple[Term, ...]
    countries: tuple[str, ...] = ()
    city: str = ""


def _words(text: str) -> tuple[str, ...]:
    # The words the parser makes of a name, folded the same way.
    return tuple(word for terms in parse_search_text(text) for term in terms for word in term.words)


@cache
def country_index() -> dict[tuple[str, ...], frozenset[str]]:
    """Folded words of every country name and alias -> ISO codes (static data)."""
    index: dict[tuple[str, ...], set[str]] = {}
    with translation.override("en"):
        named = [(str(name), code) for code, name in countries]
    for name, code in [*named, *((alias, code) for alias, code in COUNTRY_ALIASES.items())]:
        words = _words(name)
        if words and len(words) <= MAX_COUNTRY_WORDS:
            index.setdefault(words, set()).add(code)
    return {words: frozenset(codes) for words, codes in index.items()}


def _spans(terms: tuple[Term, ...]) -> list[tuple[int, int, tuple[str, ...]]]:
    # Runs terms[i:j] of terms that are not exclusions, with their words.
    spans = []
    for start in range(len(terms)):
        words: tuple[str, ...] = ()
        for end in range(start, len(terms)):
            if terms[end].negated:
                break
            words += terms[end].words
            if len(words) > MAX_COUNTRY_WORDS:
                break
            spans.append((start, end + 1, words))
    return spans


def place_readings(terms: tuple[Term, ...]) -> list[PlaceReading]:
    """Every reading of a conjunction with a country, a city or both (none: no place)."""
    if not terms or len(terms) > MAX_PLACE_TERMS:
        return []
    index = country_index()
    spans = _spans(terms)
    country_spans = [(i, j, tuple(sorted(index[w]))) for i, j, w in spans if w in index]
    city_spans = [
        (i, j, " ".join(w))
        for i, j, w in spans
        if len(w) <= MAX_CITY_WORDS or (j - i == 1 and terms[i].is_phrase)
    ]
    readings = []
    for country in [None, *country_spans]:
        for city in [None, *city_spans]:
            if country is None and city is None:
                continue
            used = set()
            for span in (country, city):
                if span is not None:
                    used |= set(range(span[0], span[1]))
            if country and city and len(used) < (country[1] - country[0]) + (city[1] - city[0]):
                continue  # the two runs overlap
            rest = tuple(term for position, term in enumerate(terms) if position not in used)
            readings.append(
                PlaceReading(
                    rest=rest,
                    countries=country[2] if country else (),
                    city=city[2] if city else "",
                )
            )
    return readings


def parsed_place_readings(parsed: ParsedSearch) -> list[PlaceReading]:
    """The place readings of every alternative (OR) of a parsed search."""
    return [reading for terms in parsed for reading in place_readings(terms)]


def websearch_text(terms: tuple[Term, ...]) -> str:
    """The terms written back in web-search syntax, each quoted (so "or" stays a word)."""
    return " ".join(f'{"-" if term.negated else ""}"{term.text}"' for term in terms)


def place_condition(reading: PlaceReading) -> Q:
    """The members residing in the reading's country and/or city (the same on every database)."""
    condition = Q()
    if reading.countries:
        condition &= Q(country__in=reading.countries)
    if reading.city:
        # UPPER(city) = UPPER(text), through the member_city_upper_idx index.
        condition &= Q(city__iexact=reading.city)
    return condition
