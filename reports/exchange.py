"""Data exchange in the shape integrators know from DHIS2's Web API.

A value is addressed by organisation code (`orgUnit`), period and indicator code
(`dataElement`). Periods are written as DHIS2 SixMonthly periods, `2026S1` (January-June)
and `2026S2` (July-December), or by the portal's id. The JSON document is DHIS2's
`dataValueSets`; the CSV has DHIS2's columns (`dataelement,period,orgunit,
categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,comment,followup`), read by
header name so that a spreadsheet with only `dataelement,period,orgunit,value` works too.

Parsing here only reads the document; what a value means and whether it may be written is
decided by `reports.services.data_values_import`.
"""

import csv
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ReportingPeriod

DATA_SET_CODE = "BC6T"  # the 6-monthly report, as a DHIS2 data set code
CSV_COLUMNS = [
    "dataelement",
    "period",
    "orgunit",
    "categoryoptioncombo",
    "attributeoptioncombo",
    "value",
    "storedby",
    "lastupdated",
    "comment",
    "followup",
]
MAX_ROWS = 20_000
_PERIOD_RE = re.compile(r"^(\d{4})S([12])$")


def period_iso(period: ReportingPeriod) -> str:
    """DHIS2's SixMonthly period: "2026S1" for H1 2026."""
    return f"{period.year}S{1 if period.half == ReportingPeriod.Half.H1 else 2}"


def period_lookup(text) -> dict | None:
    """Filter arguments for a period written `2026S1` (or `2026-H1`, the Excel template's key)
    or as the portal's id; None when the text is neither."""
    text = str(text if text is not None else "").strip().upper()
    match = _PERIOD_RE.match(text) or re.match(r"^(\d{4})-H([12])$", text)
    if match:
        return {"year": int(match.group(1)), "half": f"H{match.group(2)}"}
    if text.isdigit() and len(text) <= 12:
        return {"pk": int(text)}
    return None


def find_period(text) -> ReportingPeriod | None:
    lookup = period_lookup(text)
    return ReportingPeriod.objects.filter(**lookup).first() if lookup else None


@dataclass
class Row:
    index: int  # 1-based position in the document (the CSV line number minus the header)
    data_element: str
    period: str
    org_unit: str
    value: object


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def rows_from_json(document) -> list[Row]:
    """Rows of a `dataValueSets` document: `{"dataValues": [{dataElement, period, orgUnit,
    value}, …]}`; a `period`/`orgUnit` at the top applies to values that leave it out.
    Raises ValidationError for a document of another shape."""
    if not isinstance(document, dict) or not isinstance(document.get("dataValues"), list):
        raise ValidationError({"dataValues": _("Tài liệu phải có danh sách “dataValues”.")})
    values = document["dataValues"]
    if len(values) > MAX_ROWS:
        raise ValidationError({"dataValues": _("Mỗi lần nhập tối đa %(n)s giá trị.") % {"n": MAX_ROWS}})
    default_period, default_org = _text(document.get("period")), _text(document.get("orgUnit"))
    rows = []
    for i, item in enumerate(values, start=1):
        if not isinstance(item, dict):
            raise ValidationError({"dataValues": _("Giá trị thứ %(i)s không phải là một đối tượng JSON.") % {"i": i}})
        value = item.get("value")
        if isinstance(value, bool) or not isinstance(value, str | int | float | type(None)):
            value = str(value)  # read as text, so the indicator's rules name what is wrong
        rows.append(
            Row(
                index=i,
                data_element=_text(item.get("dataElement")),
                period=_text(item.get("period")) or default_period,
                org_unit=_text(item.get("orgUnit")) or default_org,
                value=value,
            )
        )
    return rows


def rows_from_csv(text: str) -> list[Row]:
    """Rows of a CSV with a header line naming at least dataelement, period, orgunit and
    value (any case, any order; `;` also accepted as the separator). Raises ValidationError."""
    text = (text or "").lstrip("\ufeff")
    if not text.strip():
        raise ValidationError({"file": _("Tệp CSV trống.")})
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip().lower().replace("_", "").replace(" ", "") for h in next(reader)]
        missing = [c for c in ("dataelement", "period", "orgunit", "value") if c not in header]
        if missing:
            raise ValidationError(
                {"file": _("Dòng tiêu đề của tệp CSV thiếu cột: %(cols)s.") % {"cols": ", ".join(missing)}}
            )
        at = {name: header.index(name) for name in ("dataelement", "period", "orgunit", "value")}
        rows = []
        for i, line in enumerate(reader, start=1):
            if not any(cell.strip() for cell in line):
                continue
            if len(rows) >= MAX_ROWS:
                raise ValidationError({"file": _("Mỗi lần nhập tối đa %(n)s giá trị.") % {"n": MAX_ROWS}})
            cell = lambda name, line=line: line[at[name]] if at[name] < len(line) else ""  # noqa: E731
            rows.append(
                Row(
                    index=i,
                    data_element=cell("dataelement").strip(),
                    period=cell("period").strip(),
                    org_unit=cell("orgunit").strip(),
                    value=cell("value"),
                )
            )
    except csv.Error as error:
        raise ValidationError({"file": _("Không đọc được tệp CSV: %(e)s") % {"e": error}}) from None
    return rows


def export_rows(values) -> list[dict]:
    """dataValues of `values` (ReportValue with report, period, organisation and indicator
    loaded): the values in DHIS2's shape, numbers as text as DHIS2 writes them."""
    rows = []
    for v in values:
        raw = v.text if v.indicator.is_narrative else v.number
        rows.append(
            {
                "dataElement": v.indicator.code,
                "period": period_iso(v.report.period),
                "orgUnit": v.report.organisation.code,
                "value": "" if raw is None else str(raw),
                "lastUpdated": timezone.localtime(v.report.updated_at).isoformat(),
            }
        )
    return rows


def to_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow([r["dataElement"], r["period"], r["orgUnit"], "", "", r["value"], "", r["lastUpdated"], "", ""])
    return out.getvalue()
