"""The taxonomy read in one query for the admin's filters (registry.selectors.taxonomy)."""

from django.utils import translation

from registry.models import ExpertiseCluster
from registry.selectors.taxonomy import taxonomy_entries


def test_entries_are_named_in_the_active_language_in_one_query(db, django_assert_num_queries):
    with translation.override("ur"), django_assert_num_queries(1):
        entries = taxonomy_entries()
    assert str(entries["field"][0]) == "1 قدرتی علوم"
    assert str(entries["subfield"][1]) == "1.2 کمپیوٹر اور معلوماتی علوم"
    assert entries["sdg"][12].name == "موسمیاتی اقدامات"
    assert entries["engagement"][0].name == "مشترکہ تحقیق"
    # Clusters have one name, the one staff gave them.
    assert {e.name for e in entries["cluster"]} == set(
        ExpertiseCluster.objects.filter(is_active=True).values_list("name", flat=True)
    )
    with translation.override("en"):
        english = taxonomy_entries()
    assert str(english["field"][0]) == "1 Natural sciences"
    assert english["sdg"][12].name == "Climate action"
