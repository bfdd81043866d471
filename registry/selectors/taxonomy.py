"""The small taxonomy tables, read together for the admin's filters."""

from dataclasses import dataclass

from django.db.models import CharField, F, IntegerField, Value
from django.db.models.functions import Cast

from registry.models import (
    EngagementType,
    ExpertiseCluster,
    Field,
    Sdg,
    Subfield,
    name_in_language,
)

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
