"""/healthz: database, broker, the age of beat's last sweep, e-mails waiting or failing; the
failing part is named, no exception text is shown."""

import datetime
import json

from django.utils import timezone

from core.models import Heartbeat
from core.services import SWEEP
from notifications.models import Delivery
from notifications.services import notify
from notifications.tasks import sweep_reminders


def get(client) -> tuple[int, dict]:
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content)


def test_all_parts_answer_after_beat_has_swept(client, db):
    sweep_reminders()
    status, body = get(client)
    assert status == 200, body
    assert body["status"] == "ok" and body["failing"] == []
    assert body["database"]["ok"] and body["broker"]["ok"]
    assert body["beat"]["ok"] and 0 <= body["beat"]["age_seconds"] < 60
    assert body["emails"] == {"ok": True, "waiting": 0, "failing": 0}


def test_a_stale_sweep_is_degraded_and_named(client, db, settings):
    settings.REMINDER_SWEEP_MINUTES = 15
    Heartbeat.objects.create(name=SWEEP, at=timezone.now() - datetime.timedelta(hours=2))
    status, body = get(client)
    assert status == 200
    assert body["status"] == "degraded" and body["failing"] == ["beat"]
    assert body["beat"]["age_seconds"] >= 7200 > body["beat"]["stale_after_seconds"] == 2700


def test_a_beat_that_never_swept_is_degraded(client, db):
    status, body = get(client)
    assert status == 200 and body["status"] == "degraded"
    assert body["beat"]["last_sweep"] is None and "beat" in body["failing"]


def test_emails_waiting_and_failing_are_counted(client, thuvien, vanphong):
    # notify() enqueues after commit; inside the test's transaction the e-mails stay waiting.
    Heartbeat.objects.create(name=SWEEP, at=timezone.now())
    for user in (thuvien, vanphong):
        notify(user=user, title="Kế hoạch năm 2027 đã được phê duyệt")
    Delivery.objects.filter(user=vanphong).update(status=Delivery.Status.FAILED)
    status, body = get(client)
    assert status == 200
    assert body["emails"] == {"ok": False, "waiting": 1, "failing": 1}
    assert body["status"] == "degraded" and body["failing"] == ["emails"]


def test_broker_down_is_503_naming_the_broker_without_exception_text(client, db, settings):
    Heartbeat.objects.create(name=SWEEP, at=timezone.now())
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 503
    assert body["status"] == "error" and body["failing"] == ["broker"]
    assert body["broker"] == {"ok": False, "transport": "redis"}
    text = response.content.decode().lower()
    assert "refused" not in text and "error " not in text and "errno" not in text and "111" not in text


def test_healthz_runs_a_bounded_number_of_queries(client, db, django_assert_max_num_queries):
    Heartbeat.objects.create(name=SWEEP, at=timezone.now())
    with django_assert_max_num_queries(4):
        client.get("/healthz")
