"""PostgreSQL full-text and fuzzy search over members.

Only on PostgreSQL; on any other database this migration does nothing and the
portable search in registry.search.portable takes over.

* extensions unaccent and pg_trgm (both trusted, so the database owner may
  create them);
* a text search configuration `dorin`: English stemming with unaccent in front,
  so a query folds accents the same way as the stored document;
* registry_member.search_vector, a tsvector GENERATED from search_document.
  PostgreSQL computes it on every INSERT, UPDATE and COPY, so it can never lag
  behind the document that registry.services keeps current. The column is not
  in the Django model: only the search selector reads it;
* a GIN index on it and a trigram GIN index on name_key for fuzzy names.

These stay here rather than on the model: the column is PostgreSQL's own
(GENERATED ... to_tsvector), and GIN indexes with an operator class would fail
on SQLite. Every index Django can express portably is declared on the model.

Reversing drops the column, the indexes and the configuration but leaves the
two extensions installed: other migrations may depend on them and an unused
extension costs nothing.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TEXT SEARCH CONFIGURATION dorin (COPY = pg_catalog.english)",
    "ALTER TEXT SEARCH CONFIGURATION dorin "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
    "ALTER TABLE registry_member ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('dorin'::regconfig, search_document)) STORED",
    "CREATE INDEX member_search_vector_idx ON registry_member USING gin (search_vector)",
    "CREATE INDEX member_name_key_trgm_idx ON registry_member USING gin (name_key gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS member_name_key_trgm_idx",
    "DROP INDEX IF EXISTS member_search_vector_idx",
    "ALTER TABLE registry_member DROP COLUMN IF EXISTS search_vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS dorin",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_roles"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False),
    ]
