import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from directory.models import Organisation
from reports import selectors
from tests.conftest import org
from tests.factories import UserFactory

from .factories import filled_report, period

pytestmark = pytest.mark.django_db


def _submitted(p, codes, values=None):
    for code in codes:
        office = org(code)
        filled_report(p, office, UserFactory(organisation=office), submit=True, values=values)


def test_province_totals_and_comparison_periods(vanphong):
    h2 = period(2025, "H2")
    h1 = period(2026, "H1")
    _submitted(h1, ["GDDT-157", "GDDT-156"])
    _submitted(h2, ["GDDT-157"])
    previous, last_year = selectors.related_periods(h1)
    assert previous == h2 and last_year is None
    data = selectors.consolidate([h1, previous, last_year])
    assert data.totals[(h1.pk, "GD08")] == 2 * 5200 and data.totals[(h2.pk, "GD08")] == 5200
    lac_son = org("GDDT-157").district_id
    assert data.by_district[(h1.pk, lac_son, "GD08")] == 5200


@pytest.mark.parametrize("name", ["period-consolidation", "consolidation-xlsx"])
def test_consolidation_page_and_export_run_bounded_queries(client, vanphong, name, django_assert_max_num_queries):
    client.force_login(vanphong)
    counts = []
    for size, year in ((1, 2024), (6, 2026)):
        for y in range(year - 1, year + 1):
            for half in ("H1", "H2"):
                p = period(y, half)
                _submitted(p, [f"GDDT-{c}" for c in ("157", "156", "155", "154", "153", "152")[:size]])
        target = period(year, "H1")
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse(f"reports:{name}", args=[target.pk]) + "?nam=10")
            b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(20):
        client.get(reverse(f"reports:{name}", args=[target.pk]))


def test_export_neutralises_formula_injection(client, vanphong):
    p = period(2026, "H1")
    office = org("GDDT-157")
    values = {
        **{f"GD0{i}": 1 for i in range(1, 10)},
        "GD10": 1,
        "GD11": 1,
        "NR1": "+cmd|' /C calc'!A0 – bấm vào đây",
    }
    filled_report(p, office, UserFactory(organisation=office), submit=True, values=values)
    client.force_login(vanphong)
    response = client.get(reverse("reports:consolidation-xlsx", args=[p.pk]))
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    texts = [c for row in wb["Thuyết minh"].iter_rows(values_only=True) for c in row if c]
    assert any(t.startswith("'+cmd") for t in texts)
    totals = {row[0]: row[3] for row in wb["Tổng hợp tỉnh"].iter_rows(min_row=3, values_only=True)}
    assert totals["GD08"] == 1


def test_consolidated_report_docx_is_a_vietnamese_administrative_document(client, vanphong):
    from docx import Document

    p = period(2026, "H1")
    _submitted(p, ["GDDT-157"])
    client.force_login(vanphong)
    response = client.get(reverse("reports:consolidation-docx", args=[p.pk]))
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    header = "\n".join(c.text for row in doc.tables[0].rows for c in row.cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header and "Độc lập - Tự do - Hạnh phúc" in header
    assert "Hòa Bình, ngày" in header and "Số:" in header and "VĂN PHÒNG SỞ" in header
    assert doc.styles["Normal"].font.name == "Times New Roman"
    footer = "\n".join(c.text for c in doc.tables[-1].rows[0].cells)
    assert "Nơi nhận:" in footer
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Phòng Giáo dục và Đào tạo huyện Lạc Sơn" in body
    assert any("5.200" in c.text for row in doc.tables[1].rows for c in row.cells)
    # Fixed column widths: the motto column is wide enough for the motto on one line, the
    # indicator label column is the widest of the results table.
    motto, unit = doc.tables[0].columns[1].width, doc.tables[0].columns[0].width
    assert motto > unit
    assert max(c.width for c in doc.tables[1].columns) == doc.tables[1].columns[1].width
    assert re.search(r"Tỷ lệ báo cáo đầy đủ \d+,\d%", body)  # Vietnamese decimal comma


def test_consolidation_page_says_the_period_is_still_being_filled_and_groups_thousands(client, vanphong):
    from django.utils import timezone

    today = timezone.localdate()
    p = period(today.year, "H1" if today.month <= 6 else "H2")
    p.required_organisations.set([org("GDDT-157"), org("GDDT-156")])
    _submitted(p, ["GDDT-157"])
    client.force_login(vanphong)
    page = client.get(reverse("reports:period-consolidation", args=[p.pk])).content.decode()
    assert "mới có 1/2 đơn vị nộp" in page
    assert ">5.200<" in page


def test_sector_filter_keeps_only_that_side():
    p = period(2026, "H1")
    _submitted(p, ["GDDT-157", "VHTT-157"])
    data = selectors.consolidate([p], sector=Organisation.Sector.CULTURE)
    assert {i.code[:2] for i in data.indicators} == {"LC", "VH"}
    assert (p.pk, "GD08") not in data.totals
