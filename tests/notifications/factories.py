"""Deadlines as the apps offer them, for tests of the engine without depending on an app."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from core.deadlines import Deadline, DeadlineKind

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


def deadline(
    *,
    key="reports.report:1",
    kind=DeadlineKind.REPORT_DUE,
    due_at=None,
    recipients=(),
    escalate_to=(),
    title="Báo cáo 6 tháng đầu năm 2026 – Phòng GD&ĐT huyện Lạc Sơn",
    url="/reports/1/",
    location="",
    ends_at=None,
) -> Deadline:
    return Deadline(
        kind=kind,
        key=key,
        due_at=due_at or local(2026, 6, 30, 17, 0),
        title=title,
        url=url,
        recipients=tuple(recipients),
        escalate_to=tuple(escalate_to),
        location=location,
        ends_at=ends_at,
    )


class FakeProviders:
    """Stands in for core.deadlines.collect_deadlines: returns the listed deadlines in the window."""

    def __init__(self):
        self.deadlines: list[Deadline] = []
        self.calls: list[tuple[datetime, datetime]] = []

    def add(self, **kwargs) -> Deadline:
        d = deadline(**kwargs)
        self.deadlines.append(d)
        return d

    def __call__(self, *, start, end):
        self.calls.append((start, end))
        return [d for d in self.deadlines if start <= d.due_at <= end]


def days(n: int) -> timedelta:
    return timedelta(days=n)
