"""The staff pages a user may open, listed once for the staff home.

A new staff page is one more entry in LINKS.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class StaffLink:
    url_name: str
    title: str | Promise
    description: str | Promise
    # Every permission ("app_label.codename") the page needs.
    perms: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return reverse(self.url_name)


LINKS = (
    StaffLink(
        "registry:staff_search",
        _("Search members"),
        _("Find members by field, country, sector and free text; export lists as CSV."),
        ("registry.view_member",),
    ),
    StaffLink(
        "registry:staff_dashboard",
        _("Dashboard"),
        _("The network at a glance: members by country on a map, fields, clusters, growth."),
        ("registry.view_member",),
    ),
    StaffLink(
        "outreach:opportunity_list",
        _("Opportunities"),
        _("Lectures, supervision, projects: match members, invite them, follow their answers."),
        ("outreach.view_opportunity",),
    ),
    StaffLink(
        "admin:registry_member_changelist",
        _("Member list"),
        _("Review, verify and edit entries in the administration."),
        ("registry.view_member",),
    ),
    StaffLink(
        "admin:registry_exportlog_changelist",
        _("Export log"),
        _("Who exported which members, and when."),
        ("registry.view_exportlog",),
    ),
    StaffLink(
        "admin:index",
        _("Administration"),
        _("Taxonomy, clusters, Missions and everything else the administration holds."),
    ),
)


def staff_links(user) -> list[StaffLink]:
    """The entries of LINKS that `user` (an active staff account) may open, in order."""
    if not (user.is_active and user.is_staff):
        return []
    return [link for link in LINKS if user.has_perms(link.perms)]
