"""Every database's reader of export records: id-ordered chunks, each relation once per chunk."""

from collections import defaultdict
from collections.abc import Iterator

from django.db.models import QuerySet

from registry.export.columns import RELATED, SCALAR_SOURCES, related_through
from registry.models import Member


def member_export_records(queryset: QuerySet[Member], *, chunk_size: int) -> Iterator[tuple]:
    """Every member of the queryset as a tuple of RECORD_SOURCES, by member id.

    A query for a chunk of members (small enough for SQLite's limit on query
    parameters), then one per relation for the chunk's id lists, in no
    particular order.
    """
    scalars = queryset.order_by("pk").values_list(*SCALAR_SOURCES)
    last_id = 0
    while chunk := list(scalars.filter(pk__gt=last_id)[:chunk_size]):
        ids = [row[0] for row in chunk]
        lists: dict[str, defaultdict[int, list[int]]] = {}
        for name, relation in RELATED.items():
            through, target = related_through(relation)
            lists[name] = defaultdict(list)
            pairs = through.objects.filter(member_id__in=ids).values_list("member_id", target)
            for member_id, target_id in pairs:
                lists[name][member_id].append(target_id)
        for row in chunk:
            yield row + tuple(lists[name].get(row[0], []) for name in RELATED)
        last_id = ids[-1]
