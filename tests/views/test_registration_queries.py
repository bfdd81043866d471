"""A registration costs a bounded number of queries and still stores all it did."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.models import Member, Sdg, Subfield
from registry.text import fold
from tests.factories import REGISTER_URL, link_to, survey_payload

pytestmark = pytest.mark.django_db

# 52 before the survey was tuned, 40 before issue 19. Now: the member, one
# INSERT per relation table, the history row and one INSERT per relation
# table of it, the clusters and the pending submission with its confirmation
# link, the look for a possible duplicate (on PostgreSQL after a lock on the
# name and ORCID iD) and, when it finds one, the flag of the other member,
# the words of the name for fuzzy search (on PostgreSQL after a lock on
# them), and the savepoints around them. The first registration of a process
# and taxonomy version also reads the taxonomy the survey offers and the
# clusters' rules; later ones read none. The tests run the task
# in the request; in production the request only validates and enqueues.
MAX_QUERIES_PER_REGISTRATION = 31
MAX_QUERIES_PER_LATER_REGISTRATION = 26
TAXONOMY_TABLES = (
    "registry_field",
    "registry_subfield",
    "registry_sdg",
    "registry_engagementtype",
    "registry_internationalproject",
    "registry_expertisecluster",
)


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


def test_a_later_registration_reads_no_taxonomy_table(submit):
    assert submit(REGISTER_URL, _payload("first@example.org")).status_code == 302
    data = _payload("second@example.org")
    with CaptureQueriesContext(connection) as queries:
        response = submit(REGISTER_URL, data)
    assert response.status_code == 302
    assert len(queries) <= MAX_QUERIES_PER_LATER_REGISTRATION
    read = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    assert not [sql for sql in read if any(f'"{t}"' in sql for t in TAXONOMY_TABLES)]
    member = Member.objects.get(email="second@example.org")
    assert sorted(member.subfields.values_list("code", flat=True)) == ["1.3", "2.6", "3.1"]
    assert member.clusters.exists()


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
