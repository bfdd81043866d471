"""The portal's URLs plus the benchmark's own views (bench settings only)."""

from django.urls import path

from bench import views
from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("bench/trivial/", views.trivial, name="bench_trivial"),
    path("bench/naive-export.csv", views.naive_export, name="bench_naive_export"),
    *portal_urlpatterns,
]
