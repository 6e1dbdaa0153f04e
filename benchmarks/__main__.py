"""`make bench`: time consolidating and exporting the 6-monthly reports.

Builds a throwaway SQLite database in a temporary directory (never the portal's), with a
province of 11 districts and one scaled to 700 districts, three offices each, twenty
half-year periods (ten years) of accepted reports, and prints for one period and for ten
years of periods: the time of `reports.selectors.consolidate`, of the streamed .xlsx export
(`reports.exports.consolidation_workbook`), and of openpyxl alone writing the same cells.
"""

import os
import random
import sys
import tempfile
import time

TMP = tempfile.mkdtemp(prefix="hb-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"
os.environ["PORTAL_VAR_DIR"] = TMP
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoabinh_library.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def build_province(n_districts: int, years: int = 10):
    from directory.models import AdministrativeUnit, Organisation
    from reports import services
    from reports.models import Report, ReportingPeriod, ReportValue

    ReportValue.objects.all()._raw_delete(ReportValue.objects.db)
    Report.objects.all()._raw_delete(Report.objects.db)
    ReportingPeriod.objects.all().delete()
    Organisation.objects.filter(code__startswith="B-").delete()
    AdministrativeUnit.objects.filter(code__startswith="B").delete()
    province = AdministrativeUnit.objects.filter(level="province").first()
    units = AdministrativeUnit.objects.bulk_create(
        AdministrativeUnit(
            code=f"B{i:04d}",
            name=f"Huyện {i}",
            name_with_type=f"Huyện {i}",
            type_label="Huyện",
            level="district",
            parent=province,
        )
        for i in range(n_districts)
    )
    orgs = Organisation.objects.bulk_create(
        Organisation(
            code=f"B-{prefix}-{u.code}",
            name=f"{label} {u.name}",
            kind=kind,
            sector=Organisation.sector_for_kind(kind),
            district=u,
        )
        for u in units
        for prefix, label, kind in (
            ("VHTT", "Phòng VH&TT", "culture_office"),
            ("TTVH", "Trung tâm VH-TT&TT", "culture_centre"),
            ("GDDT", "Phòng GD&ĐT", "education_office"),
        )
    )
    now = timezone.now()
    rng = random.Random(n_districts)
    periods = []
    this_year = timezone.localdate().year
    for year in range(this_year - years + 1, this_year + 1):
        for half in ("H1", "H2"):
            values = ReportingPeriod.default_dates(year, half)
            period = ReportingPeriod.objects.create(year=year, half=half, **values)
            services.catalogue_ensure(period=period)
            period.required_organisations.set(orgs)
            indicators = list(period.indicators.select_related("section"))
            reports = Report.objects.bulk_create(
                Report(period=period, organisation=o, status="accepted", submitted_at=now, is_late=rng.random() < 0.1)
                for o in orgs
            )
            rows = []
            for report, org in zip(reports, orgs, strict=True):
                for ind in indicators:
                    if ind.section.sector not in ("", org.sector):
                        continue
                    if ind.is_narrative:
                        rows.append(
                            ReportValue(
                                report=report, indicator=ind, text="=Kết quả " + org.name if ind.code == "NR1" else ""
                            )
                        )
                    else:
                        rows.append(ReportValue(report=report, indicator=ind, number=rng.randint(0, 5000)))
            ReportValue.objects.bulk_create(rows, batch_size=5000)
            periods.append(period)
    return periods[-1]


def openpyxl_alone(n_rows: int, n_cols: int) -> float:
    from openpyxl import Workbook

    def write():
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("x")
        for r in range(n_rows):
            ws.append([r * n_cols + c for c in range(n_cols)])
        with tempfile.TemporaryFile() as fh:
            wb.save(fh)

    return timed(write)[0]


def main() -> int:
    from reports import exports, selectors

    print(f"Throwaway database: {TMP}/bench.sqlite3")
    call_command("migrate", verbosity=0)
    for n in (11, 700):
        with transaction.atomic():
            t_build, period = timed(lambda n=n: build_province(n))
        print(f"\n== Province of {n} districts ({3 * n} reporting offices, 20 periods), built in {t_build:.1f}s ==")
        for label, years in (("one period", 1), ("ten years of periods", 10)):
            periods = selectors.series_periods(period, years=years)
            t_cons, data = timed(lambda periods=periods: selectors.consolidate(periods))
            t_export, handle = timed(
                lambda years=years, period=period: exports.consolidation_workbook(period, years=years)
            )
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.close()
            n_codes = len(data.indicators)
            cells = len(periods) * (len(data.districts) + 1) * (n_codes + 2) + 3 * n * 4
            t_raw = openpyxl_alone(len(periods) * (len(data.districts) + 1) + 3 * n, n_codes + 2)
            print(
                f"  {label:22s} consolidate {t_cons * 1000:8.1f} ms | export .xlsx {t_export * 1000:8.1f} ms "
                f"({size / 1024:.0f} KiB) | openpyxl alone, same ~{cells} cells {t_raw * 1000:8.1f} ms"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
