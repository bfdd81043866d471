"""Admin registrations. The full review backend is built on top of these."""

from django.contrib import admin

from registry.models import (
    EngagementType,
    ExpertiseCluster,
    Field,
    InternationalProject,
    Member,
    Sdg,
    Subfield,
)
from registry.services.clusters import cluster_recompute
from registry.services.members import member_refresh_derived


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    fields = ["code", "name", "position"]


@admin.register(Subfield)
class SubfieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "field"]
    list_filter = ["field"]
    list_select_related = ["field"]
    fields = ["field", "code", "name", "position"]
    search_fields = ["code", "name"]


@admin.register(Sdg)
class SdgAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]
    fields = ["number", "name"]


@admin.register(EngagementType)
class EngagementTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    fields = ["name", "slug", "position"]


@admin.register(InternationalProject)
class InternationalProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    fields = ["name", "slug", "position"]


@admin.register(ExpertiseCluster)
class ExpertiseClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_active"]
    fields = ["name", "slug", "description", "subfields", "keywords", "is_active"]
    filter_horizontal = ["subfields"]
    prepopulated_fields = {"slug": ["name"]}

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The subfields are saved only now, so membership is recomputed here.
        cluster_recompute(cluster=form.instance)


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = [
        "full_name",
        "country",
        "primary_subfield",
        "organisation",
        "status",
        "created_at",
    ]
    list_filter = ["status"]
    list_select_related = ["primary_subfield"]
    search_fields = ["full_name", "email", "organisation"]
    raw_id_fields = ["duplicate_of", "reviewed_by"]
    autocomplete_fields = ["primary_subfield"]
    fields = [
        "full_name",
        "email",
        "phone",
        "gender",
        "country",
        "city",
        "connection",
        "home_region",
        "highest_qualification",
        "qualification_subject",
        "qualification_institution",
        "qualification_country",
        "qualification_year",
        "job_title",
        "organisation",
        "sector",
        "career_stage",
        "years_experience",
        "primary_subfield",
        "subfields",
        "keywords",
        "summary",
        "orcid",
        "scholar_url",
        "linkedin_url",
        "website_url",
        "engagement_types",
        "sdgs",
        "international_projects",
        "home_collaborations",
        "hours_per_month",
        "willing_to_visit",
        "consent_processing",
        "consent_processing_at",
        "privacy_notice_version",
        "consent_contact",
        "consent_directory",
        "status",
        "email_confirmed_at",
        "reviewed_by",
        "reviewed_at",
        "review_reason",
        "staff_notes",
        "duplicate_of",
        "source",
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        member_refresh_derived(member=form.instance)
