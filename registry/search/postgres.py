"""PostgreSQL's side of registry.search: full-text search, ranked, with
fuzzy name matching (pg_trgm), each subfield's first members found while
counting, and counts estimated from a TABLESAMPLE beyond the exact-count
limit. registry.search.portable has the same names for other databases.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from operator import attrgetter

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorExact,
    SearchVectorField,
)
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import OperationalError, connection, transaction
from django.db.models import (
    Case,
    Count,
    Expression,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)

from registry.models import Member
from registry.search import RANK_ALIAS, SearchTimedOut
from registry.search.filters import MemberFilters, is_ranked, member_order
from registry.search.fuzzy import SIMILARITY_ALIAS, name_similarity, names_like
from registry.search.grouping import SubfieldHeads
from registry.search.parser import (
    FUZZY_FALLBACK_BELOW,
    MAX_QUERY_LENGTH,
    ParsedSearch,
    fuzzy_name,
)
from registry.search.places import parsed_place_readings, place_condition, websearch_text
from registry.search.rows import ROW_FIELDS, MemberRow, member_rows
from registry.search.summary import subfield_counts_from_summary
from registry.text import fold

logger = logging.getLogger(__name__)

# PostgreSQL's text search configuration created by migration 0004.
TEXT_SEARCH_CONFIG = "dorin"
# Statement timeout for the search page's queries when settings name none.
DEFAULT_SEARCH_TIMEOUT_MS = 5000
# Memory for each sort or bitmap of a search (PostgreSQL's default is 4MB): a
# common word matches a fifth of all members, and with 4MB the bitmap of
# matches turns lossy (every row of a page rechecked) and sorts go to disk.
SEARCH_WORK_MEM = "32MB"
# The sample's seed: the same pages of the table for every search, so that a
# page shows the same estimates when it is reloaded or paged through.
SAMPLE_SEED = 1
# How long the number of rows in the sample is kept in the cache (see
# _sampled_heads()); a new planner row count starts a new key before that.
SAMPLE_ROWS_KEPT_SECONDS = 600


class StoredSearchVector(Expression):
    """The member table's PostgreSQL-only `search_vector` column (migration 0004).

    It is not a model field (SQLite has no such column), so this expression
    names it on whatever alias the member table has in the query, subqueries
    included.
    """

    output_field = SearchVectorField()

    def __init__(self, alias: str | None = None):
        super().__init__()
        self.alias = alias

    def resolve_expression(self, query=None, *args, **kwargs):
        return type(self)(query.get_initial_alias())

    def relabeled_clone(self, change_map):
        return type(self)(change_map.get(self.alias, self.alias))

    def as_sql(self, compiler, connection):
        column = connection.ops.quote_name("search_vector")
        return f"{compiler.quote_name_unless_alias(self.alias)}.{column}", []

    def get_group_by_cols(self):
        return [self]


def members_matching(
    queryset: QuerySet[Member], *, parsed: ParsedSearch, text: str, fuzzy_names: bool | None
) -> QuerySet[Member]:
    """Full-text matches of `text` (websearch_to_tsquery), ranked with ts_rank;
    see registry.search.filters.members_matching_text() for `fuzzy_names`."""
    query = SearchQuery(
        fold(text[:MAX_QUERY_LENGTH]), search_type="websearch", config=TEXT_SEARCH_CONFIG
    )
    queryset = queryset.alias(_search_vector=StoredSearchVector())
    matching = Q(_search_vector=query)
    # Or a run of terms names the country or the city (registry.search.places),
    # the other terms matching as text.
    for reading in parsed_place_readings(parsed):
        place = place_condition(reading)
        if reading.rest:
            rest = SearchQuery(
                websearch_text(reading.rest), search_type="websearch", config=TEXT_SEARCH_CONFIG
            )
            place &= Q(_search_vector=rest)
        matching |= place
    matches = queryset.filter(matching)
    rank = SearchRank(StoredSearchVector(), query)
    name = fuzzy_name(parsed)
    # Fuzzy name matching is for the misspelt name that finds (almost)
    # nobody; OR-ed into a common word's search it only costs: the trigram
    # index adds rows to recheck and ranking the extra rows costs more.
    if name and fuzzy_names is None:
        # An exact count: with a LIMIT the planner may walk the whole table
        # in search of matches that are not there.
        fuzzy_names = matches.count() < FUZZY_FALLBACK_BELOW
    similar_names = names_like(name) if name and fuzzy_names else None
    if similar_names is None:
        return matches.alias(**{RANK_ALIAS: rank})
    # ts_rank stays well below 1, so adding 1 puts every full-text match
    # first; the name similarity (pg_trgm, 0 to 1) is computed only for the
    # few rows that the full text does not match.
    fuzzy_rank = Case(
        When(SearchVectorExact(StoredSearchVector(), query), then=rank + Value(1.0)),
        default=F(SIMILARITY_ALIAS),
        output_field=FloatField(),
    )
    return (
        queryset.alias(**{SIMILARITY_ALIAS: name_similarity(name)})
        .filter(matching | similar_names)
        .alias(**{RANK_ALIAS: fuzzy_rank})
    )


def keyword_match(keyword: str) -> Expression:
    """Whether a member's text holds the keyword's words, in that order, as
    words (English word forms alike), through the full-text index.

    `keyword` is folded (registry.text.fold); a keyword of words too common
    to index ("the") matches nobody.
    """
    query = SearchQuery(keyword[:MAX_QUERY_LENGTH], search_type="phrase", config=TEXT_SEARCH_CONFIG)
    return SearchVectorExact(StoredSearchVector(), query)


def may_add_fuzzy_names(*, parsed: ParsedSearch) -> bool:
    """Whether members_matching() adds fuzzy name matches when it finds few."""
    return bool(fuzzy_name(parsed))


def _is_statement_timeout(error: OperationalError) -> bool:
    # 57014 is PostgreSQL's query_canceled, raised by statement_timeout.
    return getattr(error.__cause__, "pgcode", None) == "57014"


@contextmanager
def search_time_limit(milliseconds: int | None = None) -> Iterator[None]:
    """Run the block in a transaction with SET LOCAL statement_timeout.

    A pathological query is cancelled by the server (SearchTimedOut) and the
    settings end with the transaction; also SEARCH_WORK_MEM, and no JIT
    compilation, which costs these short queries more than it saves.
    """
    if milliseconds is None:
        milliseconds = getattr(settings, "SEARCH_TIMEOUT_MS", DEFAULT_SEARCH_TIMEOUT_MS)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true), "
                    "set_config('work_mem', %s, true), set_config('jit', 'off', true)",
                    [str(int(milliseconds)), SEARCH_WORK_MEM],
                )
            yield
    except OperationalError as error:
        if _is_statement_timeout(error):
            raise SearchTimedOut from error
        raise


def _heads_order(queryset: QuerySet[Member]) -> tuple[QuerySet[Member], list[str], str]:
    """The queryset with the columns the capped aggregate reads, and their order."""
    columns = ["primary_subfield_id", "id", "name_key"]
    if not is_ranked(queryset):
        return queryset, columns, "name_key, id"
    queryset = queryset.annotate(_rank_value=F(RANK_ALIAS))
    return queryset, [*columns, "_rank_value"], "_rank_value DESC, name_key, id"


def _member_table() -> str:
    return connection.ops.quote_name(Member._meta.db_table)


def _capped_heads(
    queryset: QuerySet[Member], *, per_subfield: int, limit: int
) -> tuple[float, dict]:
    """The planner's row count of the member table, and {subfield id: (count,
    first ids)} of at most `limit` + 1 matches, in one query.

    The matches are taken in whatever order the scan finds them and cut at
    `limit` + 1 before counting, so the query reads at most that many rows;
    when fewer match, the counts and first ids are those of every match.
    COUNT(*) and array_agg(id ORDER BY rank, name) cut to `per_subfield`:
    sorting inside the aggregate costs little next to reading the rows.
    """
    queryset, columns, order = _heads_order(queryset)
    inner = queryset.order_by().values_list(*columns)[: limit + 1]
    inner_sql, params = inner.query.get_compiler(queryset.db).as_sql()
    head = f"(ARRAY_AGG(id ORDER BY {order}))[1:{int(per_subfield)}]" if per_subfield else "NULL"
    # The row count rides along for _sampled_heads(), saving it a round trip.
    reltuples = f"(SELECT reltuples FROM pg_class WHERE oid = '{_member_table()}'::regclass)"
    sql = (
        f"SELECT {reltuples}, primary_subfield_id, COUNT(*), {head} "
        f"FROM ({inner_sql}) AS matches GROUP BY primary_subfield_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    table_rows = float(rows[0][0]) if rows else 0.0
    return table_rows, {row[1]: (row[2], row[3] or []) for row in rows}


def _from_cache(method: str, *args):
    """cache.<method>(*args), or None when the cache fails: a search answers without it."""
    try:
        return getattr(cache, method)(*args)
    except Exception:
        logger.exception("The cache failed; the search counts without it")
        return None


def _sampled_heads(
    queryset: QuerySet[Member], *, per_subfield: int, table_rows: float
) -> tuple[float, dict]:
    """The share of the table sampled, and {subfield id: (matches, first ids)} in it.

    TABLESAMPLE SYSTEM reads whole pages picked at random (the same ones
    every time, REPEATABLE), about settings.SEARCH_SAMPLE_ROWS rows by the
    planner's row count `table_rows`; every filter of the search applies to
    those rows. The share is the rows sampled over `table_rows` (a ratio
    estimate: how many rows the pages picked happen to hold does not skew
    the counts); 1.0 only when the table is read whole.
    """
    annotations = {"count": Count("*")}
    if per_subfield:
        annotations["head"] = Func(
            ArrayAgg("id", order_by=member_order(queryset)),
            template=f"(%(expressions)s)[1:{int(per_subfield)}]",
            output_field=ArrayField(IntegerField()),
        )
    grouped = queryset.order_by().values("primary_subfield_id").annotate(**annotations)
    grouped_sql, params = grouped.query.get_compiler(queryset.db).as_sql()
    rows = int(getattr(settings, "SEARCH_SAMPLE_ROWS", 20000))
    # A table never analysed has reltuples -1: read it whole.
    percent = 100.0 if table_rows <= 0 else min(100.0, rows * 100.0 / table_rows)
    # Counting the sample's rows reads its pages a second time (a sample
    # scan does not keep them in shared buffers), which made pages with
    # estimates miss their target (BENCHMARKS.md, staff search): the count is
    # kept in the cache, by planner row count, for a few minutes. It changes
    # only as far as the rows of the sampled pages do, and a count a little
    # stale scales the estimates the way a stale `table_rows` does anyway.
    database = connection.settings_dict["NAME"]
    known_key = f"registry:search-sample-rows:{database}:{percent:.6f}:{SAMPLE_SEED}"
    known = _from_cache("get", known_key) if percent < 100 else None
    if percent >= 100:
        sampled_sql, sampled_rows = grouped_sql, f"(SELECT COUNT(*) FROM {_member_table()})"
    else:
        # A literal percentage, so that the planner knows how few rows the
        # sample holds (with a parameter it guesses, and may hash-join every
        # cluster membership to them). The member table is the outer query's
        # first FROM: filters on other tables join after it or are EXISTS
        # subqueries further on.
        sample = f"{_member_table()} TABLESAMPLE SYSTEM ({percent:.6f}) REPEATABLE ({SAMPLE_SEED})"
        at = grouped_sql.index(f"FROM {_member_table()}") + len("FROM ")
        sampled_sql = grouped_sql[:at] + sample + grouped_sql[at + len(_member_table()) :]
        sampled_rows = "NULL" if known is not None else f"(SELECT COUNT(*) FROM {sample})"
    columns = "primary_subfield_id, count, head" if per_subfield else "primary_subfield_id, count"
    # No hash joins from this statement on: hashing a filter's every row (a
    # cluster's hundreds of thousands of memberships) costs more than
    # looking up the few sampled members one by one, and the planner cannot
    # tell. The page's statements after it (the taxonomy, first members by
    # id or by a walk of an index) join nothing large; the setting ends with
    # the search's transaction.
    sql = (
        "SELECT set_config('enable_hashjoin', 'off', true); "
        f"SELECT {sampled_rows}, {columns} FROM ({sampled_sql}) AS sample"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        result = cursor.fetchall()
    heads = {row[1]: (row[2], row[3] if per_subfield else []) for row in result}
    if percent >= 100:
        return 1.0, heads
    if known is None and result:
        known = result[0][0]
        _from_cache("set", known_key, known, SAMPLE_ROWS_KEPT_SECONDS)
    share = (known or rows) / table_rows
    # Only a table read whole has a share of 1 (exact counts); a row count
    # gone stale could make a sample look like the whole table.
    return min(share, 0.999), heads


def subfield_heads(queryset: QuerySet[Member], *, per_subfield: int, limit: int) -> SubfieldHeads:
    """Counts per subfield and each subfield's first member ids: exact up to `limit` matches.

    First the matches are counted up to `limit` + 1 (_capped_heads). Beyond
    `limit`, a sample of the table gives the counts (_sampled_heads), scaled
    up and never below what the first query already counted; the first
    members are the best of the first query's matches when ranked, and read
    by walking the name index otherwise (first_members()), since by name
    they are the first entries of the (primary_subfield_id, name_key, id)
    index of confirmed members (migration 0012). Three statements then (the
    sample's planner setting is put back), one otherwise.
    """
    try:
        table_rows, capped = _capped_heads(queryset, per_subfield=per_subfield, limit=limit)
    except EmptyResultSet:
        # Nothing can match (a Mission covering no country): there is no SQL to run.
        return SubfieldHeads({}, {} if per_subfield else None)
    if sum(count for count, _ in capped.values()) <= limit:
        first_ids = {sid: ids for sid, (_, ids) in capped.items()} if per_subfield else None
        return SubfieldHeads({sid: count for sid, (count, _) in capped.items()}, first_ids)
    share, sampled = _sampled_heads(queryset, per_subfield=per_subfield, table_rows=table_rows)
    if share >= 1:
        # A small table is read whole: its counts are exact.
        first_ids = {sid: ids for sid, (_, ids) in sampled.items()} if per_subfield else None
        return SubfieldHeads({sid: count for sid, (count, _) in sampled.items()}, first_ids)
    counts, hits, first_ids = {}, {}, {}
    for sid in capped.keys() | sampled.keys():
        found, capped_ids = capped.get(sid, (0, []))
        hits[sid], sampled_ids = sampled.get(sid, (0, []))
        counts[sid] = max(found, round(hits[sid] / share)) if share > 0 else found
        first_ids[sid] = capped_ids or sampled_ids
    if not per_subfield or not is_ranked(queryset):
        return SubfieldHeads(counts, by_name_walk=bool(per_subfield), sampled=hits, share=share)
    return SubfieldHeads(counts, first_ids, sampled=hits, share=share)


def summary_heads(*, user, filters: MemberFilters, per_subfield: int) -> SubfieldHeads | None:
    """Exact counts of any size from the dashboard's summary (registry.search.summary),
    when it holds them: no free text, filters by status, country, field and
    subfield only; one query. The first members are then read by name, a walk
    per subfield (first_members()). None when the summary cannot tell."""
    counts = subfield_counts_from_summary(user=user, filters=filters)
    if counts is None:
        return None
    return SubfieldHeads(counts, by_name_walk=bool(per_subfield))


def first_members(
    queryset: QuerySet[Member], *, heads: SubfieldHeads, per_subfield: int
) -> list[MemberRow]:
    """The rows of each subfield's first members, from subfield_heads(), in one query."""
    if heads.by_name_walk:
        parts = [
            queryset.filter(primary_subfield_id=subfield_id)
            .order_by("name_key", "id")
            .values_list(*ROW_FIELDS)[:per_subfield]
            for subfield_id in sorted(heads.counts)
        ]
        rows = member_rows(parts[0].union(*parts[1:], all=True))
        # UNION ALL keeps no order between its parts; put it back.
        return sorted(rows, key=attrgetter("primary_subfield_id", "name_key", "id"))
    if heads.first_ids is None:
        raise ValueError("PostgreSQL reads first members from subfield_heads()'s ids.")
    ids = [pk for subfield_ids in heads.first_ids.values() for pk in subfield_ids]
    rows = {row[0]: row for row in Member.objects.filter(id__in=ids).values_list(*ROW_FIELDS)}
    return member_rows(rows[pk] for pk in ids if pk in rows)


def icontains_folds_case(text: str) -> bool:
    """Whether `__icontains` ignores the case of every letter of `text`: always here."""
    return True
