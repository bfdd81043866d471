from django.urls import path

from registry import staff_views, views

app_name = "registry"

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("staff/search/", staff_views.staff_search, name="staff_search"),
    path("staff/search/export.csv", staff_views.staff_export, name="staff_export"),
]
