"""Login lock-out: the authentication backend and client address for django-axes."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings


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


def client_ip_address(request) -> str | None:
    """The client's address, as the trusted reverse proxies in front report it.

    With TRUSTED_PROXY_COUNT = 0 the portal faces the clients directly and
    REMOTE_ADDR is the client. With N proxies, each appends the address it saw
    to X-Forwarded-For, so the N-th entry from the right was written by our
    outermost proxy and cannot be forged by the client; entries further left
    can.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return request.META.get("REMOTE_ADDR")
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if len(forwarded) < proxies:
        return request.META.get("REMOTE_ADDR")
    return forwarded[-proxies]
