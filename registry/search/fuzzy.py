"""Fuzzy names on PostgreSQL: members whose name is like a misspelt one (pg_trgm).

A misspelling of a frequent name ("Siddiqi" for Siddiqui) used to make the
trigram index on the members' names offer every member whose name shares
trigrams with it, each checked against the table: about 20,000 rows at 10^6
members, whether any matched or not. The names' words are far fewer than the
members (registry.models.NameWord), so the words like the query are found
there first; only the members whose name holds one of them are checked.
"""

from functools import reduce
from operator import or_

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import Q
from django.db.models.functions import Greatest

from registry.models import NameWord

# pg_trgm's word similarity (0 to 1) from which a name is like the query:
# the default of pg_trgm.word_similarity_threshold, which the words' index
# lookup (trigram_word_similar, the %> operator) applies.
NAME_SIMILARITY = 0.6
# The most similar words looked for among the members' names.
MAX_SIMILAR_WORDS = 50


def similar_name_words(name: str) -> list[str]:
    """The words of members' names that are like a word of `name` (folded), most alike first."""
    query_words = name.split()
    if not query_words:
        return []
    similarities = [TrigramWordSimilarity(word, "word") for word in query_words]
    similarity = similarities[0] if len(similarities) == 1 else Greatest(*similarities)
    like_a_query_word = reduce(or_, (Q(word__trigram_word_similar=w) for w in query_words))
    return list(
        NameWord.objects.filter(like_a_query_word)
        .annotate(similarity=similarity)
        .order_by("-similarity", "word")
        .values_list("word", flat=True)[:MAX_SIMILAR_WORDS]
    )


def names_like(name: str, words: list[str]) -> Q:
    """Members whose folded name is like `name`, among those holding one of `words`.

    The words (similar_name_words) narrow the members through the trigram
    index of their names; the similarity, which no index answers, is then
    computed for those only. Needs the alias `name_similarity` (name_similarity()).
    """
    holds_a_word = reduce(or_, (Q(name_key__contains=word) for word in words))
    return holds_a_word & Q(name_similarity__gte=NAME_SIMILARITY)


def name_similarity(name: str) -> TrigramWordSimilarity:
    """How much of `name` a member's folded name holds (pg_trgm word_similarity)."""
    return TrigramWordSimilarity(name, "name_key")
