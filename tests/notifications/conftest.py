import pytest

from hoabinh_library.celery import app as celery_app


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks enqueued after commit run in-process (the real worker has its own test)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def providers(monkeypatch):
    """Deadlines offered to the sweep and the calendar feed, without the other apps."""
    from notifications import selectors, services
    from tests.notifications.factories import FakeProviders

    fake = FakeProviders()
    monkeypatch.setattr(services, "collect_deadlines", fake)
    monkeypatch.setattr(selectors, "collect_deadlines", fake)
    return fake


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
