"""The JSON download needs a valid link and contains only the member's own data."""

import json
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse

from registry.models import Member
from registry.services.members import member_update
from registry.tokens import CONFIRM, UPDATE, WITHDRAW, link_token_make

pytestmark = pytest.mark.django_db


def _url(token: str) -> str:
    return reverse("registry:profile_download", args=[token])


def _assert_link_page(response):
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    assert "link" in response.content.decode().lower()


def test_a_tampered_link_gets_the_link_page(client, member):
    token = link_token_make(member=member, kind=UPDATE)
    _assert_link_page(client.get(_url(token[:-2] + "xx")))
    _assert_link_page(client.get(_url("not-a-token")))


@pytest.mark.parametrize("kind", [CONFIRM, WITHDRAW])
def test_a_link_made_for_another_purpose_gets_the_link_page(client, member, kind):
    _assert_link_page(client.get(_url(link_token_make(member=member, kind=kind))))


def test_an_expired_link_gets_the_link_page(client, member, monkeypatch):
    token = link_token_make(member=member, kind=UPDATE)
    real_loads = signing.loads

    def later(value, **kwargs):
        kwargs["max_age"] = timedelta(seconds=-1)
        return real_loads(value, **kwargs)

    monkeypatch.setattr(signing, "loads", later)
    _assert_link_page(client.get(_url(token)))


def test_a_withdrawn_members_link_gets_the_link_page(client, member):
    token = link_token_make(member=member, kind=UPDATE)
    Member.objects.filter(pk=member.pk).update(status=Member.Status.WITHDRAWN)
    _assert_link_page(client.get(_url(token)))


def test_the_download_holds_no_other_members_data(client, make_member, subfield):
    own = make_member(full_name="Own Person", email="own@example.org")
    other = make_member(
        full_name="Other Person",
        email="other@example.org",
        phone="+1 555 0100",
        organisation="Secret Lab",
        primary_subfield=subfield("3.2"),
    )
    own = member_update(member=own, data={"duplicate_of": other})

    raw = client.get(_url(link_token_make(member=own, kind=UPDATE))).content.decode()
    data = json.loads(raw)

    for secret in ("Other Person", "other@example.org", "+1 555 0100", "Secret Lab"):
        assert secret not in raw
    assert 'duplicate_of"' not in raw
    assert data["profile"]["email"] == "own@example.org"
    assert data["registration_and_review"]["marked_as_duplicate_of_another_profile"] is True
