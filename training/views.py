import json
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from core.files import private_file_response
from core.pages import action, form_page, refusal

from . import exports, presenters, selectors, services
from .access import (
    can_cancel_nomination,
    can_create_course,
    can_edit_staff,
    can_manage_course,
    can_manage_guidance,
    can_nominate,
    sees_staff_registry,
)
from .certificates import render_pdf
from .forms import (
    CourseFilterForm,
    CourseForm,
    GuidanceDocumentForm,
    GuidanceVersionForm,
    MaterialForm,
    NominateForm,
    ReasonForm,
    RequiredReasonForm,
    SessionForm,
    StaffFilterForm,
    StaffForm,
    VerifyForm,
)
from .models import Nomination, Session, StaffMember


def _manager_course(user, pk):
    course = selectors.get_course_for_user(user, pk)
    if not can_manage_course(user, course):
        raise PermissionDenied(_("Bạn không có quyền quản lý khóa học này."))
    return course


def _to_course(course_or_id) -> str:
    return reverse("training:course-detail", args=[getattr(course_or_id, "pk", course_or_id)])


# --- Courses -----------------------------------------------------------------------------------


@login_required
@require_GET
def course_list(request):
    form = CourseFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        messages.warning(request, _("Bộ lọc không hợp lệ, đang hiển thị tất cả khóa học."))
    context = presenters.course_list_page(request.user, form, page_number=request.GET.get("page"))
    return render(request, "training/course_list.html", context)


@login_required
@require_GET
def course_detail(request, pk: int):
    course = selectors.get_course_for_user(request.user, pk)
    return render(request, "training/course_detail.html", presenters.course_page(request.user, course))


@login_required
@require_http_methods(["GET", "POST"])
def course_create(request):
    if not can_create_course(request.user):
        raise PermissionDenied(_("Đơn vị của bạn không tổ chức khóa học."))
    return form_page(
        request,
        CourseForm(request.POST or None),
        template="training/course_form.html",
        save=lambda data: services.course_create(by=request.user, **data),
        success=_to_course,
        message=_("Đã tạo khóa học. Hãy thêm các buổi học rồi mở nhận đề cử."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_edit(request, pk: int):
    course = _manager_course(request.user, pk)
    return form_page(
        request,
        CourseForm(request.POST or None, instance=course),
        template="training/course_form.html",
        save=lambda data: services.course_update(course=course, by=request.user, **data),
        success=_to_course(course),
        message=_("Đã lưu khóa học."),
        context={"course": course},
    )


def _course_action(request, pk, run, message, **arguments):
    course = _manager_course(request.user, pk)
    return action(
        request, lambda: run(course=course, by=request.user, **arguments), success=_to_course(course), message=message
    )


@login_required
@require_POST
def course_publish(request, pk: int):
    return _course_action(request, pk, services.course_publish, _("Khóa học đã mở nhận đề cử."))


@login_required
@require_POST
def course_close(request, pk: int):
    return _course_action(request, pk, services.course_close, _("Đã khóa đăng ký khóa học."))


@login_required
@require_POST
def course_cancel(request, pk: int):
    form = RequiredReasonForm(request.POST)
    if not form.is_valid():
        course = _manager_course(request.user, pk)
        messages.error(request, _("Hãy nêu lý do hủy khóa học."))
        return redirect(_to_course(course))
    message = _("Đã hủy khóa học và báo cho những người đã ghi danh.")
    return _course_action(request, pk, services.course_cancel, message, reason=form.cleaned_data["reason"])


@login_required
@require_POST
def course_finish(request, pk: int):
    return _course_action(request, pk, services.course_finish, presenters.finished_message)


@login_required
@require_http_methods(["GET", "POST"])
def session_add(request, pk: int):
    course = _manager_course(request.user, pk)
    return _session_form(request, course, None)


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request, pk: int):
    session = selectors.get_session_for_manager(request.user, pk)
    return _session_form(request, session.course, session)


def _session_form(request, course, session):
    return form_page(
        request,
        SessionForm(request.POST or None, instance=session or Session(course=course), course=course),
        template="training/session_form.html",
        save=lambda data: services.session_save(course=course, session=session, by=request.user, **data),
        success=_to_course(course),
        message=_("Đã lưu buổi học."),
        context={"course": course, "session": session or Session(course=course)},
    )


@login_required
@require_POST
def session_delete(request, pk: int):
    session = selectors.get_session_for_manager(request.user, pk)
    return action(
        request,
        lambda: services.session_delete(session=session, by=request.user),
        success=_to_course,
        message=_("Đã xóa buổi học ngày %(d)s.") % {"d": f"{session.date:%d/%m/%Y}"},
        failure=_to_course(session.course_id),
    )


@login_required
@require_http_methods(["GET", "POST"])
def material_add(request, pk: int):
    course = _manager_course(request.user, pk)
    return form_page(
        request,
        MaterialForm(request.POST or None, request.FILES or None),
        template="training/material_form.html",
        save=lambda data: services.material_add(course=course, by=request.user, **data),
        success=_to_course(course),
        message=_("Đã thêm tài liệu."),
        context={"course": course},
    )


@login_required
@require_GET
def material_download(request, pk: int):
    material = selectors.get_material_for_user(request.user, pk)
    return private_file_response(request, material.file, original_name=material.original_name or material.title)


# --- Nominations --------------------------------------------------------------------------------


def _nominating_course(user, pk):
    course = selectors.get_course_for_user(user, pk)
    if not can_nominate(user):
        raise PermissionDenied(_("Bạn không có quyền đề cử nhân viên tham gia khóa học."))
    return course


def _say_nominated(request, done, refused) -> bool:
    """Tell who was nominated and who was refused; True when anyone was nominated."""
    if refused:
        messages.error(request, refusal(refused))
    if done:
        messages.success(request, _("Đã đề cử: %(names)s.") % {"names": ", ".join(n.staff.full_name for n in done)})
    return bool(done)


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request, pk: int):
    course = _nominating_course(request.user, pk)
    if not course.nominations_open_on(timezone.localdate()):
        messages.error(request, _("Khóa học “%(t)s” không còn nhận đề cử.") % {"t": course.title})
        return redirect(_to_course(course))
    candidates = selectors.nominatable_staff(request.user, course).order_by("school__name", "full_name")
    form = NominateForm(request.POST or None, staff_queryset=candidates)
    if request.method == "POST" and form.is_valid():
        done, refused = services.nominations_create(course=course, by=request.user, **form.cleaned_data)
        if _say_nominated(request, done, refused):
            return redirect(_to_course(course))
    elif "staff" in form.errors and request.POST.getlist("staff"):
        # A staff member outside the user's scope (or already nominated) was posted.
        messages.error(request, _("Có người được chọn không thuộc phạm vi của bạn hoặc đã được đề cử."))
    return render(request, "training/nominate.html", {"form": form, "course": course})


def _nomination_action(request, pk, may, run, message):
    """A button on a nomination: `may(user, nomination)` decides who may press it."""
    nomination = selectors.get_nomination_for_user(request.user, pk)
    if not may(request.user, nomination):
        raise PermissionDenied
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return action(
        request,
        lambda: run(nomination=nomination, by=request.user, reason=reason),
        success=_to_course(nomination.course_id),
        message=message % {"name": nomination.staff.full_name},
    )


def _manages(user, nomination) -> bool:
    return can_manage_course(user, nomination.course)


def _approved(request, nomination) -> str:
    name = nomination.staff.full_name
    if nomination.state == Nomination.State.BOOKED:
        messages.success(request, _("Đã duyệt và ghi danh %(name)s.") % {"name": name})
    else:
        messages.warning(request, _("Khóa học đã đủ chỗ: %(name)s được đưa vào danh sách chờ.") % {"name": name})
    return _to_course(nomination.course_id)


@login_required
@require_POST
def nomination_approve(request, pk: int):
    nomination = selectors.get_nomination_for_user(request.user, pk)
    if not _manages(request.user, nomination):
        raise PermissionDenied
    return action(
        request,
        lambda: services.nomination_approve(nomination=nomination, by=request.user),
        success=lambda approved: _approved(request, approved),
        failure=_to_course(nomination.course_id),
    )


@login_required
@require_POST
def nomination_decline(request, pk: int):
    return _nomination_action(request, pk, _manages, services.nomination_decline, _("Đã từ chối đề cử %(name)s."))


@login_required
@require_POST
def nomination_cancel(request, pk: int):
    return _nomination_action(
        request, pk, can_cancel_nomination, services.nomination_cancel, _("Đã hủy đề cử %(name)s.")
    )


@login_required
@require_GET
def nomination_detail(request, pk: int):
    nomination = selectors.get_nomination_for_user(request.user, pk)
    return render(
        request,
        "training/nomination_detail.html",
        {
            "nomination": nomination,
            "history": selectors.nomination_history(nomination),
            "manager": can_manage_course(request.user, nomination.course),
        },
    )


# --- Attendance ------------------------------------------------------------------------------


def _posted_ids(values) -> set[int] | None:
    try:
        return {int(v) for v in values}
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def attendance_sheet(request, pk: int):
    """One tap per person (attendance.js posts each to attendance_toggle); without JavaScript
    the checkboxes are submitted together."""
    session = selectors.get_session_for_manager(request.user, pk)
    if request.method == "GET":
        return render(request, "training/attendance.html", presenters.attendance_page(session))
    present = _posted_ids(request.POST.getlist("present"))
    if present is None:
        messages.error(request, _("Dữ liệu điểm danh không hợp lệ."))
        return redirect("training:attendance", session.pk)
    record = partial(services.attendance_record, session=session, present_ids=present, by=request.user)
    back = reverse("training:attendance", args=[session.pk])
    return action(request, record, success=back, message=presenters.attendance_recorded_message)


def _posted_presence(request) -> bool | None:
    """The tap's value from a form post or attendance.js's JSON (None when unreadable)."""
    raw = request.POST.get("present")
    if raw is None and request.content_type == "application/json":
        try:
            raw = str(json.loads(request.body or b"{}").get("present", ""))
        except (ValueError, AttributeError):
            raw = None
    if raw not in ("1", "0", "true", "false", "True", "False"):
        return None
    return raw in ("1", "true", "True")


@login_required
@require_POST
def attendance_toggle(request, pk: int, nomination_pk: int):
    session = selectors.get_session_for_manager(request.user, pk)
    nomination = selectors.get_session_nomination(session, nomination_pk)
    present = _posted_presence(request)
    if present is None:
        return JsonResponse({"ok": False, "error": _("Giá trị điểm danh không hợp lệ.")}, status=400)
    try:
        services.attendance_mark(session=session, nomination=nomination, present=present, by=request.user)
    except ValidationError as exc:
        return JsonResponse({"ok": False, "error": refusal(exc)}, status=400)
    n_present = session.attendance.filter(present=True).count()
    return JsonResponse({"ok": True, "present": present, "n_present": n_present})


# --- Exports ------------------------------------------------------------------------------------


@login_required
@require_GET
def export_participants(request, pk: int):
    course = _manager_course(request.user, pk)
    return exports.participants_response(course)


@login_required
@require_GET
def export_attendance(request, pk: int):
    course = _manager_course(request.user, pk)
    return exports.attendance_response(course)


# --- Certificates ----------------------------------------------------------------------------


@login_required
@require_GET
def certificate_pdf(request, pk: int):
    certificate = selectors.get_certificate_for_user(request.user, pk)
    response = HttpResponse(render_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="chung-nhan-{certificate.code}.pdf"'
    return response


@login_required
@require_POST
def certificate_revoke(request, pk: int):
    certificate = selectors.get_certificate_for_user(request.user, pk)
    if not can_manage_course(request.user, certificate.nomination.course):
        raise PermissionDenied
    back = reverse("training:nomination-detail", args=[certificate.nomination_id])
    form = RequiredReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy nêu lý do thu hồi giấy chứng nhận."))
        return redirect(back)
    return action(
        request,
        lambda: services.certificate_revoke(certificate=certificate, by=request.user, **form.cleaned_data),
        success=back,
        message=_("Đã thu hồi giấy chứng nhận %(code)s.") % {"code": certificate.code},
    )


def verify_rate(group, request) -> str:
    return settings.RATELIMIT_VERIFY


@require_GET
@ratelimit(key="ip", rate=verify_rate, block=True)
def verify(request, code: str | None = None):
    """Public (no login): is this certificate genuine, and still valid?"""
    if code is not None:
        context = presenters.verification(code)
        return render(request, "training/verify.html", context, status=200 if context["certificate"] else 404)
    form = VerifyForm(request.GET or None)
    if not form.is_bound:
        return render(request, "training/verify.html", {"form": form})
    if form.is_valid():
        return redirect("training:verify", selectors.normalise_code(form.cleaned_data["code"]) or "-")
    return render(request, "training/verify.html", {"form": form}, status=400)


# --- Staff registry ------------------------------------------------------------------------------


@login_required
@require_GET
def staff_list(request):
    if not sees_staff_registry(request.user):
        raise PermissionDenied(_("Danh sách nhân viên thư viện dành cho ngành giáo dục và đơn vị đầu mối."))
    form = StaffFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    staff = selectors.staff_registry(request.user, q=filters.get("q", ""), employment=filters.get("employment", ""))
    page = Paginator(staff, 30).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "can_edit": can_edit_staff(request.user)}
    return render(request, "training/staff_list.html", context)


@login_required
@require_GET
def staff_detail(request, pk: int):
    staff = selectors.get_staff_for_user(request.user, pk)
    return render(
        request,
        "training/staff_detail.html",
        {"staff": staff, "history": selectors.training_history(staff), "can_edit": can_edit_staff(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_create(request):
    return _staff_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def staff_edit(request, pk: int):
    return _staff_form(request, selectors.get_staff_for_user(request.user, pk))


def _staff_form(request, staff):
    if not can_edit_staff(request.user):
        raise PermissionDenied(_("Bạn không có quyền cập nhật danh sách nhân viên thư viện."))
    schools = selectors.schools_for_user(request.user)
    form = StaffForm(request.POST or None, instance=staff, schools=schools)
    if request.method == "GET" and staff is None and schools.count() == 1:
        form.initial["school"] = schools.first().pk
    return form_page(
        request,
        form,
        template="training/staff_form.html",
        save=lambda data: services.staff_save(staff=staff, by=request.user, **data),
        success=lambda saved: reverse("training:staff-detail", args=[saved.pk]),
        message=lambda saved: _("Đã lưu thông tin %(name)s.") % {"name": saved.full_name},
        context={"staff": staff or StaffMember()},
    )


# --- Guidance documents ---------------------------------------------------------------------------


@login_required
@require_GET
def guidance_list(request):
    return render(
        request,
        "training/guidance_list.html",
        {"documents": selectors.guidance_for_user(request.user), "can_manage": can_manage_guidance(request.user)},
    )


@login_required
@require_GET
def guidance_detail(request, pk: int):
    document = selectors.get_guidance_for_user(request.user, pk)
    return render(
        request,
        "training/guidance_detail.html",
        {"document": document, "versions": document.versions.all(), "can_manage": can_manage_guidance(request.user)},
    )


def _guidance_manager(request) -> None:
    if not can_manage_guidance(request.user):
        raise PermissionDenied(_("Bạn không có quyền biên soạn tài liệu hướng dẫn nghiệp vụ."))


def _to_guidance(document) -> str:
    return reverse("training:guidance-detail", args=[document.pk])


def _new_guidance_forms(request):
    return (
        GuidanceDocumentForm(request.POST or None),
        GuidanceVersionForm(request.POST or None, request.FILES or None, initial={"version": "1.0"}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def guidance_create(request):
    _guidance_manager(request)
    form, version_form = _new_guidance_forms(request)
    if request.method == "POST" and not form.is_valid():
        return render(request, "training/guidance_form.html", {"form": form, "version_form": version_form})
    return form_page(
        request,
        version_form,
        template="training/guidance_form.html",
        save=lambda data: services.guidance_create(by=request.user, **form.cleaned_data, **data),
        success=_to_guidance,
        message=lambda document: _("Đã thêm tài liệu “%(t)s”.") % {"t": document.title},
        context={"form": form, "version_form": version_form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def guidance_edit(request, pk: int):
    document = selectors.get_guidance_for_user(request.user, pk)
    _guidance_manager(request)
    return form_page(
        request,
        GuidanceDocumentForm(request.POST or None, instance=document),
        template="training/guidance_form.html",
        save=lambda data: services.guidance_update(document=document, by=request.user, **data),
        success=_to_guidance(document),
        message=lambda saved: _("Đã lưu tài liệu “%(t)s”.") % {"t": saved.title},
        context={"document": document},
    )


@login_required
@require_http_methods(["GET", "POST"])
def guidance_version_add(request, pk: int):
    document = selectors.get_guidance_for_user(request.user, pk)
    _guidance_manager(request)
    initial = {"version": selectors.next_version_label(document)}
    return form_page(
        request,
        GuidanceVersionForm(request.POST or None, request.FILES or None, initial=initial),
        template="training/guidance_version_form.html",
        save=lambda data: services.guidance_version_add(document=document, by=request.user, **data),
        success=_to_guidance(document),
        message=lambda v: _("Đã tải lên phiên bản %(v)s của “%(t)s”.") % {"v": v.version, "t": document.title},
        context={"document": document, "latest": document.versions.first()},
    )


@login_required
@require_GET
def guidance_download(request, pk: int):
    version = selectors.get_guidance_version_for_user(request.user, pk)
    response = private_file_response(request, version.file, original_name=version.original_name)
    services.guidance_downloaded(version=version)
    return response
