"""The demo generator's look-up tables, built once from the vocabularies.

Everything a member's draw depends on is worked out here (titles with their
discipline filled in, the employers that fit a country, sector and domain,
folded forms), so that drawing a member is a few dozen random numbers and
look-ups, with no formatting or folding of its own.
"""

import re
from itertools import combinations

from django_countries import countries

from registry.demo.careers import (
    CLINICIAN_TITLES,
    SECTOR_WEIGHTS,
    SPECIALISTS,
    STAGE_WEIGHTS,
    TITLES,
)
from registry.demo.draws import Relation, Weighted, zipf_weights
from registry.demo.names import (
    COUNTRIES,
    FIRST_NAMES,
    GENDER_WEIGHTS,
    HOME_CITIES,
    HOME_COUNTRY,
    LAST_NAMES,
    REGION_WEIGHTS,
    REGIONS_AT_HOME,
    STUDY_ABROAD,
)
from registry.demo.organisations import GENERIC, ORGANISATIONS
from registry.demo.vocabulary import (
    NEIGHBOURS,
    STATUS_WEIGHTS_OLDER,
    STATUS_WEIGHTS_RECENT,
    SUBFIELD_POPULARITY,
    SUBFIELDS,
)
from registry.models import EngagementType, InternationalProject, Sdg, Subfield
from registry.text import fold

_SLUG = re.compile(r"[^a-z0-9]+")
# Characters with a meaning in COPY's text format; no vocabulary string holds
# one, so generated values go into COPY as they are.
_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")

# Sector -> the kind of organisation it employs at.
SECTOR_KINDS = {
    "academia": "uni",
    "student": "uni",
    "research": "inst",
    "industry": "co",
    "government": "gov",
    "international": "intl",
    "nonprofit": "ngo",
}
# The pseudo-domain of a hospital clinician's employers.
HOSPITAL = "hospital"
# Own firms: a name and the kind of business by domain.
FIRM_NAMES = ["Indus", "Margalla", "Crescent", "Karakoram", "Chenab", "Ravi", "Saltoro"]
FIRM_KINDS = {
    "tech": "Analytics",
    "finance": "Advisory",
    "energy": "Energy Solutions",
    "pharma": "Biosciences",
    "agri": "AgriTech",
    "health": "Health",
    "eng": "Engineering",
    "env": "Environmental Consulting",
    "social": "Research Associates",
    "law": "Legal Consultants",
    "media": "Media",
    "culture": "Heritage Studio",
    "science": "Scientific",
}
LEGAL_FORMS = {"US": "Inc.", "GB": "Ltd", "DE": "GmbH", "AT": "GmbH", "CH": "AG", "FR": "SAS"}


def parse(entries: str) -> list[tuple[str, str, str]]:
    """ "domain=Name@City;..." -> [(domain, name, city)] (domain "" and city "" when absent)."""
    out = []
    for entry in entries.split(";"):
        domain, _, rest = entry.rpartition("=") if "=" in entry.split("@")[0] else ("", "", entry)
        name, _, city = rest.partition("@")
        out.append((domain.strip(), name.strip(), city.strip()))
    return out


def employer(name: str, city: str) -> tuple[str, str, str, str]:
    """(name, folded name, organisation key, city)."""
    folded = fold(name)
    return (name, folded, folded[:200], city)


def country_cities() -> dict[str, list[str]]:
    cities = {code: list(names) for code, names, _ in COUNTRIES}
    cities[HOME_COUNTRY] = HOME_CITIES
    return cities


def _generic(kind: str, country: str, cities: list[str]) -> list[tuple[str, str, str]]:
    name = countries.name(country)
    return [
        (domain, text.format(city=city, country=name), city)
        for domain, text, _ in parse(GENERIC[kind])
        for city in (cities if "{city}" in text else cities[:1])
    ]


def employers_by_context(domains: set[str]) -> dict[tuple[str, str, str], list[tuple]]:
    """(country, sector, domain) -> the employers that fit, for every country of residence."""
    table = {}
    for country, cities in country_cities().items():
        known = ORGANISATIONS.get(country, {})
        for sector, kind in SECTOR_KINDS.items():
            entries = parse(known[kind]) if kind in known else []
            generic = _generic(kind, country, cities)
            for domain in domains:
                if kind == "uni":
                    found = entries or generic
                else:
                    found = [e for e in entries if e[0] == domain]
                    found = found or [e for e in generic if e[0] == domain]
                    found = found or [e for e in generic if e[0] == "science"]
                table[country, sector, domain] = [employer(n, c) for _, n, c in found]
        # Where clinicians work: public hospitals, and private ones ("health" companies).
        hospitals = parse(known["hosp"]) if "hosp" in known else _generic("hosp", country, cities)
        table[country, "government", HOSPITAL] = [employer(n, c) for _, n, c in hospitals]
        table[country, "industry", HOSPITAL] = table[country, "industry", "health"]
        legal = LEGAL_FORMS.get(country, "Ltd")
        for domain in domains:
            table[country, "entrepreneur", domain] = [
                employer(f"{firm} {FIRM_KINDS[domain]} {legal}", cities[0]) for firm in FIRM_NAMES
            ]
    return table


def schools_by_country() -> dict[str, dict[str, list[str]]]:
    """Country -> {"uni": [...], "med": [...], "agri": [...]}: where members studied."""
    out = {}
    for country, cities in country_cities().items():
        known = ORGANISATIONS.get(country, {})
        unis = [n for _, n, _ in parse(known["uni"])] if "uni" in known else None
        unis = unis or [n for _, n, _ in _generic("uni", country, cities)]
        out[country] = {
            "uni": unis,
            "med": [n for _, n, _ in parse(known["med"])] if "med" in known else unis,
            "agri": [n for _, n, _ in parse(known["agri"])] if "agri" in known else unis,
        }
    return out


def titles_by_context(code: str) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(sector, stage) -> [(title, folded title)] for a member of subfield `code`."""
    discipline, professions, _, _ = SUBFIELDS[code]
    out = {}
    for key, templates in TITLES.items():
        titles = []
        for template in templates:
            for profession in professions if "{profession}" in template else [""]:
                title = template.format(discipline=discipline, profession=profession)
                titles.append(title[0].upper() + title[1:])
        out[key] = [(t, fold(t)) for t in dict.fromkeys(titles)]
    return out


def clinician_titles() -> dict[str, list[tuple[str, str]]]:
    """Specialty keyword -> [(title, folded title)] of a hospital clinician."""
    return {
        specialty: [
            (t, fold(t))
            for t in (
                template.format(specialist=specialist, specialty=specialty)
                for template in CLINICIAN_TITLES
            )
        ]
        for specialty, specialist in SPECIALISTS.items()
    }


class NamePool:
    """Every name of one or two given names and a family name, drawn by index.

    The i-th name is (display name, e-mail slug, folded name, name key), made
    on first use: the pool holds tens of thousands of names per region, as
    varied as a real register's, where one given name and a family name from
    short lists made three members in four share their name and employer with
    another and wait in the focal point's "suspected duplicates" queue.
    """

    def __init__(self, given: list[tuple[str, str]], family: list[tuple[str, str]]):
        self.given = given
        self.family = family
        forenames = len(given) + len(given) * (len(given) - 1)
        self._size = forenames * len(family)
        self._made: dict[int, tuple[str, str, str, str]] = {}

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, index: int) -> tuple[str, str, str, str]:
        if not 0 <= index < self._size:
            raise IndexError(index)
        if (name := self._made.get(index)) is None:
            name = self._made[index] = self._make(index)
        return name

    def _make(self, index: int) -> tuple[str, str, str, str]:
        forename, family = divmod(index, len(self.family))
        count = len(self.given)
        if forename < count:
            parts = [self.given[forename]]
        else:
            first, second = divmod(forename - count, count - 1)
            parts = [self.given[first], self.given[second + (second >= first)]]
        parts.append(self.family[family])
        full_name = " ".join(name for name, _ in parts)
        slug = _SLUG.sub(".", ".".join(ascii_name for _, ascii_name in parts)).strip(".")
        folded = fold(full_name)
        return (full_name, slug, folded, folded[:200])


class GeneratorTables:
    """The generator's tables; build_tables() fills them in once."""

    def build_tables(self, cluster_mask):
        self._build_subfields(cluster_mask)
        self._build_people()
        self.status_recent = self._weighted(STATUS_WEIGHTS_RECENT)
        self.status_older = self._weighted(STATUS_WEIGHTS_OLDER)
        self.sectors = {f: self._weighted(w.items()) for f, w in SECTOR_WEIGHTS.items()}
        self.stages = {s: self._weighted(w.items()) for s, w in STAGE_WEIGHTS.items()}
        domains = {d for s in SUBFIELDS.values() for d in s[2]}
        self.employers = employers_by_context(domains)
        self.schools = schools_by_country()
        self.clinicians = clinician_titles()
        # Every subset of the sizes drawn, so one draw picks a subset.
        self.engagements = self._subsets(
            EngagementType.objects.values_list("id", flat=True), (1, 2, 3)
        )
        self.sdgs = self._subsets(Sdg.objects.values_list("id", flat=True), (0, 1, 2, 3))
        self.projects = [
            Relation([i]) for i in InternationalProject.objects.values_list("id", flat=True)
        ]
        self._check_vocabulary()

    @staticmethod
    def _weighted(pairs) -> Weighted:
        pairs = list(pairs)
        return Weighted([str(k) for k, _ in pairs], [w for _, w in pairs])

    def _build_subfields(self, cluster_mask):
        subfields = {s.code: s for s in Subfield.objects.select_related("field")}
        codes = [code for code in SUBFIELD_POPULARITY if code in subfields]
        # (id, id text, name, folded name, field code, sort key, cluster mask)
        self.subfields = [
            (
                s.id,
                str(s.id),
                s.name,
                fold(s.name),
                s.field.code,
                (s.position, s.code),
                cluster_mask(subfield_ids={s.id}),
            )
            for s in (subfields[code] for code in codes)
        ]
        self.subfield_draw = Weighted(range(len(codes)), zipf_weights(len(codes), 1.1))
        # Per subfield: its vocabulary, drawn from by popularity.
        self.vocab = []
        for code in codes:
            discipline, _, domains, keywords = SUBFIELDS[code]
            pool = [(k, fold(k), cluster_mask(keywords=k)) for k in keywords]
            self.vocab.append(
                (
                    code,
                    discipline,
                    fold(discipline),
                    domains,
                    Weighted(pool, zipf_weights(len(pool))),
                    titles_by_context(code),
                )
            )
        # Per broad field: its subfields by popularity, for a member's other subfields.
        by_field: dict[str, list[int]] = {}
        for index, s in enumerate(self.subfields):
            by_field.setdefault(s[4], []).append(index)
        self.field_subfields = {
            field: Weighted(picks, zipf_weights(len(picks))) for field, picks in by_field.items()
        }
        index_of = {code: index for index, code in enumerate(codes)}
        self.neighbours = {
            field: Weighted([index_of[c] for c in picks if c in index_of], [1] * len(picks))
            for field, picks in NEIGHBOURS.items()
        }

    def _build_people(self):
        # Per (region, gender): the names of one or two given names and a
        # family name ("Ayesha Khan", "Ayesha Fatima Khan"); a blank gender
        # takes given names of either.
        self.names = {}
        genders = [g for g in GENDER_WEIGHTS if g]
        for region in REGION_WEIGHTS:
            for gender in ["", *genders]:
                given = [
                    (name, ascii_name)
                    for name, ascii_name, name_gender in FIRST_NAMES[region]
                    if gender not in ("female", "male") or name_gender in ("", gender)
                ]
                self.names[region, gender] = NamePool(given, LAST_NAMES[region])
        self.region_draw = Weighted(REGION_WEIGHTS, REGION_WEIGHTS.values())
        self.gender_draw = Weighted(GENDER_WEIGHTS, GENDER_WEIGHTS.values())
        self.country_draw = Weighted([code for code, _, _ in COUNTRIES], [w for *_, w in COUNTRIES])
        self.abroad_draw = Weighted(STUDY_ABROAD, STUDY_ABROAD.values())

    @staticmethod
    def _subsets(ids, sizes):
        ids = sorted(ids)
        return {k: [Relation(c) for c in combinations(ids, k)] for k in sizes}

    def _check_vocabulary(self):
        texts = [n for names in FIRST_NAMES.values() for name in names for n in name[:2]]
        texts += [n for names in LAST_NAMES.values() for name in names for n in name]
        texts += [k for s in SUBFIELDS.values() for k in s[3]]
        texts += [e[0] + e[3] for names in self.employers.values() for e in names]
        texts += [t[0] for v in self.vocab for titles in v[5].values() for t in titles]
        texts += [n for s in self.schools.values() for names in s.values() for n in names]
        texts += REGIONS_AT_HOME + [s[2] for s in self.subfields]
        if bad := [t for t in texts if _COPY_SPECIAL.search(t)]:
            raise ValueError(f"Demo vocabulary needs COPY escaping: {bad}")
