"""The fixed query mix of the search benchmark, by class.

Terms come from the demo data (registry.demo): its vocabulary is
small, so single words match thousands of members at 10^6; "selective"
queries are the ones a person types to find specialists (names, rare
combinations, phrases, typos, Urdu and Arabic script, narrow filters), and
"common" ones match a large share of the registry (frequent keywords, the
most common surname, job words, broad filters, the empty search). Parameter
names are those of the staff search form (registry.staff.forms.FILTER_NAMES).

Targets at 10^6 members: p95 <= 100 ms for every selective class together,
<= 400 ms for the common class.
"""

SELECTIVE_CLASSES = ("rare", "phrase", "name", "non_latin", "typo", "filters")
COMMON_CLASSES = ("common",)

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
    # Phrases: quoted, ranked by the full-text search.
    ("phrase", {"q": '"medical physics"'}),
    ("phrase", {"q": '"Urdu literature"'}),
    ("phrase", {"q": '"accelerator physics"'}),
    ("phrase", {"q": '"nuclear medicine" Qureshi'}),
    ("phrase", {"q": '"food security" -student'}),
    ("phrase", {"q": '"Islamic philosophy" OR "cultural heritage"'}),
    # Surnames, with and without accents.
    ("name", {"q": "Dlamini"}),
    ("name", {"q": "Lefèvre"}),
    ("name", {"q": "lefevre"}),
    ("name", {"q": "Søndergaard"}),
    ("name", {"q": "Okafor"}),
    ("name", {"q": "Mirza"}),
    ("name", {"q": "Hiroshi"}),
    ("name", {"q": "Élodie Rossi"}),
    # Urdu and Arabic script.
    ("non_latin", {"q": "قریشی"}),
    ("non_latin", {"q": "عائشہ"}),
    ("non_latin", {"q": "عائشہ خان"}),
    ("non_latin", {"q": "منصور"}),
    ("non_latin", {"q": "يوسف"}),
    ("non_latin", {"q": "صدیقی", "country": "GB"}),
    # Typos: fuzzy name matching has to catch them (or they find nothing, fast).
    ("typo", {"q": "Quereshi"}),
    ("typo", {"q": "Siddiqi"}),
    ("typo", {"q": "Dlamni"}),
    ("typo", {"q": "Sondergard"}),
    ("typo", {"q": "oncolgy"}),
    ("typo", {"q": "seismolgy"}),
    # Narrow filters, no text.
    ("filters", {"country": "NO", "sector": "government"}),
    ("filters", {"subfield": "6.5"}),
    ("filters", {"sdg": "14", "country": "NZ"}),
    ("filters", {"cluster": "space-remote-sensing", "country": "IE"}),
    ("filters", {"qualification": "md", "country": "KW"}),
    ("filters", {"stage": "r4", "field": "4", "country": "CH"}),
    ("filters", {"engagement": "lectures", "subfield": "3.5", "country": "SE"}),
    # Common: frequent terms and broad filters.
    ("common", {}),
    ("common", {"q": "machine learning"}),
    ("common", {"q": "Khan"}),
    ("common", {"q": "professor"}),
    ("common", {"q": "university"}),
    ("common", {"q": "data"}),
    ("common", {"q": "health OR energy"}),
    ("common", {"q": "engineer -student"}),
    ("common", {"field": "1"}),
    ("common", {"country": "US"}),
    ("common", {"sector": "academia"}),
    ("common", {"status": "all"}),
    ("common", {"cluster": "ai-data-science"}),
]


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
