"""No page tells a visitor whether an address is registered.

The same request is sent twice: once while the address belongs to a member,
once after that member is gone. The two responses must be byte-identical,
apart from the CSRF token a re-rendered form carries.
"""

import re
import types

import pytest
from django.core.cache import cache
from django.test import Client

from registry import ratelimit
from registry.models import Member
from tests.factories import PROFILE_URL, REGISTER_URL, survey_payload

pytestmark = pytest.mark.django_db

ADDRESS = "amina.khan@example.org"
# Headers that could tell the two cases apart (cookies are compared separately).
HEADERS = (
    "Content-Type",
    "Content-Length",
    "Location",
    "Cache-Control",
    "Vary",
    "Expires",
    "Content-Security-Policy",
    "X-Frame-Options",
    "Referrer-Policy",
)
CSRF_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+(")')


@pytest.fixture(autouse=True)
def _one_rate_limit_instant(monkeypatch):
    """Known and unknown runs see the same rate-limit window and "try again" time.

    Under load the two runs can straddle a minute, and the 429 page says how
    many minutes remain: a difference of timing, not of what the address is.
    """
    instant = 1_800_000_000.0 + 600
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: instant))


def comparable(response) -> dict:
    return {
        "status": response.status_code,
        "headers": {name: response.headers.get(name) for name in HEADERS},
        "cookies": sorted(response.cookies),
        "body": CSRF_TOKEN.sub(rb"\1TOKEN\2", response.content),
    }


def known_then_unknown(make_member, request, *, status):
    """The response while the address is registered, then once it is not."""
    member = make_member(email=ADDRESS, status=status, source=Member.Source.SURVEY)
    known = comparable(request())
    Member.objects.filter(pk=member.pk).delete()
    cache.clear()
    unknown = comparable(request())
    return known, unknown


STATUSES = [
    Member.Status.UNCONFIRMED,
    Member.Status.SUBMITTED,
    Member.Status.VERIFIED,
    Member.Status.REJECTED,
]


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("typed", [ADDRESS, " Amina.Khan@EXAMPLE.org "], ids=["same", "recased"])
def test_registering_a_known_address_gives_the_same_response_as_an_unknown_one(
    client, make_member, django_capture_on_commit_callbacks, status, typed
):
    def request():
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(REGISTER_URL, survey_payload(email=typed))

    known, unknown = known_then_unknown(make_member, request, status=status)

    assert known["status"] == 302
    assert known == unknown


@pytest.mark.parametrize("status", STATUSES)
def test_an_invalid_survey_with_a_known_address_looks_like_one_with_an_unknown_address(
    make_member, status
):
    client = Client()

    def request():
        return client.post(REGISTER_URL, survey_payload(email=ADDRESS, consent_processing=None))

    known, unknown = known_then_unknown(make_member, request, status=status)

    assert known["status"] == 200
    assert known == unknown


@pytest.mark.parametrize("status", STATUSES)
def test_asking_for_a_profile_link_gives_the_same_response_for_known_and_unknown_addresses(
    client, make_member, django_capture_on_commit_callbacks, status
):
    def request():
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(PROFILE_URL, {"email": ADDRESS.upper()})

    known, unknown = known_then_unknown(make_member, request, status=status)

    assert known["status"] == 302
    assert known == unknown


def test_the_per_address_limit_on_registrations_looks_the_same_for_known_and_unknown(
    client, make_member, django_capture_on_commit_callbacks, settings
):
    settings.RATELIMIT_SURVEY_PER_IP = 100

    def request():
        with django_capture_on_commit_callbacks(execute=True):
            responses = [client.post(REGISTER_URL, survey_payload(email=ADDRESS)) for _ in range(5)]
        return responses[-1]

    known, unknown = known_then_unknown(make_member, request, status=Member.Status.VERIFIED)

    assert known["status"] == 302
    assert known == unknown


def test_the_per_address_limit_on_link_requests_looks_the_same_for_known_and_unknown(
    client, make_member, django_capture_on_commit_callbacks
):
    def request():
        with django_capture_on_commit_callbacks(execute=True):
            return [client.post(PROFILE_URL, {"email": ADDRESS}) for _ in range(5)]

    member = make_member(email=ADDRESS, status=Member.Status.VERIFIED)
    known = [comparable(r) for r in request()]
    Member.objects.filter(pk=member.pk).delete()
    cache.clear()
    unknown = [comparable(r) for r in request()]

    assert [r["status"] for r in known] == [302, 302, 302, 429, 429]
    assert known == unknown


def test_a_withdrawn_address_is_treated_like_an_unknown_one(
    client, make_member, mailoutbox, django_capture_on_commit_callbacks
):
    from registry.services.withdrawal import member_withdraw
    from registry.tokens import WITHDRAW, link_token_make

    member = make_member(email=ADDRESS, status=Member.Status.VERIFIED)
    member_withdraw(token=link_token_make(member=member, kind=WITHDRAW))
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PROFILE_URL, {"email": ADDRESS})

    assert response.status_code == 302
    assert mailoutbox == []
