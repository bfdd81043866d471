"""URLconf for tests: the real routes plus views that fail on purpose, for the
403 and 500 pages."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import include, path

from portal.urls import handler400, handler500  # noqa: F401  (the portal's own handlers)
from registry import urls as registry_urls


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("a failure on purpose, for the 500 page")


registry_patterns = (registry_urls.urlpatterns, "registry")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("forbidden/", forbidden),
    path("broken/", broken),
    path("", include(registry_patterns)),
]
