"""Login lock-out: the authentication backend for django-axes.

The client address comes from registry.ratelimit.client_ip, the same as for
the public forms' rate limits.
"""

from axes.backends import AxesStandaloneBackend


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
