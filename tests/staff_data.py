"""Shared data for the staff search and export tests: users with roles, a small
fixed set of members whose grouping is worked out by hand, vendor markers."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection

from registry.models import EngagementType, InternationalProject, Member, Sdg

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL path (full-text search, cursors)"
)
portable_only = pytest.mark.skipif(
    connection.vendor == "postgresql", reason="portable fallback, used when not on PostgreSQL"
)

VIEWER_PERMS = ("registry.view_member",)
ANALYST_PERMS = ("registry.view_member", "registry.export_member")


def staff_user(*perms: str, username: str = "staff", is_staff: bool = True):
    """An active user with exactly these permissions ("app_label.codename")."""
    user = get_user_model().objects.create_user(
        username=username, password="a-long-test-password", is_staff=is_staff
    )
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return get_user_model().objects.get(pk=user.pk)


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
