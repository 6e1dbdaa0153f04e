import datetime

import pytest
import time_machine
from django.urls import reverse

from reports import selectors, services
from tests.conftest import org

from .factories import filled_report, period

pytestmark = pytest.mark.django_db


def test_completeness_rates_match_a_hand_count(gddt_lac_son, vhtt_lac_son, gddt_mai_chau, vanphong):
    offices = [org("GDDT-157"), org("VHTT-157"), org("GDDT-156"), org("TTVH-156"), org("GDDT-155")]
    p = period(
        2026, "H1", organisations=offices, due_date=datetime.date(2026, 6, 19), lock_date=datetime.date(2099, 1, 1)
    )
    with time_machine.travel(datetime.datetime(2026, 6, 10, tzinfo=datetime.UTC)):
        filled_report(p, offices[0], gddt_lac_son, submit=True)  # on time
        empty = services.report_start(period=p, organisation=offices[1], by=vhtt_lac_son)  # draft only
    with time_machine.travel(datetime.datetime(2026, 6, 25, tzinfo=datetime.UTC)):
        late = filled_report(p, offices[2], gddt_mai_chau, submit=True)  # late
    services.report_accept(report=late, by=vanphong)
    assert empty.status == "draft"

    data = selectors.completeness(p)
    # 5 must report; 2 submitted (1 on time, 1 late), both complete; 3 missing.
    assert (data.total.expected, data.total.submitted, data.total.on_time, data.total.late) == (5, 2, 1, 1)
    assert data.total.completeness_rate == 40.0 and data.total.timeliness_rate == 20.0 and data.total.missing == 3
    lac_son = next(d for d in data.by_district if d.key.code == "157")
    assert (lac_son.expected, lac_son.submitted, lac_son.completeness_rate) == (2, 1, 50.0)
    education = next(s for s in data.by_sector if s.key == "education")
    assert (education.expected, education.submitted, education.on_time) == (3, 2, 1)


def test_a_submitted_report_with_required_values_removed_does_not_count_as_complete(gddt_lac_son):
    p = period(2026, "H1", organisations=[org("GDDT-157")])
    report = filled_report(p, org("GDDT-157"), gddt_lac_son, submit=True)
    report.values.filter(indicator__code="NR1").update(text="")
    data = selectors.completeness(p)
    assert data.total.submitted == 1 and data.total.complete == 0


def test_completeness_page_runs_bounded_queries(client, vanphong, gddt_lac_son, django_assert_max_num_queries):
    p = period(2026, "H1")
    filled_report(p, org("GDDT-157"), gddt_lac_son, submit=True)
    client.force_login(vanphong)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("reports:period-completeness", args=[p.pk]))
    assert response.status_code == 200 and "tỷ lệ đầy đủ".encode() in response.content
