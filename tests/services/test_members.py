"""Creating and updating members (registry.services.members)."""

import pytest
from django.db import IntegrityError

from registry.models import Member
from registry.services.members import member_create, member_update
from tests.factories import member_data

pytestmark = pytest.mark.django_db


def test_create_normalises_email_text_and_orcid(subfield):
    member = member_create(
        data=member_data(
            email="  Amina.Khan@Example.ORG ",
            full_name=" Ami\u0301na Khan ",
            orcid="https://orcid.org/0000-0002-1694-233x",
        )
    )
    member.refresh_from_db()
    assert member.email == "amina.khan@example.org"
    assert member.full_name == "Amína Khan"
    assert member.orcid == "0000-0002-1694-233X"
    assert member.name_key == "amina khan"


def test_create_with_an_address_differing_only_in_case_fails(make_member):
    make_member(email="dup@example.org")
    with pytest.raises(IntegrityError):
        make_member(email="DUP@example.org")
    assert Member.objects.filter(email__iexact="dup@example.org").count() == 1


def test_create_stores_relations_and_a_folded_search_document(subfield, engagement_types, sdgs):
    member = member_create(
        data=member_data(
            full_name="Zoë Núñez",
            keywords="Radiotherapy",
            subfields=[subfield("3.2")],
            engagement_types=engagement_types[:2],
            sdgs=[s.id for s in sdgs[:3]],
        )
    )
    assert member.engagement_types.count() == 2
    assert member.sdgs.count() == 3
    assert "zoe nunez" in member.search_document
    assert "clinical medicine" in member.search_document  # subfield names are searchable
    assert "physical sciences" in member.search_document  # the primary subfield too


def test_create_records_one_history_row_with_its_relations(subfield, sdgs):
    member = member_create(
        data=member_data(subfields=[subfield("3.2")], sdgs=sdgs[:2]), reason="Registered"
    )
    rows = list(member.history.all())
    assert len(rows) == 1
    assert rows[0].history_change_reason == "Registered"
    assert rows[0].sdgs.count() == 2
    assert rows[0].subfields.count() == 1


def test_update_of_a_bulk_loaded_member_keeps_its_previous_values_in_history():
    from django.core.management import call_command

    call_command("seed_demo", members=5, seed=4)
    member = Member.objects.exclude(status=Member.Status.WITHDRAWN).first()
    old_title = member.job_title
    assert not member.history.exists()

    member_update(member=member, data={"job_title": "Chief scientist"})

    titles = list(member.history.order_by("history_id").values_list("job_title", flat=True))
    assert titles == [old_title, "Chief scientist"]
