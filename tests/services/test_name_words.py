"""The words of the members' names (registry.services.name_words), on either database."""

import pytest

from registry.models import Member, NameWord
from registry.services.members import member_update
from registry.services.name_words import name_words_refresh
from registry.services.withdrawal import member_erase

pytestmark = pytest.mark.django_db


def _words() -> set[str]:
    return set(NameWord.objects.values_list("word", flat=True))


def test_a_registration_records_the_words_of_its_folded_name(make_member):
    make_member(full_name="Jiří Dvořák")
    make_member(full_name="Amina  Khan")

    assert _words() == {"jiri", "dvorak", "amina", "khan"}


def test_a_new_name_records_its_words_and_forgets_the_words_no_one_else_holds(make_member):
    first = make_member(full_name="Amina Khan")
    make_member(full_name="Sara Khan")

    member_update(member=first, data={"full_name": "Amina Qureshi"})

    assert _words() == {"amina", "qureshi", "sara", "khan"}

    member_update(member=first, data={"full_name": "Hina Qureshi"})

    assert _words() == {"hina", "qureshi", "sara", "khan"}


def test_a_word_inside_another_name_is_not_taken_for_it(make_member):
    first = make_member(full_name="Ali Raza")
    make_member(full_name="Alina Razaq")

    member_update(member=first, data={"full_name": "Omar Raza"})

    # "ali" is part of "alina" and "raza" of "razaq", but not a word of them.
    assert _words() == {"omar", "raza", "alina", "razaq"}


def test_an_erased_member_leaves_no_word_of_its_name_behind(make_member):
    leaving = make_member(full_name="Zainab Hashmi Khan")
    make_member(full_name="Sara Khan")

    member_erase(member=Member.objects.get(pk=leaving.pk))

    assert _words() == {"sara", "khan"}


def test_refresh_makes_the_table_the_words_of_every_name(make_member):
    member = make_member(full_name="Kwame Boateng")
    make_member(full_name="Yaw Boateng")
    Member.objects.filter(pk=member.pk).update(full_name="Kwame Mensah", name_key="kwame mensah")
    NameWord.objects.create(word="stale")

    assert name_words_refresh() == (1, 1)

    assert _words() == {"kwame", "mensah", "yaw", "boateng"}
    assert name_words_refresh() == (0, 0)
