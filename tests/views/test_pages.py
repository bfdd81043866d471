"""The public pages: home, privacy notice, navigation, favicon."""

import re

import pytest
from django.urls import reverse

from registry.privacy import PRIVACY_NOTICE_VERSION

PORTAL_NAME = "Diaspora Outreach Research and Innovation Network"

# The home page reads its public figures from the database.
pytestmark = pytest.mark.django_db


def test_home_page_says_what_the_network_is_and_calls_to_register(client):
    response = client.get(reverse("registry:home"))

    body = response.content.decode()
    assert response.status_code == 200
    assert f"<title>{PORTAL_NAME} · DORIN</title>" in body
    assert f'<h1 id="hero-title" class="display-5 fw-bold">{PORTAL_NAME}</h1>' in body
    assert "Register as a member of the network" in body
    assert "scientists, engineers, doctors and scholars" in body
    assert "CERN" in body
    assert "How it works" in body
    assert "Confirm your e-mail" in body
    assert f'href="{reverse("registry:privacy")}"' in body
    assert f'href="{reverse("registry:staff_home")}"' in body


def test_layout_links_to_register_and_profile(client):
    body = client.get(reverse("registry:home")).content.decode()

    assert f'<a class="nav-link" href="{reverse("registry:register")}">Register</a>' in body
    assert f'href="{reverse("registry:profile")}">Update my profile</a>' in body
    assert f'<a class="btn btn-lg btn-cta" href="{reverse("registry:register")}">' in body


def test_staff_with_the_view_permission_see_the_search_link(client, admin_user):
    search = f'href="{reverse("registry:staff_search")}"'
    assert search not in client.get(reverse("registry:home")).content.decode()
    client.force_login(admin_user)
    assert search in client.get(reverse("registry:home")).content.decode()


def test_navigation_marks_the_current_page(client):
    body = client.get(reverse("registry:privacy")).content.decode()

    assert f'href="{reverse("registry:privacy")}" aria-current="page">Privacy</a>' in body
    assert body.count('aria-current="page"') == 1


def test_privacy_notice_shows_its_version_and_what_a_member_needs_to_know(client, settings):
    settings.CONTACT_EMAIL = "focal.point@mfa.example"

    response = client.get(reverse("registry:privacy"))

    body = response.content.decode()
    assert response.status_code == 200
    assert f"Version {PRIVACY_NOTICE_VERSION}." in body
    for heading in (
        "What we collect",
        "Why we collect it",
        "Legal basis",
        "Who can see it",
        "How long we keep it",
        "Your rights and how to use them",
        "Contact",
    ):
        assert re.search(rf"<h2( id=\"\w+\")?>{heading}</h2>", body), heading
    assert "on the basis of your consent" in body
    assert "public directory only if you" in body
    assert "Update my profile" in body
    assert '<a href="mailto:focal.point@mfa.example">focal.point@mfa.example</a>' in body


def test_privacy_notice_version_is_a_year_and_month():
    assert re.fullmatch(r"20\d\d-(0[1-9]|1[0-2])(-\w+)?", PRIVACY_NOTICE_VERSION)


def test_favicon_ico_redirects_to_the_static_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response.headers["Location"] == "/static/img/favicon.png"


def test_pages_only_accept_safe_methods(client):
    assert client.post(reverse("registry:home")).status_code == 405
    assert client.post(reverse("registry:privacy")).status_code == 405
