import pytest
from django.core.management import call_command
from django.db.models import Count

from registry.models import Member
from registry.services.clusters import clusters_rebuild
from registry.validators import validate_orcid

pytestmark = pytest.mark.django_db


def snapshot():
    members = list(
        Member.objects.order_by("id").values_list(
            "id",
            "full_name",
            "email",
            "country",
            "primary_subfield__code",
            "keywords",
            "status",
            "orcid",
            "created_at",
            "duplicate_of_id",
        )
    )
    relations = {
        name: sorted(getattr(Member, name).through.objects.values_list(*columns))
        for name, columns in {
            "subfields": ("member_id", "subfield_id"),
            "sdgs": ("member_id", "sdg_id"),
            "clusters": ("member_id", "expertisecluster_id"),
        }.items()
    }
    return members, relations


def test_same_seed_gives_identical_data():
    call_command("seed_demo", members=2000, seed=1)
    first = snapshot()
    Member.objects.all().delete()
    call_command("seed_demo", members=2000, seed=1)
    assert snapshot() == first
    assert len(first[0]) == 2000


def test_other_seed_gives_other_data():
    call_command("seed_demo", members=50, seed=1)
    first = snapshot()[0]
    Member.objects.all().delete()
    call_command("seed_demo", members=50, seed=2)
    assert [m[1] for m in snapshot()[0]] != [m[1] for m in first]


def test_seeded_rows_satisfy_every_constraint_and_look_realistic():
    call_command("seed_demo", members=2000, seed=1)
    members = Member.objects.all()
    # The database constraints held on insert; the field validators (lengths,
    # choices, URL and ORCID formats, ranges) are checked here.
    for member in members.exclude(status=Member.Status.WITHDRAWN).iterator():
        member.clean_fields()
        if member.orcid:
            validate_orcid(member.orcid)
    statuses = dict(members.values_list("status").annotate(n=Count("id")))
    assert set(statuses) == set(Member.Status.values)
    assert members.filter(full_name__regex=r"[\u0600-\u06FF]").exists()  # Urdu/Arabic script
    assert members.filter(full_name__regex=r"[À-ž]").exists()  # accented Latin names
    assert members.exclude(orcid="").count() > 400
    # Skewed popularity: the most common subfield holds far more than the median one.
    per_subfield = sorted(
        members.values("primary_subfield").annotate(n=Count("id")).values_list("n", flat=True)
    )
    assert per_subfield[-1] > 5 * per_subfield[len(per_subfield) // 2]
    tombstone = members.filter(status=Member.Status.WITHDRAWN).first()
    assert tombstone.full_name == "" and tombstone.email == ""


def test_seeded_clusters_match_the_cluster_rules():
    call_command("seed_demo", members=500, seed=3)
    seeded = snapshot()[1]["clusters"]
    Member.clusters.through.objects.all().delete()
    clusters_rebuild()
    assert snapshot()[1]["clusters"] == seeded
    assert len(seeded) > 500


def test_seed_if_empty_adds_nothing_when_members_exist(member):
    call_command("seed_demo", members=10, if_empty=True)
    assert Member.objects.count() == 1


def test_seeding_twice_appends_without_collisions():
    call_command("seed_demo", members=30, seed=1)
    call_command("seed_demo", members=30, seed=1)
    assert Member.objects.count() == 60
    from registry.services.members import member_create
    from tests.conftest import member_data

    # The id sequence moved past the explicit ids.
    assert member_create(data=member_data()).id == 61
