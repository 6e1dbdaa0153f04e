"""The production cache (core.cache.RedisCache, used when CACHE_URL is set) against the real
Redis: what is stored is read back, counters count, and one client serves every call, also
after Redis has dropped the connections."""

import os
import subprocess
import sys

import pytest

from core.cache import RedisCache

BROKER = os.environ.get("CELERY_BROKER_URL", "")


@pytest.fixture
def redis_location():
    """Database 14 of the local Redis, which nothing else in the suite uses."""
    if not BROKER.startswith("redis://"):
        pytest.skip("needs the local Redis (CELERY_BROKER_URL=redis://127.0.0.1:6379/…), as in CI; not set here")
    return BROKER.rsplit("/", 1)[0] + "/14"


@pytest.fixture
def redis_cache(redis_location):
    cache = RedisCache(redis_location, {"KEY_PREFIX": "test-cache"})
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


def test_two_portals_on_one_redis_keep_their_figures_apart(redis_location, tmp_path):
    """Production settings key the cache by the database's name: a staging copy sharing the
    production Redis does not read production's kept pages (keyed by ids both hold)."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

    def portal(database: str, code: str) -> str:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        env.update(
            DJANGO_DEBUG="1",
            DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
            CACHE_URL=redis_location,
            PORTAL_VAR_DIR=str(tmp_path / "var"),
        )
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code], cwd=root, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]  # after the shell's own greeting

    shared = "from django.core.cache import cache; "
    portal("hoabinh", shared + "cache.set('fragment:coverage:3', 'production', 60)")
    assert portal("hoabinh", shared + "print(cache.get('fragment:coverage:3'))") == "production"
    assert portal("hoabinh_staging", shared + "print(cache.get('fragment:coverage:3'))") == "None"
