"""Free-text search and the staff search over members.

Laid out like wagtail's database search backends: the database-neutral code
(`parser`, `filters`, `grouping`) asks `registry.db.backend_module` once per
call for `postgres` or `portable`, two modules with the same function names,
and never asks which database it runs on. On PostgreSQL free text runs as
full-text search against the stored, GIN-indexed tsvector of migration 0004;
elsewhere the portable module reads the same folded search document with the
same web-search syntax ("quoted phrases", OR and -exclusion).
"""

# The queryset alias that holds a text search's relevance (PostgreSQL ranks;
# the portable backend never sets it).
RANK_ALIAS = "_text_rank"


class SearchTimedOut(Exception):
    """A search ran longer than the statement timeout and was cancelled."""
