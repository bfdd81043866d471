"""Links e-mailed to members tell nothing about the members (issue 13).

A link used to carry the member's id in readable base64, which told anyone
holding one link roughly how many members there are. Links now carry random
keys; links sent before keep working until they expire.
"""

import base64
import json
import time
from unittest import mock

import pytest
from django.core import signing
from django.urls import reverse

from registry import tokens
from registry.models import Member, PendingRegistration
from registry.services.members import member_link_key
from registry.tokens import CONFIRM, UPDATE, WITHDRAW, link_token_make, pending_link_token_make
from tests.factories import REGISTER_URL, link_to, survey_payload

pytestmark = pytest.mark.django_db

VIEW = {
    CONFIRM: "registry:confirm",
    UPDATE: "registry:profile_edit",
    WITHDRAW: "registry:profile_withdraw",
}
STATUS = {
    CONFIRM: Member.Status.UNCONFIRMED,
    UPDATE: Member.Status.VERIFIED,
    WITHDRAW: Member.Status.VERIFIED,
}


def readable_payload(token: str) -> str:
    """What anyone can read in a token without the secret key."""
    data = token.split(":")[0]
    raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    return raw.decode()


def old_format_token(member: Member, kind) -> str:
    """A link as the portal made them before the keys: the member's id in the clear."""
    return signing.dumps({"m": member.pk, "s": tokens._fingerprint(member, kind)}, salt=kind.salt)


@pytest.mark.parametrize("kind", list(VIEW), ids=lambda kind: kind.name)
def test_a_link_carries_no_member_id(make_member, kind):
    member = make_member(status=STATUS[kind])

    payload = json.loads(readable_payload(link_token_make(member=member, kind=kind)))

    assert set(payload) == {"k", "s"}
    assert payload["k"] == member.link_key
    assert len(payload["k"]) >= 40


def test_every_member_has_a_key_of_its_own(make_member):
    keys = {member_link_key(member=make_member()) for _ in range(5)}
    assert len(keys) == 5


def test_a_survey_confirmation_link_carries_only_its_submission_s_random_key(submit, mailoutbox):
    submit(REGISTER_URL, survey_payload())

    token = link_to(mailoutbox[0], "registry:confirm").split("/")[-2]
    payload = json.loads(readable_payload(token))
    assert payload == {"p": PendingRegistration.objects.get().key}
    assert str(Member.objects.get().pk) not in readable_payload(token).replace(payload["p"], "")


@pytest.mark.parametrize("kind", list(VIEW), ids=lambda kind: kind.name)
def test_a_link_sent_before_the_keys_still_works_until_it_expires(client, make_member, kind):
    member = make_member(status=STATUS[kind])
    Member.objects.filter(pk=member.pk).update(link_key="")
    member.refresh_from_db()
    path = reverse(VIEW[kind], args=[old_format_token(member, kind)])

    response = client.post(path) if kind is CONFIRM else client.get(path)

    expected = 302 if kind is CONFIRM else 200
    assert response.status_code == expected


@pytest.mark.parametrize("kind", list(VIEW), ids=lambda kind: kind.name)
def test_a_link_sent_before_the_keys_is_refused_once_expired(client, make_member, kind):
    member = make_member(status=STATUS[kind])
    too_old = time.time() - kind.max_age.total_seconds() - 60
    with mock.patch("django.core.signing.time.time", return_value=too_old):
        token = old_format_token(member, kind)

    response = client.get(reverse(VIEW[kind], args=[token]))

    assert response.status_code == 400
    member.refresh_from_db()
    assert member.status == STATUS[kind]


def test_a_member_loaded_in_bulk_gets_a_key_on_the_first_link_without_a_change(client, make_member):
    member = make_member(status=Member.Status.VERIFIED)
    Member.objects.filter(pk=member.pk).update(link_key="")
    member.refresh_from_db()
    updated_at, history = member.updated_at, member.history.count()

    token = link_token_make(member=member, kind=UPDATE)

    member.refresh_from_db()
    assert member.link_key != ""
    assert (member.updated_at, member.history.count()) == (updated_at, history)
    assert client.get(reverse("registry:profile_edit", args=[token])).status_code == 200


def test_a_key_of_another_member_or_a_made_up_key_opens_nothing(client, make_member):
    member = make_member(status=Member.Status.VERIFIED)
    other = make_member(status=Member.Status.VERIFIED)
    fingerprint = tokens._fingerprint(member, UPDATE)
    for key in (other.link_key, "x" * 43, ""):
        token = signing.dumps({"k": key, "s": fingerprint}, salt=UPDATE.salt)
        response = client.get(reverse("registry:profile_edit", args=[token]))
        assert response.status_code == 400


def test_a_made_up_submission_key_confirms_nothing(client, submit, mailoutbox):
    submit(REGISTER_URL, survey_payload())
    token = pending_link_token_make(pending=PendingRegistration(key="y" * 43))

    url = reverse("registry:confirm", args=[token])
    for response in [client.get(url), client.post(url)]:
        assert "Confirm my registration" not in response.content.decode()
    assert Member.objects.get().status == Member.Status.UNCONFIRMED


def test_withdrawal_erases_the_link_key(client, make_member):
    member = make_member(status=Member.Status.VERIFIED)
    path = reverse(
        "registry:profile_withdraw", args=[link_token_make(member=member, kind=WITHDRAW)]
    )

    client.post(path)

    member.refresh_from_db()
    assert (member.status, member.link_key) == (Member.Status.WITHDRAWN, "")
