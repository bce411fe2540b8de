"""The Redis cache, made to degrade instead of fail.

What the portal keeps in the cache (the rate limiter's counters, the health check's round trip) is worth
less than the request that asks for it: with Redis down, a complaint must still be filed. So every
operation that meets a Redis error answers as if the key were missing (``get`` → default, ``add``/``set``
→ False, ``incr`` → ValueError, which is what Django's backends raise for a missing key) and logs a
warning. After a failure the cache does not even try Redis for ``CIRCUIT_OPEN_SECONDS`` (a short circuit
breaker), so a dead Redis costs a request nothing rather than a connection timeout each time; the first
call after that tries again.

django-ratelimit reads a failed ``add``/``incr`` as "could not count" and, with ``RATELIMIT_FAIL_OPEN``,
lets the request through: the limiter opens, it never closes the complaint window.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger("core.cache")

CIRCUIT_OPEN_SECONDS = 10.0


class Unavailable(Exception):
    """Redis failed just now, or recently enough that it is not tried."""


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client, keeping one ``redis.Redis`` per connection pool instead of building one for every
    operation: redis-py's constructor costs ~0.5 ms (it copies its table of response callbacks), as much
    as the command itself, twice on each rate-limited request. A ``redis.Redis`` without a single
    connection takes a connection from its pool per command, so sharing it is safe (threads, and forks:
    the pool notices a new process id)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class ResilientRedisCache(RedisCache):
    """Django's RedisCache whose failures are a logged miss, behind a per-process circuit breaker."""

    # Per process (class attribute): every request of a gunicorn worker skips a Redis known to be down.
    _open_until = 0.0

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.circuit_open_seconds = float(options.pop("CIRCUIT_OPEN_SECONDS", CIRCUIT_OPEN_SECONDS))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    @classmethod
    def circuit_is_open(cls) -> bool:
        return time.monotonic() < cls._open_until

    @classmethod
    def close_circuit(cls) -> None:
        """Try Redis again at the next call (tests, and an operator's shell after a repair)."""
        cls._open_until = 0.0

    def _call(self, operation: str, method, *args, **kwargs):
        if self.circuit_is_open():
            raise Unavailable
        try:
            return method(*args, **kwargs)
        except RedisError as error:
            type(self)._open_until = time.monotonic() + self.circuit_open_seconds
            logger.warning(
                "Cache (Redis) unavailable during %s: %s: %s. Answering as a miss for the next %.0f s; "
                "the rate limits are open meanwhile.",
                operation, type(error).__name__, error, self.circuit_open_seconds,
            )  # fmt: skip
            raise Unavailable from error

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._call("add", super().add, key, value, timeout, version)
        except Unavailable:
            return False

    def get(self, key, default=None, version=None):
        try:
            return self._call("get", super().get, key, default, version)
        except Unavailable:
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._call("set", super().set, key, value, timeout, version)
        except Unavailable:
            return False

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._call("touch", super().touch, key, timeout, version)
        except Unavailable:
            return False

    def delete(self, key, version=None):
        try:
            return self._call("delete", super().delete, key, version)
        except Unavailable:
            return False

    def get_many(self, keys, version=None):
        try:
            return self._call("get_many", super().get_many, keys, version)
        except Unavailable:
            return {}

    def has_key(self, key, version=None):
        try:
            return self._call("has_key", super().has_key, key, version)
        except Unavailable:
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return self._call("incr", super().incr, key, delta, version)
        except Unavailable:
            raise ValueError(f"Key '{key}' cannot be counted: the cache is unavailable.") from None

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._call("set_many", super().set_many, data, timeout, version)
        except Unavailable:
            return list(data)

    def delete_many(self, keys, version=None):
        try:
            return self._call("delete_many", super().delete_many, keys, version)
        except Unavailable:
            return False

    def clear(self):
        try:
            return self._call("clear", super().clear)
        except Unavailable:
            return False
