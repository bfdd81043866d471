"""Create the staff groups Focal point, Analyst and Viewer with their permissions.

The permissions are written here, frozen, rather than read from
registry.services.roles, so that this migration gives the same result forever;
`manage.py setup_roles` resets the groups to what today's code says.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

_READ = [
    "view_engagementtype",
    "view_expertisecluster",
    "view_field",
    "view_internationalproject",
    "view_member",
    "view_sdg",
    "view_subfield",
]

# Group name -> codenames of registry permissions.
ROLE_PERMISSIONS = {
    "Focal point": [
        *_READ,
        "add_engagementtype",
        "add_expertisecluster",
        "add_internationalproject",
        "add_member",
        "change_engagementtype",
        "change_expertisecluster",
        "change_field",
        "change_internationalproject",
        "change_member",
        "change_sdg",
        "change_subfield",
        "delete_engagementtype",
        "delete_expertisecluster",
        "delete_internationalproject",
        "review_member",
        "view_exportlog",
    ],
    "Analyst": [*_READ, "export_member"],
    "Viewer": _READ,
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations have run; the
    # groups need them now, so they are created here (idempotently) first.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        permissions = list(
            Permission.objects.filter(content_type__app_label="registry", codename__in=codenames)
        )
        if len(permissions) != len(codenames):
            raise LookupError(f"Permissions missing for the group {name}")
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)


def delete_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_taxonomy"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, delete_roles)]
