"""Synthetic, deterministic demo members for demos, tests and benchmarks.

Names come from many regions (Urdu and Arabic script, accented Latin names),
fields, keywords and countries follow skewed (Zipf-like) popularity, statuses
are mixed, and some members have valid ORCID iDs. Every row satisfies the
model's constraints. The same seed on an empty database gives the same data.

Rows go in through registry.services.bulk (COPY on PostgreSQL), in batches,
with cluster membership computed by the same rules as for a single member, so
10^6 members take minutes, not hours.
"""

import queue
import random
import re
import threading
import time
from bisect import bisect
from collections.abc import Callable
from contextlib import nullcontext
from datetime import UTC, datetime, timedelta
from itertools import combinations

from django.db import connection, transaction
from django.db.models import Max

from registry.models import EngagementType, InternationalProject, Member, Sdg, Subfield
from registry.services.bulk import copy_text, indexes_rebuilt_after, insert_rows, reset_id_sequence
from registry.services.clusters import active_cluster_rules, cluster_ids_for
from registry.text import fold
from registry.validators import orcid_check_digit

DEMO_EPOCH = datetime(2023, 1, 1, tzinfo=UTC)
DEMO_PRIVACY_VERSION = "2026-11"

# (display name, ASCII form for the e-mail address)
FIRST_NAMES = {
    "south_asian": [
        (n, n.lower())
        for n in (
            "Ayesha Fatima Zainab Hina Sana Maryam Ali Ahmed Hassan Usman Bilal Imran Farhan "
            "Saad Nadia Kamran Asad Amna Rabia Tariq Omar Sadia Faisal Zara Hamza Mahnoor "
            "Adeel Sobia Junaid Iqra Waqar Mehwish Shahid Noor Arslan Kiran"
        ).split()
    ],
    "urdu": [
        ("عائشہ", "ayesha"),
        ("فاطمہ", "fatima"),
        ("علی", "ali"),
        ("احمد", "ahmed"),
        ("حسن", "hassan"),
        ("زینب", "zainab"),
        ("عمران", "imran"),
        ("مریم", "maryam"),
        ("بلال", "bilal"),
        ("ثنا", "sana"),
        ("حمزہ", "hamza"),
        ("نادیہ", "nadia"),
    ],
    "arabic": [
        ("يوسف", "yusuf"),
        ("ليلى", "layla"),
        ("خالد", "khalid"),
        ("نور", "noor"),
        ("Yusuf", "yusuf"),
        ("Layla", "layla"),
        ("Khalid", "khalid"),
        ("Rania", "rania"),
    ],
    "european": [
        ("José", "jose"),
        ("François", "francois"),
        ("Zoë", "zoe"),
        ("Søren", "soren"),
        ("Łukasz", "lukasz"),
        ("Inès", "ines"),
        ("Björn", "bjorn"),
        ("Renée", "renee"),
        ("Anna", "anna"),
        ("Marco", "marco"),
        ("Élodie", "elodie"),
        ("Jürgen", "jurgen"),
    ],
    "east_asian": [
        ("Wei", "wei"),
        ("Yuki", "yuki"),
        ("Min-jun", "minjun"),
        ("Mei", "mei"),
        ("Hiroshi", "hiroshi"),
        ("Ji-woo", "jiwoo"),
    ],
    "african": [
        ("Chinedu", "chinedu"),
        ("Amara", "amara"),
        ("Kwame", "kwame"),
        ("Zanele", "zanele"),
        ("Tariku", "tariku"),
        ("Nia", "nia"),
    ],
}
LAST_NAMES = {
    "south_asian": [
        (n, n.lower())
        for n in (
            "Khan Ahmed Malik Qureshi Siddiqui Chaudhry Hussain Shah Butt Raza Iqbal Javed Aslam "
            "Akhtar Baig Mirza Sheikh Rehman Abbasi Bhatti Naqvi Rizvi Zaidi Awan Gillani Hashmi"
        ).split()
    ],
    "urdu": [
        ("خان", "khan"),
        ("ملک", "malik"),
        ("قریشی", "qureshi"),
        ("صدیقی", "siddiqui"),
        ("حسین", "hussain"),
        ("شاہ", "shah"),
        ("رضا", "raza"),
        ("اقبال", "iqbal"),
    ],
    "arabic": [
        ("الحسن", "alhassan"),
        ("العلي", "alali"),
        ("منصور", "mansour"),
        ("Al-Hassan", "alhassan"),
        ("Mansour", "mansour"),
        ("Haddad", "haddad"),
    ],
    "european": [
        ("García", "garcia"),
        ("Müller", "muller"),
        ("Dvořák", "dvorak"),
        ("Søndergaard", "sondergaard"),
        ("Öztürk", "ozturk"),
        ("Núñez", "nunez"),
        ("Lefèvre", "lefevre"),
        ("Ibáñez", "ibanez"),
        ("Nováková", "novakova"),
        ("Rossi", "rossi"),
    ],
    "east_asian": [
        ("Zhang", "zhang"),
        ("Tanaka", "tanaka"),
        ("Kim", "kim"),
        ("Chen", "chen"),
        ("Sato", "sato"),
        ("Park", "park"),
    ],
    "african": [
        ("Okafor", "okafor"),
        ("Mensah", "mensah"),
        ("Boateng", "boateng"),
        ("Dlamini", "dlamini"),
        ("Bekele", "bekele"),
        ("Abebe", "abebe"),
    ],
}
REGION_WEIGHTS = {
    "south_asian": 62,
    "urdu": 12,
    "arabic": 7,
    "european": 10,
    "east_asian": 5,
    "african": 4,
}
COUNTRIES = [
    ("US", ["Boston", "San Francisco", "Houston", "New York", "Chicago"], 20),
    ("GB", ["London", "Manchester", "Birmingham", "Edinburgh", "Cambridge"], 18),
    ("CA", ["Toronto", "Montréal", "Vancouver", "Calgary"], 10),
    ("DE", ["Berlin", "München", "Heidelberg", "Aachen"], 7),
    ("AU", ["Sydney", "Melbourne", "Brisbane"], 6),
    ("AE", ["Dubai", "Abu Dhabi", "Sharjah"], 6),
    ("SA", ["Riyadh", "Jeddah", "Thuwal"], 5),
    ("FR", ["Paris", "Lyon", "Grenoble"], 3),
    ("IT", ["Roma", "Milano", "Trieste"], 3),
    ("SE", ["Stockholm", "Göteborg", "Lund"], 3),
    ("NL", ["Amsterdam", "Delft", "Utrecht"], 3),
    ("CH", ["Genève", "Zürich", "Lausanne"], 2),
    ("CN", ["Beijing", "Shanghai", "Wuhan"], 2),
    ("JP", ["Tokyo", "Osaka", "Tsukuba"], 2),
    ("MY", ["Kuala Lumpur", "Penang"], 2),
    ("TR", ["Istanbul", "Ankara"], 2),
    ("QA", ["Doha"], 2),
    ("IE", ["Dublin", "Cork"], 1),
    ("NO", ["Oslo", "Trondheim"], 1),
    ("NZ", ["Auckland", "Wellington"], 1),
    ("ES", ["Madrid", "Barcelona"], 1),
    ("KR", ["Seoul", "Daejeon"], 1),
    ("SG", ["Singapore"], 1),
    ("OM", ["Muscat"], 1),
    ("KW", ["Kuwait City"], 1),
]
REGIONS_AT_HOME = [
    "Punjab",
    "Sindh",
    "Khyber Pakhtunkhwa",
    "Balochistan",
    "Islamabad",
    "Gilgit-Baltistan",
    "Azad Kashmir",
]
# Subfield codes from most to least popular; weights fall off as 1/rank.
SUBFIELD_POPULARITY = [
    "1.2",
    "3.2",
    "2.2",
    "5.2",
    "1.3",
    "2.3",
    "2.1",
    "3.3",
    "1.6",
    "1.4",
    "3.1",
    "2.5",
    "1.1",
    "1.5",
    "2.4",
    "5.3",
    "4.1",
    "5.1",
    "2.7",
    "5.6",
    "5.5",
    "5.4",
    "3.4",
    "2.11",
    "2.10",
    "6.2",
    "6.1",
    "2.6",
    "4.3",
    "4.2",
    "5.8",
    "5.7",
    "6.3",
    "2.9",
    "4.4",
    "1.7",
    "6.4",
    "2.8",
    "3.5",
    "5.9",
    "4.5",
    "6.5",
]
KEYWORDS_BY_FIELD = {
    "1": [
        "machine learning",
        "quantum computing",
        "particle physics",
        "climate modelling",
        "nuclear physics",
        "astrophysics",
        "organic chemistry",
        "genomics",
        "hydrology",
        "cryptography",
        "data science",
        "remote sensing",
        "condensed matter",
        "algebra",
        "bioinformatics",
        "computer vision",
        "natural language processing",
        "seismology",
    ],
    "2": [
        "renewable energy",
        "power systems",
        "robotics",
        "structural engineering",
        "semiconductors",
        "solar",
        "water treatment",
        "telecommunications",
        "materials",
        "accelerator physics",
        "smart grid",
        "batteries",
        "nanomaterials",
        "satellite",
        "embedded systems",
        "hydropower",
        "artificial intelligence",
        "detector physics",
    ],
    "3": [
        "oncology",
        "cardiology",
        "public health",
        "epidemiology",
        "medical physics",
        "nuclear medicine",
        "radiotherapy",
        "vaccines",
        "paediatrics",
        "neurology",
        "diabetes",
        "infectious diseases",
        "surgery",
        "PET imaging",
        "health policy",
    ],
    "4": [
        "food security",
        "irrigation",
        "crop science",
        "plant breeding",
        "soil science",
        "aquaculture",
        "livestock",
        "agricultural economics",
        "water",
        "veterinary medicine",
    ],
    "5": [
        "development economics",
        "finance",
        "public policy",
        "education policy",
        "migration",
        "international relations",
        "governance",
        "econometrics",
        "human rights law",
        "media studies",
        "urban planning",
        "psychology",
    ],
    "6": [
        "Urdu literature",
        "archaeology",
        "cultural heritage",
        "history",
        "linguistics",
        "Islamic philosophy",
        "music",
        "Mughal architecture",
        "poetry",
        "ethics",
    ],
}
ORGANISATIONS = {
    "academia": [
        "University of Toronto",
        "Imperial College London",
        "ETH Zürich",
        "Universität Heidelberg",
        "Massachusetts Institute of Technology",
        "King Abdullah University of Science and Technology",
        "University of Melbourne",
        "Sorbonne Université",
        "University of Manchester",
        "Karolinska Institutet",
        "TU Delft",
        "National University of Singapore",
        "McGill University",
    ],
    "research": [
        "CERN",
        "Max Planck Institute for Physics",
        "Fraunhofer Institute",
        "ICTP Trieste",
        "Los Alamos National Laboratory",
        "RIKEN",
        "CNRS",
    ],
    "industry": [
        "Siemens",
        "Google",
        "Shell",
        "Pfizer",
        "Intel",
        "Huawei",
        "Aramco",
        "Rolls-Royce",
        "Novartis",
        "Ericsson",
    ],
    "government": ["NHS England", "Environment Agency", "Health Canada"],
    "international": ["World Health Organization", "IAEA", "UNESCO", "World Bank", "FAO"],
    "nonprofit": ["Wellcome Trust", "Aga Khan Foundation", "Médecins Sans Frontières"],
    "entrepreneur": ["Own consultancy", "Startup founder"],
    "student": ["University College London", "Stanford University", "TU München"],
}
JOB_TITLES = {
    "r1": ["PhD candidate", "Research assistant"],
    "r2": ["Postdoctoral researcher", "Research fellow"],
    "r3": ["Associate professor", "Senior scientist", "Lecturer"],
    "r4": ["Professor", "Head of department", "Research director"],
    "practitioner": [
        "Consultant physician",
        "Senior engineer",
        "Data scientist",
        "Policy adviser",
        "Lawyer",
        "Architect",
    ],
    "student": ["MSc student", "PhD student"],
}
STATUS_WEIGHTS = [
    (Member.Status.VERIFIED, 50),
    (Member.Status.SUBMITTED, 30),
    (Member.Status.UNCONFIRMED, 8),
    (Member.Status.WITHDRAWN, 5),
    (Member.Status.REJECTED, 4),
    (Member.Status.DUPLICATE, 3),
]

MEMBER_FIELDS = [
    "id",
    "full_name",
    "email",
    "phone",
    "gender",
    "country",
    "city",
    "connection",
    "home_region",
    "highest_qualification",
    "qualification_subject",
    "qualification_institution",
    "qualification_country",
    "qualification_year",
    "job_title",
    "organisation",
    "sector",
    "career_stage",
    "years_experience",
    "primary_subfield",
    "keywords",
    "summary",
    "orcid",
    "scholar_url",
    "linkedin_url",
    "website_url",
    "home_collaborations",
    "hours_per_month",
    "willing_to_visit",
    "consent_processing",
    "consent_processing_at",
    "privacy_notice_version",
    "consent_contact",
    "consent_directory",
    "status",
    "email_confirmed_at",
    "reviewed_at",
    "review_reason",
    "staff_notes",
    "duplicate_of",
    "source",
    "created_at",
    "updated_at",
    "search_document",
    "name_key",
    "organisation_key",
]
SECTORS = [
    "academia",
    "academia",
    "academia",
    "research",
    "industry",
    "industry",
    "government",
    "international",
    "nonprofit",
    "entrepreneur",
]
QUALIFICATIONS = ["phd", "phd", "phd", "md", "masters", "masters", "bachelors"]
GENDERS = ["female", "male", "female", "male", "undisclosed", ""]
CONNECTIONS = ["citizen", "citizen", "dual", "origin"]
HOURS_PER_MONTH = [None, "2", "4", "8", "16"]
CREATED_SPAN_SECONDS = 3 * 365 * 86400

RELATION_TARGETS = {
    "subfields": "subfield",
    "engagement_types": "engagementtype",
    "sdgs": "sdg",
    "international_projects": "internationalproject",
    "clusters": "expertisecluster",
}

_SLUG = re.compile(r"[^a-z0-9]+")
# Characters with a meaning in COPY's text format; no vocabulary string holds
# one, so generated values go into COPY as they are.
_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")


def _zipf(n: int, exponent: float = 1.0) -> list[float]:
    return [1 / (rank**exponent) for rank in range(1, n + 1)]


def _cumulative(weights):
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def demo_orcid(rng: random.Random) -> str:
    base = f"{rng.randrange(10**15):015d}"
    digits = base + orcid_check_digit(base)
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


class _Weighted:
    """Draws from a population with relative weights, like random.choices
    with cum_weights, but without building a list per draw."""

    __slots__ = ("population", "cum", "total", "hi")

    def __init__(self, population, weights):
        self.population = list(population)
        self.cum = _cumulative(weights)
        self.total = self.cum[-1]
        self.hi = len(self.population) - 1

    def draw(self, random_float):
        return self.population[bisect(self.cum, random_float * self.total, 0, self.hi)]


class _Relation:
    """A set of related ids, in both forms the loaders take: id tuples for
    executemany, and COPY text made by joining the pieces with the member id
    ("".join is one call for all of a member's rows)."""

    __slots__ = ("ids", "pieces")

    def __init__(self, ids):
        self.ids = tuple(ids)
        self.pieces = ["", *(f"\t{i}\n" for i in self.ids)] if self.ids else None


_NO_RELATION = _Relation(())


def _timestamp_format(*, text: bool):
    """Seconds after the demo epoch to what the column stores: UTC text,
    with the offset for PostgreSQL and naive (as Django stores it) for SQLite."""
    epoch = DEMO_EPOCH.replace(tzinfo=None)
    suffix = "+00" if text else ""

    def timestamp(seconds: int) -> str:
        return f"{epoch + timedelta(seconds=seconds)}{suffix}"

    return timestamp


class _Generator:
    """Draws members; all randomness comes from one seeded Random.

    Everything that depends only on a choice (folded names, the parts of the
    search document, an organisation's key, a keyword's clusters) is worked
    out once here, so a member costs a few dozen random draws and string
    joins. Values are strings as the column stores them (None for NULL on
    SQLite, \\N in PostgreSQL's COPY text), so a row is one tab-join away
    from COPY and can go to executemany as it is.
    """

    def __init__(self, seed: int, *, text: bool):
        self.rng = random.Random(seed)
        self.text = text
        self.null = "\\N" if text else None
        self.timestamp = _timestamp_format(text=text)
        rules = active_cluster_rules()
        cluster_bit = {rule.id: 1 << n for n, rule in enumerate(rules)}
        self.cluster_ids_of_bit = [rule.id for rule in rules]

        def cluster_mask(*, subfield_ids=frozenset(), keywords=""):
            ids = cluster_ids_for(subfield_ids=set(subfield_ids), keywords=keywords, rules=rules)
            return sum(cluster_bit[i] for i in ids)

        subfields = {s.code: s for s in Subfield.objects.select_related("field")}
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
            for code in SUBFIELD_POPULARITY
            if (s := subfields.get(code))
        ]
        self.subfield_draw = _Weighted(range(len(self.subfields)), _zipf(len(self.subfields), 1.1))

        # Per region: every (first, last) pair with its e-mail slug and folded key.
        self.names = {}
        for region in REGION_WEIGHTS:
            pairs = []
            for first, first_ascii in FIRST_NAMES[region]:
                for last, last_ascii in LAST_NAMES[region]:
                    full_name = f"{first} {last}"
                    slug = _SLUG.sub(".", f"{first_ascii}.{last_ascii}").strip(".")
                    pairs.append((full_name, slug, fold(full_name), fold(full_name)[:200]))
            self.names[region] = pairs
        self.region_draw = _Weighted(REGION_WEIGHTS, REGION_WEIGHTS.values())
        self.country_draw = _Weighted(
            [(code, cities) for code, cities, _ in COUNTRIES], [w for _, _, w in COUNTRIES]
        )
        # Per field: (keyword, folded keyword, cluster mask) drawn by Zipf.
        self.keywords = {
            field: _Weighted(
                [(k, fold(k), cluster_mask(keywords=k)) for k in pool], _zipf(len(pool))
            )
            for field, pool in KEYWORDS_BY_FIELD.items()
        }
        self.keyword_fields = list(KEYWORDS_BY_FIELD)
        self.status_draw = _Weighted(
            [s.value for s, _ in STATUS_WEIGHTS], [w for _, w in STATUS_WEIGHTS]
        )
        self.stages = list(JOB_TITLES)
        self.titles = {
            stage: [(t, fold(t)) for t in titles] for stage, titles in JOB_TITLES.items()
        }
        self.organisations = {
            sector: [(o, fold(o), fold(o)[:200]) for o in names]
            for sector, names in ORGANISATIONS.items()
        }
        # Every subset of the sizes drawn, so one draw picks a subset.
        self.engagements = self._subsets(
            EngagementType.objects.values_list("id", flat=True), (1, 2, 3)
        )
        self.sdgs = self._subsets(Sdg.objects.values_list("id", flat=True), (0, 1, 2, 3))
        self.projects = [
            _Relation([i]) for i in InternationalProject.objects.values_list("id", flat=True)
        ]
        self.subfield_relations: dict[tuple[int, ...], _Relation] = {}
        self.cluster_relations: dict[int, _Relation] = {}
        self._check_vocabulary()

    @staticmethod
    def _subsets(ids, sizes):
        ids = sorted(ids)
        return {k: [_Relation(c) for c in combinations(ids, k)] for k in sizes}

    def _check_vocabulary(self):
        texts = [n for pairs in self.names.values() for pair in pairs for n in pair]
        texts += [k for pool in KEYWORDS_BY_FIELD.values() for k in pool]
        texts += [o for names in ORGANISATIONS.values() for o in names]
        texts += [t for titles in JOB_TITLES.values() for t in titles]
        texts += [city for _, cities, _ in COUNTRIES for city in cities]
        texts += REGIONS_AT_HOME + [s[2] for s in self.subfields]
        if bad := [t for t in texts if _COPY_SPECIAL.search(t)]:
            raise ValueError(f"Demo vocabulary needs COPY escaping: {bad}")

    def _clusters(self, mask: int) -> _Relation:
        relation = self.cluster_relations.get(mask)
        if relation is None:
            ids = [cid for bit, cid in enumerate(self.cluster_ids_of_bit) if mask >> bit & 1]
            relation = self.cluster_relations[mask] = _Relation(ids)
        return relation

    def _other_subfields(self, picks: tuple[int, ...]) -> _Relation:
        relation = self.subfield_relations.get(picks)
        if relation is None:
            ids = sorted({self.subfields[p][0] for p in picks})
            relation = self.subfield_relations[picks] = _Relation(ids)
        return relation

    def member(self, member_id: int, first_id: int):
        """One member row (a tuple of MEMBER_FIELDS values) and its relations
        (in the order of RELATION_TARGETS)."""
        rng = self.rng
        rnd = rng.random
        null = self.null
        timestamp = self.timestamp
        mid = str(member_id)
        names = self.names[self.region_draw.draw(rnd())]
        full_name, slug, name_folded, name_key = names[int(rnd() * len(names))]
        country, cities = self.country_draw.draw(rnd())
        primary = self.subfield_draw.draw(rnd())
        subfield_id, subfield_text, subfield_name, subfield_folded, field_code, _, mask = (
            self.subfields[primary]
        )
        status = self.status_draw.draw(rnd())
        stage = self.stages[int(rnd() * 6)]
        sector = "student" if stage == "student" else SECTORS[int(rnd() * 10)]
        organisations = self.organisations[sector]
        organisation, organisation_folded, organisation_key = organisations[
            int(rnd() * len(organisations))
        ]
        created = int(rnd() * CREATED_SPAN_SECONDS)
        created_at = timestamp(created)
        qualification = QUALIFICATIONS[int(rnd() * 7)]
        if stage in ("r1", "student"):
            experience = int(rnd() * 4)
        else:
            experience = 2 + int(rnd() * 39)
        qualification_year = max(1965, 2025 - experience - int(rnd() * 5))
        # Keywords: 1 to 4 from the field by popularity, sometimes one from another field.
        field_keywords = self.keywords[field_code]
        chosen = [field_keywords.draw(rnd()) for _ in range(1 + int(rnd() * 4))]
        if rnd() < 0.2:
            other = self.keywords[self.keyword_fields[int(rnd() * 6)]].population
            chosen.append(other[int(rnd() * len(other))])
        if len(chosen) > 1:
            chosen = list(dict.fromkeys(chosen))
        titles = self.titles[stage]
        title, title_folded = titles[int(rnd() * len(titles))]
        n_other = (0, 0, 1, 2)[int(rnd() * 4)]
        other_picks = tuple(
            p for p in (self.subfield_draw.draw(rnd()) for _ in range(n_other)) if p != primary
        )
        if status == "withdrawn":
            # An anonymous tombstone: only non-identifying statistics remain.
            row = (
                mid, "", "", "", "", country, "", "citizen", "", qualification, "", "", "",
                null, "", "", sector, stage, null, subfield_text, "", "", "", "", "", "", "",
                null, "0", "0", null, "", "0", "0", status, null, null, "", "", null,
                "survey", created_at, timestamp(created + 30 * 86400), "", "", "",
            )  # fmt: skip
            return row, _NO_RELATION, _NO_RELATION, _NO_RELATION, _NO_RELATION, _NO_RELATION
        keywords = ", ".join([k[0] for k in chosen])
        keywords_folded = ", ".join([k[1] for k in chosen])
        for k in chosen:
            mask |= k[2]
        summary = f"{title} at {organisation}, working on {keywords}."
        summary_folded = f"{title_folded} at {organisation_folded}, working on {keywords_folded}."
        if other_picks:
            others = self._other_subfields(other_picks)
            subfield_names = sorted(
                [self.subfields[primary]] + [self.subfields[p] for p in set(other_picks)],
                key=lambda s: s[5],
            )
            subfields_folded = " ".join([s[3] for s in subfield_names])
            for p in other_picks:
                mask |= self.subfields[p][6]
        else:
            others = _NO_RELATION
            subfields_folded = subfield_folded
        confirmed = status != "unconfirmed"
        reviewed = status in ("verified", "rejected", "duplicate")
        duplicate_of = null
        if status == "duplicate" and member_id > first_id:
            duplicate_of = str(first_id + int(rnd() * (member_id - first_id)))
        n_sdgs = int(rnd() * 4)
        sdgs = self.sdgs[n_sdgs]
        engagements = self.engagements[1 + int(rnd() * 3)]
        row = (
            mid,
            full_name,
            f"{slug}.{mid}@example.org",
            f"+{1 + int(rnd() * 99)} {100 + int(rnd() * 900)} {1000000 + int(rnd() * 9000000)}"
            if rnd() < 0.5
            else "",
            GENDERS[int(rnd() * 6)],
            country,
            cities[int(rnd() * len(cities))],
            CONNECTIONS[int(rnd() * 4)],
            REGIONS_AT_HOME[int(rnd() * 7)] if rnd() < 0.7 else "",
            qualification,
            subfield_name,
            ORGANISATIONS["academia"][int(rnd() * len(ORGANISATIONS["academia"]))],
            country,
            str(qualification_year),
            title,
            organisation,
            sector,
            stage,
            str(experience),
            subfield_text,
            keywords,
            summary,
            demo_orcid(rng) if rnd() < 0.35 else "",
            "",
            f"https://www.linkedin.com/in/{slug.replace('.', '-')}-{mid}" if rnd() < 0.4 else "",
            "",
            "",
            HOURS_PER_MONTH[int(rnd() * 5)] or null,
            "1" if rnd() < 0.6 else "0",
            "1",
            created_at,
            DEMO_PRIVACY_VERSION,
            "1" if rnd() < 0.85 else "0",
            "1" if rnd() < 0.2 else "0",
            status,
            timestamp(created + 3600 * (1 + int(rnd() * 72))) if confirmed else null,
            timestamp(created + 86400 * (3 + int(rnd() * 58))) if reviewed else null,
            "",
            "",
            duplicate_of,
            "survey",
            created_at,
            timestamp(created + 86400 * int(rnd() * 91)),
            # search_document_from(full_name, keywords, summary, title,
            # organisation, *subfield names in position order), from the
            # folded parts: folding works character by character.
            f"{name_folded} {keywords_folded} {summary_folded} {title_folded} "
            f"{organisation_folded} {subfields_folded}",
            name_key,
            organisation_key,
        )
        engagement = engagements[int(rnd() * len(engagements))]
        sdg = sdgs[int(rnd() * len(sdgs))] if n_sdgs else _NO_RELATION
        project = self.projects[int(rnd() * len(self.projects))] if rnd() < 0.08 else _NO_RELATION
        return row, others, engagement, sdg, project, self._clusters(mask)

    def batch(self, start: int, end: int, first_id: int):
        """Members start..end-1: {"member": payload, relation name: payload},
        a payload being COPY text (bytes) or rows for executemany."""
        member = self.member
        names = list(RELATION_TARGETS)
        if self.text:
            lines = []
            pieces = {name: [] for name in names}
            appends = [pieces[name].append for name in names]
            for member_id in range(start, end):
                row, *relations = member(member_id, first_id)
                lines.append("\t".join(row))
                mid = row[0]
                for append, relation in zip(appends, relations, strict=True):
                    if relation.pieces:
                        append(mid.join(relation.pieces))
            lines.append("")
            out = {"member": "\n".join(lines).encode()}
            out.update((name, "".join(pieces[name]).encode()) for name in names)
            return out
        rows = []
        pairs = {name: [] for name in names}
        for member_id in range(start, end):
            row, *relations = member(member_id, first_id)
            rows.append(row)
            for name, relation in zip(names, relations, strict=True):
                pairs[name].extend((member_id, target) for target in relation.ids)
        return {"member": rows, **pairs}


def _generate_batches(generator: _Generator, start_id: int, count: int, batch_size: int):
    for batch_start in range(start_id, start_id + count, batch_size):
        yield generator.batch(
            batch_start, min(batch_start + batch_size, start_id + count), start_id
        )


def _in_background(iterable, depth: int = 2):
    """Run a generator in a thread, `depth` items ahead of the consumer.

    Drawing members is pure Python while COPY mostly waits on the database,
    so on two cores the two overlap. The thread never touches the database.
    """
    items: queue.Queue = queue.Queue(maxsize=depth)
    done = object()

    def produce():
        try:
            for item in iterable:
                items.put(item)
        except BaseException as error:  # handed to the consumer, raised there
            items.put(error)
        items.put(done)

    thread = threading.Thread(target=produce, daemon=True)
    thread.start()
    while (item := items.get()) is not done:
        if isinstance(item, BaseException):
            raise item
        yield item
    thread.join()


# From this many members, when the table holds fewer rows than are being
# added, PostgreSQL loads into the member and relation tables without their
# secondary indexes and foreign keys and builds them once at the end.
REBUILD_INDEXES_FROM = 50_000


@transaction.atomic
def demo_members_seed(
    *,
    count: int,
    seed: int = 1,
    batch_size: int = 20000,
    rebuild_indexes_from: int = REBUILD_INDEXES_FROM,
    progress: Callable[[str], None] | None = None,
) -> int:
    """Insert `count` synthetic members; returns how many were inserted.

    `progress`, if given, receives a line per phase with its duration.
    """
    started = time.perf_counter()

    def report(phase: str):
        nonlocal started
        if progress:
            progress(f"{phase}: {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()

    postgres = connection.vendor == "postgresql"
    generator = _Generator(seed, text=postgres)
    start_id = (Member.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    throughs = [getattr(Member, name).through for name in RELATION_TARGETS]
    targets = [
        (Member, MEMBER_FIELDS, "member"),
        *(
            (through, ["member", target], name)
            for through, (name, target) in zip(throughs, RELATION_TARGETS.items(), strict=True)
        ),
    ]
    rebuild = postgres and 0 < count and count >= rebuild_indexes_from
    rebuild = rebuild and Member.objects.count() < count
    if postgres:
        with connection.cursor() as cursor:
            # A seed can be run again; waiting for the WAL flush buys nothing.
            cursor.execute("SET LOCAL synchronous_commit = off")
            # Check foreign keys row by row instead of queueing millions of
            # deferred checks until COMMIT (when they are not rebuilt anyway).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    batches = _in_background(_generate_batches(generator, start_id, count, batch_size))
    rebuilding = indexes_rebuilt_after(Member, *throughs) if rebuild else nullcontext()
    with rebuilding:
        for payloads in batches:
            for model, fields, name in targets:
                if postgres:
                    copy_text(model=model, fields=fields, data=payloads[name])
                else:
                    insert_rows(model=model, fields=fields, rows=payloads[name])
        report(
            "rows inserted" + (" (secondary indexes and foreign keys dropped)" if rebuild else "")
        )
    if rebuild:
        report("indexes and foreign keys built")
    reset_id_sequence(model=Member)
    if postgres:
        # The planner needs the new sizes of every table written, the
        # relation tables too (autovacuum may be off or late).
        with connection.cursor() as cursor:
            for model in (Member, *throughs):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        report("analyzed")
    return count
