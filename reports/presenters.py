"""What the reports pages show, built without a request: the context of each page whose data
is more than one selector call, the texts the report form's script needs, and the messages of
the entry workflow. Views fetch, call one of these (or one service) and render."""

import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pages import refusal
from core.spreadsheets import SpreadsheetError
from directory.models import Organisation
from directory.selectors import organisation_name_on

from . import access, selectors, services
from .forms import PeriodReopenForm
from .validation import rule_problems


def field_messages(error: ValidationError) -> dict[str, str]:
    """A service's refusal as {field or indicator code: one sentence}; "" holds what is general."""
    if hasattr(error, "error_dict"):
        return {k: " ".join(str(m) for e in v for m in e.messages) for k, v in error.error_dict.items()}
    return {"": " ".join(error.messages)}


def programmes():
    return selectors.programmes_by_start()


# --- Index ---------------------------------------------------------------------------------


def district_index(user, *, today=None) -> dict:
    """A district officer's periods with their own reports, and the reports they read as history.
    The forms of the open periods are listed for the service worker, which keeps them for use
    without a network."""
    periods = selectors.periods_for_organisation(user.organisation)
    today = today or timezone.localdate()
    offline_pages = [
        reverse("reports:report-detail", args=[p.own_report.pk])
        for p in periods
        if p.own_report and p.own_report.is_editable_status and (p.lock_date >= today or p.own_report.reopened)
    ]
    history = list(selectors.predecessor_reports(user)[:60])
    return {"periods": periods, "history": history, "today": today, "offline_pages": json.dumps(offline_pages)}


def province_index(user) -> dict:
    """The latest periods, the current one and the reports waiting for this user's review."""
    periods = list(selectors.latest_periods(24))
    return {
        "periods": periods,
        "current": selectors.current_period(),
        "awaiting": list(selectors.reports_awaiting_review(user)[:50]),
        "can_manage_periods": access.can_manage_periods(user),
        "review_years": sorted({p.year for p in periods}, reverse=True),
        "programmes": programmes(),
    }


# --- Periods -------------------------------------------------------------------------------


def next_period_key(today=None) -> tuple[int, str]:
    """The half-year to propose in the open form: the first one after the latest period,
    or the one whose Decree 09 window contains today."""
    latest = selectors.latest_periods(1).first()
    if latest:
        return (latest.year, "H2") if latest.half == "H1" else (latest.year + 1, "H1")
    today = today or timezone.localdate()
    if today >= today.replace(month=12, day=15):
        return today.year + 1, "H1"
    return (today.year, "H1") if today <= today.replace(month=6, day=14) else (today.year, "H2")


def new_period_initial() -> dict:
    year, half = next_period_key()
    return {"year": year, "half": half, "organisations": list(services.previous_period_organisations(year, half))}


def period_initial(period) -> dict:
    return {
        "due_date": period.due_date,
        "lock_date": period.lock_date,
        "organisations": list(period.required_organisations.all()),
        "note": period.note,
    }


def period_opened_message(period) -> str:
    return _("Đã mở kỳ %(p)s: số liệu từ %(s)s đến %(e)s, hạn nộp %(d)s.") % {
        "p": period,
        "s": f"{period.data_start:%d/%m/%Y}",
        "e": f"{period.data_end:%d/%m/%Y}",
        "d": f"{period.due_date:%d/%m/%Y}",
    }


def period_edit_context(period) -> dict:
    return {
        "period": period,
        "reopen_form": PeriodReopenForm(),
        "reopenings": period.reopenings.select_related("by"),
        "locked": timezone.localdate() > period.lock_date,
    }


def territory_page(period, *, sector: str, other_pk: str, code: str) -> dict:
    """Two periods side by side, rolled up by former district territory through the successor
    links (e.g. 2024 H2 by district offices beside 2026 H1 by communes). `other_pk` picks the
    second period; by default the one before."""
    periods = list(selectors.latest_periods(40))
    other = next((p for p in periods if str(p.pk) == other_pk), None)
    if other is None or other.pk == period.pk:
        other = selectors.related_periods(period)[0]
    comparison = None
    if other is not None:
        first, second = sorted([other, period], key=lambda p: (p.year, p.half))
        comparison = selectors.territory_comparison(first, second, code=code, sector=sector or None)
    return {
        "period": period,
        "other": other,
        "periods": periods,
        "comparison": comparison,
        "sector": sector,
        "sectors": Organisation.Sector.choices,
    }


def review_page(review, *, kind: str, key: int, sector: str) -> dict:
    """A year's or a programme's review, with the years and programmes to switch to."""
    return {
        "review": review,
        "kind": kind,
        "key": key,
        "sector": sector,
        "sectors": Organisation.Sector.choices,
        "years": selectors.period_years(),
        "programmes": programmes(),
    }


# --- Report entry and review ---------------------------------------------------------------


def report_page(user, report) -> dict:
    """The report page: its rows (with the cross-indicator warnings while it can be edited),
    what this user may do with it, its submissions and history."""
    is_member = access.is_member(user, report.organisation_id)
    locked = services.is_locked(report)
    editable = is_member and report.is_editable_status and not locked
    sections = selectors.report_form_rows(report)
    warnings = {}
    if editable:
        numbers = {
            r["indicator"].code: (r["value"].number if r["value"] else None) for s in sections for r in s["rows"]
        }
        warnings = rule_problems(report.period.rules.all(), numbers)
        for section in sections:
            for row in section["rows"]:
                row["warning"] = warnings.get(row["indicator"].code, "")
    return {
        "report": report,
        "sections": sections,
        "editable": editable,
        "is_member": is_member,
        "history_only": access.reads_as_history(user, report),
        "organisation_name": organisation_name_on(report.organisation, report.period.data_end),
        "locked": locked,
        "can_review": access.can_review(user, report),
        "submissions": list(report.submissions.select_related("submitted_by").order_by("-number")),
        "events": list(report.events.select_related("by")),
        "warnings": warnings,
        "form_texts": form_texts(report, sections) if is_member else None,
    }


def form_texts(report, sections) -> dict:
    """What report_form.js says, translated here (the script itself holds no text)."""
    return {
        "labels": {r["indicator"].code: r["indicator"].label for s in sections for r in s["rows"]},
        "closedReason": _("Báo cáo đang ở trạng thái “%(status)s”.") % {"status": report.get_status_display()},
        "closedStatus": _("Báo cáo đang ở trạng thái “%(status)s”."),
        "saving": _("Đang lưu…"),
        "notSaved": _("Chưa lưu được."),
        "notInteger": _("Giá trị phải là một số nguyên."),
        "notNegative": _("Giá trị không được là số âm."),
        "stateUrl": reverse("reports:report-state", args=[report.pk]),
        "fileName": f"bao-cao-{report.period.key}-{report.organisation.code}-ngoai-tuyen.csv",
        "offlineKept": _("Mất mạng: số liệu được giữ trên máy này và sẽ tự gửi khi có mạng trở lại."),
        "restored": _("Đã khôi phục %(n)s ô nhập trước đó nhưng chưa gửi; đang gửi…"),
        "restoredOffline": _("Đã khôi phục %(n)s ô nhập khi mất mạng; sẽ tự gửi khi có mạng."),
        "sending": _("Có mạng trở lại: đang gửi số liệu đã nhập…"),
        "merged": _("Báo cáo vừa được người khác lưu ở các ô khác; đã gộp và gửi số liệu của bạn."),
        "conflictTitle": _("Số liệu bạn nhập khác với số liệu vừa được lưu trên cổng"),
        "conflictIntro": _(
            "%(who)s đã lưu báo cáo lúc %(time)s. Với mỗi ô dưới đây, hãy chọn giữ số liệu nào rồi bấm “Lưu lựa chọn”."
        ),
        "someone": _("Một người khác"),
        "mine": _("Bạn nhập"),
        "theirs": _("Trên cổng"),
        "empty": _("(để trống)"),
        "keepChoice": _("Lưu lựa chọn"),
        "conflictWaiting": _("Chưa lưu: hãy chọn số liệu cần giữ ở bảng so sánh."),
        "closedTitle": _("Cổng không nhận số liệu bạn nhập khi mất mạng"),
        "closedText": _(
            "%(reason)s Số liệu bạn nhập khi mất mạng vẫn được giữ trên máy này: hãy tải về tệp và gửi cho "
            "cán bộ đầu mối nếu cần bổ sung."
        ),
        "download": _("Tải về số liệu đã nhập (.csv)"),
        "forget": _("Đã tải về, xóa khỏi máy"),
        "csvHeader": [_("Mã chỉ tiêu"), _("Chỉ tiêu"), _("Số liệu bạn nhập"), _("Số liệu trên cổng"), _("Nhập lúc")],
        "loginNeeded": _(
            "Phiên đăng nhập đã hết: hãy đăng nhập lại ở thẻ khác. Số liệu vẫn được giữ trên máy này và sẽ gửi sau."
        ),
        "submitOffline": _("Nộp báo cáo cần có mạng. Số liệu đã nhập vẫn được giữ trên máy; hãy nộp khi có mạng."),
    }


@dataclass
class SaveRefusal:
    """Why a save was refused, as the page (a message) and the script (JSON) show it."""

    status: int
    body: dict = field(default_factory=dict)
    message: str = ""


def save_refusal(error: ValidationError) -> SaveRefusal:
    """409 when a colleague saved meanwhile; for the script, 423 when the report was submitted
    or locked (it then offers what was typed as a file); 400 with a message per cell otherwise."""
    if isinstance(error, services.ConflictError):
        text = " ".join(error.messages)
        return SaveRefusal(409, {"ok": False, "conflict": True, "message": text}, text)
    errors = field_messages(error)
    text = errors.pop("", "") or _("Có giá trị chưa hợp lệ, chưa lưu. Xem thông báo ở từng ô.")
    page = text + " " + " ".join(f"{k}: {v}" for k, v in errors.items())
    if getattr(error, "code", None) == "not_editable":
        return SaveRefusal(423, {"ok": False, "closed": True, "message": " ".join(error.messages)}, page)
    return SaveRefusal(400, {"ok": False, "message": text, "errors": errors}, page)


def saved(result) -> dict:
    """What the script is told after a save (the page says the same in a message)."""
    saved_at = timezone.localtime(result.report.updated_at).strftime("%H:%M:%S")
    return {
        "ok": True,
        "version": result.report.version,
        "saved_at": saved_at,
        "message": _("Đã lưu nháp lúc %(t)s") % {"t": saved_at},
        "warnings": result.warnings,
    }


def submit_refusal(error: ValidationError) -> str:
    """Why a report could not be submitted: the general reason, then the indicators at fault."""
    problems = field_messages(error)
    general = problems.pop("", "")
    detail = "; ".join(f"{code}: {msg}" for code, msg in problems.items())
    return (general or _("Chưa nộp được báo cáo.")) + (" " + detail if detail else "")


def submitted_message(report) -> tuple[bool, str]:
    """(on time, what to say) after a submission."""
    if report.is_late:
        return False, _("Đã nộp báo cáo (sau hạn %(due)s).") % {"due": report.period.due_date.strftime("%d/%m/%Y")}
    return True, _("Đã nộp báo cáo đúng hạn. Báo cáo đã được khóa để chờ tiếp nhận.")


def upload_refusal(error: SpreadsheetError | ValidationError) -> str:
    """Why an uploaded template was not taken as a whole."""
    if isinstance(error, SpreadsheetError):
        return _("Không nhận tệp: %(reason)s Dữ liệu báo cáo không thay đổi.") % {"reason": error}
    return refusal(error)


def uploaded_message(filename: str, upload) -> str:
    return _("Đã nhập số liệu từ tệp %(name)s (%(n)s giá trị thay đổi).") % {"name": filename, "n": upload.changed}
