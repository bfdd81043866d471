"""Member list filters whose options never come from scanning the member table.

Options come from choices (status, sector, country...) or from the small
taxonomy tables, all of those read in one query per request.
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from registry.selectors.freshness import Freshness, members_with_freshness
from registry.selectors.missions import staff_scope
from registry.selectors.review import REVIEW_QUEUES, review_queue_condition
from registry.selectors.taxonomy import TaxonomyEntry, taxonomy_entries
from registry.validators import row_id


class GuardedChangeList(ChangeList):
    """The admin list, treating filter values no database could take as a wrong filter.

    Two kinds reach the database or the date hierarchy unchecked and would be
    a server error: a NUL character (PostgreSQL refuses it in any string,
    ?status__exact=%00), and a date hierarchy year such as 9999 or 2**64,
    which raises ValueError or OverflowError outside the admin's own guard.
    IncorrectLookupParameters sends the user back to the list with the
    admin's "wrong filter" notice.

    It sorts only by the columns offered for sorting (sortable_by).
    """

    def get_ordering_field(self, field_name):
        # Django sorts by any column whose index is typed into ?o=, offered or
        # not; the others are left out as an invalid index is.
        if field_name not in self.sortable_by:
            return None
        return super().get_ordering_field(field_name)

    def get_filters(self, request):
        for name, values in request.GET.lists():
            # The search box has its own form, which refuses a NUL.
            if name != SEARCH_VAR and any("\x00" in value for value in values):
                raise IncorrectLookupParameters("NUL character in a filter")
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


def list_filter_parameters(*, model_admin, request) -> frozenset[str]:
    """Every query parameter the list's filters and date hierarchy write, and no other."""
    parameters = set()
    if model_admin.date_hierarchy:
        parameters |= {f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")}
    for item in model_admin.get_list_filter(request):
        if isinstance(item, type) and issubclass(item, admin.SimpleListFilter):
            parameters.add(item.parameter_name)
            continue
        if isinstance(item, (list, tuple)):
            field_path, filter_class = item
        else:
            field_path, filter_class = item, admin.FieldListFilter.create
        field = get_fields_from_path(model_admin.model, field_path)[-1]
        # Made with no parameters only to ask which ones it reads.
        spec = filter_class(
            field, request, {}, model_admin.model, model_admin, field_path=field_path
        )
        parameters.update(spec.expected_parameters())
        # The column itself means its exact value, as status__exact does.
        parameters.add(field_path)
    return frozenset(parameters)


def _taxonomy(request) -> dict[str, list[TaxonomyEntry]]:
    # Several filters share one read per request.
    if not hasattr(request, "_registry_taxonomy"):
        request._registry_taxonomy = taxonomy_entries()
    return request._registry_taxonomy


class DropdownFilterMixin:
    """Shows the options as a drop-down list, for lists too long for links."""

    template = "admin/registry/filter_dropdown.html"


class TaxonomyFilter(admin.SimpleListFilter):
    """Options from one taxonomy list; the value in the address is the row id."""

    kind = ""
    lookup = ""

    def entries(self, request) -> list[TaxonomyEntry]:
        return _taxonomy(request)[self.kind]

    def label(self, entry: TaxonomyEntry) -> str:
        return str(entry)

    def lookups(self, request, model_admin):
        return [(str(entry.id), self.label(entry)) for entry in self.entries(request)]

    def selected_id(self) -> int | None:
        value = self.value()
        if value is None:
            return None
        selected = row_id(value)
        if selected is None:
            raise IncorrectLookupParameters(value)
        return selected

    def queryset(self, request, queryset):
        selected = self.selected_id()
        if selected is None:
            return queryset
        return queryset.filter(**{self.lookup: selected})


class BroadFieldFilter(TaxonomyFilter):
    title = _("broad field")
    parameter_name = "broad_field"
    kind = "field"

    def queryset(self, request, queryset):
        selected = self.selected_id()
        if selected is None:
            return queryset
        # The subfield ids come from the taxonomy already read, so the member
        # table is filtered on its indexed primary_subfield column, no join.
        subfield_ids = [e.id for e in _taxonomy(request)["subfield"] if e.parent_id == selected]
        return queryset.filter(primary_subfield_id__in=subfield_ids)


class SubfieldFilter(DropdownFilterMixin, TaxonomyFilter):
    title = _("main field of expertise")
    parameter_name = "subfield"
    kind = "subfield"
    lookup = "primary_subfield_id"

    def entries(self, request):
        entries = super().entries(request)
        broad_field = row_id(request.GET.get(BroadFieldFilter.parameter_name))
        if broad_field is not None:
            # Once a broad field is chosen, only its subfields are offered.
            entries = [e for e in entries if e.parent_id == broad_field]
        return entries


class ClusterFilter(TaxonomyFilter):
    title = _("expertise cluster")
    parameter_name = "cluster"
    kind = "cluster"
    # A member is at most once in a cluster, so the join adds no duplicate rows.
    lookup = "clusters"


class EngagementTypeFilter(TaxonomyFilter):
    title = _("engagement type")
    parameter_name = "engagement"
    kind = "engagement"
    lookup = "engagement_types"


class SdgFilter(DropdownFilterMixin, TaxonomyFilter):
    title = _("Sustainable Development Goal")
    parameter_name = "sdg"
    kind = "sdg"
    lookup = "sdgs"

    def label(self, entry):
        return _("SDG %(number)s: %(name)s") % {"number": entry.code, "name": entry.name}


class CountryFilter(DropdownFilterMixin, admin.SimpleListFilter):
    """Every country the user's scope covers (every country from django-countries at
    headquarters), not only those in the table."""

    title = _("country of residence")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        scope = staff_scope(request.user)
        return [(code, name) for code, name in countries if scope.covers(code)]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        # A country outside the scope is as wrong a filter as no country at all.
        if value not in countries or not staff_scope(request.user).covers(value):
            raise IncorrectLookupParameters(value)
        return queryset.filter(country=value)


class ReviewQueueFilter(admin.SimpleListFilter):
    """What waits for review: the staff home's counts link here (?review=new, ...)."""

    title = _("waiting for review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return list(REVIEW_QUEUES.items())

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value not in REVIEW_QUEUES:
            raise IncorrectLookupParameters(value)
        return queryset.filter(review_queue_condition(value, user=request.user))


class FreshnessFilter(admin.SimpleListFilter):
    """Members who answered the yearly "still current?" check (or were not asked yet)
    and members marked stale for answering neither prompt."""

    title = _("yearly check")
    parameter_name = "freshness"

    def lookups(self, request, model_admin):
        return Freshness.choices

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value not in Freshness.values:
            raise IncorrectLookupParameters(value)
        return members_with_freshness(queryset, value)
