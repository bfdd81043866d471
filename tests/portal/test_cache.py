"""portal.cache.RedisCache: one client per pool, and the one-round-trip counter.

Against a real Redis (REDIS_URL, as CI's PostgreSQL pass sets it); skipped
without one.
"""

import os
import uuid

import pytest

from portal.cache import RedisCache
from registry import ratelimit
from registry.ratelimit import SURVEY_PER_IP, ratelimit_exceeded


@pytest.fixture
def redis_cache():
    url = os.environ.get("REDIS_URL", "").strip()
    if not url:
        pytest.skip("REDIS_URL is not set (CI's PostgreSQL pass sets it)")
    backend = RedisCache(url, {"KEY_PREFIX": f"test-cache-{uuid.uuid4().hex}"})
    yield backend
    client = backend._cache.get_client(write=True)
    keys = client.keys(f"{backend.key_prefix}:*")
    if keys:
        client.delete(*keys)


def test_one_client_per_pool(redis_cache):
    client = redis_cache._cache.get_client("a", write=True)
    assert redis_cache._cache.get_client("b", write=True) is client
    assert redis_cache._cache.get_client("c") is client  # one server: reads use it too


def test_cache_calls_still_work_through_the_shared_client(redis_cache):
    redis_cache.set("k", {"a": 1}, timeout=60)
    assert redis_cache.get("k") == {"a": 1}
    assert redis_cache.add("k", "other", timeout=60) is False
    assert redis_cache.add("n", 1, timeout=60) is True
    assert redis_cache.incr("n") == 2
    assert redis_cache.get("n") == 2


def test_counter_counts_from_one_and_keeps_the_first_expiry(redis_cache):
    assert [redis_cache.counter_add_and_increment("c", timeout=100) for _ in range(3)] == [1, 2, 3]
    # Read back through the ordinary API, as an int.
    assert redis_cache.get("c") == 3
    client = redis_cache._cache.get_client(write=True)
    key = redis_cache.make_and_validate_key("c")
    assert 0 < client.ttl(key) <= 100
    # Later attempts do not push the window's end.
    client.expire(key, 50)
    redis_cache.counter_add_and_increment("c", timeout=100)
    assert client.ttl(key) <= 50


def test_rate_limit_counts_in_redis(redis_cache, settings, monkeypatch):
    monkeypatch.setattr(ratelimit, "cache", redis_cache)
    settings.RATELIMIT_SURVEY_PER_IP = 2
    results = [ratelimit_exceeded(rule=SURVEY_PER_IP, key="198.51.100.7") for _ in range(3)]
    assert results == [False, False, True]
    # Another key has its own count.
    assert ratelimit_exceeded(rule=SURVEY_PER_IP, key="198.51.100.8") is False
