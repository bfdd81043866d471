"""Give the staff groups the outreach permissions.

Focal points and Analysts create opportunities, invite members and export the
accepted; Viewers read opportunities only. Frozen here, like registry's
0003_roles; `manage.py setup_roles` resets the groups to registry.services.roles.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MANAGE = ["view_opportunity", "manage_opportunity", "export_opportunity"]
ROLE_PERMISSIONS = {"Focal point": MANAGE, "Analyst": MANAGE, "Viewer": ["view_opportunity"]}


def add_permissions(apps, schema_editor):
    app_config = apps.get_app_config("outreach")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="outreach", codename__in=codenames)
        )


def remove_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="outreach")
    for group in Group.objects.filter(name__in=ROLE_PERMISSIONS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0001_initial"),
        ("registry", "0003_roles"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
