"""Which language a page is in: the visitor's (Accept-Language, then the switch's
cookie) on the site, English in the Django admin."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from registry.models import Member
from tests.factories import REGISTER_URL

URDU = {"HTTP_ACCEPT_LANGUAGE": "ur,en;q=0.5"}


def test_the_member_languages_are_the_site_languages():
    assert [code for code, _ in settings.LANGUAGES] == Member.Language.values


def test_a_public_page_follows_the_browser_language(client, db):
    response = client.get(REGISTER_URL, **URDU)

    assert response["Content-Language"] == "ur"
    with translation.override("ur"):
        expected = gettext("Register")
    assert expected != "Register"
    assert expected in response.content.decode()


def test_the_admin_stays_in_english_for_an_urdu_browser(client, db):
    response = client.get(reverse("admin:login"), **URDU)

    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert '<html lang="en"' in response.content.decode()


def test_staff_pages_outside_the_admin_follow_the_browser_language(role_client):
    client = role_client("analyst")

    response = client.get(reverse("registry:staff_home"), **URDU)

    assert response["Content-Language"] == "ur"
