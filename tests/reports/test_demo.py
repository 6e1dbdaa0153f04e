from django.utils import timezone

from directory import demo as directory_demo
from directory.models import User
from reports import demo, selectors
from reports.models import Report, ReportEvent, ReportingPeriod, ReportSubmission


def _snapshot():
    return (
        Report.objects.count(),
        ReportSubmission.objects.count(),
        ReportEvent.objects.count(),
        sorted(Report.objects.values_list("pk", "status", "version")),
    )


def test_demo_review_queue_holds_only_the_current_period_and_seeding_twice_changes_nothing(db):
    directory_demo.seed()
    demo.seed()
    before = _snapshot()
    assert demo.seed()["reports"] == 0
    assert _snapshot() == before

    current = selectors.current_period()
    today = timezone.localdate()
    assert (current.year, current.half) == (today.year, "H1" if today.month <= 6 else "H2")
    # The 2019-2020 programme and its renewal; no empty periods in between.
    years = set(ReportingPeriod.objects.values_list("year", flat=True))
    assert years == {2019, 2020, today.year - 1, today.year}
    # Closed periods are fully reviewed: every received report accepted, a few late, a few
    # after one return; none left waiting or returned.
    past = Report.objects.exclude(period=current)
    assert set(past.values_list("status", flat=True)) == {Report.Status.ACCEPTED}
    assert 0 < past.filter(is_late=True).count() < past.count() / 5
    assert past.filter(submissions__number=2).exists()
    # 2020 H2 was reopened once after its lock date, with the reason on record.
    reopening = ReportingPeriod.objects.get(year=2020, half="H2").reopenings.get()
    assert "Kỳ Sơn" in reopening.reason and reopening.by.username == "thuvien"

    # The focal officers' queues and nav badges: only this period's submitted reports, a handful.
    for username in ("thuvien", "vanphong"):
        queue = list(selectors.reports_awaiting_review(User.objects.get(username=username)))
        assert 1 <= len(queue) <= 10
        assert {r.period_id for r in queue} == {current.pk}

    # The current period keeps its mix.
    mine = Report.objects.filter(period=current)
    assert mine.get(organisation__code="GDDT-157").status == Report.Status.DRAFT
    # Đà Bắc's education office fills its report on a phone (offline entry in the field).
    assert mine.get(organisation__code="GDDT-150").status == Report.Status.DRAFT
    returned = mine.get(organisation__code="TTVH-153")
    assert returned.status == Report.Status.RETURNED
    assert returned.submissions.get().comments.count() == 2
    assert mine.filter(status=Report.Status.SUBMITTED).exists()
    assert mine.count() < current.required_organisations.count()  # some have not started
