"""Concurrent submissions on PostgreSQL: no lost, doubled or half-written member.

Each thread has its own test client and database connection, and closes its
connections when it ends. These tests commit for real (transactional), with the
taxonomy loaded again after earlier transactional tests flushed it.
"""

import threading
from collections.abc import Callable

import pytest
from django.core import mail
from django.db import connections, transaction
from django.test import Client
from django.urls import reverse

from registry.models import EngagementType, Member, Sdg, Subfield
from registry.services.members import member_create, member_update
from registry.services.withdrawal import member_erase
from registry.tokens import UPDATE, WITHDRAW, link_token_make
from tests.factories import REGISTER_URL, VALID_ORCID, member_data, survey_payload

pytestmark = [
    pytest.mark.usefixtures("postgresql", "committed_taxonomy", "no_rate_limits"),
]

POSTGRESQL_ONLY = "concurrent writers need PostgreSQL (SQLite runs one writer at a time)"
# Upper bound for a whole batch; a deadlock fails the test instead of hanging it.
BATCH_TIMEOUT = 120


def run_at_once(jobs: list[Callable[[Client], object]], *, threads: int) -> list:
    """Run the jobs on `threads` threads released together; return results in order.

    A job that raises records its exception as its result.
    """
    results: list = [None] * len(jobs)
    start = threading.Barrier(threads)
    lock = threading.Lock()
    queue = list(enumerate(jobs))

    def worker():
        client = Client(raise_request_exception=True)
        try:
            start.wait(timeout=30)
            while True:
                with lock:
                    if not queue:
                        return
                    index, job = queue.pop()
                try:
                    results[index] = job(client)
                except Exception as error:  # noqa: BLE001 - reported by the test
                    results[index] = error
        finally:
            connections.close_all()

    workers = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=BATCH_TIMEOUT)
    assert not any(thread.is_alive() for thread in workers), "threads still running"
    return results


def status_codes(results: list) -> list:
    return [getattr(r, "status_code", repr(r)) for r in results]


def test_twenty_threads_registering_the_same_address_at_once_leave_one_member():
    payloads = [survey_payload(email="Amina.Khan@example.org", city=f"City {i}") for i in range(20)]
    jobs = [lambda client, p=p: client.post(REGISTER_URL, p) for p in payloads]

    results = run_at_once(jobs, threads=20)

    assert status_codes(results) == [302] * 20
    member = Member.objects.get(email="amina.khan@example.org")
    assert Member.objects.count() == 1
    assert member.status == Member.Status.UNCONFIRMED
    # The entry holds one submission's answers, whole, with its relations.
    assert member.city in {p["city"] for p in payloads}
    assert member.subfields.count() == 1 and member.sdgs.count() == 1
    assert len(mail.outbox) == 20
    assert {tuple(m.to) for m in mail.outbox} == {("amina.khan@example.org",)}


def test_two_hundred_distinct_concurrent_registrations_leave_two_hundred_whole_members():
    subfields = [str(pk) for pk in Subfield.objects.values_list("pk", flat=True)[:3]]
    engagement = [str(pk) for pk in EngagementType.objects.values_list("pk", flat=True)[:2]]
    sdgs = [str(pk) for pk in Sdg.objects.values_list("pk", flat=True)[:4]]
    payloads = [
        survey_payload(
            email=f"member{i}@example.org",
            full_name=f"Member {i}",
            subfields=subfields,
            engagement_types=engagement,
            sdgs=sdgs,
            keywords="medical physics, PET imaging",
        )
        for i in range(200)
    ]
    jobs = [lambda client, p=p: client.post(REGISTER_URL, p) for p in payloads]

    results = run_at_once(jobs, threads=25)

    assert status_codes(results) == [302] * 200
    assert Member.objects.count() == 200
    relations = {
        "subfields": (Member.subfields.through, "member_id"),
        "engagement_types": (Member.engagement_types.through, "member_id"),
        "sdgs": (Member.sdgs.through, "member_id"),
    }
    expected = {"subfields": 3, "engagement_types": 2, "sdgs": 4}
    for name, (through, column) in relations.items():
        per_member = {
            member_id: through.objects.filter(**{column: member_id}).count()
            for member_id in Member.objects.values_list("pk", flat=True)
        }
        assert set(per_member.values()) == {expected[name]}, name
    # Every member has its derived data too.
    assert not Member.objects.filter(search_document="").exists()
    assert len(mail.outbox) == 200


def test_one_update_link_used_at_once_saves_each_whole_one_after_another(make_member):
    # An update link works as often as needed (issue 17); the row lock still
    # runs the saves one after another, so none is lost or mixed with another.
    member = make_member(email="amina.khan@example.org", status=Member.Status.VERIFIED)
    url = reverse("registry:profile_edit", args=[link_token_make(member=member, kind=UPDATE)])
    cities = ("Lahore", "Karachi", "Quetta", "Multan")
    jobs = [
        lambda client, city=city: client.post(url, survey_payload(email=None, city=city))
        for city in cities
    ]

    results = run_at_once(jobs, threads=4)

    assert status_codes(results) == [302] * 4
    member.refresh_from_db()
    assert member.city in cities
    saved = set(member.history.filter(city__in=cities).values_list("city", flat=True))
    assert saved == set(cities)


def test_one_withdraw_link_used_twice_at_once_withdraws_once_and_sends_one_goodbye(make_member):
    member = make_member(email="amina.khan@example.org", status=Member.Status.VERIFIED)
    url = reverse("registry:profile_withdraw", args=[link_token_make(member=member, kind=WITHDRAW)])
    mail.outbox.clear()

    results = run_at_once([lambda client: client.post(url)] * 5, threads=5)

    assert sorted(status_codes(results)) == [302, 400, 400, 400, 400]
    member.refresh_from_db()
    assert member.status == Member.Status.WITHDRAWN
    assert len(mail.outbox) == 1


def test_the_same_person_registering_twice_at_once_waits_in_the_duplicates_queue():
    # Ten registrations of one person (one ORCID iD, one name at one
    # organisation) committed at the same moment: none may miss the others,
    # or the focal point's "suspected duplicates" queue would not count it.
    payloads = [
        survey_payload(
            email=f"omar.farooq{i}@example.org",
            full_name="Omar Farooq",
            organisation="CERN",
            orcid=VALID_ORCID if i % 2 else "",
        )
        for i in range(10)
    ]
    jobs = [lambda client, p=p: client.post(REGISTER_URL, p) for p in payloads]

    results = run_at_once(jobs, threads=10)

    assert status_codes(results) == [302] * 10
    assert Member.objects.count() == 10
    assert not Member.objects.filter(possible_duplicate=False).exists()


def test_members_leaving_one_name_at_once_leave_every_flag_exact():
    # Five people are each registered three times (one name at one
    # organisation). At the same moment two of each three move to other
    # organisations, and a fourth and fifth person each gain an entry while
    # one of their entries withdraws. Each writer must see the others: two
    # movers that each still saw the other would leave the third entry
    # flagged with no duplicate left.
    def data(i: int, name: str, **extra) -> dict:
        return member_data(
            email=f"{name.replace(' ', '.')}.{i}@example.org", full_name=name, **extra
        )

    movers = []
    for person in range(5):
        name = f"Bilal Aslam {person}"
        entries = [member_create(data=data(i, name, organisation="CERN")) for i in range(3)]
        movers += [(entry.pk, f"Lab {person}.{i}") for i, entry in enumerate(entries[:2])]
    leavers = []
    for person in (5, 6):
        name = f"Bilal Aslam {person}"
        entries = [member_create(data=data(i, name, organisation="CERN")) for i in range(2)]
        leavers.append((entries[0].pk, data(9, name, organisation="CERN")))

    def move(pk: int, organisation: str):
        def job(client):
            with transaction.atomic():
                member = Member.objects.select_for_update().get(pk=pk)
                member_update(member=member, data={"organisation": organisation})

        return job

    def withdraw(pk: int):
        def job(client):
            with transaction.atomic():
                member_erase(member=Member.objects.select_for_update().get(pk=pk))

        return job

    def register(values: dict):
        return lambda client: member_create(data=values)

    jobs = [move(pk, organisation) for pk, organisation in movers]
    jobs += [withdraw(pk) for pk, _values in leavers]
    jobs += [register(values) for _pk, values in leavers]

    results = run_at_once(jobs, threads=len(jobs))

    assert [r for r in results if isinstance(r, Exception)] == []
    live = Member.objects.exclude(status=Member.Status.WITHDRAWN)
    at_cern = {(m.full_name, m.possible_duplicate) for m in live.filter(organisation="CERN")}
    assert at_cern == {(f"Bilal Aslam {person}", False) for person in range(5)} | {
        ("Bilal Aslam 5", True),
        ("Bilal Aslam 6", True),
    }
    assert live.filter(organisation="CERN").count() == 9
    assert not live.exclude(organisation="CERN").filter(possible_duplicate=True).exists()
