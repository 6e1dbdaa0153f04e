import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.spreadsheets import SpreadsheetError
from directory.models import Organisation, User
from directory.selectors import organisation_name_on

from . import annual, excel, exports, province, selectors, services
from .forms import PeriodForm, PeriodReopenForm
from .models import Report, ReportingPeriod


def _wants_json(request) -> bool:
    return request.headers.get("x-requested-with") == "fetch" or "application/json" in request.headers.get("accept", "")


def _flat(error: ValidationError) -> dict[str, str]:
    if hasattr(error, "error_dict"):
        return {k: " ".join(str(m) for e in v for m in e.messages) for k, v in error.error_dict.items()}
    return {"": " ".join(error.messages)}


@login_required
@require_GET
def index(request):
    user = request.user
    if user.role == User.Role.DISTRICT_OFFICER and user.organisation_id:
        periods = selectors.periods_for_organisation(user.organisation)
        today = timezone.localdate()
        # The forms of the open periods are kept by the service worker for use without a network.
        offline_pages = [
            reverse("reports:report-detail", args=[p.own_report.pk])
            for p in periods
            if p.own_report and p.own_report.is_editable_status and (p.lock_date >= today or p.own_report.reopened)
        ]
        history = list(selectors.predecessor_reports(user)[:60])
        return render(
            request,
            "reports/index_district.html",
            {"periods": periods, "history": history, "today": today, "offline_pages": json.dumps(offline_pages)},
        )
    if not selectors.can_see_province(user):
        raise PermissionDenied
    from .models import ReportingPeriod

    periods = list(ReportingPeriod.objects.order_by("-year", "-half")[:24])
    current = selectors.current_period()
    awaiting = list(selectors.reports_awaiting_review(user)[:50])
    return render(
        request,
        "reports/index_province.html",
        {
            "periods": periods,
            "current": current,
            "awaiting": awaiting,
            "can_manage_periods": services.can_manage_periods(user),
            "review_years": sorted({p.year for p in periods}, reverse=True),
            "programmes": _programmes(),
        },
    )


# --- Periods (opened and adjusted by the focal officers) -----------------------------------


def _next_period_key(today=None) -> tuple[int, str]:
    """The half-year to propose in the open form: the first one after the latest period,
    or the one whose Decree 09 window contains today."""
    from .models import ReportingPeriod

    latest = ReportingPeriod.objects.order_by("-year", "-half").first()
    if latest:
        return (latest.year, "H2") if latest.half == "H1" else (latest.year + 1, "H1")
    today = today or timezone.localdate()
    if today >= today.replace(month=12, day=15):
        return today.year + 1, "H1"
    return (today.year, "H1") if today <= today.replace(month=6, day=14) else (today.year, "H2")


def _require_manager(request) -> None:
    if not services.can_manage_periods(request.user):
        raise PermissionDenied(_("Chỉ cán bộ đầu mối của hai Sở được mở và điều chỉnh kỳ báo cáo."))


@login_required
@require_http_methods(["GET", "POST"])
def period_open(request):
    _require_manager(request)
    if request.method == "POST":
        form = PeriodForm(request.POST)
    else:
        year, half = _next_period_key()
        form = PeriodForm(
            initial={
                "year": year,
                "half": half,
                "organisations": list(services.previous_period_organisations(year, half)),
            }
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            period = services.period_open(
                year=data["year"],
                half=data["half"],
                due_date=data["due_date"],
                lock_date=data["lock_date"],
                organisations=data["organisations"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Đã mở kỳ %(p)s: số liệu từ %(s)s đến %(e)s, hạn nộp %(d)s.")
                % {
                    "p": period,
                    "s": f"{period.data_start:%d/%m/%Y}",
                    "e": f"{period.data_end:%d/%m/%Y}",
                    "d": f"{period.due_date:%d/%m/%Y}",
                },
            )
            return redirect("reports:period-edit", pk=period.pk)
    return render(request, "reports/period_form.html", {"form": form, "period": None})


@login_required
@require_http_methods(["GET", "POST"])
def period_edit(request, pk: int):
    _require_manager(request)
    period = selectors.get_period(pk)
    form = PeriodForm(
        request.POST or None,
        period=period,
        initial={
            "due_date": period.due_date,
            "lock_date": period.lock_date,
            "organisations": list(period.required_organisations.all()),
            "note": period.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.period_update(
                period=period,
                due_date=data["due_date"],
                lock_date=data["lock_date"],
                organisations=data["organisations"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu kỳ báo cáo."))
            return redirect("reports:period-edit", pk=period.pk)
    return render(
        request,
        "reports/period_form.html",
        {
            "form": form,
            "period": period,
            "reopen_form": PeriodReopenForm(),
            "reopenings": period.reopenings.select_related("by"),
            "locked": timezone.localdate() > period.lock_date,
        },
    )


@login_required
@require_POST
def period_reopen(request, pk: int):
    _require_manager(request)
    period = selectors.get_period(pk)
    form = PeriodReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng nhập ngày khóa sổ mới và lý do mở lại."))
        return redirect("reports:period-edit", pk=period.pk)
    try:
        reopening = services.period_reopen(
            period=period, lock_date=form.cleaned_data["lock_date"], reason=form.cleaned_data["reason"], by=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Đã mở lại kỳ báo cáo đến hết ngày %(d)s.") % {"d": f"{reopening.new_lock_date:%d/%m/%Y}"}
        )
    return redirect("reports:period-edit", pk=period.pk)


@login_required
@require_http_methods(["GET", "POST"])
def period_start(request, pk: int):
    period = selectors.get_period(pk)
    user = request.user
    organisation = user.organisation
    if organisation is None or user.role != User.Role.DISTRICT_OFFICER:
        if selectors.can_see_province(user):
            return redirect("reports:period-completeness", pk=period.pk)
        raise PermissionDenied
    existing = Report.objects.filter(period=period, organisation=organisation).first()
    if existing:
        return redirect("reports:report-detail", pk=existing.pk)
    if not period.required_organisations.filter(pk=organisation.pk).exists():
        raise PermissionDenied
    if request.method == "POST":
        try:
            report = services.report_start(period=period, organisation=organisation, by=user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("reports:index")
        messages.success(request, _("Đã tạo báo cáo. Số liệu có sẵn trên cổng đã được điền, hãy kiểm tra lại."))
        return redirect("reports:report-detail", pk=report.pk)
    return render(request, "reports/period_start.html", {"period": period, "organisation": organisation})


@login_required
@require_GET
def report_detail(request, pk: int):
    report = selectors.get_report_for_user(request.user, pk)
    user = request.user
    is_member = user.role == User.Role.DISTRICT_OFFICER and user.organisation_id == report.organisation_id
    locked = services.is_locked(report)
    editable = is_member and report.is_editable_status and not locked
    sections = selectors.report_form_rows(report)
    context = {
        "report": report,
        "sections": sections,
        "editable": editable,
        "is_member": is_member,
        "history_only": user.role == User.Role.DISTRICT_OFFICER and not is_member,
        "organisation_name": organisation_name_on(report.organisation, report.period.data_end),
        "locked": locked,
        "can_review": services.can_review(user, report),
        "submissions": list(report.submissions.select_related("submitted_by").order_by("-number")),
        "events": list(report.events.select_related("by")),
        "warnings": {},
        "form_texts": _form_texts(report, sections) if is_member else None,
    }
    if editable:
        numbers = {
            r["indicator"].code: (r["value"].number if r["value"] else None) for s in sections for r in s["rows"]
        }
        from .validation import rule_problems

        context["warnings"] = rule_problems(report.period.rules.all(), numbers)
        for section in sections:
            for row in section["rows"]:
                row["warning"] = context["warnings"].get(row["indicator"].code, "")
    return render(request, "reports/report_detail.html", context)


def _form_texts(report, sections) -> dict:
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


def _values_from_post(post) -> dict:
    return {key[2:]: value for key, value in post.items() if key.startswith("v_")}


@login_required
@require_POST
def report_save(request, pk: int):
    report = selectors.get_report_for_editor(request.user, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        result = services.report_save(
            report=report, version=version, values=_values_from_post(request.POST), by=request.user
        )
    except services.ConflictError as error:
        if _wants_json(request):
            return JsonResponse({"ok": False, "conflict": True, "message": " ".join(error.messages)}, status=409)
        messages.error(request, " ".join(error.messages))
        return redirect("reports:report-detail", pk=report.pk)
    except ValidationError as error:
        if getattr(error, "code", None) == "not_editable" and _wants_json(request):
            # Submitted (or locked) meanwhile: the page keeps what was typed and offers it as a file.
            return JsonResponse({"ok": False, "closed": True, "message": " ".join(error.messages)}, status=423)
        errors = _flat(error)
        message = errors.pop("", "") or _("Có giá trị chưa hợp lệ, chưa lưu. Xem thông báo ở từng ô.")
        if _wants_json(request):
            return JsonResponse({"ok": False, "message": message, "errors": errors}, status=400)
        messages.error(request, message + " " + " ".join(f"{k}: {v}" for k, v in errors.items()))
        return redirect("reports:report-detail", pk=report.pk)
    saved_at = timezone.localtime(result.report.updated_at).strftime("%H:%M:%S")
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": True,
                "version": result.report.version,
                "saved_at": saved_at,
                "message": _("Đã lưu nháp lúc %(t)s") % {"t": saved_at},
                "warnings": result.warnings,
            }
        )
    messages.success(request, _("Đã lưu nháp lúc %(t)s.") % {"t": saved_at})
    return redirect("reports:report-detail", pk=report.pk)


@login_required
@require_GET
def report_state(request, pk: int):
    """The report's values and version as JSON, for reconciling what was typed offline."""
    report = selectors.get_report_for_editor(request.user, pk)
    response = JsonResponse(selectors.report_entry_state(report), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def report_submit(request, pk: int):
    report = selectors.get_report_for_editor(request.user, pk)
    try:
        version = int(request.POST["version"]) if request.POST.get("version") else None
    except ValueError:
        version = -1
    try:
        report = services.report_submit(report=report, by=request.user, version=version)
    except ValidationError as error:
        problems = _flat(error)
        general = problems.pop("", "")
        detail = "; ".join(f"{code}: {msg}" for code, msg in problems.items())
        messages.error(request, (general or _("Chưa nộp được báo cáo.")) + (" " + detail if detail else ""))
        return redirect("reports:report-detail", pk=report.pk)
    if report.is_late:
        messages.warning(
            request, _("Đã nộp báo cáo (sau hạn %(due)s).") % {"due": report.period.due_date.strftime("%d/%m/%Y")}
        )
    else:
        messages.success(request, _("Đã nộp báo cáo đúng hạn. Báo cáo đã được khóa để chờ tiếp nhận."))
    return redirect("reports:report-detail", pk=report.pk)


@login_required
@require_POST
def report_accept(request, pk: int):
    report = selectors.get_report_for_reviewer(request.user, pk)
    try:
        services.report_accept(report=report, by=request.user, note=request.POST.get("note", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã tiếp nhận báo cáo của %(org)s.") % {"org": report.organisation.name})
    return redirect("reports:report-detail", pk=report.pk)


@login_required
@require_POST
def report_return(request, pk: int):
    report = selectors.get_report_for_reviewer(request.user, pk)
    comments = {key[2:]: value for key, value in request.POST.items() if key.startswith("c_")}
    try:
        services.report_return(report=report, by=request.user, note=request.POST.get("note", ""), comments=comments)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã trả lại báo cáo kèm nhận xét để đơn vị bổ sung."))
    return redirect("reports:report-detail", pk=report.pk)


@login_required
@require_POST
def report_reopen(request, pk: int):
    report = selectors.get_report_for_reviewer(request.user, pk)
    try:
        services.report_reopen(report=report, by=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã mở lại báo cáo; lý do đã được ghi lại."))
    return redirect("reports:report-detail", pk=report.pk)


@login_required
@require_GET
def report_template(request, pk: int):
    report = selectors.get_report_for_editor(request.user, pk)
    data = excel.template_workbook(report)
    response = HttpResponse(data, content_type=excel.XLSX_CONTENT_TYPE)
    filename = f"bao-cao-{report.period.key}-{report.organisation.code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def report_upload(request, pk: int):
    report = selectors.get_report_for_editor(request.user, pk)
    uploaded = request.FILES.get("file")
    problems = []
    if uploaded is None:
        messages.error(request, _("Hãy chọn tệp Excel để tải lên."))
        return redirect("reports:report-detail", pk=report.pk)
    try:
        if uploaded.size > excel.MAX_UPLOAD:
            raise SpreadsheetError(_("Tệp quá lớn (tối đa 5 MB)."))
        values, problems, positions = excel.read_template(report, uploaded.read(), filename=uploaded.name)
        if not problems:
            result = services.report_import(report=report, values=values, by=request.user)
    except SpreadsheetError as error:
        messages.error(request, _("Không nhận tệp: %(reason)s Dữ liệu báo cáo không thay đổi.") % {"reason": error})
        return redirect("reports:report-detail", pk=report.pk)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            messages.error(request, " ".join(error.messages))
            return redirect("reports:report-detail", pk=report.pk)
        problems = excel.cell_errors_from(_flat(error), positions)
    if problems:
        return render(
            request,
            "reports/upload_problems.html",
            {"report": report, "problems": problems, "filename": uploaded.name},
            status=400,
        )
    messages.success(
        request,
        _("Đã nhập số liệu từ tệp %(name)s (%(n)s giá trị thay đổi).") % {"name": uploaded.name, "n": result.changed},
    )
    return redirect("reports:report-detail", pk=report.pk)


def _province_period(request, pk):
    if not selectors.can_see_province(request.user):
        raise PermissionDenied
    return selectors.get_period(pk)


def _sector_param(request) -> str:
    sector = request.GET.get("nganh", "")
    return sector if sector in Organisation.Sector.values else ""


@login_required
@require_GET
def period_completeness(request, pk: int):
    period = _province_period(request, pk)
    sector = _sector_param(request)
    summary, page, rows = selectors.completeness_page(period, sector=sector or None, page=request.GET.get("page"))
    context = {"period": period, "data": summary, "page": page, "rows": rows, "sector": sector}
    context["sectors"] = Organisation.Sector.choices
    return render(request, "reports/period_completeness.html", context)


@login_required
@require_GET
def period_consolidation(request, pk: int):
    period = _province_period(request, pk)
    context = province.consolidation_page(period, sector=_sector_param(request), page=request.GET.get("page"))
    return render(request, "reports/period_consolidation.html", context)


@login_required
@require_GET
def period_territory(request, pk: int):
    """Two periods side by side, rolled up by former district territory through the
    successor links (e.g. 2024 H2 by district offices beside 2026 H1 by communes)."""
    from .models import ReportingPeriod

    period = _province_period(request, pk)
    sector = _sector_param(request)
    periods = list(ReportingPeriod.objects.order_by("-year", "-half")[:40])
    other = next((p for p in periods if str(p.pk) == request.GET.get("so_sanh", "")), None)
    if other is None or other.pk == period.pk:
        other = selectors.related_periods(period)[0]
    comparison = None
    if other is not None:
        first, second = sorted([other, period], key=lambda p: (p.year, p.half))
        comparison = selectors.territory_comparison(
            first, second, code=request.GET.get("chi_tieu", ""), sector=sector or None
        )
    return render(
        request,
        "reports/period_territory.html",
        {
            "period": period,
            "other": other,
            "periods": periods,
            "comparison": comparison,
            "sector": sector,
            "sectors": Organisation.Sector.choices,
        },
    )


@login_required
@require_GET
def consolidation_xlsx(request, pk: int):
    period = _province_period(request, pk)
    sector = _sector_param(request)
    try:
        years = max(1, min(int(request.GET.get("nam", "2")), 20))
    except ValueError:
        years = 2
    handle = exports.consolidation_workbook(period, sector=sector or None, years=years)
    name = f"tong-hop-{period.key}{'-' + sector if sector else ''}.xlsx"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=excel.XLSX_CONTENT_TYPE)


@login_required
@require_GET
def consolidation_docx(request, pk: int):
    period = _province_period(request, pk)
    sector = _sector_param(request) or (request.user.sector if request.user.role == User.Role.FOCAL_OFFICER else "")
    data = exports.consolidated_report_docx(period, sector=sector or Organisation.Sector.CULTURE, by=request.user)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="bao-cao-tong-hop-{period.key}-{sector or "culture"}.docx"'
    return response


def report_url(report) -> str:
    return reverse("reports:report-detail", args=[report.pk])


# --- Annual and programme reviews (V.6) ----------------------------------------------------


def _programmes():
    from programs.models import Programme

    return Programme.objects.order_by("valid_from")


def _review(request, kind: str, key: int) -> "annual.Review":
    if not selectors.can_see_province(request.user):
        raise PermissionDenied
    sector = _sector_param(request)
    if kind == "year":
        if not 2000 <= key <= 2100:
            raise Http404
        return annual.review_for(
            kind="year",
            years=[key],
            title=_("năm %(y)s") % {"y": key},
            periods=selectors.year_periods(key),
            sector=sector or None,
        )
    from programs.selectors import get_programme_for_user

    programme = get_programme_for_user(request.user, key)
    return annual.review_for(
        kind="programme",
        years=list(range(programme.valid_from, programme.valid_to + 1)),
        title=_("giai đoạn %(a)s-%(b)s") % {"a": programme.valid_from, "b": programme.valid_to},
        periods=selectors.programme_periods(programme),
        sector=sector or None,
    )


def _review_page(request, kind: str, key: int):
    from programs.models import Programme

    review = _review(request, kind, key)
    years = sorted(set(ReportingPeriod.objects.values_list("year", flat=True)), reverse=True)
    return render(
        request,
        "reports/review.html",
        {
            "review": review,
            "kind": kind,
            "key": key,
            "sector": _sector_param(request),
            "sectors": Organisation.Sector.choices,
            "years": years,
            "programmes": Programme.objects.order_by("valid_from"),
        },
    )


def _review_xlsx(request, kind: str, key: int):
    review = _review(request, kind, key)
    sector = _sector_param(request)
    span = f"{review.years[0]}" + (f"-{review.years[-1]}" if len(review.years) > 1 else "")
    name = f"tong-hop-{'nam' if kind == 'year' else 'giai-doan'}-{span}"
    return FileResponse(
        annual.review_workbook(review),
        as_attachment=True,
        filename=f"{name}{'-' + sector if sector else ''}.xlsx",
        content_type=excel.XLSX_CONTENT_TYPE,
    )


def _review_docx(request, kind: str, key: int):
    review = _review(request, kind, key)
    sector = (
        _sector_param(request)
        or (request.user.sector if request.user.role == User.Role.FOCAL_OFFICER else "")
        or Organisation.Sector.CULTURE
    )
    name = "bao-cao-so-ket" if kind == "year" else "bao-cao-tong-ket"
    response = HttpResponse(
        annual.review_docx(review, sector=sector),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    span = f"{review.years[0]}" + (f"-{review.years[-1]}" if len(review.years) > 1 else "")
    response["Content-Disposition"] = f'attachment; filename="{name}-{span}-{sector}.docx"'
    return response


@login_required
@require_GET
def year_review(request, year: int):
    return _review_page(request, "year", year)


@login_required
@require_GET
def year_review_xlsx(request, year: int):
    return _review_xlsx(request, "year", year)


@login_required
@require_GET
def year_review_docx(request, year: int):
    return _review_docx(request, "year", year)


@login_required
@require_GET
def programme_review(request, pk: int):
    return _review_page(request, "programme", pk)


@login_required
@require_GET
def programme_review_xlsx(request, pk: int):
    return _review_xlsx(request, "programme", pk)


@login_required
@require_GET
def programme_review_docx(request, pk: int):
    return _review_docx(request, "programme", pk)
