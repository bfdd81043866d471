"""Free-text search over members."""

from django.db.models import QuerySet

from registry.models import Member
from registry.text import fold

MAX_QUERY_LENGTH = 200


def members_matching_text(queryset: QuerySet[Member], text: str) -> QuerySet[Member]:
    """Narrow the queryset to members whose searchable text holds every word.

    Portable: case- and accent-insensitive containment over the folded search
    document that registry.services keeps current.
    """
    words = fold(text[:MAX_QUERY_LENGTH]).split()
    for word in words:
        queryset = queryset.filter(search_document__contains=word)
    return queryset
