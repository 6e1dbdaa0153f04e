"""Periods and reports for the reports tests."""

import datetime

from directory.models import Organisation
from reports import services
from reports.models import ReportingPeriod


def period(year: int = 2026, half: str = "H1", *, organisations=None, **dates) -> ReportingPeriod:
    """A period with its default dates (overridable), the starting catalogue and, unless
    `organisations` says otherwise, every district office of the province required."""
    existing = ReportingPeriod.objects.filter(year=year, half=half).first()
    if existing:
        return existing
    # Not yet locked today unless a test says so: tests run on the real date.
    dates.setdefault(
        "lock_date",
        max(
            ReportingPeriod.default_dates(year, half)["lock_date"], datetime.date.today() + datetime.timedelta(days=60)
        ),
    )
    p = services.period_create(year=year, half=half, **dates)
    if organisations is not None:
        p.required_organisations.set(organisations)
    return p


def open_period(year: int = 2026, half: str = "H1", **kw) -> ReportingPeriod:
    """A period whose due date is in the future relative to today."""
    today = datetime.date.today()
    return period(
        year,
        half,
        due_date=today + datetime.timedelta(days=10),
        **kw,
    )


GD_VALUES = {
    "GD01": 30,
    "GD02": 28,
    "GD03": 20,
    "GD04": 12,
    "GD05": 16,
    "GD06": 9,
    "GD07": 140,
    "GD08": 5200,
    "GD09": 1800,
    "GD10": 4,
    "GD11": 950,
    "NR1": "Các trường đã tổ chức Ngày hội đọc sách và tiết đọc thư viện hằng tuần.",
    "NR2": "Nhiều trường chưa có nhân viên thư viện chuyên trách.",
}

CULTURE_VALUES = {
    "LC01": 12,
    "LC02": 1450,
    "LC03": 9,
    "LC04": 6,
    "VH01": 14,
    "VH02": 2300,
    "VH03": 8700,
    "VH04": 320,
    "VH05": 640,
    "VH06": 8,
    "VH07": 260,
    "NR1": "Thư viện huyện luân chuyển sách đến 9 trường và tổ chức 14 hoạt động khuyến đọc.",
}


def values_for(organisation: Organisation) -> dict:
    return dict(GD_VALUES if organisation.sector == Organisation.Sector.EDUCATION else CULTURE_VALUES)


def filled_report(p, organisation, user, *, submit=False, values=None):
    report = services.report_start(period=p, organisation=organisation, by=user)
    data = {k: str(v) for k, v in (values or values_for(organisation)).items()}
    services.report_save(report=report, version=report.version, values=data, by=user)
    report.refresh_from_db()
    if submit:
        report = services.report_submit(report=report, by=user)
    return report
