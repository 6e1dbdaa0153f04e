"""API test helpers: a DRF client that authenticates with a real personal token."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api.services import token_create


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle counters live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def external_figures(monkeypatch):
    """Reports prefill nothing from the other apps here: the values are exactly what the
    tests write (the prefill itself is tested in tests/reports)."""
    monkeypatch.setattr("reports.services._external_figures", lambda module_name, **kw: {})


def token_for(user, name: str = "Bảng tính của phòng") -> str:
    _token, raw = token_create(user=user, name=name, by=user)
    return raw


def client_for(user, **headers) -> APIClient:
    client = APIClient(**headers)
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
    return client


@pytest.fixture
def api():
    """`api(user)`: a client carrying a fresh token of `user` (None: anonymous)."""
    return client_for
