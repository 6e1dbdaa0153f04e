"""The production cache (core.cache.RedisCache, used when CACHE_URL is set) against the real
Redis: what is stored is read back, counters count, and one client serves every call, also
after Redis has dropped the connections."""

import os
import subprocess

import pytest

from core.cache import RedisCache

BROKER = os.environ.get("CELERY_BROKER_URL", "")


@pytest.fixture
def redis_cache():
    if not BROKER.startswith("redis://"):
        pytest.skip("needs the local Redis (CELERY_BROKER_URL=redis://127.0.0.1:6379/…), as in CI; not set here")
    location = BROKER.rsplit("/", 1)[0] + "/14"
    cache = RedisCache(location, {"KEY_PREFIX": "test-cache"})
    cache.clear()
    yield cache
    cache.clear()


def test_values_round_trip_and_counters_count(redis_cache):
    redis_cache.set("figures", {"Lạc Sơn": [1, 2, 3]}, 60)
    redis_cache.set_many({"a": 1, "b": "hai"}, 60)
    assert redis_cache.get("figures") == {"Lạc Sơn": [1, 2, 3]}
    assert redis_cache.get_many(["a", "b", "none"]) == {"a": 1, "b": "hai"}
    assert redis_cache.add("a", 5) is False
    assert redis_cache.incr("a", 2) == 3
    redis_cache.delete("figures")
    assert redis_cache.get("figures", "gone") == "gone"


def test_one_client_serves_every_call_and_outlives_dropped_connections(redis_cache):
    clients = []
    for n in range(50):
        redis_cache.set(f"k{n}", n)
        clients += [redis_cache._cache.get_client(write=True), redis_cache._cache.get_client()]
    assert all(client is clients[0] for client in clients)
    host, port = BROKER.split("//", 1)[1].split("/", 1)[0].split(":")
    subprocess.run(
        ["redis-cli", "-h", host, "-p", port, "client", "kill", "type", "normal", "skipme", "yes"], check=True
    )
    assert redis_cache.get("k49") == 49
