"""Free-text search, filters and grouping by field (registry.search)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.models import EngagementType, ExpertiseCluster, Member, Sdg, Subfield
from registry.search import SearchTimedOut, portable
from registry.search.filters import (
    MemberFilters,
    is_ranked,
    member_order,
    members_filtered,
    members_matching_text,
    members_search,
    search_time_limit,
)
from registry.search.grouping import (
    members_grouped_by_field,
    staff_search_results,
    subfield_counts,
    subfield_heads,
)
from registry.search.parser import (
    FUZZY_FALLBACK_BELOW,
    MAX_QUERY_LENGTH,
    Term,
    parse_search_text,
)
from registry.search.postgres import SEARCH_WORK_MEM
from registry.services.members import member_update
from tests.staff_data import (
    FIXED_GROUPS,
    VIEWER_PERMS,
    fixed_members,
    portable_only,
    postgres_only,
    staff_user,
)

ODD_QUERIES = ["((", '"', '"unclosed phrase', "!&|", "'", "\\", "-", "OR", "a:*", "<->", "%_"]


def names(queryset) -> set[str]:
    return set(queryset.values_list("full_name", flat=True))


def matching(text: str) -> set[str]:
    return names(members_matching_text(Member.objects.all(), text))


def grouping_shape(groups) -> list:
    return [
        (
            g.code,
            g.count,
            [(s.code, s.count, [m.full_name for m in s.members]) for s in g.subfields],
        )
        for g in groups
    ]


# The parser (no database).


def test_parse_words_are_folded_and_all_required():
    assert parse_search_text("Ángström  NUCLEAR") == ((Term(("angstrom",)), Term(("nuclear",))),)


def test_parse_phrase_or_and_exclusion_follow_websearch_precedence():
    parsed = parse_search_text('"particle physics" -cern OR oncology')
    assert parsed == (
        (Term(("particle", "physics")), Term(("cern",), negated=True)),
        (Term(("oncology",)),),
    )


def test_parse_excluded_phrase_and_hyphenated_word():
    assert parse_search_text('-"machine learning" covid-19') == (
        (Term(("machine", "learning"), negated=True), Term(("covid",)), Term(("19",))),
    )


@pytest.mark.parametrize("text", ODD_QUERIES + ["", "   ", "OR OR", '""', "- - -"])
def test_parse_never_fails_on_odd_syntax(text):
    parsed = parse_search_text(text)
    assert all(term.words for terms in parsed for term in terms)


def test_parse_keeps_urdu_words_whole():
    assert parse_search_text("عائشہ خان") == ((Term(("عائشہ",)), Term(("خان",))),)


def test_parse_caps_the_length():
    parsed = parse_search_text("a" * (MAX_QUERY_LENGTH - 1) + " bbbbbbb")
    assert parsed == ((Term(("a" * (MAX_QUERY_LENGTH - 1),)),),)


# Free text on the database at hand (SQLite or PostgreSQL).


@pytest.fixture
def members(make_member, subfield):
    return fixed_members(make_member, subfield)


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
    assert "%>" not in str(common.query)
    assert len(names(common)) == FUZZY_FALLBACK_BELOW and is_ranked(common)
    # "qurreshi" finds one member by full text: similar names join it, after it.
    rare = members_matching_text(Member.objects.all(), "qurreshi")
    assert "%>" in str(rare.query)
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
    viewer = staff_user(*VIEWER_PERMS, username="viewer")
    assert members_search(user=viewer, filters=MemberFilters()).count() == 7


# Grouping.


def test_grouping_and_counts_match_the_hand_computed_expectation(members):
    queryset = members_filtered(Member.objects.all(), MemberFilters())
    groups = members_grouped_by_field(queryset)
    assert grouping_shape(groups) == FIXED_GROUPS
    assert [g.name for g in groups] == [
        "Natural sciences",
        "Medical and health sciences",
        "Humanities and the arts",
    ]


def test_grouping_shows_the_first_members_and_knows_there_are_more(members):
    queryset = members_filtered(Member.objects.all(), MemberFilters())
    groups = members_grouped_by_field(queryset, per_subfield=1)
    natural = groups[0]
    assert [(s.code, s.count, len(s.members), s.has_more) for s in natural.subfields] == [
        ("1.2", 2, 1, True),
        ("1.3", 2, 1, True),
    ]
    assert natural.subfields[0].members[0].full_name == "Amina Rahman"


def test_grouping_with_text_counts_only_the_matches(members):
    filters = MemberFilters(text="physics OR oncology")
    groups = members_grouped_by_field(members_filtered(Member.objects.all(), filters))
    assert [(g.code, g.count, [(s.code, s.count) for s in g.subfields]) for g in groups] == [
        ("1", 2, [("1.3", 2)]),
        ("3", 1, [("3.2", 1)]),
    ]


def test_grouping_of_nothing_is_empty(members):
    filters = MemberFilters(text="nonexistentword")
    assert members_grouped_by_field(members_filtered(Member.objects.all(), filters)) == []


def test_grouping_runs_three_queries_whatever_the_matches(make_member, subfield):
    codes = ["1.1", "1.2", "2.1", "3.2", "5.2", "6.1"]
    queryset = members_filtered(Member.objects.all(), MemberFilters())
    for n in range(12):
        make_member(primary_subfield=subfield(codes[n % len(codes)]))
    with CaptureQueriesContext(connection) as few:
        members_grouped_by_field(queryset)
    for n in range(60):
        make_member(primary_subfield=subfield(codes[n % len(codes)] if n % 2 else "4.1"))
    with CaptureQueriesContext(connection) as many:
        groups = members_grouped_by_field(queryset)
    assert len(few) == len(many) == 3
    assert sum(g.count for g in groups) == 72


@postgres_only
def test_postgres_one_pass_heads_give_the_same_groups_as_the_portable_window(
    members, make_member, subfield
):
    for n in range(8):
        make_member(
            full_name=f"Extra {n}",
            primary_subfield=subfield("1.3"),
            keywords="physics" + ", physics" * (n % 3),
        )

    for text in ("", "physics", "physics OR oncology"):
        queryset = members_filtered(Member.objects.all(), MemberFilters(text=text))
        with CaptureQueriesContext(connection) as queries:
            one_pass = members_grouped_by_field(queryset, per_subfield=3)
        assert "ARRAY_AGG" in queries[0]["sql"].upper() and len(queries) == 3
        # The portable backend's counts and window function run on PostgreSQL too.
        heads = portable.subfield_heads(queryset, per_subfield=3)
        window: dict[int, list[int]] = {}
        for row in portable.first_members(queryset, heads=heads, per_subfield=3):
            window.setdefault(row.primary_subfield_id, []).append(row.id)
        subfields = [s for g in one_pass for s in g.subfields]
        assert {s.id: s.count for s in subfields} == heads.counts
        assert {s.id: [m.id for m in s.members] for s in subfields} == window
        assert one_pass and all(len(s.members) <= 3 for s in subfields)


@postgres_only
@pytest.mark.parametrize(
    ("filters", "walks"),
    [
        (MemberFilters(), True),
        (MemberFilters(statuses=()), True),
        (MemberFilters(country="GB"), False),
    ],
)
def test_postgres_search_walks_the_name_index_only_with_status_filters(
    members, monkeypatch, filters, walks
):
    # Other column filters make the count read the table anyway: one pass
    # over the matches then serves both counts and first members.
    monkeypatch.setattr("registry.search.postgres.NAME_WALK_MIN_MATCHES", 0)
    viewer = staff_user(*VIEWER_PERMS, username="viewer")
    with CaptureQueriesContext(connection) as queries:
        results = staff_search_results(user=viewer, filters=filters)
    assert results.total > 0
    assert any("UNION ALL" in q["sql"] for q in queries) == walks


@postgres_only
def test_postgres_name_walk_lists_the_same_first_members(
    members, make_member, subfield, monkeypatch
):
    for n in range(6):
        make_member(full_name=f"Walker {n}", primary_subfield=subfield("1.3"))
    queryset = members_filtered(Member.objects.all(), MemberFilters())
    heads = subfield_heads(queryset, per_subfield=2, name_walk=True)
    assert not heads.by_name_walk  # few matches: the one-pass aggregate
    monkeypatch.setattr("registry.search.postgres.NAME_WALK_MIN_MATCHES", 0)
    walked = subfield_heads(queryset, per_subfield=2, name_walk=True)
    assert walked.by_name_walk
    assert not subfield_heads(queryset, per_subfield=2).by_name_walk  # not allowed
    with CaptureQueriesContext(connection) as queries:
        by_walk = members_grouped_by_field(queryset, per_subfield=2, heads=walked)
    assert "UNION ALL" in queries[-1]["sql"]
    by_pass = members_grouped_by_field(queryset, per_subfield=2)

    def shape(groups):
        return [[(s.code, s.count, [m.id for m in s.members]) for s in g.subfields] for g in groups]

    assert shape(by_walk) == shape(by_pass)


def test_narrowed_search_pages_through_one_subfield(make_member, subfield, db):
    viewer = staff_user(*VIEWER_PERMS, username="viewer")
    for n in range(7):
        make_member(full_name=f"Physicist {n}", primary_subfield=subfield("1.3"))
    make_member(full_name="Chemist", primary_subfield=subfield("1.4"))
    filters = MemberFilters(subfield_id=subfield("1.3").id)
    with CaptureQueriesContext(connection) as queries:
        results = staff_search_results(user=viewer, filters=filters, page_number=2)
    assert results.total == 7
    assert results.subfield.code == "1.3" and results.subfield.count == 7
    assert results.page.number == 1  # only one page of 50
    assert [m.full_name for m in results.page.object_list] == [f"Physicist {n}" for n in range(7)]
    # The one count is the grouped one; the paginator runs no COUNT of its own.
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"]]
    assert len(counts) == 1 and "GROUP BY" in counts[0]


def test_narrowed_page_beyond_the_end_shows_the_last_page(make_member, subfield, db):
    viewer = staff_user(*VIEWER_PERMS, username="viewer")
    for n in range(5):
        make_member(full_name=f"Physicist {n}", primary_subfield=subfield("1.3"))
    results = staff_search_results(
        user=viewer,
        filters=MemberFilters(subfield_id=subfield("1.3").id),
        page_number="99",
        per_page=2,
    )
    assert results.page.number == 3
    assert [m.full_name for m in results.page.object_list] == ["Physicist 4"]
