"""The member admin: the focal point's list and change form (review decisions: admin/review.py)."""

import re

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.db import models
from django.db.models.functions import Lower
from django.http import Http404, HttpResponseNotAllowed
from django.urls import path
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from registry.admin.actions import MemberActionForm, export_selected_members
from registry.admin.filters import (
    BroadFieldFilter,
    ClusterFilter,
    CountryFilter,
    EngagementTypeFilter,
    FreshnessFilter,
    GuardedChangeList,
    ReviewQueueFilter,
    SdgFilter,
    SubfieldFilter,
    list_filter_parameters,
)
from registry.admin.forms import (
    CONSENT_FIELDS,
    DERIVED_FIELDS,
    MEMBER_FIELDSETS,
    REVIEW_READONLY_FIELDS,
    MemberAdminForm,
)
from registry.admin.history import MemberHistoryContextHelper
from registry.admin.pagination import EstimatedCountPaginator
from registry.admin.review import MemberReviewMixin
from registry.formfields import NormalizedCharField
from registry.models import Member
from registry.search.filters import members_matching_text
from registry.selectors.members import members_visible_to
from registry.selectors.missions import staff_scope
from registry.selectors.review import members_possibly_duplicating
from registry.services.members import member_create, member_update
from registry.text import normalize_email
from registry.validators import row_id

# An address typed into the search box is matched exactly, through the index
# on the lower-cased address.
_EMAIL_LIKE = re.compile(r"[^\s@]+@[^\s@]+")


class MemberAutocompleteView(AutocompleteJsonView):
    """Autocomplete for choosing an original entry: shows enough to tell namesakes apart."""

    def get_queryset(self):
        queryset = (
            super()
            .get_queryset()
            .exclude(status__in=[Member.Status.DUPLICATE, Member.Status.WITHDRAWN])
        )
        marked = row_id(self.request.GET.get("exclude"))
        return queryset if marked is None else queryset.exclude(pk=marked)

    def serialize_result(self, obj, to_field_name):
        details = ", ".join(
            part for part in [obj.organisation, obj.country.name, obj.get_status_display()] if part
        )
        return {"id": str(obj.pk), "text": f"{obj.full_name} ({details}) #{obj.pk}"}


@admin.register(Member)
class MemberAdmin(MemberReviewMixin, SimpleHistoryAdmin):
    form = MemberAdminForm
    # Text is trimmed and composed to NFC before its length is checked, as the
    # survey does: otherwise a value that NFC lengthens passes the form and
    # fails in the database, and the same name could be stored two ways.
    # (Choice fields, e-mail and URLs keep their own form fields.)
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},
        models.CharField: {"form_class": NormalizedCharField},
        models.TextField: {"form_class": NormalizedCharField},
    }
    list_display = [
        "full_name",
        "country_name",
        "main_field",
        "organisation",
        "sector",
        "status",
        "email_confirmed",
        "last_confirmed",
        "created",
    ]
    list_filter = [
        ReviewQueueFilter,
        "status",
        BroadFieldFilter,
        SubfieldFilter,
        ClusterFilter,
        CountryFilter,
        "sector",
        EngagementTypeFilter,
        SdgFilter,
        "highest_qualification",
        "career_stage",
        "consent_contact",
        ("email_confirmed_at", admin.EmptyFieldListFilter),
        FreshnessFilter,
    ]
    list_select_related = ["primary_subfield"]
    list_per_page = 50
    # Sorting only where an index leads: (status, created) and created. By
    # name or country, a million rows would be sorted on every page view.
    sortable_by = ["status", "created"]
    paginator = EstimatedCountPaginator
    # No second COUNT(*) of the whole table next to the search box, and no
    # per-option counts beside the filters.
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    date_hierarchy = "created_at"
    # get_search_results() does the searching; search_fields only switches on
    # the search box and the autocomplete of members.
    search_fields = ["full_name"]
    search_help_text = gettext_lazy(
        "Words from the name, organisation, job title, keywords or summary, "
        "or a complete e-mail address."
    )
    autocomplete_fields = ["primary_subfield", "subfields"]
    fieldsets = MEMBER_FIELDSETS
    action_form = MemberActionForm
    actions = [
        "verify_selected",
        "reject_selected",
        "mark_duplicate_selected",
        "return_selected_to_submitted",
        export_selected_members,
    ]
    object_history_list_template = "admin/registry/member/history_list.html"

    class Media:
        css = {"all": ["css/registry-admin.css"]}
        js = ["js/registry-admin.js"]

    # Permissions. Review and export are custom permissions of Member; the
    # actions name them, so each role sees exactly the actions it may use.

    def has_review_permission(self, request) -> bool:
        return request.user.has_perm("registry.review_member")

    def has_export_permission(self, request) -> bool:
        return request.user.has_perm("registry.export_member")

    def has_delete_permission(self, request, obj=None):
        # Members are never deleted here: withdrawal erases the personal data
        # and keeps an anonymous tombstone, and rejection or "duplicate" keep
        # a decision on record.
        return False

    # The list.

    def get_queryset(self, request):
        return members_visible_to(request.user)

    def get_changelist(self, request, **kwargs):
        return GuardedChangeList

    def lookup_allowed(self, lookup, value, request=None):
        # Only what the list's own filters write. Django's default also takes
        # any lookup on the member's columns from the address bar: a regular
        # expression or substring test on a column the list does not show.
        allowed = list_filter_parameters(model_admin=self, request=request)
        return lookup in allowed and super().lookup_allowed(lookup, value, request)

    # Short column titles, so that the reviewer's columns fit on one screen.

    @admin.display(description=gettext_lazy("country"), ordering="country")
    def country_name(self, obj):
        return obj.country.name

    @admin.display(description=gettext_lazy("main field"))
    def main_field(self, obj):
        return obj.primary_subfield

    @admin.display(description=gettext_lazy("created"), ordering="created_at")
    def created(self, obj):
        return formats.date_format(timezone.localtime(obj.created_at), "SHORT_DATE_FORMAT")

    @admin.display(description=gettext_lazy("last confirmed"))
    def last_confirmed(self, obj):
        if obj.last_confirmed_at is None:
            return "—"
        shown = formats.date_format(timezone.localtime(obj.last_confirmed_at), "SHORT_DATE_FORMAT")
        if obj.stale_since is not None:
            return _("%(date)s (stale)") % {"date": shown}
        return shown

    @admin.display(boolean=True, description=gettext_lazy("confirmed"))
    def email_confirmed(self, obj):
        return obj.email_confirmed_at is not None

    @admin.display(description=gettext_lazy("expertise clusters"))
    def cluster_list(self, obj):
        return ", ".join(cluster.name for cluster in obj.clusters.all()) or "—"

    def get_search_results(self, request, queryset, search_term):
        """Free text through the registry's search selector; an address matched exactly."""
        term = search_term.strip()
        if not term:
            return queryset, False
        if _EMAIL_LIKE.fullmatch(term):
            # Written so that the unique index on LOWER(email), which leaves
            # out empty addresses, answers it.
            queryset = (
                queryset.alias(email_lower=Lower("email"))
                .filter(email_lower=normalize_email(term))
                .exclude(email="")
            )
            return queryset, False
        return members_matching_text(queryset, term), False

    # The change form.

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        # No add / change / delete links to taxonomy pages beside a member's
        # fields: the taxonomy is curated on its own pages.
        if formfield is not None and isinstance(formfield.widget, RelatedFieldWidgetWrapper):
            formfield.widget = formfield.widget.widget
        if db_field.name == "country" and formfield is not None:
            # Mission staff place members only where their Mission covers, so
            # that no one moves a member out of sight or adds one outside it.
            scope = staff_scope(request.user)
            formfield.choices = [(c, n) for c, n in formfield.choices if not c or scope.covers(c)]
        return formfield

    def get_readonly_fields(self, request, obj=None):
        readonly = [*REVIEW_READONLY_FIELDS, *DERIVED_FIELDS]
        if obj is not None:
            # What the member agreed to is theirs to change, not staff's. On
            # an entry staff add themselves they record it once.
            readonly += CONSENT_FIELDS
        else:
            readonly += ["consent_processing_at", "privacy_notice_version"]
        return readonly

    def save_model(self, request, obj, form, change):
        # Through the survey's services: they normalise, keep the derived data
        # current and store one history row with the relations.
        data = {name: form.cleaned_data[name] for name in form.fields}
        if change:
            member_update(
                member=obj, data=data, user=request.user, reason=_("Changed in the admin")
            )
            return
        if data.get("consent_processing"):
            data["consent_processing_at"] = timezone.now()
        member = member_create(
            data=data,
            source=Member.Source.ADMIN,
            status=Member.Status.SUBMITTED,
            user=request.user,
            reason=_("Added in the admin"),
        )
        # The admin logs the addition and redirects with its own instance.
        obj.pk, obj._state = member.pk, member._state

    def save_related(self, request, form, formsets, change):
        # The relations were saved with the member; inline formsets would remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and change:
            context["possible_duplicates"] = members_possibly_duplicating(
                member=obj, queryset=self.get_queryset(request)
            )
            context["review_decisions"] = (
                self.review_decisions(obj) if self.has_review_permission(request) else []
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # History: read-only, and only of members the user may see.

    def history_view(self, request, object_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return MemberHistoryContextHelper(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The stock view saves on POST (a "revert"), which would bypass the
        # services and needs only the view permission.
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_urls(self):
        urls = [
            path(
                "autocomplete/",
                self.admin_site.admin_view(
                    MemberAutocompleteView.as_view(admin_site=self.admin_site)
                ),
                name="registry_member_autocomplete",
            ),
            path(
                "<path:object_id>/review/<slug:decision>/",
                self.admin_site.admin_view(self.review_view),
                name="registry_member_review",
            ),
        ]
        return urls + super().get_urls()
