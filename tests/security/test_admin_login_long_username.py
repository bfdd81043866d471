"""A username longer than any account's on the admin login: refused as a wrong login.

django-axes records the username of every failed attempt in a column of 255
characters; a longer one typed into the login form was a server error on
PostgreSQL (value too long). Now it is cut to the longest username an
account can have, so the visitor gets the ordinary wrong-login page and the
attempt still counts towards the lock-out. Run this file on PostgreSQL too.
"""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.html import escape

from portal.auth_backends import login_username

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
WRONG_LOGIN = "Please enter the correct username and password"
LONGEST = User._meta.get_field("username").max_length

LONG_USERNAMES = {
    "one_over_the_column": "a" * 256,
    "ten_thousand": "x" * 10_000,
    "arabic": "د. أمينة الخطيب " * 30,
    "urdu": "ڈاکٹر عائشہ خان" * 30,
    "cjk": "山田花子" * 100,
    "emoji": "👩🏽‍🔬" * 100,
    "script_tag": '<script>alert("xss")</script>' * 20,
}


def log_in(client, username, password="a-wrong-password-0000"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR="192.0.2.10",
    )


@pytest.mark.parametrize("username", LONG_USERNAMES.values(), ids=LONG_USERNAMES.keys())
def test_a_long_username_gets_the_wrong_login_page_and_is_counted(client, username):
    response = log_in(client, username)

    assert response.status_code == 200
    html = response.content.decode()
    assert WRONG_LOGIN in html
    assert "<script>alert" not in html
    attempt = AccessAttempt.objects.get()
    assert attempt.username == username[:LONGEST]
    assert attempt.failures_since_start == 1
    assert "_auth_user_id" not in client.session


def test_the_script_tag_username_is_shown_back_escaped(client):
    username = LONG_USERNAMES["script_tag"]

    html = log_in(client, username).content.decode()

    assert escape(username[:LONGEST]) in html or escape(username) in html


def test_long_usernames_lock_out_like_any_other(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    username = "z" * 10_000

    statuses = [log_in(client, username).status_code for _ in range(4)]

    assert statuses == [200, 200, 429, 429]
    assert AccessAttempt.objects.get().failures_since_start >= 3


def test_an_account_still_logs_in_after_long_username_attempts(client, staff, staff_password):
    user = staff("viewer", username="amina")
    log_in(client, "amina" * 1000)

    response = log_in(client, user.username, staff_password)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_username_takes_credentials_first_then_the_form(rf):
    request = rf.post(LOGIN, {"username": "from-the-form" * 20})

    assert login_username(request, {"username": "given"}) == "given"
    assert login_username(request, None) == ("from-the-form" * 20)[:LONGEST]
    assert login_username(rf.post(LOGIN, {}), None) is None
