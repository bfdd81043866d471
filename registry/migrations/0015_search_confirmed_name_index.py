from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0014_dashboard_summary"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                condition=models.Q(
                    ("status", "submitted"), ("status", "verified"), _connector="OR"
                ),
                fields=["primary_subfield", "name_key", "id"],
                name="member_confirmed_name_idx",
            ),
        ),
    ]
