"""The "yes, still current" link: GET lands on a page, only the POST records the answer."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.models import Member
from registry.tokens import STILL_CURRENT, UPDATE, link_token_make
from tests.factories import survey_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def stale_member(make_member):
    member = make_member()
    long_ago = timezone.now() - timedelta(days=500)
    Member.objects.filter(pk=member.pk).update(
        last_confirmed_at=long_ago,
        freshness_prompted_at=long_ago,
        stale_since=timezone.now() - timedelta(days=3),
    )
    member.refresh_from_db()
    return member


def _url(member) -> str:
    token = link_token_make(member=member, kind=STILL_CURRENT)
    return reverse("registry:still_current", args=[token])


def test_opening_the_link_changes_nothing(client, stale_member):
    response = client.get(_url(stale_member))
    client.head(_url(stale_member))

    assert response.status_code == 200
    assert "Yes, my profile is still current" in response.content.decode()
    assert Member.objects.get(pk=stale_member.pk).stale_since is not None


def test_the_button_confirms_and_clears_stale(client, stale_member):
    url = _url(stale_member)

    response = client.post(url)

    assert response.status_code == 200
    assert "We have noted that your profile is still current." in response.content.decode()
    stale_member.refresh_from_db()
    assert stale_member.stale_since is None and stale_member.freshness_prompted_at is None
    assert stale_member.last_confirmed_at > timezone.now() - timedelta(minutes=1)
    assert client.post(url).status_code == 200


def test_an_invalid_link_gets_the_link_page(client, stale_member):
    token = link_token_make(member=stale_member, kind=UPDATE)
    response = client.post(reverse("registry:still_current", args=[token]))
    assert response.status_code == 400
    assert Member.objects.get(pk=stale_member.pk).stale_since is not None


def test_saving_the_profile_clears_stale(client, stale_member, django_capture_on_commit_callbacks):
    url = reverse("registry:profile_edit", args=[link_token_make(member=stale_member, kind=UPDATE)])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, survey_payload(email=stale_member.email, homepage=None))

    assert response.status_code == 302
    stale_member.refresh_from_db()
    assert stale_member.stale_since is None
    assert stale_member.last_confirmed_at > timezone.now() - timedelta(minutes=1)
