"""NameWord: the words of the members' folded names, for the staff search's fuzzy names.

On PostgreSQL a trigram index on the word finds the words like a misspelt
name; the search then looks only at the members whose name holds one of
them. The data pass records the words of every member's name now, as
registry.services.name_words.name_words_refresh() does (a migration uses the
models as they were, so it cannot call the service).
"""

from django.db import migrations, models

INDEX = "CREATE INDEX name_word_trgm_idx ON registry_nameword USING gin (word gin_trgm_ops)"


def record_words(apps, schema_editor):
    Member = apps.get_model("registry", "Member")
    NameWord = apps.get_model("registry", "NameWord")
    names = Member.objects.exclude(name_key="").order_by().values_list("name_key", flat=True)
    words = set()
    for name_key in names.distinct().iterator(chunk_size=5000):
        words.update(name_key.split())
    NameWord.objects.bulk_create([NameWord(word=w) for w in sorted(words)], batch_size=5000)


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS name_word_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0019_member_possible_duplicate"),
    ]

    operations = [
        migrations.CreateModel(
            name="NameWord",
            fields=[
                ("word", models.CharField(max_length=200, primary_key=True, serialize=False)),
            ],
        ),
        migrations.RunPython(record_words, migrations.RunPython.noop),
        migrations.RunPython(add_index, drop_index),
    ]
