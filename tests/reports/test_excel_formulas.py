"""Every cell the portal writes goes through one neutralising helper: names, section titles and
indicator labels typed as formulas come out as text in the district template, and the template
still reads back what the district typed."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.spreadsheets import FORMULA_STARTS, neutralise, unneutralise
from reports import excel
from reports.models import Indicator, Section
from tests.conftest import org

from .factories import period

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '=HYPERLINK("http://evil.example","Bấm")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "＝1+1",
    "\t=1",
    "=cmd|'/c calc'!A0",
]


def _all_cells(data: bytes):
    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def test_the_helper_round_trips():
    for payload in PAYLOADS:
        assert neutralise(payload)[:1] == "'" and unneutralise(neutralise(payload)) == payload
    assert neutralise("Thư viện") == "Thư viện" and neutralise(12) == 12


def test_the_district_template_writes_no_formula(client, gddt_lac_son):
    from reports import services

    p = period(2026, "H1")
    office = org("GDDT-157")
    office.name = PAYLOADS[0]
    office.save()
    indicator = Indicator.objects.get(pk=excel.indicators_for(p, office)[0].pk)
    section = Section.objects.get(pk=indicator.section_id)
    section.title = PAYLOADS[3]
    section.save()
    indicator.label, indicator.unit, indicator.help_text = PAYLOADS[1], PAYLOADS[2], PAYLOADS[4]
    indicator.save()
    report = services.report_start(period=p, organisation=office, by=gddt_lac_son)
    client.force_login(gddt_lac_son)
    data = client.get(reverse("reports:report-template", args=[report.pk])).content
    cells = list(_all_cells(data))
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert all(c.data_type != "f" for c in cells)
    assert not [t for t in texts if t[:1] in FORMULA_STARTS]
    for payload in (PAYLOADS[0], PAYLOADS[1], PAYLOADS[3]):
        assert "'" + payload in texts
    wb = load_workbook(io.BytesIO(data))
    assert wb[excel.SHEET]["A2"].value == "'" + PAYLOADS[0]
