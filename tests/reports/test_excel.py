import io
import os
import shutil
import subprocess
import tempfile
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from reports import excel
from reports.models import ReportValue
from tests.conftest import org

from .factories import GD_VALUES, period

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(gddt_lac_son):
    from reports import services

    return services.report_start(period=period(2026, "H1"), organisation=org("GDDT-157"), by=gddt_lac_son)


def _download(client, report) -> bytes:
    response = client.get(reverse("reports:report-template", args=[report.pk]))
    assert response.status_code == 200
    return response.content


def _fill(data: bytes, values: dict, **cells) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ws = wb[excel.SHEET]
    for row in ws.iter_rows(min_row=excel.FIRST_ROW):
        code = row[0].value
        if code in values:
            ws[f"D{row[0].row}"] = values[code]
    for ref, value in cells.items():
        ws[ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(client, report, data: bytes, name="bao-cao.xlsx"):
    return client.post(reverse("reports:report-upload", args=[report.pk]), {"file": SimpleUploadedFile(name, data)})


def _snapshot(report):
    return sorted(ReportValue.objects.filter(report=report).values_list("indicator__code", "number", "text"))


def test_template_has_locked_labels_validation_and_instructions(client, gddt_lac_son, report):
    client.force_login(gddt_lac_son)
    wb = load_workbook(io.BytesIO(_download(client, report)))
    ws = wb[excel.SHEET]
    assert wb.sheetnames == [excel.SHEET, "Hướng dẫn"]
    assert ws["C3"].value == "GDDT-157" and ws["C4"].value == "2026-H1"
    assert ws.protection.sheet is True
    row = next(r[0].row for r in ws.iter_rows(min_row=excel.FIRST_ROW) if r[0].value == "GD02")
    assert ws[f"B{row}"].protection.locked is True and ws[f"D{row}"].protection.locked is False
    assert any(f"D{row}" in str(dv.sqref) and dv.type == "whole" for dv in ws.data_validations.dataValidation)


def test_filled_template_lands_exactly(client, gddt_lac_son, report):
    client.force_login(gddt_lac_son)
    response = _upload(client, report, _fill(_download(client, report), GD_VALUES))
    assert response.status_code == 302
    values = {v.indicator.code: (v.text or v.number) for v in report.values.select_related("indicator")}
    for code, expected in GD_VALUES.items():
        assert values[code] == expected
    report.refresh_from_db()
    assert report.events.filter(action="imported").exists()


@pytest.mark.skipif(
    not (shutil.which("soffice") or shutil.which("libreoffice")),
    reason="LibreOffice is not installed (CI installs libreoffice-calc-nogui)",
)
def test_a_file_saved_by_libreoffice_lands(client, gddt_lac_son, report):
    client.force_login(gddt_lac_son)
    filled = _fill(_download(client, report), GD_VALUES)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "in", "bao-cao.xlsx")
        os.makedirs(os.path.dirname(src))
        with open(src, "wb") as fh:
            fh.write(filled)
        out = os.path.join(tmp, "out")
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                "xlsx",
                "--outdir",
                out,
                src,
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        with open(os.path.join(out, "bao-cao.xlsx"), "rb") as fh:
            converted = fh.read()
    assert converted != filled
    response = _upload(client, report, converted)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert report.values.get(indicator__code="GD08").number == 5200
    assert report.values.get(indicator__code="NR1").text == GD_VALUES["NR1"]


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", "0" * (60 * 1024 * 1024))
    return buf.getvalue()


def _macro(template: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(template))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            z.writestr(item, src.read(item.filename))
        z.writestr("xl/vbaProject.bin", b"\x00" * 512)
    return buf.getvalue()


def _huge() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = excel.SHEET
    ws["A1"] = "x"
    ws["A30000"] = "y"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


HOSTILE = {
    "not_a_zip": (lambda t: b"This is not a spreadsheet at all", "bao-cao.xlsx", "không phải là tệp Excel"),
    "zip_bomb": (lambda t: _zip_bomb(), "bao-cao.xlsx", "giải nén bất thường"),
    "huge_sheet": (lambda t: _huge(), "bao-cao.xlsx", "quá lớn"),
    "formula": (lambda t: _fill(t, {**GD_VALUES, "GD02": "=GD01-2"}), "bao-cao.xlsx", "công thức"),
    "macro_extension": (lambda t: t, "bao-cao.xlsm", "macro"),
    "vba_project": (lambda t: _macro(t), "bao-cao.xlsx", "macro"),
    "wrong_organisation": (lambda t: _fill(t, GD_VALUES, C3="GDDT-156"), "bao-cao.xlsx", "GDDT-156"),
    "wrong_period": (lambda t: _fill(t, GD_VALUES, C4="2025-H2"), "bao-cao.xlsx", "2025-H2"),
    "text_in_number": (lambda t: _fill(t, {**GD_VALUES, "GD04": "mười hai"}), "bao-cao.xlsx", "không phải là số"),
    "negative": (lambda t: _fill(t, {**GD_VALUES, "GD05": -3}), "bao-cao.xlsx", "số âm"),
    "out_of_bounds": (lambda t: _fill(t, {**GD_VALUES, "GD08": 5_000_000}), "bao-cao.xlsx", "trong khoảng"),
    "fraction": (lambda t: _fill(t, {**GD_VALUES, "GD09": 12.5}), "bao-cao.xlsx", "số nguyên"),
    "rule_broken": (lambda t: _fill(t, {**GD_VALUES, "GD03": 29}), "bao-cao.xlsx", "GD03"),
    "csv": (lambda t: b"GD01,30\n", "bao-cao.csv", ".xlsx"),
    "not_our_template": (lambda t: _fill_other(), "bao-cao.xlsx", "không phải mẫu báo cáo"),
}


def _fill_other() -> bytes:
    wb = Workbook()
    wb.active["A1"] = "Danh sách học sinh"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_or_wrong_files_are_refused_clearly_and_change_nothing(client, gddt_lac_son, report, case):
    client.force_login(gddt_lac_son)
    template = _download(client, report)
    before, version = _snapshot(report), report.version
    build, name, expected = HOSTILE[case]
    response = _upload(client, report, build(template), name=name)
    text = response.content.decode() if response.status_code == 400 else ""
    if response.status_code == 302:
        text = " ".join(str(m) for m in response.wsgi_request._messages)
    assert expected in text
    assert _snapshot(report) == before
    report.refresh_from_db()
    assert report.version == version


def test_errors_are_listed_with_cell_references(client, gddt_lac_son, report):
    client.force_login(gddt_lac_son)
    template = _download(client, report)
    response = _upload(client, report, _fill(template, {**GD_VALUES, "GD04": "abc", "GD05": -1}))
    assert response.status_code == 400
    wb = load_workbook(io.BytesIO(template))
    rows = {r[0].value: r[0].row for r in wb[excel.SHEET].iter_rows(min_row=excel.FIRST_ROW)}
    body = response.content.decode()
    assert f"D{rows['GD04']}" in body and f"D{rows['GD05']}" in body
