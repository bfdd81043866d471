"""Fuzzy names on PostgreSQL: members whose name is like a misspelt one (pg_trgm).

A misspelling of a frequent name ("Siddiqi" for Siddiqui) made the trigram
index on the members' names offer every member whose name shares trigrams
with it, each checked against the table: about 20,000 rows at 10^6 members,
whether any matched or not. The names' words are far fewer than the members
(registry.models.NameWord), so for a one-word name the words like it are
found there first and only the members whose name holds one of them are
checked. A name of several words has trigrams enough to narrow the index's
offer by itself, and is checked through the index as before (a word-by-word
narrowing would miss a name that lacks one of the words, which the
similarity of the whole name accepts).
"""

from functools import reduce
from operator import or_

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import Q

from registry.models import NameWord

# pg_trgm's word similarity (0 to 1) from which a name is like the query:
# the default of pg_trgm.word_similarity_threshold, which the index lookups
# (trigram_word_similar, the %> operator) apply.
NAME_SIMILARITY = 0.6
# The most similar words looked for among the members' names.
MAX_SIMILAR_WORDS = 50
# The alias names_like() needs on the queryset: name_similarity(name).
SIMILARITY_ALIAS = "name_similarity"


def similar_name_words(word: str) -> list[str]:
    """The words of members' names that are like `word` (folded), most alike first."""
    return list(
        NameWord.objects.filter(word__trigram_word_similar=word)
        .annotate(similarity=TrigramWordSimilarity(word, "word"))
        .order_by("-similarity", "word")
        .values_list("word", flat=True)[:MAX_SIMILAR_WORDS]
    )


def name_similarity(name: str) -> TrigramWordSimilarity:
    """How much of `name` a member's folded name holds (pg_trgm word_similarity)."""
    return TrigramWordSimilarity(name, "name_key")


def names_like(name: str) -> Q | None:
    """Members whose folded name is like `name` (folded); None when no name can be.

    Needs the alias SIMILARITY_ALIAS (name_similarity(name)) on the queryset.
    For one word, the similar words (one query) narrow the members through
    the trigram index of their names, and the similarity, which no index
    answers, is computed for those only.
    """
    if " " in name:
        return Q(name_key__trigram_word_similar=name)
    words = similar_name_words(name)
    if not words:
        return None
    holds_a_word = reduce(or_, (Q(name_key__contains=word) for word in words))
    return holds_a_word & Q(**{f"{SIMILARITY_ALIAS}__gte": NAME_SIMILARITY})
