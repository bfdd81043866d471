"""The small taxonomy tables: read together for the admin's filters, kept for the survey."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, F, IntegerField, Model, QuerySet, Value
from django.db.models.functions import Cast

from registry.form_cache import taxonomy_version
from registry.models import (
    EngagementType,
    ExpertiseCluster,
    Field,
    Sdg,
    Subfield,
    name_in_language,
)

logger = logging.getLogger(__name__)

KINDS = ["field", "subfield", "cluster", "engagement", "sdg"]


@dataclass(frozen=True)
class TaxonomyEntry:
    id: int
    code: str
    # In the language active when the entries were read.
    name: str
    parent_id: int | None

    def __str__(self):
        return f"{self.code} {self.name}" if self.code else self.name


def _rows(queryset, kind: str, *, code, name_ur, parent, position):
    # Every column is an annotation so that each part of the UNION lists the
    # same columns in the same order.
    return (
        queryset.order_by()
        .annotate(
            t_kind=Value(kind, output_field=CharField()),
            t_id=F("id"),
            t_code=code,
            t_name=F("name"),
            t_name_ur=name_ur,
            t_parent=parent,
            t_position=position,
        )
        .values_list("t_kind", "t_id", "t_code", "t_name", "t_name_ur", "t_parent", "t_position")
    )


def taxonomy_entries() -> dict[str, list[TaxonomyEntry]]:
    """Broad fields, subfields, active clusters, engagement types and SDGs, in one query.

    Names are in the active language (registry.models.name_in_language).

    Keys: "field", "subfield", "cluster", "engagement", "sdg"; each list in
    display order. The admin's filters take their options from here, so a
    changelist costs one query for all of them, whatever the member count.
    """
    empty = Value("", output_field=CharField())
    no_parent = Value(None, output_field=IntegerField())
    parts = [
        _rows(
            Field.objects,
            "field",
            code=F("code"),
            name_ur=F("name_ur"),
            parent=no_parent,
            position=F("position"),
        ),
        _rows(
            Subfield.objects,
            "subfield",
            code=F("code"),
            name_ur=F("name_ur"),
            parent=F("field_id"),
            position=F("position"),
        ),
        _rows(
            ExpertiseCluster.objects.filter(is_active=True),
            "cluster",
            code=empty,
            # Clusters are named by staff, in one language only.
            name_ur=empty,
            parent=no_parent,
            position=Value(0, output_field=IntegerField()),
        ),
        _rows(
            EngagementType.objects,
            "engagement",
            code=empty,
            name_ur=F("name_ur"),
            parent=no_parent,
            position=F("position"),
        ),
        _rows(
            Sdg.objects,
            "sdg",
            code=Cast("number", CharField()),
            name_ur=F("name_ur"),
            parent=no_parent,
            position=F("number"),
        ),
    ]
    rows = parts[0].union(*parts[1:], all=True)
    entries: dict[str, list] = {kind: [] for kind in KINDS}
    # Sorted here: each part's order is lost in a UNION. By kind, then
    # position, code and (English) name.
    for kind, pk, code, name, name_ur, parent, _position in sorted(
        rows, key=lambda r: (r[0], r[6], r[2], r[3])
    ):
        entries[kind].append(
            TaxonomyEntry(id=pk, code=code, name=name_in_language(name, name_ur), parent_id=parent)
        )
    return entries


# This process's copies of what the registration reads from the taxonomy
# (the rows the survey offers, the clusters' rules), for the current taxonomy
# version (registry.form_cache): validating a survey and storing it then
# read no taxonomy table. A change made in the admin starts a new version,
# and so new copies, within a second on every server.
_copies: dict[str, Any] = {"version": None, "values": {}}


def taxonomy_copy(key: tuple, compute: Callable[[], Any]) -> Any:
    """`compute()`, kept by this process for the current taxonomy version.

    The value is shared: callers must not change it. None when the cache,
    which holds the version, cannot be reached: callers then query, as a
    registration must not fail for a cache outage.
    """
    try:
        version = taxonomy_version()
    except Exception:
        logger.exception("Taxonomy version unknown: the cache failed")
        return None
    if _copies["version"] != version:
        _copies.update(version=version, values={})
    value = _copies["values"].get(key)
    if value is None:
        value = compute()
        _copies["values"][key] = value
    return value


def taxonomy_rows(queryset: QuerySet) -> dict[int, Model] | None:
    """The rows of an unfiltered taxonomy queryset by id, in its order (see taxonomy_copy)."""
    key = ("rows", queryset.model._meta.label, queryset.db, *queryset.query.order_by)
    return taxonomy_copy(key, lambda: {row.pk: row for row in queryset})


def taxonomy_row(model: type[Model], pk: int) -> Model:
    """One taxonomy row by id, from the copy when it is there (DoesNotExist if absent)."""
    row = (taxonomy_rows(model.objects.all()) or {}).get(pk)
    return row if row is not None else model.objects.get(pk=pk)
