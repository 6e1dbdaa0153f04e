"""The bodies of the API's answers that are more than one serializer over one object: the
consolidation of a period, a certificate's verification, the summary of a bulk import. Built
without a request, from what the apps' selectors and services return."""

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status

from reports import exchange
from reports import selectors as report_selectors


def completeness(period, *, sector: str | None, district: str | None, page) -> dict:
    """The completeness of `period`: the province totals, a page of districts and the offices
    of those districts."""
    summary, units, rows = report_selectors.completeness_page(period, sector=sector, district=district, page=page)
    return {
        "period": exchange.period_iso(period),
        "total": summary.total,
        "by_district": list(units),
        "by_sector": summary.by_sector,
        "page": units.number,
        "pages": units.paginator.num_pages,
        "districts": units.paginator.count,
        "rows": [
            {
                "organisation_code": r.code,
                "organisation_name": r.name,
                "district_code": r.district.code if r.district else None,
                "sector": r.sector,
                "report_id": r.report_id,
                "status": r.report_status,
                "is_late": r.report_is_late,
                "submitted_at": r.report_submitted_at,
                "complete": r.is_complete,
            }
            for r in rows
        ],
    }


def consolidation(period, *, sector: str | None, district: str | None) -> dict:
    """Province totals per indicator beside the previous period and the same period a year
    before, with one column per district (only `district`'s when given)."""
    previous, last_year = report_selectors.related_periods(period)
    result = report_selectors.consolidate([period, previous, last_year], sector=sector)
    districts = [d for d in result.districts if district is None or d.code == district]
    return {
        "period": exchange.period_iso(period),
        "previous_period": exchange.period_iso(previous) if previous else None,
        "last_year_period": exchange.period_iso(last_year) if last_year else None,
        "sector": sector,
        "reports_counted": result.reporting.get(period.pk, 0),
        "indicators": [
            {
                "code": ind.code,
                "label": ind.label,
                "unit": ind.unit,
                "total": result.total(period, ind.code),
                "previous": result.total(previous, ind.code) if previous else None,
                "same_period_last_year": result.total(last_year, ind.code) if last_year else None,
                "districts": [
                    {"code": d.code, "name": d.name, "value": result.by_district.get((period.pk, d.pk, ind.code))}
                    for d in districts
                ],
            }
            for ind in result.indicators
        ],
    }


def certificate(certificate) -> dict:
    """What anyone may read about a certificate: its holder, course, issuer and validity today."""
    return {
        "code": certificate.code,
        "valid": certificate.is_valid_on(timezone.localdate()),
        "holder_name": certificate.holder_name,
        "holder_organisation": certificate.holder_organisation,
        "course_title": certificate.course_title,
        "course_start": certificate.course_start,
        "course_end": certificate.course_end,
        "issuer_name": certificate.issuer_name,
        "issued_on": certificate.issued_on,
        "valid_until": certificate.valid_until,
        "revoked": certificate.revoked_at is not None,
    }


def import_summary(summary) -> tuple[dict, int]:
    """(body, HTTP status) of a bulk import: counts by outcome, a sentence saying what was
    written, and 409 when a conflict meant nothing was."""
    conflicts = len(summary.conflicts)
    if summary.status == "SUCCESS":
        description = (
            _("Kiểm tra xong, không có xung đột: chưa ghi gì (chạy thử).") if summary.dry_run else _("Đã nhập xong.")
        )
    elif summary.status == "WARNING":
        description = _("Đã ghi các giá trị hợp lệ; %(n)s giá trị bị từ chối.") % {"n": conflicts}
    else:
        description = _("Không ghi giá trị nào: %(n)s giá trị có xung đột.") % {"n": conflicts}
    body = {
        "status": summary.status,
        "description": description,
        "dry_run": summary.dry_run,
        "atomic": summary.atomic,
        "written": summary.written,
        **{s: summary.count(s) for s in ("imported", "updated", "ignored")},
        "conflicts": conflicts,
        "reports": summary.reports,
        "values": summary.values,
    }
    return body, status.HTTP_409_CONFLICT if summary.status == "ERROR" else status.HTTP_200_OK
