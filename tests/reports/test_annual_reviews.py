"""A year's and a programme's consolidation: flows summed over the periods, stocks taken from
the latest period (the indicator's aggregation type); the page, the .xlsx and the review
report (.docx, opened with python-docx)."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from reports import selectors
from reports.models import Indicator
from tests.conftest import org
from tests.factories import UserFactory
from tests.programs.factories import ActivityFactory, MeetingFactory, PlanFactory, programme_2019

from .factories import GD_VALUES, filled_report, period

pytestmark = pytest.mark.django_db


def _submitted(p, code, **changes):
    office = org(code)
    filled_report(p, office, UserFactory(organisation=office), submit=True, values={**GD_VALUES, **changes})


@pytest.fixture
def year_2019():
    h1, h2 = period(2019, "H1"), period(2019, "H2")
    # Two district education offices; H2 has one more school in Lạc Sơn and more readers.
    _submitted(h1, "GDDT-157", GD01=30, GD08=5200, GD07=100)
    _submitted(h1, "GDDT-156", GD01=29, GD08=3000, GD07=90)
    _submitted(h2, "GDDT-157", GD01=31, GD08=6000, GD07=80)
    _submitted(h2, "GDDT-156", GD01=29, GD08=2500, GD07=120)
    return h1, h2


def _row(figures, code):
    return next(r for r in figures.rows if r.indicator.code == code)


def test_catalogue_defaults_make_gd01_to_gd05_stocks():
    p = period(2024, "H1")
    kinds = dict(p.indicators.values_list("code", "aggregation"))
    assert {kinds[c] for c in ["GD01", "GD02", "GD03", "GD04", "GD05"]} == {"last"}
    assert kinds["GD08"] == kinds["VH03"] == kinds["LC02"] == "sum"


def test_a_stock_is_not_summed_over_the_year_and_a_flow_is(year_2019):
    figures = selectors.span_consolidation(list(year_2019), title="năm 2019")
    schools = _row(figures, "GD01")
    assert schools.by_period == [59, 60]
    assert schools.total == 60, "the number of schools is the latest period's, not 119"
    readers = _row(figures, "GD08")
    assert readers.total == 5200 + 3000 + 6000 + 2500
    lac_son = [d.pk for d in figures.districts].index(org("GDDT-157").district_id)
    assert schools.by_district[lac_son] == 31 and readers.by_district[lac_son] == 11200


def test_maximum_aggregation(year_2019):
    Indicator.objects.filter(code="GD07").update(aggregation=Indicator.Aggregation.MAX)
    figures = selectors.span_consolidation(list(year_2019), title="năm 2019")
    assert _row(figures, "GD07").by_period == [190, 200]
    assert _row(figures, "GD07").total == 200


def test_a_district_missing_in_the_last_period_counts_with_its_latest_stock():
    h1, h2 = period(2019, "H1"), period(2019, "H2")
    _submitted(h1, "GDDT-157", GD01=30)
    _submitted(h1, "GDDT-156", GD01=29)
    _submitted(h2, "GDDT-157", GD01=31)  # Mai Châu did not report in H2
    assert _row(selectors.span_consolidation([h1, h2], title="2019"), "GD01").total == 31 + 29


def test_programme_spans_every_period_of_its_years(year_2019, vanphong, client):
    programme = programme_2019()
    h1_2020 = period(2020, "H1")
    _submitted(h1_2020, "GDDT-157", GD01=33, GD08=1000)
    client.force_login(vanphong)
    page = client.get(reverse("reports:programme-review", args=[programme.pk])).content.decode()
    assert "Cả giai đoạn" in page
    figures = selectors.span_consolidation(selectors.programme_periods(programme), title="2019-2020")
    assert len(figures.periods) == 3
    assert _row(figures, "GD01").total == 33 + 29  # Lạc Sơn's 2020 figure, Mai Châu's from 2019 H2
    assert _row(figures, "GD08").total == 16700 + 1000


def test_year_page_and_access(client, year_2019, vanphong, gddt_lac_son, django_assert_max_num_queries):
    url = reverse("reports:year-review", args=[2019])
    client.force_login(gddt_lac_son)
    assert client.get(url).status_code == 403
    client.force_login(vanphong)
    with django_assert_max_num_queries(25):
        page = client.get(url).content.decode()
    assert "Lấy số kỳ gần nhất" in page and "Cả năm" in page
    assert client.post(url).status_code == 405


def test_year_workbook(client, year_2019, vanphong):
    client.force_login(vanphong)
    response = client.get(reverse("reports:year-review-xlsx", args=[2019]))
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = {r[0]: r for r in wb["Tổng hợp"].iter_rows(min_row=3, values_only=True)}
    assert rows["GD01"][-3:] == (59, 60, 60)
    assert rows["GD08"][-1] == 16700
    assert rows["GD01"][3] == "Lấy số kỳ gần nhất"


def test_review_docx_holds_the_figures_activities_and_meetings(client, year_2019, vanphong):
    plan = PlanFactory(programme=programme_2019(), year=2019, status="in_force", created_by=vanphong)
    ActivityFactory(plan=plan, title="Hội thi Đại sứ văn hóa đọc cấp tỉnh")
    MeetingFactory(
        programme=plan.programme,
        kind="preliminary_review",
        title="Hội nghị sơ kết năm 2019",
        created_by=vanphong,
        starts_at=timezone.make_aware(datetime.datetime(2019, 12, 20, 8)),
    )
    client.force_login(vanphong)
    response = client.get(reverse("reports:year-review-docx", args=[2019]))
    assert response["Content-Disposition"].endswith('bao-cao-so-ket-2019-education.docx"')
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in doc.tables[0].cell(0, 1).text
    assert "VĂN PHÒNG SỞ" in doc.tables[0].cell(0, 0).text
    assert "Sơ kết năm 2019 thực hiện Chương trình phối hợp" in text
    assert "Hội nghị sơ kết năm 2019" in text
    figures = doc.tables[1]
    assert [c.text for c in figures.rows[0].cells][-3:] == ["6 tháng đầu năm 2019", "6 tháng cuối năm 2019", "Cả năm"]
    schools = next(r for r in figures.rows if r.cells[1].text == "Tổng số trường học trên địa bàn")
    assert [c.text for c in schools.cells][-3:] == ["59", "60", "60"]
    readers = next(r for r in figures.rows if r.cells[1].text.startswith("Số lượt học sinh tham gia hoạt động đọc"))
    assert readers.cells[-1].text == "16.700"
    activities = doc.tables[2]
    assert any("Hội thi Đại sứ văn hóa đọc" in r.cells[1].text for r in activities.rows)
