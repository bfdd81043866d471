"""Form bodies the portal cannot read: another charset, a broken multipart, too much.

With a valid CSRF cookie and token, a form declared in a charset other than
UTF-8 used to make Django's CSRF check raise, and Django's own 400 and 500
handlers ran the same check again and failed the same way: a server error.
Now every such request gets the portal's 400 page and changes nothing, and no
Content-Type at all gives a 5xx.
"""

from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.handlers.wsgi import WSGIRequest
from django.test import Client, RequestFactory
from django.urls import get_resolver, reverse

from registry.models import Member
from registry.tokens import UPDATE, WITHDRAW, link_token_make
from tests.factories import PROFILE_URL, REGISTER_URL, survey_payload

pytestmark = pytest.mark.django_db

BAD_REQUEST_PAGE = "This request could not be read"
FORM = "application/x-www-form-urlencoded"
NOT_UTF_8 = ["utf-16", "latin-1", "ISO-8859-1", "cp1252", "utf8", "bogus-charset", "x" * 300]


@pytest.fixture
def member(make_member):
    return make_member(email="amina.khan@example.org", status=Member.Status.VERIFIED)


@pytest.fixture
def browser():
    """A client that checks CSRF like a browser's requests are checked, with its token."""
    client = Client(enforce_csrf_checks=True)
    client.get(REGISTER_URL)
    client.token = client.cookies["csrftoken"].value
    return client


def form_urls(member) -> dict[str, dict]:
    """Every public form and the admin login, with answers each would accept."""
    update = link_token_make(member=member, kind=UPDATE)
    withdraw = link_token_make(member=member, kind=WITHDRAW)
    return {
        REGISTER_URL: survey_payload(email="new@example.org"),
        PROFILE_URL: {"email": member.email},
        reverse("registry:profile_edit", args=[update]): survey_payload(email=None, city="Lahore"),
        reverse("registry:profile_withdraw", args=[withdraw]): {},
        reverse("admin:login"): {"username": "someone", "password": "a-password"},
    }


def encoded(data: dict, token: str, charset: str) -> bytes:
    text = urlencode({**data, "csrfmiddlewaretoken": token}, doseq=True)
    try:
        return text.encode(charset)
    except LookupError:
        return text.encode()


def state(member):
    return Member.objects.count(), Member.objects.values().get(pk=member.pk)


def assert_portal_400(response):
    assert response.status_code == 400
    html = response.content.decode()
    assert BAD_REQUEST_PAGE in html
    assert "csrfmiddlewaretoken" not in html
    assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize("charset", NOT_UTF_8)
def test_a_form_in_another_charset_gets_the_400_page_and_changes_nothing(
    browser, member, mailoutbox, charset
):
    before = state(member)

    for url, data in form_urls(member).items():
        body = encoded(data, browser.token, charset)
        response = browser.generic("POST", url, body, content_type=f"{FORM}; charset={charset}")
        assert_portal_400(response)

    assert state(member) == before
    assert mailoutbox == []


@pytest.mark.parametrize("charset", ["utf-16", "latin-1", "bogus-charset"])
def test_a_multipart_form_in_another_charset_gets_the_400_page(browser, member, charset):
    before = state(member)
    body = (
        "--xyz\r\n"
        'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f"{browser.token}\r\n"
        "--xyz\r\n"
        'Content-Disposition: form-data; name="email"\r\n\r\n'
        f"{member.email}\r\n"
        "--xyz--\r\n"
    ).encode()

    for url in form_urls(member):
        content_type = f"multipart/form-data; boundary=xyz; charset={charset}"
        assert_portal_400(browser.generic("POST", url, body, content_type=content_type))

    assert state(member) == before


def test_a_form_that_declares_utf_8_still_goes_through(
    browser, mailoutbox, django_capture_on_commit_callbacks
):
    body = encoded(survey_payload(email="new@example.org"), browser.token, "utf-8")

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.generic(
            "POST", REGISTER_URL, body, content_type=f'{FORM}; charset="UTF-8"'
        )

    assert response.status_code == 302
    assert Member.objects.filter(email="new@example.org").exists()
    assert len(mailoutbox) == 1


def test_a_broken_multipart_body_gets_the_400_page(browser, member):
    before = state(member)

    for content_type, body in [
        ("multipart/form-data", b"no boundary declared"),
        ("multipart/form-data; boundary=", b"--\r\n"),
        ("multipart/form-data; boundary=\xe9\xe9", b"--\xe9\xe9\r\n"),
    ]:
        response = browser.generic("POST", PROFILE_URL, body, content_type=content_type)
        assert_portal_400(response)

    assert state(member) == before


def test_a_form_with_too_many_fields_or_too_large_gets_the_400_page(browser, settings):
    many_fields = "&".join(f"f{n}=x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    too_large = "email=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    for body in (many_fields, too_large):
        assert_portal_400(browser.generic("POST", REGISTER_URL, body.encode(), content_type=FORM))

    assert Member.objects.count() == 0


CONTENT_TYPES = [
    f"{FORM}; charset=utf-16",
    f"{FORM}; charset=",
    f"{FORM}; charset",
    f"{FORM};;;charset=utf-8;charset=utf-16",
    "multipart/form-data",
    "multipart/form-data; boundary=xyz",
    "multipart/form-data; boundary=xyz; charset=utf-16",
    "multipart/mixed; boundary=xyz",
    "text/plain; charset=utf-16",
    "application/json; charset=bogus",
    "application/xml",
    "",
    "\x00",
    "ü/ü; charset=ü",
]
BODIES = [b"", b"email=a%40b.org", b"\xff\xfe\x00=\xff&&==", "a=ü".encode("utf-16"), b"--xyz--\r\n"]


@pytest.mark.parametrize("content_type", CONTENT_TYPES)
def test_no_content_type_gives_a_server_error(browser, member, content_type):
    urls = [*form_urls(member), "/no-such-page/", reverse("registry:staff_search"), "/admin/"]

    for url in urls:
        for body in BODIES:
            for token in (browser.token, None):
                headers = {"X-CSRFToken": token} if token else {}
                response = browser.generic(
                    "POST", url, body, content_type=content_type, headers=headers
                )
                assert response.status_code < 500, (url, body, response.status_code)


# The handlers themselves.


class PostExplodes(WSGIRequest):
    """A request whose form body cannot be read, like a body Django refused."""

    @property
    def POST(self):  # noqa: N802 (Django's name)
        raise BadRequest("the form body was read again")


def request_whose_post_explodes() -> WSGIRequest:
    """With a well-formed CSRF cookie, so that a CSRF check would go on to read the form."""
    request = RequestFactory().post(
        REGISTER_URL,
        b"a=b",
        content_type=f"{FORM}; charset=utf-16",
        headers={"cookie": f"{settings.CSRF_COOKIE_NAME}={'a' * 32}"},
    )
    request.__class__ = PostExplodes
    return request


def test_the_400_handler_renders_the_portal_page_without_reading_the_form_or_the_token():
    request = request_whose_post_explodes()

    response = get_resolver().resolve_error_handler(400)(request, BadRequest("unreadable"))

    assert response.status_code == 400
    assert BAD_REQUEST_PAGE in response.content.decode()
    assert "CSRF_COOKIE" not in request.META


def test_the_500_handler_renders_the_portal_page_without_reading_the_form_or_the_token():
    request = request_whose_post_explodes()

    response = get_resolver().resolve_error_handler(500)(request)

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "CSRF_COOKIE" not in request.META
