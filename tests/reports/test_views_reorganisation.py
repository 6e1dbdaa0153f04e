"""Reports across the 2025 reorganisation: history kept, communes reporting after it,
scoping by date, comparison by former district territory, documents in the names then in force."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from directory.models import Organisation, User
from reports import access, selectors, services
from reports.models import Report, ReportValue
from tests.conftest import org
from tests.factories import UserFactory

from .factories import CULTURE_VALUES, GD_VALUES, filled_report, period

pytestmark = pytest.mark.django_db
COMMUNE = {**GD_VALUES, **CULTURE_VALUES}  # a commune's office reports for both sectors


def _submitted(p, codes, values=None):
    reports = []
    for code in codes:
        office = org(code)
        reports.append(filled_report(p, office, UserFactory(organisation=office), submit=True, values=values))
    return reports


def _reorganise():
    call_command("reorganise", "phutho-2025", "--apply")


def _xlsx_cells(client, p) -> dict:
    response = client.get(reverse("reports:consolidation-xlsx", args=[p.pk]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def _tables(response) -> list[str]:
    return re.findall(r"<table.*?</table>", response.content.decode(), flags=re.S)


def _consolidation(p):
    data = selectors.consolidate([p, *selectors.related_periods(p)])
    return data.totals, data.by_district, [d.pk for d in data.districts], data.reporting


def test_2024_reports_and_their_consolidation_are_identical_after_apply(client, vanphong):
    h1 = period(2024, "H1")
    reports = _submitted(h1, ["GDDT-157", "VHTT-157", "GDDT-156", "TTVH-148"])
    client.force_login(vanphong)
    before_rows = list(Report.objects.order_by("pk").values("pk", "organisation_id", "period_id", "status"))
    before_values = list(ReportValue.objects.order_by("pk").values_list("pk", "report_id", "number", "text"))
    before_history = Report.history.count()
    before_data, before_cells = _consolidation(h1), _xlsx_cells(client, h1)
    page_before = _tables(client.get(reverse("reports:period-consolidation", args=[h1.pk])))

    _reorganise()

    assert list(Report.objects.order_by("pk").values("pk", "organisation_id", "period_id", "status")) == before_rows
    assert list(ReportValue.objects.order_by("pk").values_list("pk", "report_id", "number", "text")) == before_values
    assert Report.history.count() == before_history
    assert reports[0].organisation.code == "GDDT-157"
    assert _consolidation(h1) == before_data
    assert _xlsx_cells(client, h1) == before_cells
    assert "Lạc Sơn" in str(before_cells) and "Mai Châu" in str(before_cells)
    assert _tables(client.get(reverse("reports:period-consolidation", args=[h1.pk]))) == page_before


def test_a_2026_period_is_reported_by_the_communes_and_a_commune_officer_fills_it(client, vhtt_lac_son):
    _reorganise()
    h1 = period(2026, "H1")
    assert h1.required_organisations.count() == 46
    assert set(h1.required_organisations.values_list("kind", flat=True)) == {"culture_social_office"}
    officer = User.objects.get(pk=vhtt_lac_son.pk)
    client.force_login(officer)
    index = client.get(reverse("reports:index")).content.decode()
    assert "6 tháng đầu năm 2026" in index
    response = client.post(reverse("reports:period-start", args=[h1.pk]))
    report = Report.objects.get(period=h1, organisation__code="VHXH-05266")
    assert response.status_code == 302 and response.url == reverse("reports:report-detail", args=[report.pk])
    page = client.get(response.url).content.decode()
    # One commune office does both sectors' work: both sections are in its form.
    assert 'name="v_GD08"' in page and 'name="v_VH01"' in page
    values = {f"v_{k}": str(v) for k, v in {**GD_VALUES, **CULTURE_VALUES}.items()}
    saved = client.post(reverse("reports:report-save", args=[report.pk]), {"version": report.version, **values})
    assert saved.status_code == 302
    report.refresh_from_db()
    client.post(reverse("reports:report-submit", args=[report.pk]), {"version": report.version})
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    assert report.values.get(indicator__code="GD08").number == 5200
    assert report.values.get(indicator__code="VH01").number == 14
    status = selectors.completeness(h1)
    assert status.total.expected == 46 and status.total.submitted == 1
    assert any(t.label == "Xã Lạc Sơn" and t.submitted == 1 for t in status.by_district)


def test_a_lac_son_commune_officer_reads_the_former_district_history_but_not_mai_chau(
    client, vhtt_lac_son, gddt_mai_chau
):
    h1_2024 = period(2024, "H1")
    lac_son_2024 = filled_report(h1_2024, vhtt_lac_son.organisation, vhtt_lac_son, submit=True)
    _reorganise()
    h1 = period(2026, "H1")
    mai_chau = User.objects.get(pk=gddt_mai_chau.pk)
    mai_chau_report = services.report_start(period=h1, organisation=mai_chau.organisation, by=mai_chau)
    officer = User.objects.get(pk=vhtt_lac_son.pk)
    assert officer.organisation.commune.name == "Lạc Sơn"
    client.force_login(officer)

    assert client.get(reverse("reports:report-detail", args=[mai_chau_report.pk])).status_code == 404
    page = client.get(reverse("reports:report-detail", args=[lac_son_2024.pk]))
    assert page.status_code == 200
    assert 'data-testid="history-note"' in page.content.decode()
    assert 'name="v_VH01"' not in page.content.decode()  # no entry form
    assert client.post(reverse("reports:report-save", args=[lac_son_2024.pk]), {"version": 1}).status_code == 403
    index = client.get(reverse("reports:index")).content.decode()
    assert 'data-testid="history-list"' in index and "Phòng Văn hóa và Thông tin huyện Lạc Sơn" in index
    # Mai Châu's own history stays out of a Lạc Sơn commune's sight, and nothing was reassigned.
    assert set(selectors.reports_for_user(officer).values_list("organisation__code", flat=True)) == {"VHTT-157"}
    lac_son_2024.refresh_from_db()
    assert lac_son_2024.organisation.code == "VHTT-157"


def test_2024_h2_and_2026_h1_side_by_side_by_former_district(client, vanphong):
    h2_2024 = period(2024, "H2")
    _submitted(h2_2024, ["GDDT-157", "GDDT-156"])
    _reorganise()
    h1 = period(2026, "H1")
    # Two Lạc Sơn communes and one Mai Châu commune report in 2026 H1.
    _submitted(h1, ["VHXH-05266", "VHXH-05287"], values={**COMMUNE, "GD08": 3000})
    _submitted(h1, ["VHXH-05206"], values={**COMMUNE, "GD08": 1000})

    by_unit = selectors.consolidate([h1])
    assert {d.name for d in by_unit.districts} >= {"Lạc Sơn", "Mường Vang", "Tân Mai"}
    comparison = selectors.territory_comparison(h2_2024, h1, code="GD08")
    rows = {r["district"].code: (r["first"], r["second"], r["change"]) for r in comparison.districts}
    assert rows["157"] == (5200, 6000, 15.4)
    assert rows["156"] == (5200, 1000, -80.8)
    total = next(r for r in comparison.rows if r["indicator"].code == "GD08")
    assert (total["first"], total["second"]) == (10400, 7000)

    client.force_login(vanphong)
    url = reverse("reports:period-territory", args=[h1.pk])
    page = client.get(url, {"so_sanh": h2_2024.pk, "chi_tieu": "GD08"}).content.decode()
    assert 'data-district="157"' in page and ">6.000<" in page and ">5.200<" in page and "Huyện Lạc Sơn" in page


def test_territory_page_is_for_the_province_only(client, gddt_lac_son):
    p = period(2024, "H2")
    client.force_login(gddt_lac_son)
    assert client.get(reverse("reports:period-territory", args=[p.pk])).status_code == 403
    assert client.post(reverse("reports:period-territory", args=[p.pk])).status_code == 405


def _docx_header(client, p):
    from docx import Document

    response = client.get(reverse("reports:consolidation-docx", args=[p.pk]))
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    return "\n".join(c.text for row in doc.tables[0].rows for c in row.cells), doc


def test_documents_are_issued_in_the_names_in_force_on_their_date(client, vanphong):
    h1_2024 = period(2024, "H1")
    _submitted(h1_2024, ["GDDT-157"])
    _reorganise()
    h1_2026 = period(2026, "H1")
    _submitted(h1_2026, ["VHXH-05266"], values=COMMUNE)
    client.force_login(vanphong)

    header, doc = _docx_header(client, h1_2024)
    assert "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH HÒA BÌNH" in header and "Hòa Bình, ngày" in header
    assert "Phú Thọ" not in header
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "CÁC HUYỆN, THÀNH PHỐ" in body

    header, doc = _docx_header(client, h1_2026)
    assert "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH PHÚ THỌ" in header and "Phú Thọ, ngày" in header
    assert "Hòa Bình" not in header
    assert "CÁC XÃ, PHƯỜNG" in "\n".join(p.text for p in doc.paragraphs)
    assert Organisation.objects.get(code="SGDDT").name == "Sở Giáo dục và Đào tạo tỉnh Phú Thọ"


def test_a_commune_report_counts_for_both_sectors_and_either_focal_unit_reviews_it(client, thuvien, vanphong):
    _reorganise()
    h1 = period(2026, "H1")
    (report,) = _submitted(h1, ["VHXH-05266"], values=COMMUNE)
    half = filled_report(h1, org("VHXH-05287"), UserFactory(organisation=org("VHXH-05287")), values=CULTURE_VALUES)
    assert half.status == Report.Status.DRAFT
    education = selectors.consolidate([h1], sector="education")
    assert education.totals[(h1.pk, "GD08")] == 5200
    assert selectors.consolidate([h1], sector="culture").totals[(h1.pk, "VH01")] == 14
    assert list(selectors.reports_awaiting_review(vanphong)) == [report]
    assert list(selectors.reports_awaiting_review(thuvien)) == [report]
    assert access.can_review(vanphong, report) and access.can_review(thuvien, report)
    status = selectors.completeness(h1, sector="education")
    assert status.total.expected == 46 and status.total.complete == 1
    services.report_accept(report=report, by=vanphong)
    report.refresh_from_db()
    assert report.status == Report.Status.ACCEPTED
