from django.urls import path
from django.views.generic import TemplateView

from registry import views
from registry.public import views as public_views
from registry.staff import dashboard as staff_dashboard
from registry.staff import views as staff_views


def page(name: str):
    """A page that only shows its template, registry/<name>.html."""
    return TemplateView.as_view(template_name=f"registry/{name}.html")


app_name = "registry"

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("register/", views.register, name="register"),
    path("register/check-your-inbox/", page("check_inbox"), name="check_inbox"),
    path("register/confirm/<str:token>/", views.confirm, name="confirm"),
    path("register/confirmed/", page("confirmed"), name="confirmed"),
    path("profile/", views.profile, name="profile"),
    path("profile/link-sent/", views.profile_link_sent, name="profile_link_sent"),
    path("profile/edit/<str:token>/", views.profile_edit, name="profile_edit"),
    path("profile/edit/<str:token>/my-data.json", views.profile_download, name="profile_download"),
    path("profile/saved/", page("profile_saved"), name="profile_saved"),
    path("profile/withdraw/<str:token>/", views.profile_withdraw, name="profile_withdraw"),
    path("profile/withdrawn/", page("withdrawn"), name="withdrawn"),
    path("profile/still-current/<str:token>/", views.still_current, name="still_current"),
    path(
        "profile/edit/<str:token>/leave-directory/",
        public_views.directory_leave,
        name="directory_leave",
    ),
    path("profile/left-directory/", page("directory/left"), name="directory_left"),
    path("directory/", public_views.directory, name="directory"),
    path(
        "directory/contact/<str:key>/",
        public_views.directory_contact,
        name="directory_contact",
    ),
    path("directory/sent/", public_views.directory_contact_sent, name="directory_contact_sent"),
    path("contact/", public_views.contact, name="contact"),
    path("contact/sent/", page("contact_sent"), name="contact_sent"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("staff/", staff_views.staff_home, name="staff_home"),
    path("staff/search/", staff_views.staff_search, name="staff_search"),
    path("staff/dashboard/", staff_dashboard.staff_dashboard, name="staff_dashboard"),
    path(
        "staff/dashboard/<slug:figure>.csv",
        staff_dashboard.staff_dashboard_csv,
        name="staff_dashboard_csv",
    ),
    path("staff/search/export.csv", staff_views.staff_export, name="staff_export"),
]
