import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from core.files import private_file_response
from core.search import normalise

from . import exports, selectors, services
from .access import (
    can_cancel_nomination,
    can_create_course,
    can_edit_staff,
    can_manage_course,
    can_manage_guidance,
    can_nominate,
    sees_staff_registry,
)
from .certificates import render_pdf, verification_url
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
from .models import Course, CourseMaterial, GuidanceVersion, Nomination, Session


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _manager_course(user, pk) -> Course:
    course = selectors.get_course_for_user(user, pk)
    if not can_manage_course(user, course):
        raise PermissionDenied(_("Bạn không có quyền quản lý khóa học này."))
    return course


# --- Courses -----------------------------------------------------------------------------------


@login_required
@require_GET
def course_list(request):
    form = CourseFilterForm(request.GET or None)
    courses = selectors.with_place_counts(selectors.courses_for_user(request.user))
    if form.is_bound:
        if form.is_valid():
            if form.cleaned_data["status"]:
                courses = courses.filter(status=form.cleaned_data["status"])
            if form.cleaned_data["kind"]:
                courses = courses.filter(kind=form.cleaned_data["kind"])
        else:
            messages.warning(request, _("Bộ lọc không hợp lệ, đang hiển thị tất cả khóa học."))
    page = Paginator(courses.order_by("-last_date", "-pk"), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "training/course_list.html",
        {"form": form, "page": page, "can_create": can_create_course(request.user)},
    )


@login_required
@require_GET
def course_detail(request, pk: int):
    course = selectors.get_course_for_user(request.user, pk)
    user = request.user
    manager = can_manage_course(user, course)
    nominations = list(selectors.nominations_for_user(user, course))
    waitlist_order = {n.pk: i for i, n in enumerate(selectors.waitlist(course), start=1)}
    for n in nominations:
        n.queue_position = waitlist_order.get(n.pk)
        n.can_cancel = n.state in Nomination.ACTIVE_STATES and can_cancel_nomination(user, n)
    context = {
        "course": course,
        "sessions": course.sessions.select_related("venue").annotate(n_marked=Count("attendance")),
        "materials": course.materials.all(),
        "nominations": nominations,
        "manager": manager,
        "can_nominate": can_nominate(user) and course.nominations_open_on(timezone.localdate()),
        "today": timezone.localdate(),
        "reason_form": RequiredReasonForm(),
    }
    return render(request, "training/course_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def course_create(request):
    if not can_create_course(request.user):
        raise PermissionDenied(_("Đơn vị của bạn không tổ chức khóa học."))
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã tạo khóa học. Hãy thêm các buổi học rồi mở nhận đề cử."))
            return redirect("training:course-detail", course.pk)
    return render(request, "training/course_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def course_edit(request, pk: int):
    course = _manager_course(request.user, pk)
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_update(course=course, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu khóa học."))
            return redirect("training:course-detail", course.pk)
    return render(request, "training/course_form.html", {"form": form, "course": course})


def _course_action(request, pk, action, success):
    course = _manager_course(request.user, pk)
    try:
        action(course=course, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, success)
    return redirect("training:course-detail", course.pk)


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
    course = _manager_course(request.user, pk)
    form = RequiredReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy nêu lý do hủy khóa học."))
        return redirect("training:course-detail", course.pk)
    try:
        services.course_cancel(course=course, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã hủy khóa học và báo cho những người đã ghi danh."))
    return redirect("training:course-detail", course.pk)


@login_required
@require_POST
def course_finish(request, pk: int):
    course = _manager_course(request.user, pk)
    try:
        counts = services.course_finish(course=course, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request,
            _(
                "Khóa học đã kết thúc: %(c)s người hoàn thành và được cấp chứng nhận, %(p)s tham dự một phần, %(n)s vắng mặt."
            )
            % {"c": counts["completed"], "p": counts["partial"], "n": counts["no_show"]},
        )
    return redirect("training:course-detail", course.pk)


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
    form = SessionForm(request.POST or None, instance=session or Session(course=course), course=course)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_save(course=course, session=session, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu buổi học."))
            return redirect("training:course-detail", course.pk)
    context = {"form": form, "course": course, "session": session or form.instance}
    return render(request, "training/session_form.html", context)


@login_required
@require_POST
def session_delete(request, pk: int):
    session = selectors.get_session_for_manager(request.user, pk)
    try:
        course = services.session_delete(session=session, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("training:course-detail", session.course_id)
    messages.success(request, _("Đã xóa buổi học ngày %(d)s.") % {"d": f"{session.date:%d/%m/%Y}"})
    return redirect("training:course-detail", course.pk)


@login_required
@require_http_methods(["GET", "POST"])
def material_add(request, pk: int):
    course = _manager_course(request.user, pk)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.material_add(
                course=course, title=form.cleaned_data["title"], file=form.cleaned_data["file"], by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã thêm tài liệu."))
            return redirect("training:course-detail", course.pk)
    return render(request, "training/material_form.html", {"form": form, "course": course})


@login_required
@require_GET
def material_download(request, pk: int):
    material = get_object_or_404(CourseMaterial, pk=pk)
    selectors.get_course_for_user(request.user, material.course_id)
    return private_file_response(request, material.file, original_name=material.original_name or material.title)


# --- Nominations --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request, pk: int):
    course = selectors.get_course_for_user(request.user, pk)
    if not can_nominate(request.user):
        raise PermissionDenied(_("Bạn không có quyền đề cử nhân viên tham gia khóa học."))
    if not course.nominations_open_on(timezone.localdate()):
        messages.error(request, _("Khóa học “%(t)s” không còn nhận đề cử.") % {"t": course.title})
        return redirect("training:course-detail", course.pk)
    candidates = selectors.nominatable_staff(request.user, course).order_by("school__name", "full_name")
    form = NominateForm(request.POST or None, staff_queryset=candidates)
    if request.method == "POST":
        if form.is_valid():
            done = []
            try:
                for staff in form.cleaned_data["staff"]:
                    services.nomination_create(
                        course=course, staff=staff, by=request.user, note=form.cleaned_data["note"]
                    )
                    done.append(staff.full_name)
            except ValidationError as exc:
                _errors(request, exc)
            if done:
                messages.success(request, _("Đã đề cử: %(names)s.") % {"names": ", ".join(done)})
                return redirect("training:course-detail", course.pk)
        elif "staff" in form.errors and request.POST.getlist("staff"):
            # A staff member outside the user's scope (or already nominated) was posted.
            messages.error(request, _("Có người được chọn không thuộc phạm vi của bạn hoặc đã được đề cử."))
    return render(request, "training/nominate.html", {"form": form, "course": course})


def _nomination_action(request, pk, run, success):
    nomination = selectors.get_nomination_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        run(nomination=nomination, by=request.user, reason=reason)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, success % {"name": nomination.staff.full_name})
    return redirect("training:course-detail", nomination.course_id)


@login_required
@require_POST
def nomination_approve(request, pk: int):
    nomination = selectors.get_nomination_for_user(request.user, pk)
    if not can_manage_course(request.user, nomination.course):
        raise PermissionDenied
    try:
        nomination = services.nomination_approve(nomination=nomination, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        if nomination.state == Nomination.State.BOOKED:
            messages.success(request, _("Đã duyệt và ghi danh %(name)s.") % {"name": nomination.staff.full_name})
        else:
            messages.warning(
                request,
                _("Khóa học đã đủ chỗ: %(name)s được đưa vào danh sách chờ.") % {"name": nomination.staff.full_name},
            )
    return redirect("training:course-detail", nomination.course_id)


@login_required
@require_POST
def nomination_decline(request, pk: int):
    nomination = selectors.get_nomination_for_user(request.user, pk)
    if not can_manage_course(request.user, nomination.course):
        raise PermissionDenied
    return _nomination_action(request, pk, services.nomination_decline, _("Đã từ chối đề cử %(name)s."))


@login_required
@require_POST
def nomination_cancel(request, pk: int):
    nomination = selectors.get_nomination_for_user(request.user, pk)
    if not can_cancel_nomination(request.user, nomination):
        raise PermissionDenied
    return _nomination_action(request, pk, services.nomination_cancel, _("Đã hủy đề cử %(name)s."))


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


@login_required
@require_http_methods(["GET", "POST"])
def attendance_sheet(request, pk: int):
    """The list with one tap per person (attendance.js posts each tap to attendance_toggle);
    without JavaScript the checkboxes are submitted together."""
    session = selectors.get_session_for_manager(request.user, pk)
    if request.method == "POST":
        try:
            present = {int(v) for v in request.POST.getlist("present")}
        except ValueError:
            messages.error(request, _("Dữ liệu điểm danh không hợp lệ."))
            return redirect("training:attendance", session.pk)
        try:
            n = services.attendance_record(session=session, present_ids=present, by=request.user)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Đã lưu điểm danh: %(n)s người có mặt.") % {"n": n})
        return redirect("training:attendance", session.pk)
    roster = selectors.session_roster(session)
    return render(
        request,
        "training/attendance.html",
        {
            "session": session,
            "course": session.course,
            "roster": roster,
            "n_present": sum(1 for _n, p in roster if p),
            "can_mark": session.course.status in (Course.Status.OPEN, Course.Status.CLOSED)
            and session.date <= timezone.localdate(),
        },
    )


@login_required
@require_POST
def attendance_toggle(request, pk: int, nomination_pk: int):
    session = selectors.get_session_for_manager(request.user, pk)
    nomination = get_object_or_404(Nomination, pk=nomination_pk, course_id=session.course_id)
    raw = request.POST.get("present")
    if raw is None and request.content_type == "application/json":
        try:
            raw = str(json.loads(request.body or b"{}").get("present", ""))
        except (ValueError, AttributeError):
            raw = None
    if raw not in ("1", "0", "true", "false", "True", "False"):
        return JsonResponse({"ok": False, "error": _("Giá trị điểm danh không hợp lệ.")}, status=400)
    present = raw in ("1", "true", "True")
    try:
        services.attendance_mark(session=session, nomination=nomination, present=present, by=request.user)
    except ValidationError as exc:
        return JsonResponse({"ok": False, "error": " ".join(exc.messages)}, status=400)
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
    course = certificate.nomination.course
    if not can_manage_course(request.user, course):
        raise PermissionDenied
    form = RequiredReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy nêu lý do thu hồi giấy chứng nhận."))
    else:
        try:
            services.certificate_revoke(certificate=certificate, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Đã thu hồi giấy chứng nhận %(code)s.") % {"code": certificate.code})
    return redirect("training:nomination-detail", certificate.nomination_id)


def verify_rate(group, request) -> str:
    return settings.RATELIMIT_VERIFY


@require_GET
@ratelimit(key="ip", rate=verify_rate, block=True)
def verify(request, code: str | None = None):
    """Public (no login): is this certificate genuine, and still valid?"""
    form = VerifyForm(request.GET or None)
    if code is None and form.is_bound:
        if form.is_valid():
            return redirect("training:verify", selectors.normalise_code(form.cleaned_data["code"]) or "-")
        return render(request, "training/verify.html", {"form": form}, status=400)
    if code is None:
        return render(request, "training/verify.html", {"form": form})
    certificate = selectors.certificate_by_code(code)
    context = {
        "form": VerifyForm(initial={"code": code}),
        "code": selectors.normalise_code(code),
        "certificate": certificate,
        "checked": True,
        "valid": certificate is not None and certificate.is_valid_on(timezone.localdate()),
        "url": verification_url(certificate.code) if certificate else "",
    }
    return render(request, "training/verify.html", context, status=200 if certificate else 404)


# --- Staff registry ------------------------------------------------------------------------------


@login_required
@require_GET
def staff_list(request):
    if not sees_staff_registry(request.user):
        raise PermissionDenied(_("Danh sách nhân viên thư viện dành cho ngành giáo dục và đơn vị đầu mối."))
    form = StaffFilterForm(request.GET or None)
    staff = selectors.staff_for_user(request.user).annotate(
        n_completed=Count("nominations", filter=Q(nominations__completed_at__isnull=False))
    )
    if form.is_bound and form.is_valid():
        term = normalise(form.cleaned_data["q"])
        if term:
            staff = staff.filter(
                Q(full_name__unaccent__icontains=term)
                | Q(school__name__unaccent__icontains=term)
                | Q(school__district__name__unaccent__icontains=term)
            )
        if form.cleaned_data["employment"]:
            staff = staff.filter(employment=form.cleaned_data["employment"])
    staff = staff.order_by("school__district__code", "school__name", "full_name", "pk")
    page = Paginator(staff, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "training/staff_list.html",
        {"form": form, "page": page, "can_edit": can_edit_staff(request.user)},
    )


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
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.staff_save(staff=staff, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu thông tin %(name)s.") % {"name": saved.full_name})
            return redirect("training:staff-detail", saved.pk)
    return render(request, "training/staff_form.html", {"form": form, "staff": staff or form.instance})


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


@login_required
@require_http_methods(["GET", "POST"])
def guidance_create(request):
    _guidance_manager(request)
    form = GuidanceDocumentForm(request.POST or None)
    version_form = GuidanceVersionForm(request.POST or None, request.FILES or None, initial={"version": "1.0"})
    if request.method == "POST" and form.is_valid() and version_form.is_valid():
        try:
            document = services.guidance_create(by=request.user, **form.cleaned_data, **version_form.cleaned_data)
        except ValidationError as exc:
            version_form.add_error(None, exc)
        else:
            messages.success(request, _("Đã thêm tài liệu “%(t)s”.") % {"t": document.title})
            return redirect("training:guidance-detail", document.pk)
    return render(request, "training/guidance_form.html", {"form": form, "version_form": version_form})


@login_required
@require_http_methods(["GET", "POST"])
def guidance_edit(request, pk: int):
    document = selectors.get_guidance_for_user(request.user, pk)
    _guidance_manager(request)
    form = GuidanceDocumentForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.guidance_update(document=document, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu tài liệu “%(t)s”.") % {"t": document.title})
            return redirect("training:guidance-detail", document.pk)
    return render(request, "training/guidance_form.html", {"form": form, "document": document})


@login_required
@require_http_methods(["GET", "POST"])
def guidance_version_add(request, pk: int):
    document = selectors.get_guidance_for_user(request.user, pk)
    _guidance_manager(request)
    form = GuidanceVersionForm(
        request.POST or None, request.FILES or None, initial={"version": selectors.next_version_label(document)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.guidance_version_add(document=document, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Đã tải lên phiên bản %(v)s của “%(t)s”.") % {"v": version.version, "t": document.title}
            )
            return redirect("training:guidance-detail", document.pk)
    return render(
        request,
        "training/guidance_version_form.html",
        {"form": form, "document": document, "latest": document.versions.first()},
    )


@login_required
@require_GET
def guidance_download(request, pk: int):
    version = get_object_or_404(GuidanceVersion.objects.select_related("document"), pk=pk)
    selectors.get_guidance_for_user(request.user, version.document_id)
    response = private_file_response(request, version.file, original_name=version.original_name)
    services.guidance_downloaded(version=version)
    return response
