"""PostgreSQL's side of registry.search: full-text search, ranked, with
fuzzy name matching (pg_trgm), and each subfield's first members found while
counting. registry.search.portable has the same names for other databases.
"""

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
    TrigramWordSimilarity,
)
from django.db import OperationalError, connection, transaction
from django.db.models import (
    Case,
    Count,
    Expression,
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
from registry.search.filters import is_ranked, member_order
from registry.search.grouping import (
    ROW_FIELDS,
    MemberRow,
    SubfieldHeads,
    member_rows,
    subfield_counts,
)
from registry.search.parser import (
    FUZZY_FALLBACK_BELOW,
    MAX_QUERY_LENGTH,
    ParsedSearch,
    fuzzy_name,
)
from registry.search.places import parsed_place_readings, place_condition, websearch_text
from registry.text import fold

# PostgreSQL's text search configuration created by migration 0004.
TEXT_SEARCH_CONFIG = "dorin"
# Statement timeout for the search page's queries when settings name none.
DEFAULT_SEARCH_TIMEOUT_MS = 5000
# Memory for each sort or bitmap of a search (PostgreSQL's default is 4MB): a
# common word matches a fifth of all members, and with 4MB the bitmap of
# matches turns lossy (every row of a page rechecked) and sorts go to disk.
SEARCH_WORK_MEM = "32MB"
# Listing by name with more matches than this, a subfield's first members are
# read by walking the name index (see subfield_heads()).
NAME_WALK_MIN_MATCHES = 100_000


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
    if not (name and fuzzy_names):
        return matches.alias(**{RANK_ALIAS: rank})
    # ts_rank stays well below 1, so adding 1 puts every full-text match
    # first; the name similarity (pg_trgm, 0 to 1) is computed only for the
    # few rows that the full text does not match.
    fuzzy_rank = Case(
        When(SearchVectorExact(StoredSearchVector(), query), then=rank + Value(1.0)),
        default=TrigramWordSimilarity(name, "name_key"),
        output_field=FloatField(),
    )
    return queryset.filter(matching | Q(name_key__trigram_word_similar=name)).alias(
        **{RANK_ALIAS: fuzzy_rank}
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


def subfield_heads(
    queryset: QuerySet[Member], *, per_subfield: int, name_walk: bool = False
) -> SubfieldHeads:
    """Counts per subfield and each subfield's first member ids, in one pass.

    COUNT(*) and array_agg(id ORDER BY rank, name) cut to `per_subfield`, per
    subfield: sorting inside the aggregate costs little next to reading the
    matching rows, which counting needs anyway.

    `name_walk`: the caller knows the queryset filters on nothing but status
    and broad field, so that counting reads an index alone and, when most
    members match, no subfield is left with a handful of matches among many
    members; see below.
    """
    if name_walk and not is_ranked(queryset):
        # A kept fast path: BENCHMARKS.md's notes count it among the changes
        # that brought the empty and status-only searches down at a million
        # members, because listed by name and filtered on status and broad
        # field at most, the counts come from an index alone and each
        # subfield's first members are the first entries of the
        # (primary_subfield_id, name_key, id) index, with nothing to sort.
        counts = subfield_counts(queryset)
        if sum(counts.values()) > NAME_WALK_MIN_MATCHES:
            return SubfieldHeads(counts, by_name_walk=True)
    head = Func(
        ArrayAgg("id", order_by=member_order(queryset)),
        template=f"(%(expressions)s)[1:{int(per_subfield)}]",
        output_field=ArrayField(IntegerField()),
    )
    rows = (
        queryset.order_by()
        .values("primary_subfield_id")
        .annotate(count=Count("*"), head=head)
        .values_list("primary_subfield_id", "count", "head")
    )
    counts, first_ids = {}, {}
    for subfield_id, count, ids in rows:
        counts[subfield_id] = count
        first_ids[subfield_id] = ids
    return SubfieldHeads(counts, first_ids)


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
