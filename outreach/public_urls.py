"""The member's pages of outreach, mounted under /invitations/; no login."""

from django.urls import path

from outreach.views import public

app_name = "invitations"

urlpatterns = [
    path("resume/<str:token>/", public.resume, name="resume"),
    path("<str:token>/", public.respond, name="respond"),
    path("<str:token>/stop/", public.opt_out, name="opt_out"),
]
