"""Test data: members, survey answers, staff users, the fixed search set, markers.

Plain functions and constants any test may import; the pytest fixtures built
on them live in tests/conftest.py.
"""

import codecs
import csv
import importlib
import io
import itertools
import re
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from registry.db import POSTGRES, backend_name
from registry.models import (
    EngagementType,
    InternationalProject,
    Member,
    Mission,
    MissionMembership,
    Sdg,
    Subfield,
)
from registry.services.members import member_create
from registry.services.roles import ANALYST, FOCAL_POINT, VIEWER

postgres_only = pytest.mark.skipif(
    backend_name() != POSTGRES, reason="PostgreSQL path (full-text search, cursors, COPY)"
)
portable_only = pytest.mark.skipif(
    backend_name() == POSTGRES, reason="portable fallback, used when not on PostgreSQL"
)

REGISTER_URL = reverse("registry:register")
PROFILE_URL = reverse("registry:profile")

# The data migrations that load the taxonomy, in order: its rows, then their
# names in Urdu.
TAXONOMY_MIGRATIONS = ("0002_taxonomy", "0013_taxonomy_urdu")


def taxonomy_load() -> None:
    """Load the taxonomy as the migrations do, Urdu names included.

    For transactional tests: the database is flushed after each of them,
    taxonomy included. The loaders are idempotent.
    """
    for name in TAXONOMY_MIGRATIONS:
        importlib.import_module(f"registry.migrations.{name}").load(apps, None)


# Members.

VALID_ORCID = "0000-0002-1825-0097"
_counter = itertools.count(1)


def member_data(**overrides) -> dict:
    """Valid member field values; override any of them."""
    n = next(_counter)
    data = {
        "full_name": f"Test Member {n}",
        "email": f"member{n}@example.org",
        "country": "GB",
        "city": "London",
        "connection": Member.Connection.CITIZEN,
        "highest_qualification": Member.Qualification.PHD,
        "job_title": "Research fellow",
        "organisation": "Imperial College London",
        "sector": Member.Sector.ACADEMIA,
        "career_stage": Member.CareerStage.R2,
        "primary_subfield": Subfield.objects.get(code="1.3"),
        "keywords": "",
        "consent_processing": True,
        # Most members agree to be contacted; exports leave out the others.
        "consent_contact": True,
    }
    data.update(overrides)
    return data


def make_member(*, status=Member.Status.SUBMITTED, source=Member.Source.ADMIN, **overrides):
    """Create a member through the service; keyword arguments override fields."""
    return member_create(data=member_data(**overrides), status=status, source=source)


# Survey answers and what the portal sends back.


def survey_payload(**overrides) -> dict:
    """A complete, valid survey POST, as a browser sends it.

    Override any key; an override of None leaves the key out (an unticked
    checkbox, an empty multiple choice).
    """
    data = {
        "full_name": "Amina Khan",
        "email": "amina.khan@example.org",
        "phone": "+44 20 7946 0958",
        "gender": "female",
        "country": "GB",
        "city": "London",
        "connection": "dual",
        "home_region": "Punjab",
        "highest_qualification": "phd",
        "qualification_subject": "Medical physics",
        "qualification_institution": "University of Oxford",
        "qualification_country": "GB",
        "qualification_year": "2012",
        "job_title": "Consultant physicist",
        "organisation": "Guy's and St Thomas' Hospital",
        "sector": "research",
        "career_stage": "r3",
        "years_experience": "12",
        "primary_subfield": str(Subfield.objects.get(code="3.2").pk),
        "subfields": [str(Subfield.objects.get(code="1.3").pk)],
        "keywords": "medical physics, PET imaging",
        "summary": "I work on quantitative PET imaging.\r\nAnd on radiotherapy planning.",
        "orcid": "https://orcid.org/0000-0002-1825-0097",
        "scholar_url": "https://scholar.google.com/citations?user=abc",
        "linkedin_url": "https://www.linkedin.com/in/amina-khan",
        "website_url": "",
        "engagement_types": [
            str(pk) for pk in EngagementType.objects.values_list("pk", flat=True)[:2]
        ],
        "sdgs": [str(Sdg.objects.get(number=3).pk)],
        "international_projects": None,
        "home_collaborations": "Teaching at a national university.",
        "hours_per_month": "8",
        "willing_to_visit": "on",
        "consent_processing": "on",
        "consent_contact": "on",
        "consent_directory": None,
        "homepage": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


_LINK = re.compile(r"https?://\S+")


def links_in(message) -> list[str]:
    """The links in a sent e-mail's plain-text body, as paths."""
    return [urlsplit(url).path for url in _LINK.findall(message.body)]


def link_to(message, url_name: str) -> str:
    """The path of the e-mail's link to the given view (e.g. registry:confirm)."""
    prefix = reverse(url_name, args=["TOKEN"]).removesuffix("TOKEN/")
    matches = [path for path in links_in(message) if path.startswith(prefix)]
    assert len(matches) == 1, (url_name, links_in(message))
    return matches[0]


def html_body(message) -> str:
    (html, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    return html


def parse_csv(data: bytes) -> list[list[str]]:
    """The rows of an exported CSV file, which starts with a byte-order mark."""
    assert data.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# Staff users.

STAFF_PASSWORD = "a-long-test-password-1234"
VIEWER_PERMS = ("registry.view_member",)
ANALYST_PERMS = ("registry.view_member", "registry.export_member")
ROLE_GROUPS = {"viewer": VIEWER, "analyst": ANALYST, "focal_point": FOCAL_POINT}


def staff_user(
    role: str | None = None,
    *,
    perms: tuple[str, ...] = (),
    username: str | None = None,
    is_staff: bool = True,
    mission: Mission | None = None,
):
    """An active staff user in a role's group ("viewer", "analyst", "focal_point";
    "superuser" for a superuser), with these extra permissions ("app_label.codename"),
    of `mission` (None: headquarters).

    Without a role the user has exactly `perms`. Fetched afresh, so no
    permission (and no scope) is cached on the returned object.
    """
    user_model = get_user_model()
    username = username or role or "staff"
    email = f"{username}@ministry.example"
    if role == "superuser":
        user = user_model.objects.create_superuser(username, email, STAFF_PASSWORD)
    else:
        user = user_model.objects.create_user(username, email, STAFF_PASSWORD, is_staff=is_staff)
    if mission is not None:
        MissionMembership.objects.create(user=user, mission=mission)
    if role == "superuser":
        return user_model.objects.get(pk=user.pk)
    if role is not None:
        user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user_model.objects.get(pk=user.pk)


def make_mission(name: str = "Embassy in Berlin", countries=("DE", "AT", "CH"), **fields):
    """A Mission covering `countries` (active unless is_active=False is given)."""
    return Mission.objects.create(name=name, countries=list(countries), **fields)


# The fixed search set.

# Search text that must never make a search fail.
ODD_QUERIES = ["((", '"', '"unclosed phrase', "!&|", "'", "\\", "-", "OR", "a:*", "<->", "%_"]


def fixed_members(make_member, subfield) -> dict[str, Member]:
    """Nine members; with the default (confirmed) status filter, by hand:

    1 Natural sciences (4): 1.2 Computer and information sciences (2: amina,
      bilal), 1.3 Physical sciences (2: chen, jiri)
    3 Medical and health sciences (2): 3.2 Clinical medicine (2: elodie, farhan)
    6 Humanities and the arts (1): 6.2 Languages and literature (1: aisha)

    bilal also lists 3.2 as another subfield but counts under 1.2 only;
    ghulam (unconfirmed) and hina (rejected) are not confirmed.
    """
    lectures = EngagementType.objects.get(slug="lectures")
    research = EngagementType.objects.get(slug="joint-research")
    cern = InternationalProject.objects.get(slug="cern")
    health = Sdg.objects.get(number=3)
    climate = Sdg.objects.get(number=13)
    return {
        "amina": make_member(
            full_name="Amina Rahman",
            primary_subfield=subfield("1.2"),
            keywords="machine learning, computer vision",
            summary="Builds vision models for satellite images.",
            country="GB",
            engagement_types=[lectures, research],
            sdgs=[climate],
        ),
        "bilal": make_member(
            full_name="Bilal Chaudhry",
            primary_subfield=subfield("1.2"),
            subfields=[subfield("3.2")],
            keywords="natural language processing",
            summary="Speech recognition for Urdu and Punjabi.",
            country="US",
            sector=Member.Sector.INDUSTRY,
            organisation="Google",
            engagement_types=[lectures],
        ),
        "chen": make_member(
            full_name="Chen Wei",
            primary_subfield=subfield("1.3"),
            keywords="particle physics, detector physics",
            summary="Works at CERN on the ATLAS experiment.",
            country="CH",
            organisation="CERN",
            sector=Member.Sector.RESEARCH,
            international_projects=[cern],
        ),
        "jiri": make_member(
            full_name="Jiří Dvořák",
            primary_subfield=subfield("1.3"),
            keywords="nuclear physics, reactor physics",
            summary="Neutron transport in fission reactors.",
            country="CZ",
            status=Member.Status.VERIFIED,
            highest_qualification=Member.Qualification.MASTERS,
        ),
        "elodie": make_member(
            full_name="Élodie Lefèvre",
            primary_subfield=subfield("3.2"),
            keywords="oncology, radiotherapy",
            summary="Radiation oncologist treating childhood cancers.",
            country="FR",
            career_stage=Member.CareerStage.R4,
            sdgs=[health],
        ),
        "farhan": make_member(
            full_name="Farhan Malik",
            primary_subfield=subfield("3.2"),
            keywords="cardiology",
            summary="Interventional cardiologist.",
            country="GB",
            status=Member.Status.VERIFIED,
            sdgs=[health],
        ),
        "aisha": make_member(
            full_name="عائشہ خان",
            primary_subfield=subfield("6.2"),
            keywords="Urdu literature, poetry",
            summary="Ghazal and modern Urdu poetry.",
            country="PK",
            status=Member.Status.VERIFIED,
        ),
        "ghulam": make_member(
            full_name="Ghulam Qureshi",
            primary_subfield=subfield("2.2"),
            keywords="power systems",
            status=Member.Status.UNCONFIRMED,
        ),
        "hina": make_member(
            full_name="Hina Siddiqui",
            primary_subfield=subfield("6.1"),
            keywords="archaeology",
            status=Member.Status.REJECTED,
        ),
    }


# The hand-computed grouping of fixed_members() for confirmed members:
# (broad field code, count, [(subfield code, count, [first names in order])]).
FIXED_GROUPS = [
    (
        "1",
        4,
        [("1.2", 2, ["Amina Rahman", "Bilal Chaudhry"]), ("1.3", 2, ["Chen Wei", "Jiří Dvořák"])],
    ),
    ("3", 2, [("3.2", 2, ["Élodie Lefèvre", "Farhan Malik"])]),
    ("6", 1, [("6.2", 1, ["عائشہ خان"])]),
]
