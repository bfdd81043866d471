"""Indexes for the staff search's filters (issue 19, selective searches).

* member_country_name_idx: a country's confirmed members by subfield and
  name, with the other member columns the search filters on (sector, career
  stage, qualification, freshness), so that a country filter or a Mission's
  scope, alone or with those filters, is counted from the index alone, and a
  subfield's first names within a country are a short walk.
* member_stale_idx: the few stale members, without a scan of the table.
* (target, member) on the relation tables the search filters on (clusters,
  engagement types, SDGs): a filter's members are read from the index alone.
  Django's own indexes on these tables are (member, target) and (target),
  whose rows must be read from the table. The tables are created by Django
  for the many-to-many fields, so these indexes are plain SQL.
"""

from django.db import migrations, models

RELATION_INDEXES = {
    "member_clusters_target_idx": ("registry_member_clusters", "expertisecluster_id"),
    "member_engagement_target_idx": ("registry_member_engagement_types", "engagementtype_id"),
    "member_sdgs_target_idx": ("registry_member_sdgs", "sdg_id"),
}


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0016_member_updated_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                condition=models.Q(
                    ("status", "submitted"), ("status", "verified"), _connector="OR"
                ),
                fields=["country", "primary_subfield", "name_key", "id"],
                include=["sector", "career_stage", "highest_qualification", "stale_since"],
                name="member_country_name_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                condition=models.Q(("stale_since__isnull", False)),
                fields=["stale_since"],
                name="member_stale_idx",
            ),
        ),
        *(
            migrations.RunSQL(
                f"CREATE INDEX {name} ON {table} ({column}, member_id)",
                f"DROP INDEX {name}",
            )
            for name, (table, column) in RELATION_INDEXES.items()
        ),
    ]
