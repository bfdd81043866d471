"""The members' relation masks on PostgreSQL (migration 0016): exact through every write."""

import pytest
from django.db import connection

from registry.demo.seed import demo_members_seed
from registry.models import (
    EngagementType,
    ExpertiseCluster,
    InternationalProject,
    Member,
    Sdg,
)
from registry.selectors.dashboard import RELATED, relation_mask
from registry.services.clusters import cluster_recompute
from registry.services.members import member_update
from registry.services.withdrawal import member_erase
from tests.factories import postgres_only

pytestmark = postgres_only
MASKS = [f"{name}_mask" for name in RELATED]


def stored() -> dict[int, tuple[int, ...]]:
    """Member id -> its masks as the table holds them (zero masks left out)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {', '.join(MASKS)} FROM registry_member")
        return {row[0]: tuple(row[1:]) for row in cursor.fetchall() if any(row[1:])}


def recounted() -> dict[int, tuple[int, ...]]:
    """Member id -> its masks computed in Python from the relation rows."""
    targets: dict[int, list[set]] = {}
    for i, (relation, column) in enumerate(RELATED.values()):
        through = Member._meta.get_field(relation).remote_field.through
        for member_id, target in through.objects.values_list("member_id", column):
            targets.setdefault(member_id, [set() for _ in RELATED])[i].add(target)
    masks = {m: tuple(relation_mask(ids) for ids in sets) for m, sets in targets.items()}
    return {m: masks for m, masks in masks.items() if any(masks)}


def assert_exact():
    assert stored() == recounted()


def mask_of(member: Member, name: str) -> int:
    return stored().get(member.pk, (0,) * len(MASKS))[list(RELATED).index(name)]


@pytest.fixture
def network(make_member, subfield):
    lectures = EngagementType.objects.get(slug="lectures")
    research = EngagementType.objects.get(slug="joint-research")
    return {
        "amina": make_member(
            keywords="machine learning",
            engagement_types=[lectures, research],
            sdgs=[Sdg.objects.get(number=3)],
            international_projects=[InternationalProject.objects.get(slug="cern")],
        ),
        "bilal": make_member(primary_subfield=subfield("1.2"), engagement_types=[lectures]),
        "chen": make_member(country="DE", sdgs=Sdg.objects.filter(number__in=[6, 13])),
    }


def test_the_services_and_relation_managers_keep_the_masks_exact(network, staff):
    assert_exact()
    amina, bilal, chen = network["amina"], network["bilal"], network["chen"]
    research = EngagementType.objects.get(slug="joint-research")
    lectures = EngagementType.objects.get(slug="lectures")
    assert mask_of(amina, "engagement") == (1 << lectures.pk) | (1 << research.pk)
    bilal.engagement_types.add(research)
    amina.engagement_types.remove(research)
    chen.sdgs.clear()
    assert_exact()
    member_update(
        member=bilal,
        data={"international_projects": InternationalProject.objects.all()[:3], "sdgs": []},
    )
    member_update(member=chen, data={"keywords": "machine learning, water"})
    assert_exact()
    member_erase(member=Member.objects.get(pk=amina.pk))
    assert amina.pk not in stored()
    assert_exact()


def test_a_member_saved_from_an_old_copy_keeps_its_relations(network):
    old_copy = Member.objects.get(pk=network["bilal"].pk)
    network["bilal"].sdgs.set(Sdg.objects.filter(number__in=[1, 2]))
    old_copy.city = "Leeds"
    old_copy.save()
    assert_exact()
    assert mask_of(old_copy, "sdg") == relation_mask(
        Sdg.objects.filter(number__in=[1, 2]).values_list("pk", flat=True)
    )


def test_bulk_and_raw_writes_keep_the_masks_exact(network, subfield):
    cluster = ExpertiseCluster.objects.create(name="Maths", slug="maths", keywords="learning")
    cluster.subfields.set([subfield("1.2")])
    cluster_recompute(cluster=cluster)
    assert_exact()
    cluster.keywords = ""
    cluster.save()
    cluster_recompute(cluster=cluster)
    assert_exact()
    lectures = EngagementType.objects.get(slug="lectures")
    visits = EngagementType.objects.get(slug="visits")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_member_engagement_types SET engagementtype_id = %s "
            "WHERE engagementtype_id = %s",
            [visits.pk, lectures.pk],
        )
    assert_exact()
    # Deleting a target deletes its relation rows.
    visits.delete()
    Member.objects.filter(pk=network["chen"].pk).delete()
    assert_exact()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE registry_member_sdgs")
    assert_exact()


def test_targets_beyond_the_masks_leave_them_alone(network):
    far = InternationalProject.objects.create(pk=90, slug="far", name="Far")
    network["chen"].international_projects.add(far)
    assert mask_of(network["chen"], "project") == 0
    assert_exact()


def test_the_bulk_seed_writes_the_masks_with_the_members(db):
    # From 200 members the seed loads with the dashboard's triggers paused.
    demo_members_seed(count=300, seed=7, batch_size=120, rebuild_indexes_from=200)
    assert len(stored()) > 250
    assert_exact()
    demo_members_seed(count=50, seed=8)
    assert_exact()


def test_the_refill_repairs_the_masks(network):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_member SET sdg_mask = 5, cluster_mask = 0")
        cursor.execute("SELECT registry_dashboard_masks_refill()")
    assert_exact()
