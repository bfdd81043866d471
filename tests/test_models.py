import importlib
import re

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import translation

from registry.models import (
    EngagementType,
    ExpertiseCluster,
    Field,
    InternationalProject,
    Member,
    Sdg,
    Subfield,
)
from tests.factories import member_data

pytestmark = pytest.mark.django_db

URDU_NAMED = [Field, Subfield, Sdg, EngagementType, InternationalProject]
# Letters of the Arabic script, in which Urdu is written.
URDU_LETTER = re.compile(r"[\u0600-\u06ff]")


def test_taxonomy_has_six_broad_fields_and_42_subfields_with_official_codes():
    assert list(Field.objects.values_list("code", flat=True)) == ["1", "2", "3", "4", "5", "6"]
    assert Subfield.objects.count() == 42
    expected = {
        "1.2": "Computer and information sciences",
        "2.10": "Nano-technology",
        "3.2": "Clinical medicine",
        "5.2": "Economics and business",
        "6.3": "Philosophy, ethics and religion",
        "6.5": "Other humanities",
    }
    for code, name in expected.items():
        assert Subfield.objects.get(code=code).name == name
    assert Subfield.objects.get(code="2.10").field.name == "Engineering and technology"
    counts = {f.code: f.subfields.count() for f in Field.objects.all()}
    assert counts == {"1": 7, "2": 11, "3": 5, "4": 5, "5": 9, "6": 5}


def test_subfields_are_ordered_by_code_numerically():
    codes = list(Subfield.objects.filter(field__code="2").values_list("code", flat=True))
    assert codes == [f"2.{n}" for n in range(1, 12)]


def test_seventeen_sdgs_engagement_types_projects_and_starter_clusters():
    assert list(Sdg.objects.values_list("number", flat=True)) == list(range(1, 18))
    assert Sdg.objects.get(number=13).name == "Climate action"
    assert EngagementType.objects.filter(slug="supervision").exists()
    assert InternationalProject.objects.filter(slug="cern").exists()
    assert 8 <= ExpertiseCluster.objects.count() <= 12
    ai = ExpertiseCluster.objects.get(slug="ai-data-science")
    assert "machine learning" in ai.keyword_list()
    assert list(ai.subfields.values_list("code", flat=True)) == ["1.2"]


@pytest.mark.parametrize("model", URDU_NAMED, ids=lambda model: model.__name__)
def test_every_seeded_taxonomy_row_has_a_name_in_urdu(model):
    rows = list(model.objects.all())
    assert rows
    for row in rows:
        assert URDU_LETTER.search(row.name_ur), row.name
        assert row.name_ur != row.name


def test_proper_names_of_projects_stay_in_latin_script():
    names = dict(InternationalProject.objects.values_list("slug", "name_ur"))
    for slug, proper in [("cern", "CERN"), ("iter", "ITER"), ("sesame", "SESAME")]:
        assert names[slug].startswith(proper)


def test_display_name_and_str_follow_the_active_language():
    computing = Subfield.objects.get(code="1.2")
    climate = Sdg.objects.get(number=13)
    with translation.override("ur"):
        assert computing.display_name == "کمپیوٹر اور معلوماتی علوم"
        assert str(computing) == "1.2 کمپیوٹر اور معلوماتی علوم"
        assert str(computing.field) == "1 قدرتی علوم"
        assert climate.name_ur in str(climate)
    with translation.override("en"):
        assert computing.display_name == "Computer and information sciences"
        assert str(computing) == "1.2 Computer and information sciences"
        assert str(climate) == "SDG 13: Climate action"


def test_a_row_without_an_urdu_name_shows_its_english_name_on_urdu_pages():
    new = EngagementType.objects.create(slug="podcasts", name="Science podcasts", position=99)
    with translation.override("ur"):
        assert new.display_name == "Science podcasts"
        assert str(new) == "Science podcasts"


def test_loading_urdu_names_again_keeps_what_staff_wrote_and_skips_renamed_rows():
    migration = importlib.import_module("registry.migrations.0013_taxonomy_urdu")
    Sdg.objects.filter(number=1).update(name_ur="غربت کا مکمل خاتمہ")
    Subfield.objects.filter(code="1.1").update(name="Mathematics and statistics", name_ur="")

    migration.load(apps, None)

    assert Sdg.objects.get(number=1).name_ur == "غربت کا مکمل خاتمہ"
    # Its translation would be of a name the row no longer has.
    assert Subfield.objects.get(code="1.1").name_ur == ""
    assert Subfield.objects.get(code="1.2").name_ur == "کمپیوٹر اور معلوماتی علوم"


def test_email_unique_regardless_of_case_is_enforced_by_the_database():
    Member.objects.create(**member_data(email="amina.khan@example.org"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(**member_data(email="Amina.Khan@EXAMPLE.org"))


def test_withdrawn_tombstones_with_empty_email_do_not_collide():
    Member.objects.create(**member_data(email="", status=Member.Status.WITHDRAWN))
    Member.objects.create(**member_data(email="", status=Member.Status.WITHDRAWN))
    assert Member.objects.filter(email="").count() == 2


@pytest.mark.parametrize(
    "field, value",
    [
        ("status", "approved"),
        ("sector", "pirate"),
        ("qualification_year", 1800),
        ("qualification_year", 2500),
        ("years_experience", 200),
        ("hours_per_month", 1000),
    ],
)
def test_database_rejects_values_outside_choices_and_ranges(field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(**member_data(**{field: value}))


def test_member_cannot_be_duplicate_of_itself():
    member = Member.objects.create(**member_data())
    member.duplicate_of_id = member.id
    with pytest.raises(IntegrityError), transaction.atomic():
        member.save()


def test_model_validation_refuses_a_member_marked_duplicate_of_itself():
    from django.core.exceptions import ValidationError

    member = Member.objects.create(**member_data())
    member.duplicate_of = member
    with pytest.raises(ValidationError) as error:
        member.full_clean()
    assert "duplicate_of" in error.value.message_dict
