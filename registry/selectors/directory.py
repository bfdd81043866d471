"""The public directory: verified members who chose to appear in it.

Only a listed member's name, organisation, country of residence and fields
ever leave this module; e-mail addresses and phone numbers are never read.
Every page costs the same few queries whatever the number of members: the
counts per subfield (one aggregate, also the page count), the taxonomy, one
page of members read in index order, and that page's other fields.
"""

from dataclasses import dataclass, field

from django.core import signing
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django_countries import countries

from registry.models import Member, Subfield
from registry.search.grouping import subfield_counts

# Who the directory lists. The two partial indexes on Member hold exactly these rows.
LISTED = Q(status=Member.Status.VERIFIED, consent_directory=True)
# What the directory shows of a member, and all it reads.
ENTRY_FIELDS = ("id", "full_name", "organisation", "country", "primary_subfield_id")
PAGE_SIZE = 50
# Pages reachable by paging; beyond them the visitor narrows the search, so
# no page reads deeper than this into the index.
MAX_PAGES = 200

_CONTACT_SALT = "registry.directory.contact"


@dataclass(frozen=True)
class DirectoryFilters:
    field_id: int | None = None
    subfield_id: int | None = None
    country: str = ""


@dataclass
class DirectoryEntry:
    """A listed member as the directory shows them."""

    id: int
    full_name: str
    organisation: str
    country: str
    subfield: Subfield
    other_subfields: list[Subfield] = field(default_factory=list)

    @property
    def country_name(self) -> str:
        return countries.name(self.country) if self.country else ""

    @property
    def contact_key(self) -> str:
        return directory_contact_key(member_id=self.id)


@dataclass
class DirectoryGroup:
    """A broad field with its subfields and their counts of listed members."""

    field_name: str
    field_code: str
    subfields: list[tuple[Subfield, int]]

    @property
    def count(self) -> int:
        return sum(count for _, count in self.subfields)


@dataclass
class DirectorySection:
    """The entries of one page under one subfield heading."""

    subfield: Subfield
    entries: list[DirectoryEntry]


@dataclass
class DirectoryPage:
    total: int
    groups: list[DirectoryGroup]
    page: Page
    sections: list[DirectorySection]

    @property
    def truncated(self) -> bool:
        """More members match than paging reaches."""
        return self.total > MAX_PAGES * self.page.paginator.per_page


def directory_members(*, filters: DirectoryFilters | None = None) -> QuerySet[Member]:
    """The listed members matching the filters (no ordering, no columns chosen)."""
    filters = filters or DirectoryFilters()
    queryset = Member.objects.filter(LISTED)
    if filters.subfield_id:
        queryset = queryset.filter(primary_subfield_id=filters.subfield_id)
    elif filters.field_id:
        queryset = queryset.filter(primary_subfield__field_id=filters.field_id)
    if filters.country:
        queryset = queryset.filter(country=filters.country)
    return queryset


def _groups(counts: dict[int, int], subfields: dict[int, Subfield]) -> list[DirectoryGroup]:
    groups: dict[int, DirectoryGroup] = {}
    for subfield in subfields.values():
        if subfield.id not in counts:
            continue
        broad = subfield.field
        group = groups.setdefault(broad.id, DirectoryGroup(broad.display_name, broad.code, []))
        group.subfields.append((subfield, counts[subfield.id]))
    return list(groups.values())


def directory_page(
    *, filters: DirectoryFilters, page_number=None, per_page: int = PAGE_SIZE
) -> DirectoryPage:
    """One page of the directory, its entries in sections by subfield, and the counts."""
    queryset = directory_members(filters=filters)
    counts = subfield_counts(queryset)
    total = sum(counts.values())
    subfields = {
        s.id: s
        for s in Subfield.objects.select_related("field").order_by(
            "field__position", "field__code", "position", "code"
        )
    }
    # Subfield ids follow the official codes, so the index's order (subfield
    # id, then folded name) reads as the grouped list.
    order = ("primary_subfield_id", "name_key", "id")
    paginator = Paginator(queryset.order_by(*order).values_list("id", flat=True), per_page)
    # Known from the counts: no COUNT query. Capped so paging stays shallow.
    paginator.count = min(total, MAX_PAGES * per_page)
    page = paginator.get_page(page_number)
    # The page's ids are found in the index alone (skipping the earlier pages
    # reads no table rows); only the page's own rows are then read, in one
    # query with the ids as a subquery.
    rows = Member.objects.filter(pk__in=page.object_list).order_by(*order)
    entries = [
        DirectoryEntry(id, name, organisation, country, subfields[subfield_id])
        for id, name, organisation, country, subfield_id in rows.values_list(*ENTRY_FIELDS)
    ]
    page.object_list = entries
    _add_other_subfields(entries, subfields)
    sections: list[DirectorySection] = []
    for entry in entries:
        if not sections or sections[-1].subfield.id != entry.subfield.id:
            sections.append(DirectorySection(entry.subfield, []))
        sections[-1].entries.append(entry)
    return DirectoryPage(
        total=total, groups=_groups(counts, subfields), page=page, sections=sections
    )


def _add_other_subfields(entries: list[DirectoryEntry], subfields: dict[int, Subfield]) -> None:
    if not entries:
        return
    by_id = {entry.id: entry for entry in entries}
    links = Member.subfields.through.objects.filter(member_id__in=by_id).values_list(
        "member_id", "subfield_id"
    )
    for member_id, subfield_id in links.order_by("subfield_id"):
        entry = by_id[member_id]
        if subfield_id != entry.subfield.id:
            entry.other_subfields.append(subfields[subfield_id])


def directory_contact_key(*, member_id: int) -> str:
    """The signed key that stands for a listed member in the contact form's address."""
    return signing.dumps(member_id, salt=_CONTACT_SALT)


def directory_member_for_contact(*, key: str) -> Member | None:
    """The listed member the key stands for, with their name only; None otherwise."""
    try:
        member_id = signing.loads(key, salt=_CONTACT_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(member_id, int):
        return None
    return directory_members().only("id", "full_name").filter(pk=member_id).first()


def directory_recipient(*, member_id: int) -> Member | None:
    """The listed member with what the directory's e-mail to them needs; None if unlisted."""
    return (
        directory_members()
        .only("id", "full_name", "email", "status", "language")
        .filter(pk=member_id)
        .first()
    )
