"""The portal's own 403, 404, 429 and 500 pages."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

PORTAL_NAME = "Diaspora Outreach Research and Innovation Network"
ERROR_PAGE_URLS = "tests.portal.urls_error_pages"

# The home page reads its public figures from the database.
pytestmark = pytest.mark.django_db


def test_unknown_page_uses_the_portal_404_page(client):
    response = client.get("/no-such-page/")

    body = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in body
    assert PORTAL_NAME in body
    assert f'href="{reverse("registry:home")}"' in body


@pytest.mark.urls(ERROR_PAGE_URLS)
def test_permission_denied_uses_the_portal_403_page(client):
    response = client.get("/forbidden/")

    assert response.status_code == 403
    assert "Access denied" in response.content.decode()


@pytest.mark.urls(ERROR_PAGE_URLS)
def test_server_error_uses_the_standalone_500_page(client):
    client.raise_request_exception = False

    response = client.get("/broken/")

    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in body
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in body
    assert "a failure on purpose" not in body


def test_429_page_tells_the_visitor_to_wait():
    html = render_to_string("429.html", request=RequestFactory().get("/"))

    assert "Too many requests" in html
    assert "wait a few minutes" in html
    assert PORTAL_NAME in html
