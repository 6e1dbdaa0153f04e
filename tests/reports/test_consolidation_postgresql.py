"""On PostgreSQL the consolidation has the database hand over each unit's totals as one row
(reports.selectors._unit_figures); elsewhere it folds (period, unit, indicator, total) rows.
Both must give the same figures and the same workbook, cell for cell."""

import pytest
from django.db import connection
from openpyxl import load_workbook

from directory.models import Organisation
from reports import exports, selectors
from tests.conftest import org
from tests.factories import OrganisationFactory, UserFactory

from .factories import CULTURE_VALUES, GD_VALUES, filled_report, period

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-row-per-unit read is PostgreSQL's"),
]


def _scaled(values: dict, factor: int) -> dict:
    return {code: value * factor if isinstance(value, int) else value for code, value in values.items()}


def _submit(p, office, values):
    filled_report(p, office, UserFactory(organisation=office), submit=True, values=values)


@pytest.fixture
def reports():
    """Three periods; in Lạc Sơn two education offices reporting the same indicators (their
    sums are added), the culture office beside them, the provincial library (in no district),
    and a draft that must not count."""
    periods = [period(2025, "H1"), period(2025, "H2"), period(2026, "H1")]
    second = OrganisationFactory(code="GDDT-157-B", name="Phòng GD&ĐT thứ hai")
    draft_office = org("GDDT-156")
    library = Organisation.objects.get(code="TVT")
    for n, p in enumerate(periods, start=1):
        p.required_organisations.add(second, library)
        _submit(p, org("GDDT-157"), _scaled(GD_VALUES, n))
        _submit(p, second, _scaled(GD_VALUES, 10 * n + 1))
        _submit(p, org("VHTT-157"), _scaled(CULTURE_VALUES, n + 2))
        _submit(p, org("GDDT-155"), _scaled(GD_VALUES, 3 * n))
        _submit(p, library, _scaled(CULTURE_VALUES, 7 * n))
        filled_report(p, draft_office, UserFactory(organisation=draft_office), values=_scaled(GD_VALUES, 100))
    return periods


def _portable(monkeypatch):
    monkeypatch.setattr(selectors, "_reads_reports_whole", lambda db: False)


def _figures(data):
    return (
        data.codes,
        [i.code for i in data.indicators],
        [d.pk for d in data.districts],
        data.totals,
        data.reporting,
        data.by_unit,
    )


@pytest.mark.parametrize("sector", [None, Organisation.Sector.EDUCATION, Organisation.Sector.CULTURE])
def test_postgresql_and_portable_consolidations_are_the_same(reports, monkeypatch, sector):
    h1_2026 = reports[-1]
    read = []
    unit_figures = selectors._unit_figures
    monkeypatch.setattr(selectors, "_unit_figures", lambda *a, **kw: read.append(1) or unit_figures(*a, **kw))
    whole = selectors.consolidate(list(reversed(reports)), sector=sector)
    assert read, "the PostgreSQL read was not taken"
    _portable(monkeypatch)
    portable = selectors.consolidate(list(reversed(reports)), sector=sector)
    assert len(read) == 1
    assert _figures(whole) == _figures(portable)
    lac_son = org("GDDT-157").district_id
    if sector != Organisation.Sector.CULTURE:
        # Both Lạc Sơn education offices added up: 3 × 5200 + 31 × 5200.
        assert whole.by_district[(h1_2026.pk, lac_son, "GD08")] == 34 * 5200
        assert whole.totals[(h1_2026.pk, "GD08")] == (34 + 9) * 5200
    if sector != Organisation.Sector.EDUCATION:
        assert whole.by_unit[(h1_2026.pk, None)][whole.codes.index("VH03")] == 21 * 8700  # the library


def _cells(handle) -> list:
    wb = load_workbook(handle, read_only=True)
    sheets = [(ws.title, [list(row) for row in ws.iter_rows(values_only=True)]) for ws in wb.worksheets]
    wb.close()
    return sheets


def test_postgresql_and_portable_workbooks_are_the_same(reports, monkeypatch):
    h1_2026 = reports[-1]
    whole = _cells(exports.consolidation_workbook(h1_2026, years=2))
    _portable(monkeypatch)
    portable = _cells(exports.consolidation_workbook(h1_2026, years=2))
    assert [title for title, _rows in whole] == [title for title, _rows in portable]
    for (title, rows), (_title, expected) in zip(whole, portable, strict=True):
        assert rows == expected, title
    by_district = dict(whole)["Theo huyện"]
    column = by_district[0].index("GD08")
    assert 34 * 5200 in [row[column] for row in by_district[1:] if len(row) > column]  # Lạc Sơn
