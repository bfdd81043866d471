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
from datetime import UTC, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Max

from registry.models import EngagementType, InternationalProject, Member, Sdg, Subfield
from registry.services.bulk import bulk_insert, reset_id_sequence
from registry.services.clusters import active_cluster_rules, cluster_ids_for
from registry.services.members import search_document_from
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
_SLUG = re.compile(r"[^a-z0-9]+")


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


class _Generator:
    """Draws members; all randomness comes from one seeded Random."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        subfields = {s.code: s for s in Subfield.objects.select_related("field")}
        self.subfields = [subfields[c] for c in SUBFIELD_POPULARITY if c in subfields]
        self.subfield_cum = _cumulative(_zipf(len(self.subfields), 1.1))
        self.regions = list(REGION_WEIGHTS)
        self.region_cum = _cumulative(REGION_WEIGHTS.values())
        self.country_cum = _cumulative(w for _, _, w in COUNTRIES)
        self.keyword_cum = {k: _cumulative(_zipf(len(v))) for k, v in KEYWORDS_BY_FIELD.items()}
        self.status_values = [s for s, _ in STATUS_WEIGHTS]
        self.status_cum = _cumulative(w for _, w in STATUS_WEIGHTS)
        self.engagement_ids = list(EngagementType.objects.values_list("id", flat=True))
        self.sdg_ids = list(Sdg.objects.values_list("id", flat=True))
        self.project_ids = list(InternationalProject.objects.values_list("id", flat=True))
        self.rules = active_cluster_rules()
        self.cluster_cache: dict[tuple[frozenset[int], str], set[int]] = {}

    def clusters(self, subfield_ids: frozenset[int], keywords: str) -> set[int]:
        # The same few keyword and subfield combinations recur, so the rules
        # run once for each combination.
        key = (subfield_ids, keywords)
        if key not in self.cluster_cache:
            if len(self.cluster_cache) > 200_000:
                self.cluster_cache.clear()
            self.cluster_cache[key] = cluster_ids_for(
                subfield_ids=set(subfield_ids), keywords=keywords, rules=self.rules
            )
        return self.cluster_cache[key]

    def pick(self, population, cum):
        return self.rng.choices(population, cum_weights=cum, k=1)[0]

    def keywords(self, field_code: str) -> list[str]:
        rng = self.rng
        pool = KEYWORDS_BY_FIELD[field_code]
        chosen = rng.choices(pool, cum_weights=self.keyword_cum[field_code], k=rng.randint(1, 4))
        if rng.random() < 0.2:
            other = rng.choice(list(KEYWORDS_BY_FIELD))
            chosen.append(rng.choice(KEYWORDS_BY_FIELD[other]))
        return list(dict.fromkeys(chosen))

    def member(self, member_id: int):
        """One member row plus its relation ids."""
        rng = self.rng
        region = self.pick(self.regions, self.region_cum)
        first, first_ascii = rng.choice(FIRST_NAMES[region])
        last, last_ascii = rng.choice(LAST_NAMES[region])
        full_name = f"{first} {last}"
        country, cities, _ = self.pick(COUNTRIES, self.country_cum)
        subfield = self.pick(self.subfields, self.subfield_cum)
        field_code = subfield.field.code
        status = self.pick(self.status_values, self.status_cum)
        stage = rng.choice(list(JOB_TITLES))
        sector = (
            "student"
            if stage == "student"
            else rng.choice(
                [
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
            )
        )
        organisation = rng.choice(ORGANISATIONS[sector])
        created = DEMO_EPOCH + timedelta(seconds=rng.randrange(3 * 365 * 86400))
        confirmed = status != Member.Status.UNCONFIRMED
        reviewed = status in (
            Member.Status.VERIFIED,
            Member.Status.REJECTED,
            Member.Status.DUPLICATE,
        )
        qualification = rng.choice(["phd", "phd", "phd", "md", "masters", "masters", "bachelors"])
        experience = rng.randint(0, 3) if stage in ("r1", "student") else rng.randint(2, 40)
        qualification_year = max(1965, 2025 - experience - rng.randint(0, 4))
        keywords = ", ".join(self.keywords(field_code))
        title = rng.choice(JOB_TITLES[stage])
        other_subfields = {
            self.pick(self.subfields, self.subfield_cum).id for _ in range(rng.choice((0, 0, 1, 2)))
        } - {subfield.id}
        if status == Member.Status.WITHDRAWN:
            # An anonymous tombstone: only non-identifying statistics remain.
            row = (
                member_id,
                "",
                "",
                "",
                "",
                country,
                "",
                "citizen",
                "",
                qualification,
                "",
                "",
                "",
                None,
                "",
                "",
                sector,
                stage,
                None,
                subfield.id,
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                None,
                False,
                False,
                None,
                "",
                False,
                False,
                status,
                None,
                None,
                "",
                "",
                None,
                "survey",
                created,
                created + timedelta(days=30),
                "",
                "",
                "",
            )
            return row, (), (), (), (), ()
        summary = f"{title} at {organisation}, working on {keywords}."
        orcid = demo_orcid(rng) if rng.random() < 0.35 else ""
        slug = _SLUG.sub(".", f"{first_ascii}.{last_ascii}").strip(".")
        subfield_names = [subfield.name] + [
            s.name for s in self.subfields if s.id in other_subfields
        ]
        engagement = rng.sample(self.engagement_ids, k=rng.randint(1, 3))
        sdgs = rng.sample(self.sdg_ids, k=rng.randint(0, 3))
        projects = [rng.choice(self.project_ids)] if rng.random() < 0.08 else []
        clusters = self.clusters(frozenset({subfield.id, *other_subfields}), keywords)
        row = (
            member_id,
            full_name,
            f"{slug}.{member_id}@example.org",
            f"+{rng.randint(1, 99)} {rng.randint(100, 999)} {rng.randint(1000000, 9999999)}"
            if rng.random() < 0.5
            else "",
            rng.choice(["female", "male", "female", "male", "undisclosed", ""]),
            country,
            rng.choice(cities),
            rng.choice(["citizen", "citizen", "dual", "origin"]),
            rng.choice(REGIONS_AT_HOME) if rng.random() < 0.7 else "",
            qualification,
            subfield.name,
            rng.choice(ORGANISATIONS["academia"]),
            country,
            qualification_year,
            title,
            organisation,
            sector,
            stage,
            experience,
            subfield.id,
            keywords,
            summary,
            orcid,
            "",
            f"https://www.linkedin.com/in/{slug.replace('.', '-')}-{member_id}"
            if rng.random() < 0.4
            else "",
            "",
            "",
            rng.choice([None, 2, 4, 8, 16]),
            rng.random() < 0.6,
            True,
            created,
            DEMO_PRIVACY_VERSION,
            rng.random() < 0.85,
            rng.random() < 0.2,
            status,
            created + timedelta(hours=rng.randint(1, 72)) if confirmed else None,
            created + timedelta(days=rng.randint(3, 60)) if reviewed else None,
            "",
            "",
            None,  # duplicate_of is filled in below for duplicates.
            "survey",
            created,
            created + timedelta(days=rng.randint(0, 90)),
            search_document_from(
                full_name, keywords, summary, title, organisation, *subfield_names
            ),
            fold(full_name)[:200],
            fold(organisation)[:200],
        )
        return row, other_subfields, engagement, sdgs, projects, clusters


RELATION_TARGETS = {
    "subfields": "subfield",
    "engagement_types": "engagementtype",
    "sdgs": "sdg",
    "international_projects": "internationalproject",
    "clusters": "expertisecluster",
}


def _generate_batches(generator: _Generator, start_id: int, count: int, batch_size: int):
    """Yield (member rows, {relation: [(member_id, target_id), ...]}) per batch."""
    dup_index = MEMBER_FIELDS.index("duplicate_of")
    status_index = MEMBER_FIELDS.index("status")
    for batch_start in range(start_id, start_id + count, batch_size):
        batch_end = min(batch_start + batch_size, start_id + count)
        rows = []
        relations: dict[str, list[tuple[int, int]]] = {name: [] for name in RELATION_TARGETS}
        for member_id in range(batch_start, batch_end):
            row, *related = generator.member(member_id)
            if row[status_index] == Member.Status.DUPLICATE and member_id > start_id:
                row = list(row)
                row[dup_index] = generator.rng.randrange(start_id, member_id)
            rows.append(row)
            for name, ids in zip(RELATION_TARGETS, related, strict=True):
                relations[name].extend((member_id, target) for target in ids)
        yield rows, relations


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


@transaction.atomic
def demo_members_seed(*, count: int, seed: int = 1, batch_size: int = 20000) -> int:
    """Insert `count` synthetic members; returns how many were inserted."""
    generator = _Generator(seed)
    start_id = (Member.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    if connection.vendor == "postgresql":
        # Check foreign keys row by row instead of queueing millions of
        # deferred checks until COMMIT.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    inserted = 0
    batches = _generate_batches(generator, start_id, count, batch_size)
    for rows, relations in _in_background(batches):
        inserted += bulk_insert(model=Member, fields=MEMBER_FIELDS, rows=rows)
        for name, target_field in RELATION_TARGETS.items():
            through = getattr(Member, name).through
            bulk_insert(model=through, fields=["member", target_field], rows=relations[name])
    reset_id_sequence(model=Member)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Member._meta.db_table}")
    return inserted
