"""URLconf for tests: the real routes plus stand-ins for the survey's routes.

The survey issue adds registry:register and registry:profile; until then the
layout must render their links only when they exist. These stand-ins let the
tests see both states, and give views that fail on purpose for the error pages.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import include, path

from registry import urls as registry_urls


def survey_stand_in(request):
    return HttpResponse("survey stand-in")


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("a failure on purpose, for the 500 page")


registry_patterns = (
    [
        *registry_urls.urlpatterns,
        path("register/", survey_stand_in, name="register"),
        path("profile/", survey_stand_in, name="profile"),
    ],
    "registry",
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("forbidden/", forbidden),
    path("broken/", broken),
    path("", include(registry_patterns)),
]
