"""Rate limits on the public forms, counted in the cache.

The counters live in Django's cache, which is Redis in production, so a limit
holds across every app server that shares it (process memory would not).
Windows are fixed (one counter per rule, key and hour): simple, one round trip
to Redis per attempt (portal.cache.RedisCache), at the price of allowing up
to twice the limit across the turn of a window. Keys (IP addresses, e-mail addresses) are stored
only as keyed hashes.
"""

import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RateLimit:
    scope: str
    # The setting that overrides the default limit.
    setting: str
    default: int
    period: int = 3600

    @property
    def limit(self) -> int:
        return getattr(settings, self.setting, self.default)


SURVEY_PER_IP = RateLimit("survey-ip", "RATELIMIT_SURVEY_PER_IP", 50)
LINK_EMAILS_PER_ADDRESS = RateLimit("link-address", "RATELIMIT_LINK_EMAILS_PER_ADDRESS", 3)
LINK_REQUESTS_PER_IP = RateLimit("link-ip", "RATELIMIT_LINK_REQUESTS_PER_IP", 20)
CONTACT_PER_IP = RateLimit("contact-ip", "RATELIMIT_CONTACT_PER_IP", 10)
DIRECTORY_PER_MEMBER = RateLimit(
    "directory-member", "RATELIMIT_DIRECTORY_PER_MEMBER", 5, period=86400
)


def ratelimit_exceeded(*, rule: RateLimit, key: str) -> bool:
    """Count one attempt for the key; True when this attempt is over the limit.

    If the cache cannot be reached, the attempt is let through and the error
    logged: a Redis outage must not turn away every registration.
    """
    window = int(time.time() // rule.period)
    digest = salted_hmac("registry.ratelimit", key).hexdigest()[:32]
    cache_key = f"ratelimit:{rule.scope}:{window}:{digest}"
    try:
        count = _counted(cache_key, timeout=rule.period)
    except Exception:
        logger.exception("Rate limit %r not counted: the cache failed", rule.scope)
        return False
    return count > rule.limit


def _counted(cache_key: str, *, timeout: int) -> int:
    if hasattr(cache, "counter_add_and_increment"):
        # Redis (portal.cache.RedisCache): both steps in one round trip.
        return cache.counter_add_and_increment(cache_key, timeout=timeout)
    # add() is atomic and only sets a missing key, incr() is atomic too,
    # so concurrent requests on several servers never lose a count.
    cache.add(cache_key, 0, timeout=timeout)
    try:
        return cache.incr(cache_key)
    except ValueError:
        # The key expired between add() and incr(): a new window.
        cache.set(cache_key, 1, timeout=timeout)
        return 1


def ratelimit_retry_after(*, rule: RateLimit, now: float | None = None) -> int:
    """Seconds until the rule's current window ends and its counters start again."""
    now = time.time() if now is None else now
    return max(1, int(rule.period - now % rule.period))


def client_ip(request) -> str:
    """The client's IP address.

    Behind TRUSTED_PROXY_COUNT reverse proxies, each appending the address it
    saw to X-Forwarded-For, the client is that many entries from the right;
    anything further left could be forged by the client.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
