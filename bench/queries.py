"""The fixed query mix of the search benchmark, by class.

Terms come from the demo data (registry.demo): its vocabulary is small, so
single words match thousands of members at 10^6. Every query belongs to a
class, and every class to one of two groups, whose p50/p95 the report gives
and whose p95 has a target:

* selective: what matches few members, at most about 2% of them (names,
  rare combinations, phrases, typos, Urdu and Arabic script, narrow filters,
  one- and two-letter terms, which the full-text search matches as whole
  words: nearly nothing);
* common: what matches a large share of the registry (frequent words, the
  most common surname, each broad filter alone, every pair of the most used
  filters with their most used values, the empty search).

The harness also reads the number of matches from each page (the report's
"matches" column), so the classification can be checked against the data.
Parameter names are those of the staff search form
(registry.staff.forms.FILTER_NAMES); values are the taxonomy's stable codes.

Targets at 10^6 members (issue 19): p95 <= 100 ms selective, <= 400 ms common,
at headquarters and as a Mission analyst.
"""

SELECTIVE_CLASSES = ("rare", "phrase", "name", "non_latin", "typo", "filters", "short")
COMMON_CLASSES = ("common", "filter_alone", "filter_pair")
# The share of the members above which a query is common: the report lists
# the queries whose measured number of matches contradicts their group.
SELECTIVE_MAX_SHARE = 0.02
# p95 targets per group at 10^6 members (issue 19).
TARGETS_MS = {"selective": 100, "common": 400}

# Every pair of the filters most used by staff (country, broad field, main
# subfield, career stage, sector, status), each with one of its most used
# values in the demo data, so every pair is a broad search. The subfield is
# always one of the field's own when both are set.
FILTER_PAIRS: list[dict[str, str]] = [
    {"country": "US", "field": "1"},
    {"country": "GB", "subfield": "3.2"},
    {"country": "US", "stage": "r3"},
    {"country": "GB", "sector": "academia"},
    {"country": "US", "status": "verified"},
    {"field": "1", "subfield": "1.2"},
    {"field": "2", "stage": "r2"},
    {"field": "3", "sector": "government"},
    {"field": "1", "status": "all"},
    {"subfield": "2.2", "stage": "practitioner"},
    {"subfield": "1.2", "sector": "industry"},
    {"subfield": "3.2", "status": "verified"},
    {"stage": "r4", "sector": "academia"},
    {"stage": "r1", "status": "all"},
    {"sector": "industry", "status": "verified"},
]


SEARCH_MIX: list[tuple[str, dict[str, str]]] = [
    # Rare: a full name or a rare combination of words and filters.
    ("rare", {"q": "Søren Dvořák"}),
    ("rare", {"q": "Kwame Boateng"}),
    ("rare", {"q": "Zoë Núñez"}),
    ("rare", {"q": "Yuki Tanaka seismology"}),
    ("rare", {"q": "seismology", "country": "NO"}),
    ("rare", {"q": "Mughal architecture", "country": "CA"}),
    ("rare", {"q": "aquaculture Bekele"}),
    ("rare", {"q": "cryptography", "sector": "government"}),
    ("rare", {"q": "plasma physics", "stage": "r1", "country": "AT"}),
    # Phrases: quoted, ranked by the full-text search.
    ("phrase", {"q": '"medical physics"'}),
    ("phrase", {"q": '"Urdu literature"'}),
    ("phrase", {"q": '"accelerator physics"'}),
    ("phrase", {"q": '"nuclear medicine" Qureshi'}),
    ("phrase", {"q": '"food security" -student'}),
    ("phrase", {"q": '"Islamic philosophy" OR "cultural heritage"'}),
    # Surnames and given names, with and without accents.
    ("name", {"q": "Dlamini"}),
    ("name", {"q": "Lefèvre"}),
    ("name", {"q": "lefevre"}),
    ("name", {"q": "Søndergaard"}),
    ("name", {"q": "Okafor"}),
    ("name", {"q": "Mirza"}),
    ("name", {"q": "Hiroshi"}),
    ("name", {"q": "Élodie Rossi"}),
    ("name", {"q": "Mahnoor Gillani"}),
    # Urdu and Arabic script: names, and Urdu words ("طب", medicine).
    ("non_latin", {"q": "قریشی"}),
    ("non_latin", {"q": "عائشہ"}),
    ("non_latin", {"q": "عائشہ خان"}),
    ("non_latin", {"q": "منصور"}),
    ("non_latin", {"q": "يوسف"}),
    ("non_latin", {"q": "صدیقی", "country": "GB"}),
    ("non_latin", {"q": "احمد"}),
    ("non_latin", {"q": "طب"}),
    ("non_latin", {"q": "فاطمہ ملک"}),
    ("non_latin", {"q": "طبیعیات"}),
    ("non_latin", {"q": "خان"}),
    # Typos: fuzzy name matching has to catch them (or they find nothing, fast).
    ("typo", {"q": "Quereshi"}),
    ("typo", {"q": "Siddiqi"}),
    ("typo", {"q": "Dlamni"}),
    ("typo", {"q": "Sondergard"}),
    ("typo", {"q": "oncolgy"}),
    ("typo", {"q": "seismolgy"}),
    # Narrow filters, no text; the narrow filters alone (the least popular
    # subfield, stale members, a small country).
    ("filters", {"country": "NO", "sector": "government"}),
    ("filters", {"subfield": "6.5"}),
    ("filters", {"freshness": "stale"}),
    ("filters", {"country": "KW"}),
    ("filters", {"sdg": "14", "country": "NZ"}),
    ("filters", {"cluster": "space-remote-sensing", "country": "IE"}),
    ("filters", {"qualification": "md", "country": "KW"}),
    ("filters", {"stage": "r4", "field": "4", "country": "CH"}),
    ("filters", {"engagement": "lectures", "subfield": "3.5", "country": "SE"}),
    # Common: frequent terms, places by name, the empty search.
    ("common", {}),
    ("common", {"q": "machine learning"}),
    ("common", {"q": "Khan"}),
    ("common", {"q": "professor"}),
    ("common", {"q": "university"}),
    ("common", {"q": "data"}),
    ("common", {"q": "research"}),
    ("common", {"q": "engineer"}),
    ("common", {"q": "health OR energy"}),
    ("common", {"q": "engineer -student"}),
    ("common", {"q": "London"}),
    ("common", {"q": "Germany"}),
    # Every filter of the form alone, with a broad value.
    ("filter_alone", {"field": "1"}),
    ("filter_alone", {"subfield": "1.2"}),
    ("filter_alone", {"cluster": "ai-data-science"}),
    ("filter_alone", {"country": "US"}),
    ("filter_alone", {"sector": "academia"}),
    ("filter_alone", {"engagement": "joint-research"}),
    ("filter_alone", {"sdg": "4"}),
    ("filter_alone", {"qualification": "phd"}),
    ("filter_alone", {"stage": "r2"}),
    ("filter_alone", {"status": "verified"}),
    ("filter_alone", {"status": "all"}),
    ("filter_alone", {"freshness": "fresh"}),
    # Every pair of the most used filters (15 pairs).
    *(("filter_pair", pair) for pair in FILTER_PAIRS),
    # One- and two-letter terms, in Latin and Arabic script.
    ("short", {"q": "a"}),
    ("short", {"q": "k"}),
    ("short", {"q": "x"}),
    ("short", {"q": "ai"}),
    ("short", {"q": "ml"}),
    ("short", {"q": "li"}),
    ("short", {"q": "al"}),
    ("short", {"q": "ن"}),
    ("short", {"q": "خا"}),
]


def group_of(cls: str) -> str:
    return "selective" if cls in SELECTIVE_CLASSES else "common"


def mission_search_mix(countries: list[str]) -> list[tuple[str, dict[str, str]]]:
    """The same mix for an analyst of a Mission covering `countries`.

    A country outside the Mission is not offered to its staff (the form
    refuses it, a page with no results), so each country filter is moved to
    one of the Mission's countries, in turn; everything else is unchanged.
    """
    mix, turn = [], 0
    for cls, params in SEARCH_MIX:
        if "country" in params and params["country"] not in countries:
            params = {**params, "country": countries[turn % len(countries)]}
            turn += 1
        mix.append((cls, params))
    return mix
