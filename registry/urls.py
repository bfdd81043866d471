from django.urls import path

from registry import views

app_name = "registry"

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("favicon.ico", views.favicon, name="favicon"),
]
