"""One measured job per process, so the peak memory is the job's own:

    python -m benchmarks.tasks JOB OUT.json

Jobs: export_xlsx_one, export_xlsx_all, export_docx_one, consolidate_all, import_report_excel,
import_marc_10000, import_organisations_45000, sweep. Writes {seconds, peak_mb, queries, ...}.
Imports run in a transaction that is rolled back, so every phase sees the same data.
"""

import io
import json
import os
import resource
import statistics
import sys
import tempfile
import time


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class Rollback(Exception):
    pass


def _period():
    from reports import selectors

    return selectors.current_period()


def _same_cells_with_openpyxl(handle) -> tuple[float, int]:
    """Read the workbook produced and time openpyxl's write-only mode writing the same cells."""
    from openpyxl import Workbook, load_workbook

    handle.seek(0)
    source = load_workbook(handle, read_only=True)
    sheets = [(ws.title, [list(row) for row in ws.iter_rows(values_only=True)]) for ws in source.worksheets]
    source.close()
    cells = sum(len(r) for _t, rows in sheets for r in rows)
    start = time.perf_counter()
    wb = Workbook(write_only=True)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    with tempfile.TemporaryFile() as fh:
        wb.save(fh)
    return time.perf_counter() - start, cells


EXPORT_ROUNDS = 3


def export_xlsx(years: int) -> dict:
    """The export and openpyxl alone writing its cells, taking turns EXPORT_ROUNDS times: the
    median of each (a single pair swung by a tenth either way on this shared machine). The
    peak memory is the process's after the first export, before openpyxl holds its cells."""
    from reports import exports

    period = _period()
    times, raw_times, peak = [], [], None
    for _round in range(EXPORT_ROUNDS):
        start = time.perf_counter()
        handle = exports.consolidation_workbook(period, years=years)
        times.append(time.perf_counter() - start)
        peak = peak or peak_mb()
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        raw, cells = _same_cells_with_openpyxl(handle)
        raw_times.append(raw)
    return {
        "seconds": statistics.median(times),
        "openpyxl_seconds": statistics.median(raw_times),
        "runs": [[round(a, 3), round(b, 3)] for a, b in zip(times, raw_times, strict=True)],
        "cells": cells,
        "bytes": size,
        "peak_mb": peak,
    }


def export_docx_one() -> dict:
    from reports import exports

    period = _period()
    start = time.perf_counter()
    data = exports.consolidated_report_docx(period, sector="culture")
    return {"seconds": time.perf_counter() - start, "bytes": len(data), "peak_mb": peak_mb(), "openpyxl_seconds": None}


def consolidate_all() -> dict:
    from reports import selectors

    period = _period()
    start = time.perf_counter()
    data = selectors.consolidate(selectors.series_periods(period, years=10))
    return {"seconds": time.perf_counter() - start, "districts": len(data.districts), "peak_mb": peak_mb()}


def import_report_excel() -> dict:
    from django.db import transaction

    from directory.models import User
    from reports import excel, services
    from reports.models import Report

    user = User.objects.get(username="vhtt.kim-boi")
    report = Report.objects.filter(organisation=user.organisation, status__in=Report.EDITABLE).order_by("-pk").first()
    if report is None:
        report = Report.objects.filter(organisation=user.organisation).order_by("-pk").first()
        Report.objects.filter(pk=report.pk).update(status="draft")
        report.refresh_from_db()
    data = excel.template_workbook(report)
    start = time.perf_counter()
    try:
        with transaction.atomic():
            values, problems, _positions = excel.read_template(report, data, filename="bao-cao.xlsx")
            result = services.report_import(report=report, values=values, by=user)
            seconds = time.perf_counter() - start
            raise Rollback
    except Rollback:
        pass
    return {
        "seconds": seconds,
        "peak_mb": peak_mb(),
        "rows": len(values),
        "problems": len(problems),
        "changed": result.changed,
    }


def _isbn13(first12: str) -> str:
    total = sum(int(d) * (3 if k % 2 else 1) for k, d in enumerate(first12))
    return first12 + str((10 - total % 10) % 10)


def _marc_file(n: int, first: int = 0) -> bytes:
    import pymarc

    out = io.BytesIO()
    writer = pymarc.MARCWriter(out)
    for i in range(first, first + n):
        record = pymarc.Record(force_utf8=True)
        record.add_field(
            pymarc.Field(tag="020", indicators=[" ", " "], subfields=[pymarc.Subfield("a", _isbn13(f"978604{i:06d}"))]),
            pymarc.Field(tag="100", indicators=["1", " "], subfields=[pymarc.Subfield("a", "Tô Hoài")]),
            pymarc.Field(
                tag="245", indicators=["1", "0"], subfields=[pymarc.Subfield("a", f"Dế Mèn phiêu lưu ký tập {i}")]
            ),
            pymarc.Field(
                tag="260",
                indicators=[" ", " "],
                subfields=[pymarc.Subfield("b", "Kim Đồng"), pymarc.Subfield("c", "2019")],
            ),
        )
        writer.write(record)
    return out.getvalue()


def import_marc_10000() -> dict:
    from django.db import transaction

    from circulation import services
    from circulation.models import RotatingCollection
    from directory.models import User

    user = User.objects.get(username="thuvien")
    collection = RotatingCollection.objects.filter(owner=user.organisation, rotations__isnull=True).first()
    if collection is None:
        collection = RotatingCollection.objects.create(owner=user.organisation, code="BENCH-MARC", name="Nhập MARC")
    # A file holds at most circulation.imports.MAX_RECORDS records: 10,000 come in two files.
    files = [_marc_file(5_000, first=k * 5_000) for k in range(2)]
    start = time.perf_counter()
    created = rows = 0
    problems = []
    try:
        with transaction.atomic():
            for data in files:
                batch = services.import_preview(collection=collection, uploaded=data, filename="sach.mrc", by=user)
                if not batch.problems:
                    created += services.import_confirm(batch=batch, by=user)
                problems += batch.problems[:3]
                rows += len(batch.rows)
            seconds = time.perf_counter() - start
            raise Rollback
    except Rollback:
        pass
    return {"seconds": seconds, "peak_mb": peak_mb(), "rows": rows, "created": created, "problems": problems}


def import_organisations_45000() -> dict:
    from django.db import transaction
    from openpyxl import Workbook

    from directory import services
    from directory.models import AdministrativeUnit, User

    districts = list(
        AdministrativeUnit.objects.filter(level="district", valid_to__isnull=True).values_list("code", flat=True)
    )
    # A sheet holds at most 20,000 rows (core.spreadsheets): 45,000 schools come in three files.
    files = []
    for part in range(3):
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Danh sách")
        ws.append(["Mã", "Tên", "Loại", "Cấp học", "Huyện"])
        for i in range(part * 15_000, (part + 1) * 15_000):
            ws.append(
                [f"IMP-{i:05d}", f"Trường Tiểu học Nhập {i}", "Trường học", "Tiểu học", districts[i % len(districts)]]
            )
        buf = io.BytesIO()
        wb.save(buf)
        buf.seek(0)
        files.append(buf)
    user = User.objects.get(username="admin")
    created, errors = 0, []
    start = time.perf_counter()
    try:
        with transaction.atomic():
            for buf in files:
                result = services.organisations_import(uploaded=buf, filename="truong.xlsx", by=user)
                created += result.created
                errors += [str(e.message) for e in result.errors[:3]]
            seconds = time.perf_counter() - start
            raise Rollback
    except Rollback:
        pass
    return {"seconds": seconds, "peak_mb": peak_mb(), "files": len(files), "created": created, "errors": errors[:3]}


def sweep() -> dict:
    # Three days before the current period's due date, after the send hour: every office
    # that has not submitted is reminded.
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from directory.models import Organisation
    from notifications import services

    period = _period()
    now = datetime.datetime.combine(
        period.due_date - datetime.timedelta(days=3), datetime.time(9), services.REMINDER_TZ
    )
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        result = services.reminders_sweep(now=now)
        seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "queries": len(ctx.captured_queries),
        "peak_mb": peak_mb(),
        "organisations": Organisation.objects.count(),
        "decided": sum(sum(row.values()) for row in result.by_kind().values()),
    }


JOBS = {
    "export_xlsx_one": lambda: export_xlsx(1),
    "export_xlsx_all": lambda: export_xlsx(10),
    "export_docx_one": export_docx_one,
    "consolidate_all": consolidate_all,
    "import_report_excel": import_report_excel,
    "import_marc_10000": import_marc_10000,
    "import_organisations_45000": import_organisations_45000,
    "sweep": sweep,
}


def main(job: str, out: str) -> int:
    import django

    django.setup()
    baseline = peak_mb()
    result = JOBS[job]()
    result["baseline_mb"] = baseline
    with open(out, "w") as fh:
        json.dump(result, fh, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
