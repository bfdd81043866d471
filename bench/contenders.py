"""The export's ORM contenders: the naive view and django-import-export.

Both write the portal's columns (the headers of registry.export) from
model instances, the way a Django developer would: choice labels with
get_FOO_display(), country names from django-countries, related rows as
str() of each object in the model's ordering, joined with "; ", and the same
formula neutralisation. They share no code with the portal's row generator,
so the harness's check that every contender's rows equal the portal's, cell
for cell, checks the portal too. They differ from each other only in how they
read the members:

* naive: a fully evaluated queryset, then per member the primary subfield, its
  broad field and each of the five many-to-many lists in their own queries
  (7 queries per member), the whole file built in memory and sent as one
  HttpResponse;
* django-import-export: a ModelResource with select_related and
  prefetch_related, which its Resource.export() reads in pages of chunk_size
  members (a Paginator, because prefetching rules out a plain iterator) into a
  tablib Dataset, then serialised with Dataset.csv.
"""

from collections.abc import Callable
from datetime import UTC

from django.utils.translation import gettext

from registry.export import export_header, neutralise_cell
from registry.models import CONFIRMED_STATUSES, Member

PREFETCHED = ("subfields", "engagement_types", "sdgs", "international_projects", "clusters")
# Members per page of django-import-export's Paginator. Its default is 100;
# 2000 is what a developer exporting a large registry would set
# (IMPORT_EXPORT_CHUNK_SIZE).
IIE_CHUNK_SIZE = 2000

Cell = Callable[[Member], str]


def _text(name: str) -> Cell:
    return lambda member: "" if getattr(member, name) is None else str(getattr(member, name))


def _display(name: str) -> Cell:
    return lambda member: str(getattr(member, f"get_{name}_display")())


def _country_name(name: str) -> Cell:
    return lambda member: getattr(member, name).name if getattr(member, name) else ""


def _country_code(name: str) -> Cell:
    return lambda member: getattr(member, name).code if getattr(member, name) else ""


def _yes_no(name: str) -> Cell:
    return lambda member: gettext("yes") if getattr(member, name) else gettext("no")


def _iso(name: str) -> Cell:
    def cell(member: Member) -> str:
        value = getattr(member, name)
        return value.astimezone(UTC).replace(microsecond=0).isoformat() if value else ""

    return cell


def _related(name: str) -> Cell:
    # .all() is one query per member, or the prefetched rows; either way in
    # the related model's Meta ordering.
    return lambda member: "; ".join(str(obj) for obj in getattr(member, name).all())


# One cell per column of registry.export.COLUMNS, in the same order.
CELLS: tuple[Cell, ...] = (
    _text("id"),
    _text("full_name"),
    _text("email"),
    _text("phone"),
    _display("gender"),
    _country_name("country"),
    _country_code("country"),
    _text("city"),
    _display("connection"),
    _text("home_region"),
    _display("highest_qualification"),
    _text("qualification_subject"),
    _text("qualification_institution"),
    _country_name("qualification_country"),
    _country_code("qualification_country"),
    _text("qualification_year"),
    _text("job_title"),
    _text("organisation"),
    _display("sector"),
    _display("career_stage"),
    _text("years_experience"),
    lambda member: str(member.primary_subfield.field),
    lambda member: str(member.primary_subfield),
    _related("subfields"),
    _text("keywords"),
    _text("summary"),
    _text("orcid"),
    _text("scholar_url"),
    _text("linkedin_url"),
    _text("website_url"),
    _related("engagement_types"),
    _related("sdgs"),
    _related("international_projects"),
    _related("clusters"),
    _text("home_collaborations"),
    _text("hours_per_month"),
    _yes_no("willing_to_visit"),
    _yes_no("consent_contact"),
    _yes_no("consent_directory"),
    _display("status"),
    _display("source"),
    _iso("created_at"),
    _iso("email_confirmed_at"),
    _iso("reviewed_at"),
    _iso("updated_at"),
)


def headers() -> list[str]:
    names = export_header()
    if len(names) != len(CELLS):
        raise RuntimeError(
            f"registry.export has {len(names)} columns, bench.contenders {len(CELLS)}: "
            "update bench/contenders.py and bench/floor.py"
        )
    return names


def member_row(member: Member) -> list[str]:
    return [neutralise_cell(cell(member)) for cell in CELLS]


def iie_resource_class():
    """A django-import-export ModelResource with one Field per exported column.

    Each Field has a dehydrate method (django-import-export's way to export
    labels, joined lists and custom date formats); related rows come from
    select_related and prefetch_related, never from a query per member.
    """
    from import_export import fields, resources

    def dehydrate(cell: Cell) -> Cell:
        return lambda member: neutralise_cell(cell(member))

    attrs = {
        f"column_{i}": fields.Field(column_name=header, dehydrate_method=dehydrate(cell))
        for i, (header, cell) in enumerate(zip(headers(), CELLS, strict=True))
    }

    class Meta:
        model = Member
        fields = tuple(attrs)
        export_order = tuple(attrs)
        chunk_size = IIE_CHUNK_SIZE

    def get_queryset(self):
        return (
            Member.objects.filter(status__in=CONFIRMED_STATUSES)
            .select_related("primary_subfield__field")
            .prefetch_related(*PREFETCHED)
            .order_by("pk")
        )

    attrs["Meta"] = Meta
    attrs["get_queryset"] = get_queryset
    return type("MemberExportResource", (resources.ModelResource,), attrs)
