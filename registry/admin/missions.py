"""Admin of the Missions abroad, and the Mission of each staff account on its user page.

Missions are managed from headquarters: an account of a Mission may not open
this page at all, so that nobody can widen their own Mission's countries.
The Mission of an account is set on the account's page (the user admin,
superusers) or with `manage.py mission`.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from registry.models import Mission, MissionMembership
from registry.selectors.missions import staff_scope
from registry.services.missions import mission_assign_staff, mission_save


@admin.register(Mission)
class MissionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "city", "country_list", "staff_count", "is_active", "updated_at"]
    list_filter = ["is_active"]
    fields = ["name", "city", "countries", "is_active", "staff_list", "created_at", "updated_at"]
    readonly_fields = ["staff_list", "created_at", "updated_at"]
    search_fields = ["name", "city"]

    def _at_headquarters(self, request) -> bool:
        return staff_scope(request.user).is_headquarters

    def has_module_permission(self, request):
        return self._at_headquarters(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._at_headquarters(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return self._at_headquarters(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._at_headquarters(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A Mission is deactivated, not deleted: its exports stay on record.
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("memberships__user")

    def history_view(self, request, object_id, extra_context=None):
        # The history pages look up any id typed into the address as is; an
        # id that is not a Mission's is "not found", never a server error.
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        mission, _created = mission_save(
            name=data["name"],
            countries=[str(code) for code in data["countries"]],
            city=data["city"],
            is_active=data["is_active"],
            # The form has already written its values on obj: the service
            # compares them with the stored Mission.
            mission=Mission.objects.get(pk=obj.pk) if change else None,
        )
        # The admin logs the addition and redirects with its own instance.
        obj.pk, obj._state = mission.pk, mission._state

    @admin.display(description=_("countries covered"))
    def country_list(self, obj):
        return ", ".join(obj.country_codes) or "—"

    @admin.display(description=_("staff accounts"))
    def staff_count(self, obj):
        return len(obj.memberships.all())

    @admin.display(description=_("staff accounts"))
    def staff_list(self, obj):
        names = sorted(m.user.get_username() for m in obj.memberships.all())
        return ", ".join(names) or "—"


class MissionMembershipInline(admin.StackedInline):
    model = MissionMembership
    fk_name = "user"
    fields = ["mission"]
    max_num = 1
    can_delete = True
    verbose_name = _("Mission")
    verbose_name_plural = _("Mission (none: headquarters, sees every member)")


class StaffUserAdmin(UserAdmin):
    """Django's user admin, with the account's Mission."""

    inlines = [*UserAdmin.inlines, MissionMembershipInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not MissionMembership:
            return super().save_formset(request, form, formset, change)
        # Through the service, as `manage.py mission` does: one write path.
        # save(commit=False) only lists what changed, for the admin's log.
        formset.save(commit=False)
        chosen = [
            f.cleaned_data.get("mission")
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        mission = next((m for m in chosen if m is not None), None)
        mission_assign_staff(mission=mission, users=[form.instance])
        return None


# django.contrib.auth registered its own UserAdmin first (INSTALLED_APPS order).
admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), StaffUserAdmin)
