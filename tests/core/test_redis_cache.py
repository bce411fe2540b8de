"""The Redis cache keeps one client per connection pool (core.cache): Django's own builds one per operation,
which cost the rate-limited public pages as much as the Redis commands themselves."""

import pytest
from django.core.cache import caches

from core.cache import ResilientRedisCache


@pytest.fixture
def redis_cache():
    cache = caches["default"]
    if not isinstance(cache, ResilientRedisCache):
        pytest.skip("the tests run without Redis")
    return cache


def test_the_cache_builds_its_redis_client_once(redis_cache):
    client = redis_cache._cache.get_client(write=True)
    assert redis_cache._cache.get_client(write=True) is client
    assert redis_cache._cache.get_client() is client  # one server: reads and writes share the pool


def test_the_shared_client_counts_like_a_fresh_one(redis_cache):
    assert redis_cache.add("counted", 0, 60)
    assert [redis_cache.incr("counted") for _ in range(3)] == [1, 2, 3]
    assert not redis_cache.add("counted", 0, 60)
    redis_cache.delete("counted")
