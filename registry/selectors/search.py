"""Free-text search and the staff search filters over members.

One selector hides the database: on PostgreSQL free text runs as full-text
search (websearch_to_tsquery against the stored, GIN-indexed tsvector that
migration 0004 adds, ranked with ts_rank, plus fuzzy name matching with
pg_trgm); elsewhere a portable fallback reads the same folded search document
with a small parser that understands the same web-search syntax: "quoted
phrases", OR and -exclusion. Either way the text is folded (case and accents)
by registry.text.fold, like the stored document.
"""

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
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
    Exists,
    Expression,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from registry.models import CONFIRMED_STATUSES, Member
from registry.selectors.members import members_visible_to
from registry.text import fold

# Longer text is cut: nobody types more, and it bounds the work per query.
MAX_QUERY_LENGTH = 200
# At most this many words and phrases reach the portable fallback's SQL.
MAX_TERMS = 16
# Fuzzy name matching only for short plain queries that look like a name.
FUZZY_MIN_LENGTH = 4
FUZZY_MAX_WORDS = 3
# ... and only when full-text search finds fewer members than this.
FUZZY_FALLBACK_BELOW = 10
# The queryset alias that holds a text search's relevance (PostgreSQL).
RANK_ALIAS = "_text_rank"
# PostgreSQL's text search configuration created by migration 0004.
TEXT_SEARCH_CONFIG = "dorin"
# Statement timeout for the search page's queries on PostgreSQL.
DEFAULT_SEARCH_TIMEOUT_MS = 5000
# Memory for each sort or bitmap of a search (PostgreSQL's default is 4MB): a
# common word matches a fifth of 10^6 members, and with 4MB the bitmap of
# matches turns lossy (every row of a page rechecked) and sorts go to disk.
SEARCH_WORK_MEM = "32MB"

# Members staff mean when they say "our members": not unconfirmed, withdrawn,
# rejected or duplicate.


@dataclass(frozen=True)
class Term:
    """A word or phrase of a search, folded; `negated` for -exclusions."""

    words: tuple[str, ...]
    negated: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


# A parsed search: alternatives (OR) of conjunctions (AND) of terms, the same
# precedence as websearch_to_tsquery ("a b OR c" is "(a AND b) OR c").
ParsedSearch = tuple[tuple[Term, ...], ...]


def _is_word_char(ch: str) -> bool:
    # Letters, digits and combining marks (Urdu and Arabic keep theirs).
    return unicodedata.category(ch)[0] in "LNM"


def _words(chunk: str) -> list[str]:
    words, current = [], []
    for ch in chunk:
        if _is_word_char(ch):
            current.append(ch)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def parse_search_text(text: str) -> ParsedSearch:
    """Parse web-search syntax; never fails, whatever the input.

    "quoted words" are a phrase (an unclosed quote runs to the end), OR between
    terms is an alternative, a leading - excludes a word or phrase, every other
    punctuation separates words. Words are folded like the search document.
    An input with no word at all gives an empty tuple.
    """
    folded = fold(text[:MAX_QUERY_LENGTH])
    alternatives: list[list[Term]] = [[]]
    pos, length, count = 0, len(folded), 0
    while pos < length and count < MAX_TERMS:
        ch = folded[pos]
        if ch.isspace():
            pos += 1
            continue
        negated = ch == "-"
        if negated:
            pos += 1
            if pos >= length or folded[pos].isspace():
                continue
        if folded[pos] == '"':
            end = folded.find('"', pos + 1)
            end = length if end == -1 else end
            words = _words(folded[pos + 1 : end])
            pos = end + 1
            if words:
                alternatives[-1].append(Term(tuple(words), negated))
                count += 1
            continue
        end = pos
        while end < length and not folded[end].isspace() and folded[end] != '"':
            end += 1
        chunk, pos = folded[pos:end], end
        if chunk == "or" and not negated:
            if alternatives[-1]:
                alternatives.append([])
            continue
        # "covid-19" or "al-hassan": every part must be there, like the
        # separate words PostgreSQL's parser makes of them.
        for word in _words(chunk):
            alternatives[-1].append(Term((word,), negated))
            count += 1
    return tuple(tuple(terms) for terms in alternatives if terms)


def _portable_condition(parsed: ParsedSearch) -> Q:
    condition = Q()
    for terms in parsed:
        conjunction = Q()
        for term in terms:
            contains = Q(search_document__contains=term.text)
            conjunction &= ~contains if term.negated else contains
        condition |= conjunction
    return condition


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


def _fuzzy_name(parsed: ParsedSearch) -> str:
    """The folded name to match fuzzily, or "" when the query is not name-like."""
    if len(parsed) != 1:
        return ""
    terms = parsed[0]
    if len(terms) > FUZZY_MAX_WORDS or any(t.negated or t.is_phrase for t in terms):
        return ""
    name = " ".join(t.text for t in terms)
    return name if len(name) >= FUZZY_MIN_LENGTH else ""


def _postgres_query(text: str) -> SearchQuery:
    return SearchQuery(
        fold(text[:MAX_QUERY_LENGTH]), search_type="websearch", config=TEXT_SEARCH_CONFIG
    )


def members_matching_text(
    queryset: QuerySet[Member], text: str, *, fuzzy_names: bool | None = None
) -> QuerySet[Member]:
    """Narrow the queryset to members whose searchable text matches `text`.

    Web-search syntax on every database: words must all be there, "quoted
    words" as a phrase, OR for alternatives, -word to exclude. Case and
    accents never matter. Text with no word in it leaves the queryset as it
    is. On PostgreSQL: full-text search with English stemming, ranked (see
    member_order()); when a short plain query that looks like a name finds
    fewer than FUZZY_FALLBACK_BELOW members, members whose name is spelt a
    little differently are added, after the full-text matches. Deciding that
    costs one COUNT query, unless the caller already knows: `fuzzy_names`
    True or False decides without it.
    """
    parsed = parse_search_text(text or "")
    if not parsed:
        return queryset
    if connection.vendor != "postgresql":
        return queryset.filter(_portable_condition(parsed))
    query = _postgres_query(text)
    queryset = queryset.alias(_search_vector=StoredSearchVector())
    matches = queryset.filter(_search_vector=query)
    rank = SearchRank(StoredSearchVector(), query)
    name = _fuzzy_name(parsed)
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
    return queryset.filter(Q(_search_vector=query) | Q(name_key__trigram_word_similar=name)).alias(
        **{RANK_ALIAS: fuzzy_rank}
    )


def may_add_fuzzy_names(text: str) -> bool:
    """Whether members_matching_text() would add fuzzy name matches to few results."""
    return connection.vendor == "postgresql" and bool(_fuzzy_name(parse_search_text(text or "")))


def is_ranked(queryset: QuerySet[Member]) -> bool:
    """Whether members_matching_text() gave the queryset a relevance rank."""
    return RANK_ALIAS in queryset.query.annotations


def member_order(queryset: QuerySet[Member]) -> list:
    """Order of the queryset's members in results: best match first, then by name.

    Only PostgreSQL ranks (ts_rank, then fuzzy name similarity); the
    portable fallback has no relevance measure and lists by name.
    """
    order = [F("name_key").asc(), F("id").asc()]
    return [F(RANK_ALIAS).desc(), *order] if is_ranked(queryset) else order


@dataclass(frozen=True)
class MemberFilters:
    """What the staff search, its export and export_specialists filter on.

    Taxonomy values are ids. Broad field and subfield mean the member's
    primary subfield, the one members are grouped and counted under.
    `statuses` empty means every status.
    """

    text: str = ""
    field_id: int | None = None
    subfield_id: int | None = None
    cluster_id: int | None = None
    country: str = ""
    sector: str = ""
    engagement_type_id: int | None = None
    sdg_id: int | None = None
    qualification: str = ""
    career_stage: str = ""
    statuses: tuple[str, ...] = CONFIRMED_STATUSES


def _has_related(relation: str, target: str, target_id: int) -> Exists:
    through = Member._meta.get_field(relation).remote_field.through
    return Exists(through.objects.filter(member_id=OuterRef("pk"), **{f"{target}_id": target_id}))


def members_filtered(
    queryset: QuerySet[Member], filters: MemberFilters, *, fuzzy_names: bool | None = None
) -> QuerySet[Member]:
    """Apply the filters to a queryset of members (no ordering).

    `fuzzy_names`: see members_matching_text().
    """
    if filters.statuses:
        queryset = queryset.filter(status__in=filters.statuses)
    if filters.field_id:
        queryset = queryset.filter(primary_subfield__field_id=filters.field_id)
    if filters.subfield_id:
        queryset = queryset.filter(primary_subfield_id=filters.subfield_id)
    for value, name in (
        (filters.country, "country"),
        (filters.sector, "sector"),
        (filters.qualification, "highest_qualification"),
        (filters.career_stage, "career_stage"),
    ):
        if value:
            queryset = queryset.filter(**{name: value})
    # EXISTS rather than joins: a member never appears twice.
    for value, relation, target in (
        (filters.cluster_id, "clusters", "expertisecluster"),
        (filters.engagement_type_id, "engagement_types", "engagementtype"),
        (filters.sdg_id, "sdgs", "sdg"),
    ):
        if value:
            queryset = queryset.filter(_has_related(relation, target, value))
    return members_matching_text(queryset, filters.text, fuzzy_names=fuzzy_names)


def members_search(
    *, user, filters: MemberFilters, fuzzy_names: bool | None = None
) -> QuerySet[Member]:
    """The members `user` may see that match the filters (no ordering).

    `fuzzy_names`: see members_matching_text().
    """
    return members_filtered(members_visible_to(user), filters, fuzzy_names=fuzzy_names)


class SearchTimedOut(Exception):
    """A search ran longer than the statement timeout and was cancelled."""


def _is_statement_timeout(error: OperationalError) -> bool:
    # 57014 is PostgreSQL's query_canceled, raised by statement_timeout.
    return getattr(error.__cause__, "pgcode", None) == "57014"


@contextmanager
def search_time_limit(milliseconds: int | None = None) -> Iterator[None]:
    """Bound the queries run inside the block; raise SearchTimedOut past it.

    On PostgreSQL the block runs in a transaction with SET LOCAL
    statement_timeout, so a pathological query is cancelled by the server
    and the setting ends with the transaction; also SEARCH_WORK_MEM, and no
    JIT compilation, which costs these queries more than it saves (150 ms of
    a 290 ms name search at 10^6 members). Elsewhere it does nothing:
    SQLite serves development only. Evaluate every queryset inside the block.
    """
    if connection.vendor != "postgresql":
        yield
        return
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
