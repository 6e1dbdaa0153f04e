from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import lazy
from core.pages import action, form_page
from core.spreadsheets import SpreadsheetError
from directory.models import Organisation

from . import access, annual, excel, exports, presenters, province, selectors, services
from .forms import PeriodForm, PeriodReopenForm


def _wants_json(request) -> bool:
    return request.headers.get("x-requested-with") == "fetch" or "application/json" in request.headers.get("accept", "")


def _version(raw, *, missing):
    """The report version a form or script posted (-1 when unreadable, so the save conflicts)."""
    if not raw:
        return missing
    try:
        return int(raw)
    except ValueError:
        return -1


def _to_report(report):
    return reverse("reports:report-detail", args=[report.pk])


def _back_to_report(request, report, text: str):
    messages.error(request, text)
    return redirect("reports:report-detail", pk=report.pk)


@login_required
@require_GET
def index(request):
    user = request.user
    if access.files_reports(user):
        return render(request, "reports/index_district.html", presenters.district_index(user))
    if not access.can_see_province(user):
        raise PermissionDenied
    return render(request, "reports/index_province.html", presenters.province_index(user))


# --- Periods (opened and adjusted by the focal officers) -----------------------------------


def _require_manager(request) -> None:
    if not access.can_manage_periods(request.user):
        raise PermissionDenied(_("Chỉ cán bộ đầu mối của hai Sở được mở và điều chỉnh kỳ báo cáo."))


def _to_period_edit(period) -> str:
    return reverse("reports:period-edit", args=[period.pk])


@login_required
@require_http_methods(["GET", "POST"])
def period_open(request):
    _require_manager(request)
    form = PeriodForm(request.POST) if request.method == "POST" else PeriodForm(initial=presenters.new_period_initial())
    return form_page(
        request,
        form,
        template="reports/period_form.html",
        save=lambda data: services.period_open(**data, by=request.user),
        success=_to_period_edit,
        message=presenters.period_opened_message,
        context={"period": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def period_edit(request, pk: int):
    _require_manager(request)
    period = selectors.get_period(pk)
    return form_page(
        request,
        PeriodForm(request.POST or None, period=period, initial=presenters.period_initial(period)),
        template="reports/period_form.html",
        save=lambda data: services.period_update(period=period, **data, by=request.user),
        success=_to_period_edit(period),
        message=_("Đã lưu kỳ báo cáo."),
        context=presenters.period_edit_context(period),
    )


@login_required
@require_POST
def period_reopen(request, pk: int):
    _require_manager(request)
    period = selectors.get_period(pk)
    form = PeriodReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng nhập ngày khóa sổ mới và lý do mở lại."))
        return redirect(_to_period_edit(period))
    return action(
        request,
        lambda: services.period_reopen(period=period, **form.cleaned_data, by=request.user),
        success=lambda reopening: _to_period_edit(period),
        message=lambda r: _("Đã mở lại kỳ báo cáo đến hết ngày %(d)s.") % {"d": f"{r.new_lock_date:%d/%m/%Y}"},
        failure=_to_period_edit(period),
    )


def _elsewhere(user, period):
    """Where a user who does not start a report of `period` goes instead (or None for one who
    does): province users to its completeness, a member whose report exists to that report."""
    if not access.files_reports(user):
        if access.can_see_province(user):
            return redirect("reports:period-completeness", pk=period.pk)
        raise PermissionDenied
    existing = selectors.own_report(period, user.organisation)
    if existing:
        return redirect(_to_report(existing))
    if not selectors.must_report(period, user.organisation):
        raise PermissionDenied
    return None


@login_required
@require_http_methods(["GET", "POST"])
def period_start(request, pk: int):
    period = selectors.get_period(pk)
    organisation = request.user.organisation
    if elsewhere := _elsewhere(request.user, period):
        return elsewhere
    if request.method == "GET":
        return render(request, "reports/period_start.html", {"period": period, "organisation": organisation})
    return action(
        request,
        lambda: services.report_start(period=period, organisation=organisation, by=request.user),
        success=_to_report,
        message=_("Đã tạo báo cáo. Số liệu có sẵn trên cổng đã được điền, hãy kiểm tra lại."),
        failure=reverse("reports:index"),
    )


@login_required
@require_GET
def report_detail(request, pk: int):
    report = selectors.get_report_for_user(request.user, pk)
    return render(request, "reports/report_detail.html", presenters.report_page(request.user, report))


def _values_from_post(post) -> dict:
    return {key[2:]: value for key, value in post.items() if key.startswith("v_")}


def _reply(request, report, body: dict, text: str, *, status: int = 200, level: int = messages.SUCCESS):
    """The answer to the report form: JSON for its script, else a message on the report page."""
    if _wants_json(request):
        return JsonResponse(body, status=status)
    messages.add_message(request, level, text)
    return redirect(_to_report(report))


@login_required
@require_POST
def report_save(request, pk: int):
    report = selectors.get_report_for_editor(request.user, pk)
    version = _version(request.POST.get("version"), missing=-1)
    values = _values_from_post(request.POST)
    try:
        result = services.report_save(report=report, version=version, values=values, by=request.user)
    except ValidationError as error:
        refused = presenters.save_refusal(error)
        return _reply(request, report, refused.body, refused.message, status=refused.status, level=messages.ERROR)
    saved = presenters.saved(result)
    return _reply(request, report, saved, _("Đã lưu nháp lúc %(t)s.") % {"t": saved["saved_at"]})


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
    version = _version(request.POST.get("version"), missing=None)
    try:
        report = services.report_submit(report=report, by=request.user, version=version)
    except ValidationError as error:
        return _back_to_report(request, report, presenters.submit_refusal(error))
    on_time, text = presenters.submitted_message(report)
    (messages.success if on_time else messages.warning)(request, text)
    return redirect(_to_report(report))


@login_required
@require_POST
def report_accept(request, pk: int):
    report = selectors.get_report_for_reviewer(request.user, pk)
    return action(
        request,
        lambda: services.report_accept(report=report, by=request.user, note=request.POST.get("note", "")),
        success=_to_report(report),
        message=_("Đã tiếp nhận báo cáo của %(org)s.") % {"org": report.organisation.name},
    )


@login_required
@require_POST
def report_return(request, pk: int):
    report = selectors.get_report_for_reviewer(request.user, pk)
    comments = {key[2:]: value for key, value in request.POST.items() if key.startswith("c_")}
    note = request.POST.get("note", "")
    return action(
        request,
        lambda: services.report_return(report=report, by=request.user, note=note, comments=comments),
        success=_to_report(report),
        message=_("Đã trả lại báo cáo kèm nhận xét để đơn vị bổ sung."),
    )


@login_required
@require_POST
def report_reopen(request, pk: int):
    report = selectors.get_report_for_reviewer(request.user, pk)
    return action(
        request,
        lambda: services.report_reopen(report=report, by=request.user, reason=request.POST.get("reason", "")),
        success=_to_report(report),
        message=_("Đã mở lại báo cáo; lý do đã được ghi lại."),
    )


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
    if uploaded is None:
        return _back_to_report(request, report, _("Hãy chọn tệp Excel để tải lên."))
    try:
        upload = excel.import_upload(report=report, uploaded=uploaded, by=request.user)
    except (SpreadsheetError, ValidationError) as error:
        return _back_to_report(request, report, presenters.upload_refusal(error))
    if upload.problems:
        context = {"report": report, "problems": upload.problems, "filename": uploaded.name}
        return render(request, "reports/upload_problems.html", context, status=400)
    messages.success(request, presenters.uploaded_message(uploaded.name, upload))
    return redirect(_to_report(report))


def _province_period(request, pk):
    if not access.can_see_province(request.user):
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
    number = request.GET.get("page")
    # Read when drawn: the kept page (the template's datacache) needs none of them.
    data, page, rows = lazy.parts(
        lambda: selectors.completeness_page(period, sector=sector or None, page=number), 0, 1, 2
    ).values()
    context = {"period": period, "data": data, "page": page, "rows": rows, "sector": sector}
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
    """Two periods side by side, rolled up by former district territory."""
    period = _province_period(request, pk)
    context = presenters.territory_page(
        period,
        sector=_sector_param(request),
        other_pk=request.GET.get("so_sanh", ""),
        code=request.GET.get("chi_tieu", ""),
    )
    return render(request, "reports/period_territory.html", context)


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
    sector = _sector_param(request) or (access.own_sector(request.user) or "")
    data = exports.consolidated_report_docx(period, sector=sector or Organisation.Sector.CULTURE, by=request.user)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="bao-cao-tong-hop-{period.key}-{sector or "culture"}.docx"'
    return response


# --- Annual and programme reviews (V.6) ----------------------------------------------------


def _review(request, kind: str, key: int) -> "annual.Review":
    if not access.can_see_province(request.user):
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
    review = _review(request, kind, key)
    context = presenters.review_page(review, kind=kind, key=key, sector=_sector_param(request))
    return render(request, "reports/review.html", context)


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
    sector = _sector_param(request) or access.own_sector(request.user) or Organisation.Sector.CULTURE
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
