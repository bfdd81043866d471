from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    # The language switch on every page posts to set_language here.
    path("i18n/", include("django.conf.urls.i18n")),
    path("staff/opportunities/", include("outreach.urls")),
    path("invitations/", include("outreach.public_urls")),
    path("", include("registry.urls")),
]

handler400 = "portal.errors.bad_request"
handler500 = "portal.errors.server_error"
