"""Django's Redis cache backend, with one Redis client per connection pool.

Django's RedisCacheClient builds a new `redis.Redis` for every cache call,
and redis-py's constructor registers its reply callbacks each time: about
0.28 ms of CPU, twice what the round trip itself costs (bench/notes.md,
"Round 2, issue 19, second pass: survey POST"). A client holds no connection
of its own (it borrows one from the pool for each command), so one client
per pool serves every call of the thread that owns this backend (Django's
`caches` gives each thread its own).

`counter_add_and_increment()` counts a rate-limit attempt in one round trip
(SET NX with the window's expiry, then INCR, pipelined), where Django's
add() and incr() take three (incr() asks EXISTS first).
"""

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient

    def counter_add_and_increment(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> int:
        """Create the counter at 0 with `timeout` if it is missing, add one, return it.

        Atomic across servers: SET NX never overwrites a count, INCR never
        loses one. The counter is stored as Django's serializer stores an
        int (plainly), so get() reads it back.
        """
        key = self.make_and_validate_key(key, version=version)
        pipeline = self._cache.get_client(key, write=True).pipeline(transaction=False)
        pipeline.set(key, 0, ex=self.get_backend_timeout(timeout), nx=True)
        pipeline.incr(key)
        return pipeline.execute()[1]
