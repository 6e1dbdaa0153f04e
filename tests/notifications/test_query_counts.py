"""The reminder sweep runs the same number of queries whatever the number of organisations:
measured on every app's real deadlines at two sizes built by the benchmark's generator."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import User
from notifications import services
from notifications.models import Notification
from reports import selectors
from tests.core.test_query_counts import grow

pytestmark = pytest.mark.django_db


def sweep_queries(capture) -> int:
    period = selectors.current_period()
    now = datetime.datetime.combine(
        period.due_date - datetime.timedelta(days=3), datetime.time(9), services.REMINDER_TZ
    )
    # The sweep's own queries; the deliveries it enqueues after commit are the worker's.
    with CaptureQueriesContext(connection) as ctx, capture(execute=False):
        services.reminders_sweep(now=now)
    return len(ctx.captured_queries)


def test_sweep_queries_do_not_grow_with_the_number_of_districts(django_capture_on_commit_callbacks):
    grow(12)
    small = sweep_queries(django_capture_on_commit_callbacks)
    grow(20)
    large = sweep_queries(django_capture_on_commit_callbacks)
    assert small == large
    # The larger sweep did remind the new districts' officers of the report due in three days.
    reminded = User.objects.filter(
        organisation__district__code__gte="90012",
        notifications__reminder__isnull=False,
    ).distinct()
    assert reminded.count() >= 5
    assert Notification.objects.filter(user__in=reminded, reminder__kind="report_due").exists()
