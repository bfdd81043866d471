"""The Focal point role may export; the export log records whether members who
did not agree to be contacted were included; an index for matching the city.

The permission is written here, frozen, like in 0003_roles.
"""

import django.db.models.functions.text
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

FOCAL_POINT = "Focal point"
EXPORT = "export_member"


def _export_permission(apps):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label="registry", codename=EXPORT)


def grant_export(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=FOCAL_POINT).first()
    if group is not None:
        group.permissions.add(_export_permission(apps))


def revoke_export(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=FOCAL_POINT).first()
    if group is not None:
        group.permissions.remove(_export_permission(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_missions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(grant_export, revoke_export),
        migrations.AddField(
            model_name="exportlog",
            name="includes_no_contact",
            field=models.BooleanField(
                default=False,
                verbose_name="includes members who did not agree to be contacted",
            ),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                django.db.models.functions.text.Upper("city"), name="member_city_upper_idx"
            ),
        ),
    ]
