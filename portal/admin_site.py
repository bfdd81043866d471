"""The portal's admin site: its name, a way back to the staff home, the registry first.

Installed in place of django.contrib.admin (INSTALLED_APPS names
PortalAdminConfig), so `admin.site` is a PortalAdminSite everywhere.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

# The app listed first on the admin index: where staff spend their time.
FIRST_APP = "registry"
STAFF_HOME = "registry:staff_home"


class PortalAdminSite(admin.AdminSite):
    site_header = _("DORIN staff administration")
    site_title = _("DORIN staff")
    index_title = _("Registry administration")
    # "View site" leads back to the staff home rather than the public home.
    site_url = reverse_lazy(STAFF_HOME)

    def login(self, request, extra_context=None):
        """The admin login; with no `next`, it lands on the staff home, not the admin index."""
        asked = REDIRECT_FIELD_NAME in request.GET or REDIRECT_FIELD_NAME in request.POST
        if not asked:
            if request.method == "GET" and self.has_permission(request):
                return redirect(STAFF_HOME)
            extra_context = {**(extra_context or {}), REDIRECT_FIELD_NAME: reverse(STAFF_HOME)}
        return super().login(request, extra_context)

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        # A stable sort: the other apps keep the admin's alphabetical order.
        return sorted(apps, key=lambda app: app["app_label"] != FIRST_APP)


class PortalAdminConfig(AdminConfig):
    default_site = "portal.admin_site.PortalAdminSite"
