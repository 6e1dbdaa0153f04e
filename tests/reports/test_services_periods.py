"""Periods opened in the portal on the Decree 09/2019/NĐ-CP windows, edited and reopened."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from directory.models import Organisation
from reports import services
from reports.models import PeriodReopening, ReportingPeriod
from tests.conftest import org
from tests.reports.factories import period

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize(
    ("year", "half", "start", "end", "days"),
    [
        # H1 starts in the previous year: the window crosses the year boundary.
        (2025, "H1", D(2024, 12, 15), D(2025, 6, 14), 182),
        # 2024 is a leap year: 29/02 falls inside H1, which is one day longer.
        (2024, "H1", D(2023, 12, 15), D(2024, 6, 14), 183),
        (2024, "H2", D(2024, 6, 15), D(2024, 12, 14), 183),
        (2100, "H1", D(2099, 12, 15), D(2100, 6, 14), 182),  # 2100 is not a leap year
    ],
)
def test_decree_windows(year, half, start, end, days):
    first, last = services.decree_window(year, half)
    assert (first, last) == (start, end)
    assert (last - first).days + 1 == days


def test_consecutive_windows_leave_no_gap_across_the_year_boundary():
    _, h2_end = services.decree_window(2023, "H2")
    h1_start, _ = services.decree_window(2024, "H1")
    assert h1_start - h2_end == datetime.timedelta(days=1)


def test_open_copies_the_previous_periods_organisations_and_uses_default_dates(thuvien):
    earlier = period(2025, "H2", organisations=[org("GDDT-157"), org("VHTT-157")])
    opened = services.period_open(year=2026, half="H1", by=thuvien)
    assert set(opened.required_organisations.all()) == set(earlier.required_organisations.all())
    assert (opened.data_start, opened.data_end) == (D(2025, 12, 15), D(2026, 6, 14))
    assert opened.due_date == D(2026, 6, 19) and opened.lock_date == D(2026, 7, 19)
    assert opened.indicators.exists()


def test_open_with_chosen_dates_and_organisations(vanphong):
    chosen = [org("GDDT-157"), org("GDDT-156")]
    opened = services.period_open(
        year=2026, half="H2", due_date=D(2026, 12, 25), lock_date=D(2027, 1, 15), organisations=chosen, by=vanphong
    )
    assert set(opened.required_organisations.all()) == set(chosen)
    assert opened.due_date == D(2026, 12, 25)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"due_date": D(2026, 6, 10)}, "Hạn nộp phải sau ngày cuối"),
        ({"due_date": D(2026, 6, 20), "lock_date": D(2026, 6, 19)}, "khóa sổ không được trước"),
        ({"organisations": []}, "ít nhất một đơn vị"),
        ({"organisations": "TVT"}, "Chỉ các phòng, trung tâm cấp huyện"),
    ],
)
def test_bad_input_opens_nothing(thuvien, kwargs, message):
    if kwargs.get("organisations") == "TVT":
        kwargs["organisations"] = [org("TVT")]
    with pytest.raises(ValidationError, match=message):
        services.period_open(year=2026, half="H1", by=thuvien, **kwargs)
    assert not ReportingPeriod.objects.filter(year=2026, half="H1").exists()


def test_a_period_opens_once_and_only_for_focal_officers(thuvien, gddt_lac_son, giamdoc_vhttdl):
    services.period_open(year=2026, half="H1", by=thuvien)
    with pytest.raises(ValidationError, match="đã được mở"):
        services.period_open(year=2026, half="H1", by=thuvien)
    for user in (gddt_lac_son, giamdoc_vhttdl):
        with pytest.raises(PermissionDenied):
            services.period_open(year=2026, half="H2", by=user)


def test_update_keeps_organisations_that_started_a_report(thuvien, gddt_lac_son):
    p = period(2026, "H1", organisations=[org("GDDT-157"), org("GDDT-156")])
    services.report_start(period=p, organisation=org("GDDT-157"), by=gddt_lac_son)
    with pytest.raises(ValidationError, match="đã lập báo cáo"):
        services.period_update(
            period=p, due_date=p.due_date, lock_date=p.lock_date, organisations=[org("GDDT-156")], by=thuvien
        )
    services.period_update(
        period=p, due_date=p.due_date, lock_date=p.lock_date, organisations=[org("GDDT-157")], by=thuvien
    )
    assert list(p.required_organisations.all()) == [org("GDDT-157")]


def test_reopen_a_locked_period_records_the_reason(thuvien):
    p = period(2025, "H1", lock_date=D(2025, 7, 19))
    today = D(2025, 8, 1)
    with pytest.raises(ValidationError, match="lý do"):
        services.period_reopen(period=p, lock_date=D(2025, 8, 15), reason=" ", by=thuvien, today=today)
    with pytest.raises(ValidationError, match="sau hôm nay"):
        services.period_reopen(period=p, lock_date=D(2025, 7, 30), reason="Lũ", by=thuvien, today=today)
    reopening = services.period_reopen(
        period=p, lock_date=D(2025, 8, 15), reason="Mưa lũ ở Đà Bắc, các xã mất điện.", by=thuvien, today=today
    )
    p.refresh_from_db()
    assert p.lock_date == D(2025, 8, 15)
    assert (reopening.previous_lock_date, reopening.by) == (D(2025, 7, 19), thuvien)
    with pytest.raises(ValidationError, match="chưa khóa sổ"):
        services.period_reopen(period=p, lock_date=D(2025, 9, 1), reason="Lần hai", by=thuvien, today=today)


# --- Views ---------------------------------------------------------------------------------


def test_open_view_prefills_the_next_period_and_opens_it(client, thuvien, gddt_lac_son):
    period(2026, "H1", organisations=[org("GDDT-157")])
    url = reverse("reports:period-open")
    client.force_login(gddt_lac_son)
    assert client.get(url).status_code == 403
    client.force_login(thuvien)
    page = client.get(url).content.decode()
    assert re.search(r'<input[^>]*value="H2"[^>]*checked', page), "the half after the latest period is proposed"
    assert "15/6 đến 14/12" in page
    chosen = Organisation.objects.get(code="GDDT-157").pk
    response = client.post(url, {"year": 2026, "half": "H2", "organisations": [chosen]}, follow=True)
    assert "Đã mở kỳ" in response.content.decode() and "15/06/2026" in response.content.decode()
    assert ReportingPeriod.objects.filter(year=2026, half="H2").exists()


def test_reopen_view(client, thuvien):
    p = period(2020, "H1", lock_date=D(2020, 7, 19))
    url = reverse("reports:period-reopen", args=[p.pk])
    client.force_login(thuvien)
    assert client.get(url).status_code == 405
    future = datetime.date.today() + datetime.timedelta(days=10)
    response = client.post(url, {"lock_date": future.isoformat(), "reason": "Bổ sung số liệu Kỳ Sơn"}, follow=True)
    page = response.content.decode()
    assert "Đã mở lại kỳ báo cáo" in page and "Bổ sung số liệu Kỳ Sơn" in page
    assert PeriodReopening.objects.get().previous_lock_date == D(2020, 7, 19)
