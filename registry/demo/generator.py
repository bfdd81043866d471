"""The demo members' generator: deterministic, realistic, and cheap per member.

Fields, keywords and countries follow skewed (Zipf-like) popularity,
statuses are mixed, some members have valid ORCID iDs, and every row
satisfies the model's constraints. A member is drawn as a mapping from field
name to the value its column stores; MEMBER_FIELDS fixes the column order
once. The database's loader (registry.demo.postgres or .portable) says how
NULL and times are written and turns a batch into what it loads.
"""

import random
import re
from datetime import UTC, datetime, timedelta
from itertools import combinations
from operator import itemgetter
from types import ModuleType

from registry.demo.draws import NO_RELATION, Relation, Weighted, demo_orcid, zipf_weights
from registry.demo.names import COUNTRIES, FIRST_NAMES, LAST_NAMES, REGION_WEIGHTS, REGIONS_AT_HOME
from registry.demo.vocabulary import (
    CONNECTIONS,
    GENDERS,
    HOURS_PER_MONTH,
    JOB_TITLES,
    KEYWORDS_BY_FIELD,
    ORGANISATIONS,
    QUALIFICATIONS,
    SECTORS,
    STATUS_WEIGHTS,
    SUBFIELD_POPULARITY,
)
from registry.models import EngagementType, InternationalProject, Sdg, Subfield
from registry.services.clusters import active_cluster_rules, cluster_ids_for
from registry.text import fold

DEMO_EPOCH = datetime(2023, 1, 1, tzinfo=UTC)
DEMO_PRIVACY_VERSION = "2026-11"
CREATED_SPAN_SECONDS = 3 * 365 * 86400

# The member columns the demo writes, in the order of every row it loads.
MEMBER_FIELDS: tuple[str, ...] = tuple(
    """
    id full_name email phone gender country city connection home_region
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

_SLUG = re.compile(r"[^a-z0-9]+")
# Characters with a meaning in COPY's text format; no vocabulary string holds
# one, so generated values go into COPY as they are.
_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")


class DemoGenerator:
    """Draws members; all randomness comes from one seeded Random.

    Everything that depends only on a choice (folded names, the parts of the
    search document, an organisation's key, a keyword's clusters) is worked
    out once here, so a member costs a few dozen random draws and string
    joins. Values are strings as the column stores them (NULL as the loader
    writes it: None for executemany, \\N in PostgreSQL's COPY text), so a
    row is one tab-join away from COPY and can go to executemany as it is.
    """

    def __init__(self, seed: int, *, loader: ModuleType):
        self.rng = random.Random(seed)
        self.loader = loader
        self.null = null = loader.NULL
        epoch, suffix = DEMO_EPOCH.replace(tzinfo=None), loader.TIMESTAMP_SUFFIX

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
        self.subfield_draw = Weighted(
            range(len(self.subfields)), zipf_weights(len(self.subfields), 1.1)
        )

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
        self.region_draw = Weighted(REGION_WEIGHTS, REGION_WEIGHTS.values())
        self.country_draw = Weighted(
            [(code, cities) for code, cities, _ in COUNTRIES], [w for _, _, w in COUNTRIES]
        )
        # Per field: (keyword, folded keyword, cluster mask) drawn by Zipf.
        self.keywords = {
            field: Weighted(
                [(k, fold(k), cluster_mask(keywords=k)) for k in pool], zipf_weights(len(pool))
            )
            for field, pool in KEYWORDS_BY_FIELD.items()
        }
        self.keyword_fields = list(KEYWORDS_BY_FIELD)
        self.status_draw = Weighted(
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
            Relation([i]) for i in InternationalProject.objects.values_list("id", flat=True)
        ]
        self.subfield_relations: dict[tuple[int, ...], Relation] = {}
        self.cluster_relations: dict[int, Relation] = {}
        self._check_vocabulary()

    @staticmethod
    def _subsets(ids, sizes):
        ids = sorted(ids)
        return {k: [Relation(c) for c in combinations(ids, k)] for k in sizes}

    def _check_vocabulary(self):
        texts = [n for pairs in self.names.values() for pair in pairs for n in pair]
        texts += [k for pool in KEYWORDS_BY_FIELD.values() for k in pool]
        texts += [o for names in ORGANISATIONS.values() for o in names]
        texts += [t for titles in JOB_TITLES.values() for t in titles]
        texts += [city for _, cities, _ in COUNTRIES for city in cities]
        texts += REGIONS_AT_HOME + [s[2] for s in self.subfields]
        if bad := [t for t in texts if _COPY_SPECIAL.search(t)]:
            raise ValueError(f"Demo vocabulary needs COPY escaping: {bad}")

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

    def member(self, member_id: int, first_id: int):
        """One member's values (in the order of MEMBER_FIELDS) and its relations
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
                "updated_at": timestamp(created + 30 * 86400),
            }
            return member_values(row), (
                NO_RELATION,
                NO_RELATION,
                NO_RELATION,
                NO_RELATION,
                NO_RELATION,
            )
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
            others = NO_RELATION
            subfields_folded = subfield_folded
        confirmed = status != "unconfirmed"
        reviewed = status in ("verified", "rejected", "duplicate")
        duplicate_of = null
        if status == "duplicate" and member_id > first_id:
            duplicate_of = str(first_id + int(rnd() * (member_id - first_id)))
        n_sdgs = int(rnd() * 4)
        sdgs = self.sdgs[n_sdgs]
        engagements = self.engagements[1 + int(rnd() * 3)]
        row = {
            "id": mid,
            "full_name": full_name,
            "email": f"{slug}.{mid}@example.org",
            "phone": (
                f"+{1 + int(rnd() * 99)} {100 + int(rnd() * 900)} {1000000 + int(rnd() * 9000000)}"
                if rnd() < 0.5
                else ""
            ),
            "gender": GENDERS[int(rnd() * 6)],
            "country": country,
            "city": cities[int(rnd() * len(cities))],
            "connection": CONNECTIONS[int(rnd() * 4)],
            "home_region": REGIONS_AT_HOME[int(rnd() * 7)] if rnd() < 0.7 else "",
            "highest_qualification": qualification,
            "qualification_subject": subfield_name,
            "qualification_institution": ORGANISATIONS["academia"][
                int(rnd() * len(ORGANISATIONS["academia"]))
            ],
            "qualification_country": country,
            "qualification_year": str(qualification_year),
            "job_title": title,
            "organisation": organisation,
            "sector": sector,
            "career_stage": stage,
            "years_experience": str(experience),
            "primary_subfield": subfield_text,
            "keywords": keywords,
            "summary": summary,
            "orcid": demo_orcid(rng) if rnd() < 0.35 else "",
            "scholar_url": "",
            "linkedin_url": f"https://www.linkedin.com/in/{slug.replace('.', '-')}-{mid}"
            if rnd() < 0.4
            else "",
            "website_url": "",
            "home_collaborations": "",
            "hours_per_month": HOURS_PER_MONTH[int(rnd() * 5)] or null,
            "willing_to_visit": "1" if rnd() < 0.6 else "0",
            "consent_processing": "1",
            "consent_processing_at": created_at,
            "privacy_notice_version": DEMO_PRIVACY_VERSION,
            "consent_contact": "1" if rnd() < 0.85 else "0",
            "consent_directory": "1" if rnd() < 0.2 else "0",
            "status": status,
            "email_confirmed_at": timestamp(created + 3600 * (1 + int(rnd() * 72)))
            if confirmed
            else null,
            "reviewed_at": timestamp(created + 86400 * (3 + int(rnd() * 58))) if reviewed else null,
            "review_reason": "",
            "staff_notes": "",
            "duplicate_of": duplicate_of,
            "source": "survey",
            "created_at": created_at,
            "updated_at": timestamp(created + 86400 * int(rnd() * 91)),
            # search_document_from(full_name, keywords, summary, title,
            # organisation, *subfield names in position order), from the
            # folded parts: folding works character by character.
            "search_document": f"{name_folded} {keywords_folded} {summary_folded} {title_folded} "
            f"{organisation_folded} {subfields_folded}",
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
