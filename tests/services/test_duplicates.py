"""The possible_duplicate flag (registry.services.duplicates) and the queue it narrows."""

import io
import random

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.test.utils import CaptureQueriesContext

from registry.models import Member, Mission
from registry.selectors.members import members_visible_to
from registry.selectors.review import QUEUE_DUPLICATES, review_queue_condition
from registry.services.duplicates import member_possible_duplicates_mark_all
from registry.services.members import member_update
from registry.services.withdrawal import member_erase
from tests.factories import VALID_ORCID, staff_user

pytestmark = pytest.mark.django_db
Status = Member.Status
OTHER_ORCID = "0000-0001-5109-3700"


def _flags(*members: Member) -> list[bool]:
    return [Member.objects.get(pk=m.pk).possible_duplicate for m in members]


def _queue_count(mission: Mission | None = None) -> int:
    """The queue for headquarters, which counts the flag alone, or for a Mission."""
    username = f"viewer_{mission.pk if mission else 'hq'}"
    user = get_user_model().objects.filter(username=username).first()
    user = user or staff_user("viewer", username=username, mission=mission)
    user = get_user_model().objects.get(pk=user.pk)  # no scope kept from a former call
    visible = members_visible_to(user)
    return visible.filter(review_queue_condition(QUEUE_DUPLICATES, user=user)).count()


def _has_duplicate(member: Member) -> bool:
    """The full check for one member: another member not withdrawn shares a key."""
    others = Member.objects.exclude(status=Status.WITHDRAWN).exclude(pk=member.pk)
    same = Q(pk__in=[])
    if member.orcid:
        same |= Q(orcid=member.orcid)
    if member.name_key and member.organisation_key:
        same |= Q(name_key=member.name_key, organisation_key=member.organisation_key)
    return others.filter(same).exists()


def _wrong_flags() -> list[int]:
    """Members not withdrawn whose flag is not exactly the full check."""
    return [
        member.pk
        for member in Member.objects.exclude(status=Status.WITHDRAWN)
        if member.possible_duplicate != _has_duplicate(member)
    ]


def _queue_count_without_flag(countries: list[str] | None = None) -> int:
    """The queue as it was before the flag: every submitted member checked
    (among the members of `countries`, for a Mission)."""
    scope = Member.objects.filter(country__in=countries) if countries else Member.objects.all()
    live = scope.exclude(status=Status.WITHDRAWN).exclude(pk=OuterRef("pk"))
    same_orcid = live.exclude(orcid="").filter(orcid=OuterRef("orcid"))
    same_name = live.exclude(name_key="").filter(
        name_key=OuterRef("name_key"), organisation_key=OuterRef("organisation_key")
    )
    return (
        scope.filter(status=Status.SUBMITTED)
        .filter(
            (~Q(orcid="") & Q(Exists(same_orcid)))
            | (~Q(name_key="") & ~Q(organisation_key="") & Q(Exists(same_name)))
        )
        .count()
    )


def test_a_second_member_with_a_folded_name_at_the_same_organisation_flags_both(make_member):
    first = make_member(full_name="Élodie Rossi", organisation="CERN")
    bystander = make_member(full_name="Élodie Rossi", organisation="ETH Zürich")
    assert _flags(first, bystander) == [False, False]

    second = make_member(full_name="ELODIE ROSSI", organisation="cern")

    assert _flags(first, second, bystander) == [True, True, False]
    assert _queue_count() == 2 == _queue_count_without_flag()


def test_the_same_orcid_flags_both_members_whatever_their_names(make_member):
    first = make_member(full_name="Amina Khan", orcid=VALID_ORCID)
    second = make_member(full_name="A. Khan", organisation="Elsewhere", orcid=VALID_ORCID)
    third = make_member(full_name="Sara Ali", orcid=OTHER_ORCID)

    assert _flags(first, second, third) == [True, True, False]


def test_a_withdrawn_member_duplicates_nobody(make_member):
    make_member(full_name="Hina Raza", organisation="CERN", status=Status.WITHDRAWN)

    second = make_member(full_name="Hina Raza", organisation="CERN")

    assert _flags(second) == [False]
    assert _queue_count() == 0


def test_an_edit_into_a_duplicate_flags_both_and_an_edit_away_clears_both(make_member):
    first = make_member(full_name="Bilal Aslam", organisation="CERN")
    second = make_member(full_name="Bilal Aslam", organisation="Fermilab")
    assert _flags(first, second) == [False, False]

    member_update(member=second, data={"organisation": "CERN"})
    assert _flags(first, second) == [True, True]
    assert _queue_count() == 2 == _queue_count_without_flag()

    member_update(member=second, data={"organisation": "DESY"})
    assert _flags(first, second) == [False, False]
    assert _queue_count() == 0 == _queue_count_without_flag()


def test_an_edit_away_keeps_the_flag_of_members_that_still_share_a_key(make_member):
    first = make_member(full_name="Imran Ali", organisation="CERN", orcid=VALID_ORCID)
    second = make_member(full_name="Imran Ali", organisation="CERN")
    third = make_member(full_name="I. Ali", organisation="KEK", orcid=VALID_ORCID)
    assert _flags(first, second, third) == [True, True, True]

    # The first member leaves CERN: the second shares nothing with anyone
    # now; the first and third still share the ORCID iD.
    member_update(member=first, data={"organisation": "DESY"})

    assert _flags(first, second, third) == [True, False, True]
    assert _wrong_flags() == []


def test_an_edit_that_leaves_the_keys_alone_does_not_look_for_duplicates(make_member):
    member = make_member(full_name="Zara Sheikh", organisation="CERN")

    with CaptureQueriesContext(connection) as queries:
        member_update(member=member, data={"phone": "+44 20 7946 0000"})

    assert not [q for q in queries.captured_queries if "pg_advisory" in q["sql"]]
    lookups = [
        q
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and '"registry_member"."name_key" =' in q["sql"]
    ]
    assert lookups == []


def test_a_withdrawal_leaves_the_other_member_out_of_the_queue(make_member):
    first = make_member(full_name="Tariq Mehmood", organisation="CERN")
    second = make_member(full_name="Tariq Mehmood", organisation="CERN")
    assert _queue_count() == 2

    member_erase(member=second)

    assert _flags(first, second) == [False, False]
    assert _queue_count() == 0 == _queue_count_without_flag()


def test_mark_all_flags_rows_written_without_the_services(make_member):
    first = make_member(full_name="Sana Iqbal", organisation="CERN")
    second = make_member(full_name="Sana Iqbal", organisation="Fermilab")
    third = make_member(full_name="Adeel Butt", organisation="DESY", orcid=VALID_ORCID)
    fourth = make_member(full_name="Adeel Butt", organisation="KEK", orcid=OTHER_ORCID)
    # A bulk load writes keys directly, as the demo seed does.
    Member.objects.filter(pk=second.pk).update(organisation_key=first.organisation_key)
    Member.objects.filter(pk=fourth.pk).update(orcid=VALID_ORCID)
    assert _queue_count() == 0 != _queue_count_without_flag()

    assert member_possible_duplicates_mark_all() == (4, 0)

    assert _flags(first, second, third, fourth) == [True, True, True, True]
    assert _queue_count() == 4 == _queue_count_without_flag()
    assert member_possible_duplicates_mark_all() == (0, 0)


def test_mark_all_clears_flags_that_rows_changed_without_the_services_left_wrong(make_member):
    first = make_member(full_name="Rabia Anwar", organisation="CERN")
    second = make_member(full_name="Rabia Anwar", organisation="CERN")
    third = make_member(full_name="Usman Tariq", organisation="DESY", orcid=VALID_ORCID)
    fourth = make_member(full_name="Usman Tariq", organisation="KEK", orcid=VALID_ORCID)
    Member.objects.filter(pk=second.pk).update(organisation_key="kek")
    Member.objects.filter(pk=fourth.pk).update(status=Status.WITHDRAWN)
    assert _queue_count() == 3 != _queue_count_without_flag()

    assert member_possible_duplicates_mark_all() == (0, 4)

    assert _flags(first, second, third, fourth) == [False, False, False, False]
    assert _wrong_flags() == []
    assert _queue_count() == 0 == _queue_count_without_flag()


def test_the_flag_stays_exactly_the_full_check(make_member):
    # Random registrations, edits and withdrawals among a few names,
    # organisations and ORCID iDs: after every step each member's flag is
    # the full check's answer, and the queue counts what checking every
    # submitted member counts.
    draw = random.Random(19)
    names = ["Ali Raza", "Ayesha Noor", "Hamza Qureshi"]
    organisations = ["CERN", "DESY", "Fermilab"]
    orcids = ["", "", VALID_ORCID, OTHER_ORCID]
    berlin = Mission.objects.create(name="Embassy in Berlin", countries=["DE", "AT"])
    members = []
    for step in range(40):
        action = draw.random()
        if action < 0.5 or not members:
            members.append(
                make_member(
                    full_name=draw.choice(names),
                    organisation=draw.choice(organisations),
                    orcid=draw.choice(orcids),
                    country=draw.choice(["DE", "AT", "GB"]),
                    status=draw.choice([Status.SUBMITTED, Status.SUBMITTED, Status.VERIFIED]),
                )
            )
        elif action < 0.85:
            member = Member.objects.get(pk=draw.choice(members).pk)
            if member.status != Status.WITHDRAWN:
                field, values = draw.choice(
                    [("full_name", names), ("organisation", organisations), ("orcid", orcids)]
                )
                member_update(member=member, data={field: draw.choice(values)})
        else:
            member = Member.objects.get(pk=draw.choice(members).pk)
            if member.status != Status.WITHDRAWN:
                member_erase(member=member)
        assert _wrong_flags() == [], f"step {step}"
        assert _queue_count() == _queue_count_without_flag(), f"step {step}"
        assert _queue_count(berlin) == _queue_count_without_flag(["DE", "AT"]), f"step {step}"
    assert _queue_count() > _queue_count(berlin) > 0


def test_the_command_flags_what_a_bulk_load_left_unflagged(make_member):
    first = make_member(full_name="Nadia Hashmi", organisation="CERN")
    second = make_member(full_name="Nadia Hashmi", organisation="KEK")
    Member.objects.filter(pk=second.pk).update(organisation_key=first.organisation_key)
    out = io.StringIO()

    call_command("flag_possible_duplicates", stdout=out)

    assert "newly flagged as possible duplicates: 2" in out.getvalue()
    assert "no longer possible duplicates: 0" in out.getvalue()
    assert _flags(first, second) == [True, True]
