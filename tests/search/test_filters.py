"""Free-text search on either database, and the staff filters (registry.search.filters)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.models import EngagementType, ExpertiseCluster, Member, Sdg, Subfield
from registry.search import SearchTimedOut
from registry.search.filters import (
    MemberFilters,
    is_ranked,
    member_order,
    members_filtered,
    members_matching_text,
    members_search,
    search_time_limit,
)
from registry.search.grouping import members_grouped_by_field, subfield_counts
from registry.search.parser import FUZZY_FALLBACK_BELOW
from registry.search.postgres import SEARCH_WORK_MEM
from registry.services.members import member_update
from tests.factories import ODD_QUERIES, VIEWER_PERMS, portable_only, postgres_only, staff_user


def names(queryset) -> set[str]:
    return set(queryset.values_list("full_name", flat=True))


def matching(text: str) -> set[str]:
    return names(members_matching_text(Member.objects.all(), text))


# Free text on the database at hand (SQLite or PostgreSQL).


def test_words_must_all_match(members):
    assert matching("physics cern") == {"Chen Wei"}
    assert matching("physics") == {"Chen Wei", "Jiří Dvořák"}


def test_phrase_matches_only_adjacent_words(members):
    assert matching('"particle physics"') == {"Chen Wei"}
    assert matching('"physics particle"') == set()


def test_or_gives_alternatives(members):
    assert matching("oncology OR cardiology") == {"Élodie Lefèvre", "Farhan Malik"}


def test_minus_excludes(members):
    assert matching("physics -cern") == {"Jiří Dvořák"}
    assert matching('physics -"particle physics"') == {"Jiří Dvořák"}


def test_accents_and_case_do_not_matter(members):
    assert matching("DVORAK") == {"Jiří Dvořák"}
    assert matching("jiří dvořák") == {"Jiří Dvořák"}
    assert matching("elodie lefevre") == {"Élodie Lefèvre"}


def test_urdu_name_is_found(members):
    assert matching("خان") == {"عائشہ خان"}


def test_other_subfield_names_are_searchable(members):
    assert "Bilal Chaudhry" in matching('"clinical medicine"')


@pytest.mark.parametrize("text", ODD_QUERIES)
def test_odd_syntax_never_errors(members, text):
    assert isinstance(matching(text), set)


def test_text_without_words_leaves_the_queryset_alone(members):
    assert matching("!&| (( ") == names(Member.objects.all())


def test_search_document_follows_an_update(members):
    member_update(member=members["farhan"], data={"keywords": "electrophysiology"})
    assert matching("electrophysiology") == {"Farhan Malik"}
    assert matching("cardiology") == set()


def test_text_search_works_inside_a_subquery(members):
    # The admin combines search results with its own filters this way.
    inner = members_matching_text(Member.objects.all(), "physics -cern").values("pk")
    assert names(Member.objects.filter(pk__in=inner)) == {"Jiří Dvořák"}


# PostgreSQL: full-text search, ranking, fuzzy names, timeout.


@postgres_only
def test_postgres_stems_english_words(members):
    assert matching("oncologist") == {"Élodie Lefèvre"}
    assert matching("reactors") == {"Jiří Dvořák"}


@postgres_only
def test_postgres_finds_a_misspelt_name(members):
    assert matching("Qureshy") == {"Ghulam Qureshi"}
    assert matching("Chaudri") == {"Bilal Chaudhry"}


@postgres_only
def test_postgres_search_can_use_the_gin_indexes(members):
    queryset = members_matching_text(Member.objects.all(), "qureshi").order_by().values("id")
    sql, params = queryset.query.sql_with_params()
    assert '"search_vector" @@ (websearch_to_tsquery(' in sql
    with connection.cursor() as cursor:
        # The test table is tiny: forbid plain scans to see the index plan.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "member_search_vector_idx" in plan
    assert "member_name_key_trgm_idx" in plan


def test_counts_per_subfield_read_no_column_outside_the_index(members):
    # COUNT(*) rather than COUNT(id): with (primary_subfield_id, status) in an
    # index, PostgreSQL counts a million members without reading the table.
    queryset = members_filtered(Member.objects.all(), MemberFilters())
    with CaptureQueriesContext(connection) as queries:
        assert subfield_counts(queryset) == {
            Subfield.objects.get(code=code).id: count
            for code, count in [("1.2", 2), ("1.3", 2), ("3.2", 2), ("6.2", 1)]
        }
    assert "COUNT(*)" in queries[0]["sql"] and '"id")' not in queries[0]["sql"]


@postgres_only
def test_postgres_vector_is_current_after_bulk_copy(db):
    # seed_demo inserts with COPY; the generated column is computed all the same.
    call_command("seed_demo", members=30, seed=4, stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM registry_member WHERE search_document <> '' "
            "AND search_vector <> to_tsvector('dorin', search_document)"
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT count(*) FROM registry_member WHERE search_vector <> ''")
        assert cursor.fetchone()[0] > 0


@postgres_only
def test_postgres_ranks_better_matches_first(make_member, subfield):
    make_member(full_name="Once", primary_subfield=subfield("3.2"), keywords="oncology")
    make_member(
        full_name="Thrice",
        primary_subfield=subfield("3.2"),
        keywords="oncology, paediatric oncology",
        summary="Oncology research.",
    )
    groups = members_grouped_by_field(members_matching_text(Member.objects.all(), "oncology"))
    assert [m.full_name for m in groups[0].subfields[0].members] == ["Thrice", "Once"]


@postgres_only
def test_postgres_ranks_full_text_matches_before_fuzzy_names(make_member, subfield):
    make_member(full_name="Ali Qurreshi", primary_subfield=subfield("1.2"))
    make_member(full_name="Ghulam Qureshi", primary_subfield=subfield("1.2"))
    groups = members_grouped_by_field(members_matching_text(Member.objects.all(), "qureshi"))
    assert [m.full_name for m in groups[0].subfields[0].members] == [
        "Ghulam Qureshi",
        "Ali Qurreshi",
    ]


@postgres_only
def test_postgres_adds_fuzzy_names_only_when_full_text_finds_few(make_member, subfield):
    for n in range(FUZZY_FALLBACK_BELOW):
        make_member(full_name=f"Ghulam Qureshi {n}", primary_subfield=subfield("1.2"))
    make_member(full_name="Ali Qurreshi", primary_subfield=subfield("1.2"))
    # "qureshi" is a common word here: the full-text matches alone, ranked.
    common = members_matching_text(Member.objects.all(), "qureshi")
    assert "WORD_SIMILARITY" not in str(common.query)
    assert len(names(common)) == FUZZY_FALLBACK_BELOW and is_ranked(common)
    # "qurreshi" finds one member by full text: similar names join it, after it.
    rare = members_matching_text(Member.objects.all(), "qurreshi")
    assert "WORD_SIMILARITY" in str(rare.query)
    ordered = list(rare.order_by(*member_order(rare)).values_list("full_name", flat=True))
    assert ordered[0] == "Ali Qurreshi" and len(ordered) == FUZZY_FALLBACK_BELOW + 1


@postgres_only
def test_postgres_search_runs_with_more_memory_and_no_jit(db):
    with search_time_limit():
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('work_mem'), current_setting('jit')")
            assert cursor.fetchone() == (SEARCH_WORK_MEM, "off")


@postgres_only
def test_postgres_statement_timeout_cancels_a_slow_search(db):
    with pytest.raises(SearchTimedOut):
        with search_time_limit(milliseconds=50):
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(2)")


@postgres_only
def test_postgres_statement_timeout_is_set_inside_the_block(db):
    with search_time_limit(milliseconds=1234):
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "1234ms"


@portable_only
def test_portable_search_reads_the_folded_document(members):
    sql = str(members_matching_text(Member.objects.all(), "physics").query)
    assert "search_document" in sql and "search_vector" not in sql


@portable_only
def test_portable_search_matches_parts_of_words(members):
    # Containment, not stemming: a word's beginning finds it.
    assert matching("oncolog") == {"Élodie Lefèvre"}


# Filters.


def test_default_filters_keep_confirmed_members_only(members):
    assert names(members_filtered(Member.objects.all(), MemberFilters())) == {
        m.full_name
        for key, m in members.items()
        if key not in ("ghulam", "hina")  # unconfirmed, rejected
    }


def test_every_status_when_statuses_are_empty(members):
    assert members_filtered(Member.objects.all(), MemberFilters(statuses=())).count() == 9


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (
            lambda: MemberFilters(field_id=Subfield.objects.get(code="3.2").field_id),
            {"elodie", "farhan"},
        ),
        (lambda: MemberFilters(subfield_id=Subfield.objects.get(code="1.3").id), {"chen", "jiri"}),
        (lambda: MemberFilters(country="GB"), {"amina", "farhan"}),
        (lambda: MemberFilters(sector=Member.Sector.INDUSTRY), {"bilal"}),
        (lambda: MemberFilters(qualification=Member.Qualification.MASTERS), {"jiri"}),
        (lambda: MemberFilters(career_stage=Member.CareerStage.R4), {"elodie"}),
        (lambda: MemberFilters(statuses=(Member.Status.VERIFIED,)), {"jiri", "farhan", "aisha"}),
        (
            lambda: MemberFilters(
                engagement_type_id=EngagementType.objects.get(slug="lectures").id
            ),
            {"amina", "bilal"},
        ),
        (lambda: MemberFilters(sdg_id=Sdg.objects.get(number=3).id), {"elodie", "farhan"}),
        (
            lambda: MemberFilters(
                cluster_id=ExpertiseCluster.objects.get(slug="health-biomedicine").id
            ),
            # Clusters count every subfield: bilal lists 3.2 as another one.
            {"bilal", "elodie", "farhan"},
        ),
        (lambda: MemberFilters(text="physics", country="CZ"), {"jiri"}),
    ],
)
def test_each_filter_narrows_the_members(members, filters, expected):
    found = names(members_filtered(Member.objects.all(), filters()))
    assert found == {members[key].full_name for key in expected}


def test_search_shows_nothing_to_a_user_without_the_view_permission(members, db):
    nobody = staff_user(username="nobody")
    assert members_search(user=nobody, filters=MemberFilters()).count() == 0
    viewer = staff_user(perms=VIEWER_PERMS, username="viewer")
    assert members_search(user=viewer, filters=MemberFilters()).count() == 7
