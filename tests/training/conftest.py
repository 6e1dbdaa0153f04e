import pytest


@pytest.fixture
def told(monkeypatch):
    """Stand in for notifications.services.notify and record who was told what."""
    calls = []

    def notify(*, user, title, body, url):
        calls.append({"user": user, "title": title, "body": body, "url": url})

    monkeypatch.setattr("training.services._notify_function", lambda: notify)
    return calls


@pytest.fixture
def no_inbox(monkeypatch):
    """As if the notifications app offered no notify(): e-mail is the fallback."""
    monkeypatch.setattr("training.services._notify_function", lambda: None)
