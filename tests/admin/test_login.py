"""The admin login's lock-out after repeated failures (django-axes)."""

from django.urls import reverse

from tests.admin.pages import CHANGELIST


def _login(client, username, password, ip="192.0.2.10"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


def test_login_is_refused_after_repeated_failures_even_with_the_right_password(
    staff_password, staff, client, db, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    staff("focal_point", username="nadia")
    for _ in range(2):
        assert _login(client, "nadia", "wrong-password").status_code == 200

    third = _login(client, "nadia", "wrong-password")
    right = _login(client, "nadia", staff_password)

    for response in (third, right):
        assert response.status_code == 429
        assert "Too many failed login attempts" in response.text
        assert "nadia" not in response.text
    assert "_auth_user_id" not in client.session
    # The same account from another address is not locked.
    assert _login(client, "nadia", staff_password, ip="198.51.100.7").status_code == 302


def test_lock_out_does_not_reveal_whether_an_account_exists(staff, client, db, settings):
    settings.AXES_FAILURE_LIMIT = 2
    staff("viewer", username="existing")
    for username in ("existing", "nobody"):
        _login(client, username, "wrong")
        response = _login(client, username, "wrong")
        assert response.status_code == 429
        assert "Too many failed login attempts" in response.text


def test_a_successful_login_resets_the_failure_count(staff_password, staff, client, db, settings):
    settings.AXES_FAILURE_LIMIT = 3
    staff("analyst", username="omar")
    _login(client, "omar", "wrong")
    _login(client, "omar", "wrong")
    assert _login(client, "omar", staff_password).status_code == 302
    client.logout()
    _login(client, "omar", "wrong")
    _login(client, "omar", "wrong")
    assert _login(client, "omar", staff_password).status_code == 302


def test_test_client_login_still_works_with_the_lockout_backend(staff_password, staff, client, db):
    staff("viewer", username="tester")
    assert client.login(username="tester", password=staff_password)
    assert client.get(CHANGELIST).status_code == 200
