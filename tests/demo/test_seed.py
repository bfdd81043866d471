from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Count

from registry.db.postgres import indexes_rebuilt_after
from registry.demo.generator import RELATION_TARGETS
from registry.demo.seed import demo_members_seed
from registry.models import Member, Mission, Subfield
from registry.services.clusters import clusters_rebuild
from registry.services.members import member_create, member_search_document
from registry.text import fold
from registry.validators import validate_orcid
from tests.factories import member_data, postgres_only

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
    until = date(2026, 6, 30)
    call_command("seed_demo", members=2000, seed=1, until=until)
    first = snapshot()
    Member.objects.all().delete()
    call_command("seed_demo", members=2000, seed=1, until=until)
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
    assert len(seeded) > 400


def test_seed_if_empty_adds_nothing_when_members_exist(member):
    call_command("seed_demo", members=10, if_empty=True)
    assert Member.objects.count() == 1


def test_seeding_twice_appends_without_collisions():
    call_command("seed_demo", members=30, seed=1)
    call_command("seed_demo", members=30, seed=1)
    assert Member.objects.count() == 60
    # The id sequence moved past the explicit ids.
    assert member_create(data=member_data()).id == 61


def test_batch_size_and_index_rebuild_do_not_change_the_data():
    until = datetime(2026, 6, 30, tzinfo=UTC)
    demo_members_seed(count=300, seed=4, until=until)
    first = snapshot()
    Member.objects.all().delete()
    demo_members_seed(count=300, seed=4, batch_size=7, rebuild_indexes_from=1, until=until)
    assert snapshot() == first


def test_seeded_derived_columns_match_the_member_services():
    demo_members_seed(count=400, seed=5)
    names = dict(Subfield.objects.values_list("id", "name"))
    positions = {s.id: (s.position, s.code) for s in Subfield.objects.all()}
    members = Member.objects.exclude(status=Member.Status.WITHDRAWN).prefetch_related("subfields")
    assert members.count() > 300
    for m in members:
        ids = {m.primary_subfield_id, *(s.id for s in m.subfields.all())}
        subfield_names = [names[i] for i in sorted(ids, key=positions.__getitem__)]
        assert m.search_document == member_search_document(member=m, subfield_names=subfield_names)
        assert m.name_key == fold(m.full_name)[:200]
        assert m.organisation_key == fold(m.organisation)[:200]


def test_seed_progress_reports_each_phase():
    lines = []
    demo_members_seed(count=20, seed=1, rebuild_indexes_from=1, progress=lines.append)
    assert lines[0].startswith("rows inserted")
    if connection.vendor == "postgresql":
        assert [line.split(":")[0] for line in lines] == [
            "rows inserted (secondary indexes and foreign keys dropped)",
            "possible duplicates flagged",
            "name words recorded",
            "indexes and foreign keys built",
            "analyzed",
        ]


def schema():
    """Every index and constraint definition in the schema, by name."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = current_schema() ORDER BY 1, 2"
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid), "
            "condeferrable, condeferred, convalidated FROM pg_constraint "
            "WHERE connamespace = current_schema()::regnamespace ORDER BY 1, 2"
        )
        constraints = cursor.fetchall()
    return indexes, constraints


def member_tables():
    return {Member._meta.db_table} | {
        getattr(Member, name).through._meta.db_table for name in RELATION_TARGETS
    }


@postgres_only
def test_seed_with_index_rebuild_leaves_the_schema_as_the_migrations_made_it():
    before = schema()
    tables = member_tables()
    # Secondary indexes, unique constraints and foreign keys on every table written.
    assert sum(1 for index in before[0] if index[0] in tables) > 25
    assert sum(1 for c in before[1] if c[0] in tables and c[2] in "fu") > 15
    call_command("seed_demo", members=500, seed=1)  # row by row: below the threshold
    assert schema() == before
    demo_members_seed(count=500, seed=2, rebuild_indexes_from=1)  # 500 rows into 500
    assert schema() == before
    Member.objects.all().delete()
    demo_members_seed(count=500, seed=2, rebuild_indexes_from=1)  # the rebuild path
    assert schema() == before
    assert Member.objects.count() == 500
    assert Member.objects.filter(
        status=Member.Status.DUPLICATE, duplicate_of__isnull=False
    ).exists()


@postgres_only
def test_index_rebuild_drops_secondary_indexes_during_the_load():
    before = schema()
    with transaction.atomic(), indexes_rebuilt_after(Member):
        during = schema()
        assert [i[1] for i in during[0] if i[0] == Member._meta.db_table] == [
            "registry_member_pkey"
        ]
        member_constraints = {c[2] for c in during[1] if c[0] == Member._meta.db_table}
        assert "f" not in member_constraints and "c" in member_constraints
    assert schema() == before


@postgres_only
def test_index_rebuild_validates_and_rolls_back_to_the_original_schema(member):
    before = schema()
    with pytest.raises(IntegrityError), transaction.atomic(), indexes_rebuilt_after(Member):
        other = member_create(data=member_data())
        # The case-insensitive unique e-mail index is built again, and refuses this.
        Member.objects.filter(pk=other.pk).update(email=member.email.upper())
    assert schema() == before
    with pytest.raises(IntegrityError), transaction.atomic(), indexes_rebuilt_after(Member):
        Member.objects.filter(pk=member.pk).update(duplicate_of_id=member.pk + 1000)
    assert schema() == before
    assert Member.objects.count() == 1


def test_seed_demo_creates_the_demo_missions_once(db):
    call_command("seed_demo", members=0)
    call_command("seed_demo", members=0, if_empty=True)

    missions = {m.name: m.country_codes for m in Mission.objects.all()}
    assert missions == {
        "Embassy in Berlin": ("AT", "CH", "DE"),
        "Embassy in Washington": ("US",),
        "High Commission in London": ("GB", "IE"),
    }
    assert all(m.history.count() == 1 for m in Mission.objects.all())
