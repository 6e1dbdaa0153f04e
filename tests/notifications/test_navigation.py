import pytest
from django.test import RequestFactory

from core.deadlines import DeadlineKind
from notifications import services
from notifications.navigation import home_panels
from tests.notifications.factories import local

pytestmark = pytest.mark.django_db


def test_home_panel_shows_next_deadlines_and_unread_in_bounded_queries(
    providers, gddt_lac_son, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    import time_machine

    for i in range(12):
        providers.add(
            key=f"reports.report:{i}",
            due_at=local(2030, 6, 20 + i % 5, 17, 0),
            recipients=[gddt_lac_son.pk],
            title=f"Báo cáo số {i}",
        )
    providers.add(
        key="programs.meeting:1",
        kind=DeadlineKind.MEETING,
        due_at=local(2030, 6, 19, 8, 0),
        recipients=[gddt_lac_son.pk],
        title="Họp giao ban",
    )
    with time_machine.travel(local(2030, 6, 16, 8, 0), tick=False), django_capture_on_commit_callbacks(execute=True):
        services.reminders_sweep()
    request = RequestFactory().get("/")
    request.user = gddt_lac_son
    with django_assert_max_num_queries(3):
        (panel,) = home_panels(request)
    upcoming = panel.context["upcoming"]
    assert len(upcoming) == 6
    assert upcoming[0].subject == "Họp giao ban"
    assert panel.context["unread"] == 11  # due 24/06 is not yet within 7 days
    assert len(panel.context["latest"]) == 4
