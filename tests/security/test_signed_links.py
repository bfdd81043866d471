"""Signed links: reused, expired, tampered with, or used for another purpose.

Every misuse gets the "link no longer works" page (400), or for a genuine
confirmation link already used the "already confirmed" page, and changes
nothing: the member's row, relations and status stay exactly as they were.
Update and withdraw links work as often as needed until they expire.
"""

import time
from unittest import mock

import pytest
from django.core import signing
from django.urls import reverse

from registry.models import Member
from registry.privacy import PRIVACY_NOTICE_VERSION
from registry.tokens import CONFIRM, UPDATE, WITHDRAW, LinkKind, link_token_make
from tests.factories import survey_payload

pytestmark = pytest.mark.django_db

VIEW = {
    CONFIRM: "registry:confirm",
    UPDATE: "registry:profile_edit",
    WITHDRAW: "registry:profile_withdraw",
}
KINDS = list(VIEW)


def link(member: Member, kind: LinkKind, *, view: str | None = None, token: str | None = None):
    return reverse(view or VIEW[kind], args=[token or link_token_make(member=member, kind=kind)])


def snapshot(member: Member) -> dict:
    row = Member.objects.values().get(pk=member.pk)
    row["relations"] = {
        field.name: sorted(getattr(member, field.name).values_list("pk", flat=True))
        for field in Member._meta.many_to_many
    }
    return row


def use(client, url: str, view: str) -> list:
    """Everything a visitor can do with a link: open it, and send its form."""
    payload = {} if view != "registry:profile_edit" else survey_payload(email=None)
    return [client.get(url), client.post(url, payload)]


def refused(response, view) -> bool:
    """The "link no longer works" page; for a genuine confirmation link, the
    "already confirmed" page (it tells nothing and does nothing)."""
    if view == "registry:confirm" and response.status_code == 200:
        html = response.content.decode()
        return "already confirmed" in html and "Confirm my registration" not in html
    return response.status_code == 400 and b"This link no longer works" in response.content


def assert_refused_and_nothing_changed(client, url, view, member, before):
    for response in use(client, url, view):
        assert refused(response, view), (url, response.status_code)
    assert snapshot(member) == before


@pytest.fixture
def member_for(make_member, subfield, sdgs):
    """A member in the state a link of that kind is sent in."""

    def make(kind: LinkKind, **overrides) -> Member:
        status = Member.Status.UNCONFIRMED if kind is CONFIRM else Member.Status.VERIFIED
        return make_member(
            status=status,
            source=Member.Source.SURVEY,
            email="amina.khan@example.org",
            subfields=[subfield("1.3")],
            sdgs=sdgs[:2],
            privacy_notice_version=PRIVACY_NOTICE_VERSION,
            **overrides,
        )

    return make


@pytest.mark.parametrize(
    ("kind", "view"),
    [(kind, VIEW[other]) for kind in KINDS for other in KINDS if other is not kind],
    ids=lambda value: value.name if isinstance(value, LinkKind) else value.split(":")[1],
)
def test_a_link_used_on_the_page_of_another_purpose_is_refused_and_changes_nothing(
    client, member_for, kind, view
):
    # A member in the state in which the other page would act.
    member = member_for(CONFIRM if view == "registry:confirm" else UPDATE)
    before = snapshot(member)

    url = link(member, kind, view=view)

    assert_refused_and_nothing_changed(client, url, view, member, before)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_a_link_one_second_past_its_lifetime_is_refused_and_changes_nothing(
    client, member_for, kind
):
    member = member_for(kind)
    before = snapshot(member)
    made_at = time.time() - kind.max_age.total_seconds() - 1
    with mock.patch("django.core.signing.time.time", return_value=made_at):
        url = link(member, kind)

    assert_refused_and_nothing_changed(client, url, VIEW[kind], member, before)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_a_link_made_in_the_future_by_a_skewed_clock_still_expires(client, member_for, kind):
    member = member_for(kind)
    made_at = time.time() + 3600
    with mock.patch("django.core.signing.time.time", return_value=made_at):
        url = link(member, kind)
    later = made_at + kind.max_age.total_seconds() + 1

    with mock.patch("django.core.signing.time.time", return_value=later):
        responses = use(client, url, VIEW[kind])

    assert [r.status_code for r in responses] == [400] * len(responses)


TAMPERINGS = {
    "last_character_changed": lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
    "first_character_changed": lambda t: ("f" if t[0] != "f" else "g") + t[1:],
    "signature_removed": lambda t: t.rsplit(":", 1)[0],
    # The last timestamp character becomes another one (never itself).
    "timestamp_moved": lambda t: (
        lambda p, ts, sig: f"{p}:{ts[:-1]}{'y' if ts[-1] == 'z' else 'z'}:{sig}"
    )(*t.split(":")),
    "truncated": lambda t: t[: len(t) // 2],
    "doubled": lambda t: t + t,
    "upper_cased": lambda t: t.upper(),
    "payload_of_another_purpose": lambda t: t,  # replaced in the test
}


def test_every_tampering_really_changes_the_token():
    token = "eyJtIjoxfQ:1xVNVz:0T21IhRyKEwvm1xtcoUNJpfb7wi5uZcg5uSYzpJ6-aA"
    for name, tamper in TAMPERINGS.items():
        if name != "payload_of_another_purpose":
            assert tamper(token) != token, name


@pytest.mark.parametrize("tamper", TAMPERINGS.values(), ids=TAMPERINGS.keys())
@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_a_tampered_link_is_refused_and_changes_nothing(client, member_for, kind, tamper):
    member = member_for(kind)
    before = snapshot(member)
    token = tamper(link_token_make(member=member, kind=kind))
    if tamper is TAMPERINGS["payload_of_another_purpose"]:
        # The payload of a link for another purpose, with this link's signature.
        other = next(k for k in KINDS if k is not kind)
        theirs, mine = link_token_make(member=member, kind=other), token
        token = theirs.split(":")[0] + ":" + mine.split(":", 1)[1]

    assert_refused_and_nothing_changed(
        client, link(member, kind, token=token), VIEW[kind], member, before
    )


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_a_link_signed_for_another_member_id_is_refused(client, member_for, make_member, kind):
    member = member_for(kind)
    other = make_member(email="other@example.org", status=member.status)
    before = snapshot(other)
    # Correctly signed (as if the secret had leaked), but with the other member's id
    # and this member's state fingerprint.
    fingerprint = signing.loads(link_token_make(member=member, kind=kind), salt=kind.salt)["s"]
    token = signing.dumps({"m": other.pk, "s": fingerprint}, salt=kind.salt)

    assert_refused_and_nothing_changed(
        client, link(other, kind, token=token), VIEW[kind], other, before
    )


@pytest.mark.parametrize(
    "payload", [{"m": "1"}, {"m": 1.0}, {"m": [1]}, [1, "x"], "1", None, {"m": True}]
)
def test_a_correctly_signed_link_with_a_malformed_payload_is_refused(client, member_for, payload):
    member = member_for(UPDATE)
    before = snapshot(member)
    token = signing.dumps(payload, salt=UPDATE.salt)

    assert_refused_and_nothing_changed(
        client, link(member, UPDATE, token=token), VIEW[UPDATE], member, before
    )


def test_a_confirmation_link_used_twice_confirms_once(client, member_for):
    member = member_for(CONFIRM)
    url = link(member, CONFIRM)
    assert client.post(url).status_code == 302
    member.refresh_from_db()
    before = snapshot(member)

    assert_refused_and_nothing_changed(client, url, VIEW[CONFIRM], member, before)
    assert member.status == Member.Status.SUBMITTED


def test_an_update_link_used_twice_saves_both_times(client, member_for):
    member = member_for(UPDATE)
    url = link(member, UPDATE)
    assert client.post(url, survey_payload(email=None, city="Lahore")).status_code == 302

    responses = [client.get(url), client.post(url, survey_payload(email=None, city="Karachi"))]

    assert [r.status_code for r in responses] == [200, 302]
    member.refresh_from_db()
    assert member.city == "Karachi"
    assert member.history.filter(city="Lahore").exists()


def test_a_withdraw_link_used_twice_withdraws_once_and_the_tombstone_stays(client, member_for):
    member = member_for(WITHDRAW)
    url = link(member, WITHDRAW)
    assert client.post(url).status_code == 302
    member.refresh_from_db()
    before = snapshot(member)

    assert_refused_and_nothing_changed(client, url, VIEW[WITHDRAW], member, before)
    assert member.status == Member.Status.WITHDRAWN


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_no_link_works_once_the_member_has_withdrawn(client, member_for, kind):
    member = member_for(kind)
    url = link(member, kind)
    assert client.post(link(member, WITHDRAW)).status_code == 302
    member.refresh_from_db()
    before = snapshot(member)

    assert_refused_and_nothing_changed(client, url, VIEW[kind], member, before)


@pytest.mark.parametrize("kind", [UPDATE, WITHDRAW])
def test_a_link_stops_working_once_staff_changed_the_address(client, member_for, kind):
    from registry.services.members import member_update

    member = member_for(kind)
    url = link(member, kind)
    member_update(member=member, data={"email": "amina@new-address.example"})
    before = snapshot(member)

    assert_refused_and_nothing_changed(client, url, VIEW[kind], member, before)


def test_a_withdraw_link_does_not_open_the_pre_filled_profile(client, member_for):
    member = member_for(WITHDRAW)

    response = client.get(link(member, WITHDRAW, view="registry:profile_edit"))

    assert response.status_code == 400
    assert member.full_name.encode() not in response.content
    assert member.email.encode() not in response.content


def test_link_pages_are_never_cached_and_send_no_referrer_to_other_sites(client, member_for):
    member = member_for(UPDATE)

    for url in (link(member, UPDATE), link(member, WITHDRAW), link(member, CONFIRM)):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url
        assert response["Referrer-Policy"] in ("same-origin", "no-referrer"), url
