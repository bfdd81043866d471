"""Admin of the taxonomy and the expertise clusters."""

from django.contrib import admin
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


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "position"]
    fields = ["code", "name", "position"]
    search_fields = ["code", "name"]


@admin.register(Subfield)
class SubfieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "field", "position"]
    list_filter = ["field"]
    list_select_related = ["field"]
    fields = ["field", "code", "name", "position"]
    search_fields = ["code", "name"]


@admin.register(Sdg)
class SdgAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]
    fields = ["number", "name"]
    search_fields = ["name"]


@admin.register(EngagementType, InternationalProject)
class NamedListAdmin(admin.ModelAdmin):
    """The lists the ministry defines itself: a name, a slug, a position."""

    list_display = ["name", "slug", "position"]
    fields = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


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
