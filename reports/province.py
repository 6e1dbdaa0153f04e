"""What the province-wide reports pages show, built from the selectors: the views pass it on."""

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import versioned
from core.navigation import PANEL_TIMEOUT
from directory.models import AdministrativeUnit, Organisation

from . import selectors
from .exports import change


def consolidation_page(period, *, sector: str = "", page=None) -> dict:
    """`_consolidation_page`, kept until the data changes (core.versioned.DATA): the same
    for everyone who may see the province's figures, in the language and day asked."""
    key = f"consolidation-page:{period.pk}:{sector}:{page}:{get_language()}:{timezone.localdate():%Y%m%d}"
    return versioned.cached(
        versioned.DATA,
        key,
        lambda: _consolidation_page(period, sector=sector, page=page),
        timeout=PANEL_TIMEOUT,
    )


def _consolidation_page(period, *, sector: str = "", page=None) -> dict:
    """The consolidation page of `period`: the province totals beside the previous period
    and the same period last year (cached, `selectors.consolidation_overview`), and the
    breakdown of one page of units (selectors.UNITS_PER_PAGE) for the table and the chart.
    A fixed number of queries whatever the number of units."""
    previous, last_year = selectors.related_periods(period)
    overview = selectors.consolidation_overview([period, previous, last_year], sector=sector or None)
    indicators = period.indicators.filter(is_narrative=False, is_active=True).select_related("section")
    if sector:
        indicators = indicators.filter(section__sector=sector)
    indicators = list(indicators.order_by("section__order", "order", "code"))
    units = Paginator(overview.unit_ids, selectors.UNITS_PER_PAGE).get_page(page)
    found = AdministrativeUnit.objects.in_bulk(list(units))
    districts = [found[pk] for pk in units if pk in found]
    by_unit = selectors.unit_breakdown(period, districts, sector=sector or None)
    totals = overview.totals
    rows = []
    for indicator in indicators:
        current = totals.get((period.pk, indicator.code))
        prev = totals.get((previous.pk, indicator.code)) if previous else None
        last = totals.get((last_year.pk, indicator.code)) if last_year else None
        rows.append(
            {
                "indicator": indicator,
                "current": current,
                "previous": prev,
                "last_year": last,
                "change_prev": change(current, prev),
                "change_last": change(current, last),
                "districts": [by_unit.get((d.pk, indicator.code)) for d in districts],
            }
        )
    chart = {
        "labels": [r["indicator"].code for r in rows],
        "names": {r["indicator"].code: r["indicator"].label for r in rows},
        "current": [r["current"] or 0 for r in rows],
        "previous": [r["previous"] or 0 for r in rows],
        "last_year": [r["last_year"] or 0 for r in rows],
        "series": [str(period), str(previous) if previous else "", str(last_year) if last_year else ""],
        "units": {r["indicator"].code: r["indicator"].unit for r in rows},
        "totals_axis": _("Giá trị (thang logarit)"),
        "districts_axis": _("Số lượng"),
        "districts": [d.name for d in districts],
        "by_district": {r["indicator"].code: [v or 0 for v in r["districts"]] for r in rows},
    }
    required = period.required_organisations.all()
    expected = (required.filter(sector=sector) if sector else required).count()
    reporting = overview.reporting
    return {
        "period": period,
        "previous": previous,
        "last_year": last_year,
        "rows": rows,
        "districts": districts,
        "page": units,
        "chart": chart,
        "sector": sector,
        "sectors": Organisation.Sector.choices,
        "reporting": reporting.get(period.pk, 0),
        "reporting_previous": reporting.get(previous.pk, 0) if previous else None,
        "reporting_last_year": reporting.get(last_year.pk, 0) if last_year else None,
        "expected": expected,
        "in_progress": reporting.get(period.pk, 0) < expected and timezone.localdate() <= period.lock_date,
    }
