import pytest
from django.test import RequestFactory

from core.deadlines import DeadlineKind
from notifications import selectors, services
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
    with time_machine.travel(local(2030, 6, 16, 9, 0), tick=False):
        with django_assert_max_num_queries(3):
            (panel,) = home_panels(request)
        upcoming = panel.context["upcoming"]
        assert len(upcoming) == 6
        assert upcoming[0]["title"] == "Họp giao ban"
        assert upcoming[0]["kind_label"] == "Cuộc họp"
        # Nothing recorded yet for 24/06, but it is among the next deadlines all the same.
        assert any(
            row["due_at"] == local(2030, 6, 24, 17, 0) for row in selectors.upcoming_deadlines(gddt_lac_son, limit=20)
        )
    assert panel.context["unread"] == 11  # due 24/06 is not yet within 7 days
    assert len(panel.context["latest"]) == 4


def test_home_panel_survives_an_app_whose_deadlines_fail(monkeypatch, gddt_lac_son):
    from notifications import selectors

    def broken(**kwargs):
        raise RuntimeError("no such table")

    monkeypatch.setattr(selectors, "collect_deadlines", broken)
    request = RequestFactory().get("/")
    request.user = gddt_lac_son
    (panel,) = home_panels(request)
    assert panel.context["upcoming"] == []
