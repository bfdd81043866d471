"""Staff pages of outreach, mounted under /staff/opportunities/."""

from django.urls import path

from outreach.views import export, staff

app_name = "outreach"

urlpatterns = [
    path("", staff.opportunity_list, name="opportunity_list"),
    path("new/", staff.opportunity_create, name="opportunity_create"),
    path("<int:pk>/", staff.opportunity_detail, name="opportunity_detail"),
    path("<int:pk>/edit/", staff.opportunity_edit, name="opportunity_edit"),
    path("<int:pk>/invite/", staff.opportunity_invite, name="opportunity_invite"),
    path("<int:pk>/close/", staff.opportunity_close_view, name="opportunity_close"),
    path("<int:pk>/remind/", staff.opportunity_remind, name="opportunity_remind"),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/outcome/",
        staff.invitation_outcome,
        name="invitation_outcome",
    ),
    path("<int:pk>/accepted.csv", export.opportunity_export, name="opportunity_export"),
]
