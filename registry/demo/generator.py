"""The demo members' generator: deterministic, realistic, and cheap per member.

A member is drawn as a person a ministry could be shown: a given name that
fits the declared gender, a job title that fits the sector and career stage,
an employer that fits the sector, the field and the country of residence, and
keywords and a summary drawn from the vocabulary of the member's own
subfields (registry.demo.vocabulary). Registrations spread over the three
years before the end date, busier in recent months; recent ones are still
waiting for review. Popularity is skewed (Zipf-like) as in a real registry.

A member is a mapping from field name to the value its column stores;
MEMBER_FIELDS fixes the column order once. The database's loader
(registry.demo.postgres or .portable) says how NULL and times are written and
turns a batch into what it loads.
"""

import random
from datetime import UTC, datetime, timedelta
from math import sqrt
from operator import itemgetter
from types import ModuleType

from registry.demo.careers import (
    CLINICIAN_SECTORS,
    EXPERIENCE,
    MEDICAL_QUALIFICATIONS,
    QUALIFICATIONS,
    STUDENT_SHARE,
)
from registry.demo.draws import NO_RELATION, Relation, demo_orcid
from registry.demo.names import (
    HOME_COUNTRY,
    REGIONS_AT_HOME,
)
from registry.demo.tables import HOSPITAL, GeneratorTables
from registry.demo.vocabulary import (
    CONNECTIONS,
    HOURS_PER_MONTH,
    RECENT_DAYS,
)
from registry.services.clusters import active_cluster_rules, cluster_ids_for

DEMO_PRIVACY_VERSION = "2026-11"
DAY = 86400
# Registered this long ago, one submitted member in twelve was edited since review.
EDITED_MIN_AGE = 90 * DAY
CREATED_SPAN_SECONDS = 3 * 365 * DAY
# Registrations per month grow linearly, the last month GROWTH + 1 times the first.
GROWTH = 3.0

# The member columns the demo writes, in the order of every row it loads.
MEMBER_FIELDS: tuple[str, ...] = tuple(
    """
    id full_name email phone gender language country city connection home_region
    highest_qualification qualification_subject qualification_institution
    qualification_country qualification_year job_title organisation sector career_stage
    years_experience primary_subfield keywords summary orcid scholar_url linkedin_url
    website_url home_collaborations hours_per_month willing_to_visit consent_processing
    consent_processing_at privacy_notice_version consent_contact consent_directory
    status email_confirmed_at reviewed_at review_reason staff_notes duplicate_of source
    created_at updated_at search_document name_key organisation_key
    """.split()
)
member_values = itemgetter(*MEMBER_FIELDS)

RELATION_TARGETS = {
    "subfields": "subfield",
    "engagement_types": "engagementtype",
    "sdgs": "sdg",
    "international_projects": "internationalproject",
    "clusters": "expertisecluster",
}

# Summaries, each with its folded form (the fixed words are lower-case ASCII).
SUMMARIES = [
    "{title} at {organisation}, working on {keywords}.",
    "My work in {discipline} focuses on {keywords}.",
    "{discipline} specialist working on {keywords}; {years} years of experience.",
]
COLLABORATIONS = [
    "Guest lectures at {school}.",
    "Co-supervises PhD students at {school}.",
    "Joint research project with {school}.",
]


def demo_end_of_today() -> datetime:
    """The default end of the demo's registrations: the coming midnight, UTC."""
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today + timedelta(days=1)


class DemoGenerator(GeneratorTables):
    """Draws members; all randomness comes from one seeded Random.

    `count` members are drawn, the k-th registered at the k-th quantile of
    the growth curve (so ids follow registration order, as in a real
    registry) over the three years before `until`. The same seed, count and
    end give the same data. Values are strings as the column stores them
    (NULL as the loader writes it: None for executemany, \\N in COPY text).
    """

    def __init__(
        self, seed: int, *, loader: ModuleType, count: int = 1, until: datetime | None = None
    ):
        self.rng = random.Random(seed)
        self.loader = loader
        self.null = null = loader.NULL
        self.count = max(count, 1)
        end = (until or demo_end_of_today()).astimezone(UTC).replace(tzinfo=None)
        epoch, suffix = end - timedelta(seconds=CREATED_SPAN_SECONDS), loader.TIMESTAMP_SUFFIX
        self.span_start = epoch

        def timestamp(seconds: int) -> str:
            # UTC, naive as Django stores it, with the loader's offset suffix.
            return f"{epoch + timedelta(seconds=seconds)}{suffix}"

        self.timestamp = timestamp
        # A withdrawn member is an anonymous tombstone: only non-identifying
        # statistics remain, filled in per member.
        self.tombstone = dict.fromkeys(MEMBER_FIELDS, "")
        self.tombstone.update(
            dict.fromkeys(["qualification_year", "years_experience", "hours_per_month"], null),
            connection="citizen",
            willing_to_visit="0",
            consent_processing="0",
            consent_processing_at=null,
            consent_contact="0",
            consent_directory="0",
            email_confirmed_at=null,
            reviewed_at=null,
            duplicate_of=null,
            source="survey",
        )
        rules = active_cluster_rules()
        cluster_bit = {rule.id: 1 << n for n, rule in enumerate(rules)}
        self.cluster_ids_of_bit = [rule.id for rule in rules]

        def cluster_mask(*, subfield_ids=frozenset(), keywords=""):
            ids = cluster_ids_for(subfield_ids=set(subfield_ids), keywords=keywords, rules=rules)
            return sum(cluster_bit[i] for i in ids)

        self.build_tables(cluster_mask)
        self.subfield_relations: dict[tuple[int, ...], Relation] = {}
        self.cluster_relations: dict[int, Relation] = {}

    def _clusters(self, mask: int) -> Relation:
        relation = self.cluster_relations.get(mask)
        if relation is None:
            ids = [cid for bit, cid in enumerate(self.cluster_ids_of_bit) if mask >> bit & 1]
            relation = self.cluster_relations[mask] = Relation(ids)
        return relation

    def _other_subfields(self, picks: tuple[int, ...]) -> Relation:
        relation = self.subfield_relations.get(picks)
        if relation is None:
            ids = sorted({self.subfields[p][0] for p in picks})
            relation = self.subfield_relations[picks] = Relation(ids)
        return relation

    def _created(self, member_id: int, first_id: int) -> int:
        """Seconds from the span's start: the member's quantile of the growth curve."""
        u = (member_id - first_id + self.rng.random()) / self.count
        u = min(u, 1.0)
        a = GROWTH
        return int(CREATED_SPAN_SECONDS * (sqrt(1 + u * (2 * a + a * a)) - 1) / a)

    def member(self, member_id: int, first_id: int):
        """One member's values (in the order of MEMBER_FIELDS) and its relations
        (in the order of RELATION_TARGETS)."""
        rng = self.rng
        rnd = rng.random
        null = self.null
        timestamp = self.timestamp
        mid = str(member_id)
        created = self._created(member_id, first_id)
        age = CREATED_SPAN_SECONDS - created
        status = (self.status_recent if age < RECENT_DAYS * DAY else self.status_older).draw(rnd())
        country = self.country_draw.draw(rnd())
        primary = self.subfield_draw.draw(rnd())
        subfield_id, subfield_text, subfield_name, subfield_folded, field_code, _, mask = (
            self.subfields[primary]
        )
        code, discipline, discipline_folded, domains, keyword_draw, titles = self.vocab[primary]
        if rnd() < STUDENT_SHARE:
            sector = stage = "student"
        else:
            sector = self.sectors[field_code].draw(rnd())
            stage = self.stages[sector].draw(rnd())
        low, high = EXPERIENCE[stage]
        experience = low + int(rnd() * (high - low + 1))
        qualifications = QUALIFICATIONS[stage]
        if field_code == "3" and stage in MEDICAL_QUALIFICATIONS:
            qualifications = MEDICAL_QUALIFICATIONS[stage]
        qualification = qualifications[int(rnd() * len(qualifications))]
        created_at = timestamp(created)
        if status == "withdrawn":
            row = {
                **self.tombstone,
                "id": mid,
                "country": country,
                "highest_qualification": qualification,
                "sector": sector,
                "career_stage": stage,
                "primary_subfield": subfield_text,
                "status": status,
                "created_at": created_at,
                "updated_at": timestamp(created + min(30 * DAY, age)),
            }
            return member_values(row), (NO_RELATION,) * 5
        # Other subfields: mostly of the same broad field, sometimes of a neighbouring one.
        n_other = (0, 0, 0, 1, 1, 2)[int(rnd() * 6)]
        other_picks = tuple(
            p
            for p in (
                (self.field_subfields if rnd() < 0.8 else self.neighbours)[field_code].draw(rnd())
                for _ in range(n_other)
            )
            if p != primary
        )
        # Keywords: 1 to 4 from the primary subfield, and one from each other subfield.
        chosen = [keyword_draw.draw(rnd()) for _ in range(1 + int(rnd() * 4))]
        for p in other_picks:
            if rnd() < 0.6:
                chosen.append(self.vocab[p][4].draw(rnd()))
        if len(chosen) > 1:
            chosen = list(dict.fromkeys(chosen))
        if code == "3.2" and sector in CLINICIAN_SECTORS and stage == "practitioner":
            titles = self.clinicians[chosen[0][0]]
            domain = HOSPITAL
        else:
            titles = titles[sector, stage]
            domain = domains[int(rnd() * len(domains))]
        title, title_folded = titles[int(rnd() * len(titles))]
        employers = self.employers[country, sector, domain]
        organisation, organisation_folded, organisation_key, city = employers[
            int(rnd() * len(employers))
        ]
        # Where the highest qualification was obtained: at home, in the
        # country of residence, or elsewhere.
        where = rnd()
        if where < 0.4:
            school_country = HOME_COUNTRY
        elif where < 0.85:
            school_country = country
        else:
            school_country = self.abroad_draw.draw(rnd())
        schools = self.schools[school_country]
        schools = schools[
            "med" if qualification == "md" else "agri" if field_code == "4" else "uni"
        ]
        school = schools[int(rnd() * len(schools))]
        keywords = ", ".join([k[0] for k in chosen])
        keywords_folded = ", ".join([k[1] for k in chosen])
        for k in chosen:
            mask |= k[2]
        experience_given = rnd() < 0.93
        template = int(rnd() * (len(SUMMARIES) + 1))  # the last: no summary
        if template == 2 and not experience_given:
            template = 1
        if template < len(SUMMARIES):
            parts = {"title": title, "organisation": organisation, "keywords": keywords}
            parts.update(discipline=discipline, years=experience)
            summary = SUMMARIES[template].format_map(parts)
            parts.update(
                title=title_folded,
                organisation=organisation_folded,
                keywords=keywords_folded,
                discipline=discipline_folded,
            )
            summary_folded = SUMMARIES[template].lower().format_map(parts)
        else:
            summary = summary_folded = ""
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
            others = NO_RELATION
            subfields_folded = subfield_folded
        confirmed_after = min(3600 * (1 + int(rnd() * 72)), age)
        reviewed_after = min(DAY * (2 + int(rnd() * 40)), age)
        # Edited since review: submitted again after an edit, its review time
        # kept. Chosen by id, so every member's random draws stay the same.
        edited = status == "submitted" and age > EDITED_MIN_AGE and member_id % 12 == 0
        reviewed = edited or status in ("verified", "rejected", "duplicate")
        edited_after = DAY * (1 + member_id % 30) if edited else 0
        duplicate_of = null
        if status == "duplicate" and member_id > first_id:
            duplicate_of = str(first_id + int(rnd() * (member_id - first_id)))
        n_sdgs = int(rnd() * 4)
        sdgs = self.sdgs[n_sdgs]
        engagements = self.engagements[1 + int(rnd() * 3)]
        researcher = sector in ("academia", "research", "student")
        gender = self.gender_draw.draw(rnd())
        region = self.region_draw.draw(rnd())
        names = self.names[region, gender]
        full_name, slug, name_folded, name_key = names[int(rnd() * len(names))]
        row = {
            "id": mid,
            "full_name": full_name,
            "email": f"{slug}.{mid}@example.org",
            "phone": (
                f"+{1 + int(rnd() * 99)} {100 + int(rnd() * 900)} {1000000 + int(rnd() * 9000000)}"
                if rnd() < 0.55
                else ""
            ),
            "gender": gender,
            # About one member in six reads the e-mails in Urdu; taken from the
            # id so that the other draws, and the rest of the data, stay as they were.
            "language": "ur" if member_id % 6 == 0 else "en",
            "country": country,
            "city": city if rnd() < 0.92 else "",
            "connection": CONNECTIONS[int(rnd() * len(CONNECTIONS))],
            "home_region": REGIONS_AT_HOME[int(rnd() * 7)] if rnd() < 0.7 else "",
            "highest_qualification": qualification,
            "qualification_subject": "Medicine" if qualification == "md" else discipline,
            "qualification_institution": school,
            "qualification_country": school_country,
            "qualification_year": str(2025 - experience - int(rnd() * 3)),
            "job_title": title,
            "organisation": organisation,
            "sector": sector,
            "career_stage": stage,
            "years_experience": str(experience) if experience_given else null,
            "primary_subfield": subfield_text,
            "keywords": keywords,
            "summary": summary,
            "orcid": demo_orcid(rng) if rnd() < (0.6 if researcher else 0.1) else "",
            "scholar_url": f"https://scholar.google.com/citations?user=demo{mid}"
            if researcher and rnd() < 0.3
            else "",
            "linkedin_url": f"https://www.linkedin.com/in/{slug.replace('.', '-')}-{mid}"
            if rnd() < 0.45
            else "",
            "website_url": "",
            "home_collaborations": COLLABORATIONS[int(rnd() * 3)].format(
                school=self.schools[HOME_COUNTRY]["uni"][int(rnd() * 9)]
            )
            if rnd() < 0.15
            else "",
            "hours_per_month": HOURS_PER_MONTH[int(rnd() * len(HOURS_PER_MONTH))] or null,
            "willing_to_visit": "1" if rnd() < 0.6 else "0",
            "consent_processing": "1",
            "consent_processing_at": created_at,
            "privacy_notice_version": DEMO_PRIVACY_VERSION,
            "consent_contact": "1" if rnd() < 0.78 else "0",
            "consent_directory": "1" if rnd() < 0.35 else "0",
            "status": status,
            "email_confirmed_at": timestamp(created + confirmed_after)
            if status != "unconfirmed"
            else null,
            "reviewed_at": timestamp(created + reviewed_after) if reviewed else null,
            "review_reason": "",
            "staff_notes": "",
            "duplicate_of": duplicate_of,
            "source": "survey",
            "created_at": created_at,
            "updated_at": timestamp(
                created
                + max(
                    reviewed_after + edited_after if reviewed else 0,
                    min(DAY * int(rnd() * 91), age),
                )
            ),
            # search_document_from(full_name, keywords, summary, title,
            # organisation, *subfield names in position order), from the
            # folded parts (folding works character by character), empty ones left out.
            "search_document": " ".join(
                [
                    p
                    for p in (
                        name_folded,
                        keywords_folded,
                        summary_folded,
                        title_folded,
                        organisation_folded,
                        subfields_folded,
                    )
                    if p
                ]
            ),
            "name_key": name_key,
            "organisation_key": organisation_key,
        }
        engagement = engagements[int(rnd() * len(engagements))]
        sdg = sdgs[int(rnd() * len(sdgs))] if n_sdgs else NO_RELATION
        project = self.projects[int(rnd() * len(self.projects))] if rnd() < 0.08 else NO_RELATION
        relations = (others, engagement, sdg, project, self._clusters(mask))
        return member_values(row), relations

    def batch(self, start: int, end: int, first_id: int):
        """Members start..end-1 as the loader's payloads: {"member": ..., relation name: ...}."""
        members = [self.member(member_id, first_id) for member_id in range(start, end)]
        return self.loader.batch_payloads(members)
