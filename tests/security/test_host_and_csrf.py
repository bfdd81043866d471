"""Host header and CSRF: forged hosts and cross-site posts are refused."""

import pytest
from django.test import Client
from django.urls import reverse

from registry.models import Member
from registry.tokens import UPDATE, WITHDRAW, link_token_make
from tests.factories import PROFILE_URL, REGISTER_URL, survey_payload

pytestmark = pytest.mark.django_db

PORTAL_HOST = "dorin.example.gov"


@pytest.fixture
def production_hosts(settings):
    settings.ALLOWED_HOSTS = [PORTAL_HOST]


@pytest.mark.usefixtures("production_hosts")
@pytest.mark.parametrize(
    "host",
    [
        "evil.example.org",
        f"{PORTAL_HOST}.evil.example.org",
        f"evil.example.org#{PORTAL_HOST}",
        f"{PORTAL_HOST}:443@evil.example.org",
        f"{PORTAL_HOST}\r\nX-Injected: 1",
        "127.0.0.1",
        "",
    ],
)
@pytest.mark.parametrize("url", ["/", REGISTER_URL, PROFILE_URL, "/admin/login/"])
def test_a_foreign_host_header_is_refused_with_400(client, url, host):
    response = client.get(url, HTTP_HOST=host)

    assert response.status_code == 400


@pytest.mark.usefixtures("production_hosts")
def test_a_registration_under_a_foreign_host_stores_nothing_and_sends_no_link(submit, mailoutbox):
    response = submit(REGISTER_URL, survey_payload(), HTTP_HOST="evil.example.org")

    assert response.status_code == 400
    assert Member.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.usefixtures("production_hosts")
def test_x_forwarded_host_cannot_put_a_foreign_host_into_the_e_mailed_link(submit, mailoutbox):
    response = submit(
        REGISTER_URL,
        survey_payload(),
        HTTP_HOST=PORTAL_HOST,
        HTTP_X_FORWARDED_HOST="evil.example.org",
        secure=True,
    )

    assert response.status_code == 302
    (message,) = mailoutbox
    assert "evil.example.org" not in message.body
    assert f"https://{PORTAL_HOST}/register/confirm/" in message.body


# CSRF


@pytest.fixture
def member(make_member):
    return make_member(email="amina.khan@example.org", status=Member.Status.VERIFIED)


def public_posts(member):
    """Every public form with the answers it expects; links made when their turn comes."""
    yield REGISTER_URL, survey_payload(email="new@example.org")
    yield PROFILE_URL, {"email": member.email}
    member.refresh_from_db()
    token = link_token_make(member=member, kind=UPDATE)
    yield reverse("registry:profile_edit", args=[token]), survey_payload(email=None, city="Lahore")
    member.refresh_from_db()
    token = link_token_make(member=member, kind=WITHDRAW)
    yield reverse("registry:profile_withdraw", args=[token]), {}


def state(member):
    return Member.objects.count(), Member.objects.values().get(pk=member.pk)


def test_posts_without_a_csrf_token_are_refused_and_change_nothing(member, mailoutbox):
    client = Client(enforce_csrf_checks=True)
    before = state(member)

    for url, data in public_posts(member):
        response = client.post(url, data)
        assert response.status_code == 403, url

    assert state(member) == before
    assert mailoutbox == []


def test_posts_with_a_forged_csrf_token_are_refused_and_change_nothing(member):
    client = Client(enforce_csrf_checks=True)
    client.get(REGISTER_URL)  # Sets the CSRF cookie.
    before = state(member)

    for url, data in public_posts(member):
        for forged in ("x" * 64, "", client.cookies["csrftoken"].value[::-1]):
            response = client.post(url, {**data, "csrfmiddlewaretoken": forged})
            assert response.status_code == 403, (url, forged)

    assert state(member) == before


def test_a_token_from_another_visitors_cookie_is_refused(member):
    attacker, victim = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    attacker.get(REGISTER_URL)
    victim.get(REGISTER_URL)
    attackers_token = attacker.cookies["csrftoken"].value

    response = victim.post(
        REGISTER_URL, {**survey_payload(), "csrfmiddlewaretoken": attackers_token}
    )

    assert response.status_code == 403
    assert Member.objects.count() == 1


def test_the_same_posts_with_the_page_token_go_through(member):
    client = Client(enforce_csrf_checks=True)

    for url, data in public_posts(member):
        client.get(url)
        token = client.cookies["csrftoken"].value
        response = client.post(url, {**data, "csrfmiddlewaretoken": token})
        assert response.status_code == 302, url


@pytest.mark.usefixtures("production_hosts")
def test_a_tls_post_with_a_valid_token_but_a_foreign_origin_is_refused(settings, member):
    settings.CSRF_TRUSTED_ORIGINS = [f"https://{PORTAL_HOST}"]
    client = Client(enforce_csrf_checks=True, HTTP_HOST=PORTAL_HOST)
    client.get(REGISTER_URL, secure=True)
    token = client.cookies["csrftoken"].value
    data = {**survey_payload(email="new@example.org"), "csrfmiddlewaretoken": token}

    foreign = client.post(REGISTER_URL, data, secure=True, HTTP_ORIGIN="https://evil.example.org")
    no_referer = client.post(REGISTER_URL, data, secure=True)
    own = client.post(REGISTER_URL, data, secure=True, HTTP_ORIGIN=f"https://{PORTAL_HOST}")

    assert (foreign.status_code, no_referer.status_code, own.status_code) == (403, 403, 302)
    assert Member.objects.count() == 2


def test_the_csrf_failure_page_is_the_portals_and_leaks_nothing(member):
    response = Client(enforce_csrf_checks=True).post(REGISTER_URL, survey_payload())

    assert response.status_code == 403
    html = response.content.decode()
    assert "CSRF" not in html or "Traceback" not in html
    assert "csrfmiddlewaretoken" not in html
    assert "Content-Security-Policy" in response.headers
