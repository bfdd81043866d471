"""Expertise clusters: membership by subfield and keyword, recomputed on change."""

import pytest

from registry.models import ExpertiseCluster, Member
from registry.search import portable, postgres
from registry.selectors.clusters import clusters_with_member_count_column
from registry.services.clusters import cluster_recompute, clusters_rebuild, keyword_pattern
from registry.services.members import member_update

pytestmark = pytest.mark.django_db


def cluster(slug):
    return ExpertiseCluster.objects.get(slug=slug)


def slugs(member):
    return set(member.clusters.values_list("slug", flat=True))


def test_member_with_a_cluster_subfield_is_in_the_cluster(make_member, subfield):
    member = make_member(primary_subfield=subfield("1.2"))
    assert "ai-data-science" in slugs(member)


def test_member_with_a_cluster_keyword_as_whole_words_is_in_the_cluster(make_member):
    member = make_member(keywords="Nuclear Medicine, dosimetry")
    assert "nuclear-science-medicine" in slugs(member)


def test_keyword_inside_another_word_does_not_match(make_member):
    # "AI" is an AI cluster keyword; "Thailand" and "maintenance" contain it.
    member = make_member(keywords="maintenance in Thailand")
    assert "ai-data-science" not in slugs(member)


def test_keyword_pattern_matches_phrases_case_insensitively_on_word_boundaries():
    pattern = keyword_pattern(["machine learning", "AI"])
    assert pattern.search("Applied MACHINE  learning")
    assert pattern.search("ethics of ai.")
    assert not pattern.search("machine-learnings")
    assert not pattern.search("said")


def test_changing_expertise_recomputes_membership(make_member, subfield):
    member = make_member(keywords="radiotherapy")
    assert "nuclear-science-medicine" in slugs(member)
    member_update(member=member, data={"keywords": "econometrics"})
    assert "nuclear-science-medicine" not in slugs(member)
    member_update(member=member, data={"subfields": [subfield("3.2")]})
    assert "health-biomedicine" in slugs(member)


def test_withdrawn_member_is_in_no_cluster(make_member, subfield):
    member = make_member(primary_subfield=subfield("1.2"))
    member_update(member=member, data={"status": Member.Status.WITHDRAWN})
    assert slugs(member) == set()


def test_changing_a_cluster_definition_recomputes_it_in_bulk(
    make_member, subfield, django_assert_max_num_queries
):
    historians = [make_member(primary_subfield=subfield("6.1")) for _ in range(5)]
    glaciologist = make_member(keywords="glacier dynamics")
    energy = cluster("energy")
    energy.subfields.set([subfield("6.1")])
    energy.keywords = "glacier dynamics"
    energy.save()
    # A handful of queries, not one per member.
    with django_assert_max_num_queries(10):
        count = cluster_recompute(cluster=energy)
    assert count == 6
    assert set(energy.members.all()) == {*historians, glaciologist}
    energy.subfields.clear()
    assert cluster_recompute(cluster=energy) == 1
    assert list(energy.members.all()) == [glaciologist]


def test_recompute_finds_a_non_ascii_keyword_in_any_case(make_member):
    # SQLite's LIKE folds only ASCII: there the database cannot narrow the
    # rows for such a keyword, and every member's keywords are checked.
    upper = make_member(keywords="ÖKOLOGIE, forests")
    lower = make_member(keywords="angewandte ökologie")
    make_member(keywords="oekologie")
    energy = cluster("energy")
    energy.subfields.clear()
    energy.keywords = "Ökologie"
    energy.save()
    assert cluster_recompute(cluster=energy) == 2
    assert set(energy.members.all()) == {upper, lower}


def test_each_search_backend_says_whether_icontains_folds_a_keyword():
    assert postgres.icontains_folds_case("Ökologie")
    assert portable.icontains_folds_case("Ecology") and not portable.icontains_folds_case("Ö")


def test_inactive_cluster_has_no_members(make_member, subfield):
    make_member(primary_subfield=subfield("1.2"))
    ai = cluster("ai-data-science")
    ai.is_active = False
    ai.save()
    assert cluster_recompute(cluster=ai) == 0


def test_counting_members_per_cluster_is_one_query(
    make_member, subfield, focal_point, django_assert_num_queries
):
    make_member(primary_subfield=subfield("1.2"))
    make_member(primary_subfield=subfield("1.2"), keywords="solar")
    # One query reads the account's Mission (none: headquarters), one counts.
    with django_assert_num_queries(2):
        clusters = clusters_with_member_count_column(user=focal_point)
        counts = {c.slug: c.member_count for c in clusters}
    assert counts["ai-data-science"] == 2
    assert counts["energy"] == 1
    assert counts["heritage-languages-society"] == 0


def test_rebuild_matches_incremental_membership(make_member, subfield):
    members = [
        make_member(primary_subfield=subfield("1.2"), keywords="solar, history"),
        make_member(primary_subfield=subfield("3.2")),
        make_member(keywords="satellite"),
    ]
    before = {m.id: slugs(m) for m in members}
    Member.clusters.through.objects.all().delete()
    clusters_rebuild()
    assert {m.id: slugs(m) for m in members} == before
