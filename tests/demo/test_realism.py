"""The demo members make sense to a reader: checked over 3,000 seeded members.

The members are read back from the database, so the checks hold for the
loader of the engine the suite runs on (COPY on PostgreSQL, executemany
elsewhere).
"""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from registry.demo.careers import SPECIALISTS
from registry.demo.generator import SUMMARIES
from registry.demo.names import FIRST_NAMES
from registry.demo.organisations import ORGANISATIONS
from registry.demo.seed import demo_members_seed
from registry.demo.tables import (
    HOSPITAL,
    clinician_titles,
    employers_by_context,
    parse,
    schools_by_country,
    titles_by_context,
)
from registry.demo.vocabulary import SUBFIELDS
from registry.models import Member
from registry.text import split_keywords

pytestmark = pytest.mark.django_db

UNTIL = datetime(2026, 7, 1, tzinfo=UTC)
COUNT = 3000


@pytest.fixture
def seeded():
    demo_members_seed(count=COUNT, seed=11, until=UNTIL)
    members = Member.objects.select_related("primary_subfield").prefetch_related("subfields")
    return list(members.order_by("id"))


def present(members):
    return [m for m in members if m.status != Member.Status.WITHDRAWN]


def share(members, predicate):
    return sum(1 for m in members if predicate(m)) / len(members)


def codes_of(member):
    return [member.primary_subfield.code, *(s.code for s in member.subfields.all())]


def test_keywords_and_summary_come_from_the_members_own_subfields(seeded):
    for m in present(seeded):
        codes = codes_of(m)
        vocabulary = {k for code in codes for k in SUBFIELDS[code][3]}
        keywords = split_keywords(m.keywords)
        assert keywords and set(keywords) <= vocabulary, (m.id, codes, keywords)
        # Most keywords come from the primary subfield; the first always does.
        assert keywords[0] in SUBFIELDS[codes[0]][3]
        if m.summary:
            parts = {
                "title": m.job_title,
                "organisation": m.organisation,
                "keywords": m.keywords,
                "discipline": SUBFIELDS[codes[0]][0],
                "years": m.years_experience,
            }
            assert m.summary in {t.format_map(parts) for t in SUMMARIES}, m.summary
    # Other subfields mostly belong to the same broad field.
    pairs = [(codes_of(m)[0], c) for m in present(seeded) for c in codes_of(m)[1:]]
    assert pairs and share(pairs, lambda p: p[0].split(".")[0] == p[1].split(".")[0]) > 0.7


def test_no_one_is_tagged_outside_their_field(seeded):
    lawyers = [m for m in present(seeded) if m.primary_subfield.code == "5.5"]
    computing = set(SUBFIELDS["1.2"][3]) - set(SUBFIELDS["5.5"][3])
    assert lawyers
    for m in lawyers:
        if "1.2" not in codes_of(m):
            assert not set(split_keywords(m.keywords)) & computing


def test_job_title_fits_sector_stage_and_subfield(seeded):
    clinicians = {t for titles in clinician_titles().values() for t, _ in titles}
    for m in present(seeded):
        code = m.primary_subfield.code
        allowed = {t for t, _ in titles_by_context(code)[m.sector, m.career_stage]}
        if code == "3.2":
            allowed |= clinicians
        assert m.job_title in allowed, (m.job_title, m.sector, m.career_stage, code)
        if m.job_title in clinicians:
            specialty = split_keywords(m.keywords)[0]
            assert SPECIALISTS[specialty] in m.job_title or specialty in m.job_title
    titles = {(m.sector, m.job_title) for m in present(seeded)}
    assert all(s == "academia" for s, t in titles if t.startswith("Professor"))
    assert {"Policy officer", "Programme specialist"} <= {t for _, t in titles}
    assert any(t.startswith("Consultant ") and t.endswith("ologist") for _, t in titles)


def test_organisation_fits_sector_field_and_country(seeded):
    table = employers_by_context({d for s in SUBFIELDS.values() for d in s[2]})
    # Where each named organisation is, by the vocabulary.
    countries_of = {}
    for country, kinds in ORGANISATIONS.items():
        for entries in kinds.values():
            for _, name, _ in parse(entries):
                countries_of.setdefault(name, set()).add(country)
    named = 0
    for m in present(seeded):
        domains = [*SUBFIELDS[m.primary_subfield.code][2], HOSPITAL]
        fitting = {
            e[0]: e[3] for d in domains for e in table.get((m.country.code, m.sector, d), [])
        }
        assert m.organisation in fitting, (m.organisation, m.country.code, m.sector)
        assert m.city in ("", fitting[m.organisation])
        if m.organisation in countries_of:
            named += 1
            assert m.country.code in countries_of[m.organisation]
    assert named > 0.55 * len(present(seeded))
    clinicians = [m for m in present(seeded) if m.job_title.startswith("Consultant ")]
    hospitals = {e[0] for (_, _, d), names in table.items() if d == HOSPITAL for e in names}
    assert clinicians and all(m.organisation in hospitals for m in clinicians)
    iaea = [m for m in present(seeded) if "IAEA" in m.organisation]
    assert all(m.country.code == "AT" and m.sector == "international" for m in iaea)


def test_qualification_institution_is_in_its_own_country(seeded):
    schools = schools_by_country()
    members = present(seeded)
    for m in members:
        here = schools[m.qualification_country.code]
        assert m.qualification_institution in here["uni"] + here["med"] + here["agri"]
    at_home = share(members, lambda m: m.qualification_country.code == "PK")
    where_living = share(members, lambda m: m.qualification_country == m.country)
    assert 0.3 < at_home < 0.5 and 0.35 < where_living < 0.6
    assert at_home + where_living < 0.95  # some studied in a third country
    assert all(
        m.highest_qualification != "md" or m.primary_subfield.code[0] == "3" for m in members
    )


def test_given_name_fits_the_gender(seeded):
    genders = {name: gender for names in FIRST_NAMES.values() for name, _, gender in names}
    members = present(seeded)
    for m in members:
        first = m.full_name.split(" ")[0]
        if m.gender in ("female", "male"):
            assert genders[first] in ("", m.gender), (m.full_name, m.gender)
    counts = Counter(m.gender for m in members)
    assert 0.35 < counts["female"] / len(members) < 0.5
    assert 0.42 < counts["male"] / len(members) < 0.58
    assert counts["undisclosed"] and counts[""]


def test_registrations_spread_over_three_years_and_grow(seeded):
    created = [m.created_at for m in seeded]
    assert min(created) >= UNTIL - timedelta(days=3 * 365) and max(created) <= UNTIL
    assert max(created) > UNTIL - timedelta(days=7)
    # Ids follow registration order, as in a real registry.
    assert created == sorted(created)
    assert len({(c.year, c.month) for c in created}) >= 36
    # Three years of growth: each year busier than the one before.
    year = timedelta(days=365)
    years = [
        sum(1 for c in created if UNTIL - n * year <= c < UNTIL - (n - 1) * year) for n in (3, 2, 1)
    ]
    assert years[0] < years[1] < years[2] and years[2] > 1.8 * years[0]
    # And month by month: the busier half of the months is mostly the later one.
    months = Counter((c.year, c.month) for c in created)
    ordered = [months[k] for k in sorted(months)][1:-1]  # whole months
    later = sorted(range(len(ordered)), key=ordered.__getitem__)[len(ordered) // 2 :]
    assert sum(1 for i in later if i >= len(ordered) // 2) > 0.75 * len(later)
    for m in present(seeded):
        if m.email_confirmed_at:
            assert m.created_at <= m.email_confirmed_at <= UNTIL
        if m.reviewed_at:
            assert m.created_at <= m.reviewed_at <= UNTIL
        assert m.created_at <= m.updated_at <= UNTIL


def test_statuses_consents_and_missing_answers_have_realistic_shares(seeded):
    status = Counter(m.status for m in seeded)
    bands = {
        "verified": (0.55, 0.8),
        "submitted": (0.05, 0.2),
        "unconfirmed": (0.03, 0.12),
        "withdrawn": (0.02, 0.08),
        "rejected": (0.01, 0.07),
        "duplicate": (0.01, 0.07),
    }
    for name, (low, high) in bands.items():
        assert low < status[name] / COUNT < high, (name, status[name])
    # The review queue holds recent registrations.
    recent = [m for m in seeded if m.created_at > UNTIL - timedelta(days=60)]
    assert share(recent, lambda m: m.status == "submitted") > 0.35
    members = present(seeded)
    assert all(m.consent_processing for m in members)
    assert 0.7 < share(members, lambda m: m.consent_contact) < 0.86
    assert 0.25 < share(members, lambda m: m.consent_directory) < 0.45
    for field, (low, high) in {
        "phone": (0.35, 0.55),
        "summary": (0.15, 0.35),
        "city": (0.03, 0.15),
        "home_region": (0.2, 0.4),
        "orcid": (0.45, 0.8),
    }.items():
        assert low < share(members, lambda m, f=field: not getattr(m, f)) < high, field
    assert 0.03 < share(members, lambda m: m.years_experience is None) < 0.12


def test_some_verified_members_edited_their_profile_since_review(seeded):
    # A verified member's own edit sends it back to review with its review
    # time kept: the staff home's "verified profiles edited since review".
    submitted = [m for m in seeded if m.status == "submitted"]
    edited = [m for m in submitted if m.reviewed_at is not None]
    assert edited
    assert all(m.created_at < m.reviewed_at < m.updated_at <= UNTIL for m in edited)
    assert all(m.created_at < UNTIL - timedelta(days=90) for m in edited)
    older = [m for m in submitted if m.created_at < UNTIL - timedelta(days=90)]
    assert 0.04 < len(edited) / len(older) < 0.15


def test_same_seed_and_end_give_the_same_data_and_the_end_only_moves_dates():
    fields = ["full_name", "job_title", "organisation", "keywords", "status", "created_at"]
    demo_members_seed(count=200, seed=3, until=UNTIL)
    first = list(Member.objects.order_by("id").values_list(*fields))
    Member.objects.all().delete()
    demo_members_seed(count=200, seed=3, until=UNTIL)
    assert list(Member.objects.order_by("id").values_list(*fields)) == first
    Member.objects.all().delete()
    demo_members_seed(count=200, seed=3, until=UNTIL + timedelta(days=10))
    later = list(Member.objects.order_by("id").values_list(*fields))
    assert [r[:-1] for r in later] == [r[:-1] for r in first]
    assert [r[-1] - timedelta(days=10) for r in later] == [r[-1] for r in first]
