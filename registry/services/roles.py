"""Staff roles: the Focal point, Analyst and Viewer groups and their permissions.

The groups are created by a data migration and can be reset at any time with
`manage.py setup_roles`; both call roles_setup(), which is idempotent. A staff
account needs `is_staff` and one of these groups.
"""

from django.apps import apps as global_apps
from django.db import transaction

FOCAL_POINT = "Focal point"
ANALYST = "Analyst"
VIEWER = "Viewer"

_TAXONOMY = ["field", "subfield", "sdg", "engagementtype", "internationalproject"]
_CURATED = ["engagementtype", "internationalproject", "expertisecluster"]
_READ = [f"registry.view_{model}" for model in [*_TAXONOMY, "expertisecluster"]] + [
    "registry.view_member"
]
# Opportunities (outreach): create and edit them, invite, record outcomes, export.
_OUTREACH_MANAGE = [
    "outreach.view_opportunity",
    "outreach.manage_opportunity",
    "outreach.export_opportunity",
]

# Group name -> "app_label.codename" of every permission the group holds.
# Group names are data, not interface text: they stay in English so that code
# and migrations can find them whatever language the admin is shown in.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    # Reviews and edits members, curates the taxonomy and the clusters. The
    # official lists (FORD fields and subfields, the 17 SDGs) can be renamed
    # and reordered but not added to or deleted; the lists the ministry
    # defines itself (engagement types, projects, clusters) are fully its own.
    # Members are never deleted here: withdrawal erases personal data.
    FOCAL_POINT: [
        *_READ,
        "registry.add_member",
        "registry.change_member",
        "registry.review_member",
        *(f"registry.change_{model}" for model in _TAXONOMY),
        *(f"registry.{action}_{model}" for model in _CURATED for action in ("add", "delete")),
        "registry.change_expertisecluster",
        "registry.view_exportlog",
        # The focal point leads the initiative and sends lists of specialists
        # to host institutions.
        "registry.export_member",
        # Missions abroad and the countries they cover (headquarters only:
        # see registry.admin.missions).
        *(f"registry.{action}_mission" for action in ("view", "add", "change")),
        # Queries from the contact page: read, and mark handled.
        "registry.view_contactmessage",
        "registry.change_contactmessage",
        *_OUTREACH_MANAGE,
    ],
    # Reads members and exports lists of specialists.
    ANALYST: [*_READ, "registry.export_member", *_OUTREACH_MANAGE],
    # Reads members, nothing else.
    VIEWER: [*_READ, "outreach.view_opportunity"],
}


@transaction.atomic
def roles_setup(*, apps=global_apps) -> dict[str, int]:
    """Create the staff groups, or reset their permissions to ROLE_PERMISSIONS.

    Permissions added to these groups by hand are removed, so each role holds
    exactly what is documented. `apps` is the migration's app registry when
    called from a data migration. Returns the permission count of each group.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    counts = {}
    for name, wanted in ROLE_PERMISSIONS.items():
        pairs = {tuple(p.split(".", 1)) for p in wanted}
        found = list(
            Permission.objects.filter(
                content_type__app_label__in={app for app, _ in pairs},
                codename__in={codename for _, codename in pairs},
            ).select_related("content_type")
        )
        found = [p for p in found if (p.content_type.app_label, p.codename) in pairs]
        missing = pairs - {(p.content_type.app_label, p.codename) for p in found}
        if missing:
            raise LookupError(f"Permissions missing for {name}: {sorted(missing)}")
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(found)
        counts[name] = len(found)
    return counts
