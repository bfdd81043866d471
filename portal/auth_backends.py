"""Login lock-out: the authentication backend for django-axes, and the username it records;
the backend that loads the signed-in account.

The client address comes from registry.ratelimit.client_ip, the same as for
the public forms' rate limits.
"""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class LoginLockoutBackend(AxesStandaloneBackend):
    """Refuse logins for a username and address that failed too often.

    Every login through a page (the admin's included) passes the request, and
    is checked. A call without a request is not a login attempt from the web:
    it has no client address to lock, so it is left to the next backend
    instead of failing (Django's test client `login()` is such a call).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class StaffModelBackend(ModelBackend):
    """Django's ModelBackend, loading the account's Mission abroad in the same query.

    Every staff page reads the Mission to scope what the account sees
    (registry.selectors.missions); loaded with the account on each request,
    it costs no query of its own and is never older than the request.
    """

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("mission_membership__mission").get(
                pk=user_id
            )
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


def login_username(request, credentials: dict | None) -> str | None:
    """The username of a login attempt as axes records and locks it (AXES_USERNAME_CALLABLE).

    Taken as axes takes it by default, then cut to the longest username an
    account can have: axes stores it in a column of 255 characters, which a
    longer one typed into the login form overflowed (a server error on
    PostgreSQL). No account has a longer name, so the cut loses nothing, and
    the attempt is still counted.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    if not isinstance(username, str):
        return username
    user_model = get_user_model()
    longest = user_model._meta.get_field(user_model.USERNAME_FIELD).max_length
    return username[:longest]
