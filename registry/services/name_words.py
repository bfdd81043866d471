"""Keeping registry.models.NameWord: every word of the members' folded names, once.

The staff search's fuzzy names read it (registry.search.postgres). A word is
added when a member's name is written (member_create, member_update) and goes
when the last member whose name held it changes its name or withdraws, so an
erased name leaves nothing behind here.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q

from registry.db import advisory_xact_lock
from registry.models import Member, NameWord

_BATCH = 5000
# Transaction-level locks (PostgreSQL) on each word written or released, so
# that a name that takes a word while another member's name gives it up
# never leaves the word missing, nor an erased name's word behind.
_LOCK_PREFIX = "registry.name_words:"


def name_words(name_key: str) -> set[str]:
    """The words of a folded name."""
    return set(name_key.split())


def _holding(word: str) -> Q:
    # Members whose folded name holds the word as a whole word; on
    # PostgreSQL each pattern is a lookup in the names' trigram index.
    return (
        Q(name_key=word)
        | Q(name_key__startswith=f"{word} ")
        | Q(name_key__endswith=f" {word}")
        | Q(name_key__contains=f" {word} ")
    )


def name_words_add(*, name_key: str) -> None:
    """Record the words of a name just written (one INSERT; known words are kept)."""
    words = name_words(name_key)
    if words:
        advisory_xact_lock([_LOCK_PREFIX + word for word in words])
        NameWord.objects.bulk_create(
            [NameWord(word=word) for word in sorted(words)], ignore_conflicts=True
        )


def name_words_release(*, name_key: str) -> int:
    """After a name was changed or erased: forget its words that no member's name holds now.

    Returns how many words went.
    """
    words = name_words(name_key)
    advisory_xact_lock([_LOCK_PREFIX + word for word in words])
    gone = [word for word in sorted(words) if not Member.objects.filter(_holding(word)).exists()]
    if not gone:
        return 0
    deleted, _ = NameWord.objects.filter(word__in=gone).delete()
    return deleted


def _batches(words: Iterable[str]) -> Iterable[list[str]]:
    batch = []
    for word in words:
        batch.append(word)
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


@transaction.atomic
def name_words_refresh() -> tuple[int, int]:
    """Make the table exactly the words of every member's name; returns (added, removed).

    For rows written without the services (the demo seed, an import).
    """
    names = Member.objects.exclude(name_key="").order_by().values_list("name_key", flat=True)
    wanted: set[str] = set()
    for name_key in names.distinct().iterator(chunk_size=_BATCH):
        wanted.update(name_words(name_key))
    stored = set(NameWord.objects.values_list("word", flat=True))
    added = removed = 0
    for batch in _batches(sorted(wanted - stored)):
        added += len(NameWord.objects.bulk_create([NameWord(word=w) for w in batch]))
    for batch in _batches(sorted(stored - wanted)):
        removed += NameWord.objects.filter(word__in=batch).delete()[0]
    return added, removed
