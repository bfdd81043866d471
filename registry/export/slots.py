"""Concurrent CSV downloads, bounded per staff account and on the whole site.

A download holds a request thread and a database transaction for as long as
it streams, and a client that stops reading makes that as long as it likes:
unbounded, a few stalled downloads take every thread of the site. Each
download therefore takes a slot of its account (EXPORTS_PER_USER) and one of
the site (EXPORTS_PER_SERVER) before it starts, and gives them back when its
stream ends or is closed (the client went away).

Slots live in Django's cache, Redis in production, so the limits hold across
processes and app servers. Each slot is a key of its own, taken with the
atomic cache.add(): one shared counter would have one expiry for every
download, either lapsing under downloads still running or kept alive by them
past one that crashed. A slot lapses SLOT_TTL_S after its download last sent
something, so a process killed mid-stream frees its slots by itself.
"""

import logging
import secrets
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

# A slot outlives its download's last piece by this long. Longer than a proxy
# waits for a stalled client (its send timeout then closes the stream, which
# gives the slot back at once), so only a crashed process waits this out.
SLOT_TTL_S = 600
# A download tells the cache it is alive at most this often.
KEEP_EVERY_S = 60


class ExportsBusy(Exception):
    """Every slot of the account, or of the site, is taken."""

    def __init__(self, *, per_user: bool, limit: int):
        super().__init__("per user" if per_user else "on the site")
        self.per_user = per_user
        self.limit = limit


@dataclass
class ExportSlots:
    """The cache keys one download holds; release() gives them back."""

    keys: list[str]
    token: str
    kept_at: float = field(default_factory=time.monotonic)

    def keep(self) -> None:
        """The download is alive: its slots last another SLOT_TTL_S."""
        now = time.monotonic()
        if not self.keys or now - self.kept_at < KEEP_EVERY_S:
            return
        self.kept_at = now
        try:
            for key in self.keys:
                cache.touch(key, SLOT_TTL_S)
        except Exception:
            logger.exception("Export slots not kept: the cache failed")

    def release(self) -> None:
        """Give the slots back; calling it again does nothing."""
        keys, self.keys = self.keys, []
        try:
            for key in keys:
                # Only a slot still ours: one that lapsed may be another's now.
                if cache.get(key) == self.token:
                    cache.delete(key)
        except Exception:
            logger.exception("Export slots not released: the cache failed; they lapse")


def _slot_take(*, scope: str, limit: int, token: str) -> str | None:
    for number in range(limit):
        key = f"export-slot:{scope}:{number}"
        if cache.add(key, token, timeout=SLOT_TTL_S):
            return key
    return None


def export_slots_take(*, user) -> ExportSlots:
    """A slot of the user's and one of the site's for one download.

    Raises ExportsBusy when either has none free. If the cache cannot be
    reached the download goes ahead without slots, and the error is logged:
    a Redis outage must not stop every export.
    """
    slots = ExportSlots(keys=[], token=secrets.token_hex(16))
    limits = [
        (f"user:{user.pk}", getattr(settings, "EXPORTS_PER_USER", 2), True),
        ("site", getattr(settings, "EXPORTS_PER_SERVER", 4), False),
    ]
    try:
        for scope, limit, per_user in limits:
            key = _slot_take(scope=scope, limit=limit, token=slots.token)
            if key is None:
                slots.release()
                raise ExportsBusy(per_user=per_user, limit=limit)
            slots.keys.append(key)
    except ExportsBusy:
        raise
    except Exception:
        logger.exception("Export slots not taken: the cache failed")
        slots.release()
    return slots
