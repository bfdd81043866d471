"""Admin of the taxonomy and the expertise clusters."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from registry.models import (
    EngagementType,
    ExpertiseCluster,
    Field,
    InternationalProject,
    Sdg,
    Subfield,
)
from registry.selectors.clusters import clusters_with_member_count_column
from registry.services.clusters import cluster_recompute


class UrduNameFilter(admin.SimpleListFilter):
    """Rows with or without their name in Urdu, so the focal point finds those to translate."""

    title = _("name in Urdu")
    parameter_name = "urdu"

    def lookups(self, request, model_admin):
        return [("missing", _("Missing")), ("given", _("Given"))]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(name_ur="")
        if self.value() == "given":
            return queryset.exclude(name_ur="")
        return queryset


class UrduNamedAdmin(admin.ModelAdmin):
    """A taxonomy list whose rows staff name in English and in Urdu.

    A row without an Urdu name shows its English name on Urdu pages; the list
    shows the Urdu names and filters the rows that lack one.
    """

    list_filter = [UrduNameFilter]

    @admin.display(description=_("name in Urdu"), ordering="name_ur")
    def urdu_name(self, obj):
        if not obj.name_ur:
            return self.get_empty_value_display()
        return format_html('<span lang="ur" dir="rtl">{}</span>', obj.name_ur)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "name_ur" and formfield is not None:
            # Typed right to left, and spoken and spell-checked as Urdu.
            formfield.widget.attrs.update({"lang": "ur", "dir": "rtl"})
        return formfield


@admin.register(Field)
class FieldAdmin(UrduNamedAdmin):
    list_display = ["code", "name", "urdu_name", "position"]
    fields = ["code", "name", "name_ur", "position"]
    search_fields = ["code", "name", "name_ur"]


@admin.register(Subfield)
class SubfieldAdmin(UrduNamedAdmin):
    list_display = ["code", "name", "urdu_name", "field", "position"]
    list_filter = ["field", UrduNameFilter]
    list_select_related = ["field"]
    fields = ["field", "code", "name", "name_ur", "position"]
    search_fields = ["code", "name", "name_ur"]


@admin.register(Sdg)
class SdgAdmin(UrduNamedAdmin):
    list_display = ["number", "name", "urdu_name"]
    fields = ["number", "name", "name_ur"]
    search_fields = ["name", "name_ur"]


@admin.register(EngagementType, InternationalProject)
class NamedListAdmin(UrduNamedAdmin):
    """The lists the ministry defines itself: a name, a slug, a position."""

    list_display = ["name", "urdu_name", "slug", "position"]
    fields = ["name", "name_ur", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "name_ur"]


@admin.register(ExpertiseCluster)
class ExpertiseClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "member_count", "is_active", "updated_at"]
    list_filter = ["is_active"]
    fields = ["name", "slug", "description", "subfields", "keywords", "is_active"]
    filter_horizontal = ["subfields"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "keywords"]
    show_full_result_count = False

    def get_queryset(self, request):
        # Member counts for the whole page in the query that lists it.
        return clusters_with_member_count_column(user=request.user)

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The subfields are saved only now, so membership is recomputed here,
        # in bulk: only members who join or leave are written.
        cluster_recompute(cluster=form.instance)
