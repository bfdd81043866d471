"""A registration costs a bounded number of queries and still stores all it did."""

import pytest

from registry.models import Member, Sdg, Subfield
from registry.text import fold
from tests.factories import REGISTER_URL, link_to, survey_payload

pytestmark = pytest.mark.django_db

# 52 before the survey was tuned; the rest is one query per posted choice
# field, the member and one row per relation, its history (one row and one
# per relation, as django-simple-history writes them), its clusters and the
# pending submission with its confirmation link. The tests run the task in
# the request; in production the request only validates and enqueues.
MAX_QUERIES_PER_REGISTRATION = 40


def _payload(email: str) -> dict:
    codes = ["1.3", "3.1", "2.6"]
    return survey_payload(
        email=email,
        subfields=[str(Subfield.objects.get(code=code).pk) for code in codes],
        sdgs=[str(pk) for pk in Sdg.objects.filter(number__in=[3, 9]).values_list("pk", flat=True)],
    )


def test_a_registration_makes_a_bounded_number_of_queries(submit, django_assert_max_num_queries):
    data = _payload("first@example.org")
    with django_assert_max_num_queries(MAX_QUERIES_PER_REGISTRATION):
        response = submit(REGISTER_URL, data)
    assert response.status_code == 302
    assert Member.objects.filter(email="first@example.org").exists()


def test_a_registration_stores_relations_search_text_history_and_clusters(submit):
    data = _payload("amina@example.org")
    assert submit(REGISTER_URL, data).status_code == 302

    member = Member.objects.get(email="amina@example.org")
    assert member.primary_subfield.code == "3.2"
    assert sorted(member.subfields.values_list("code", flat=True)) == ["1.3", "2.6", "3.1"]
    assert sorted(member.sdgs.values_list("number", flat=True)) == [3, 9]
    assert member.engagement_types.count() == len(data["engagement_types"])
    # The subfields' names, in taxonomy order, end the search text.
    names = Subfield.objects.filter(code__in=["3.2", "1.3", "2.6", "3.1"]).order_by("position")
    assert member.search_document.endswith(" ".join(fold(n.name) for n in names))
    (record,) = member.history.all()
    assert sorted(record.subfields.values_list("subfield__code", flat=True)) == [
        "1.3",
        "2.6",
        "3.1",
    ]
    assert sorted(record.sdgs.values_list("sdg__number", flat=True)) == [3, 9]
    assert member.clusters.exists()


def test_a_second_registration_of_the_address_updates_the_relations(client, submit, mailoutbox):
    assert submit(REGISTER_URL, _payload("twice@example.org")).status_code == 302
    again = survey_payload(email="twice@example.org", subfields=None, sdgs=None)
    assert submit(REGISTER_URL, again).status_code == 302
    assert client.post(link_to(mailoutbox[-1], "registry:confirm")).status_code == 302

    member = Member.objects.get(email="twice@example.org")
    assert list(member.subfields.all()) == []
    assert list(member.sdgs.all()) == []
