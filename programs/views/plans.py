"""Annual plans, their activities and progress, and the coverage page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.files import private_file_response

from .. import selectors, services
from ..forms import (
    ActivityForm,
    DecisionForm,
    PlanForm,
    ProgressForm,
    ReasonForm,
)
from ..models import (
    AnnualPlan,
    Meeting,
    PlanActivity,
)
from ._shared import _error


@login_required
@require_GET
def coverage(request):
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        messages.warning(request, _("Năm không hợp lệ, đang hiển thị năm nay."))
        year = timezone.localdate().year
    if not selectors._may_see_programme(request.user):
        raise PermissionDenied(_("Tài khoản của bạn chưa gắn với đơn vị nào."))
    data = selectors.coverage(year)
    years = sorted(set(AnnualPlan.objects.values_list("year", flat=True)), reverse=True)
    return render(
        request,
        "programs/coverage.html",
        {"coverage": data, "years": years, "local_plans": selectors.local_plan_coverage(data.plan)},
    )


@login_required
@require_GET
def plan_list(request):
    if not selectors._may_see_programme(request.user):
        raise PermissionDenied(_("Tài khoản của bạn chưa gắn với đơn vị nào."))
    plans = selectors.plans_for_user(request.user).order_by("-year", "-revision")
    return render(
        request,
        "programs/plan_list.html",
        {"plans": plans, "can_edit": services.is_focal_officer(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request):
    services.require_focal(request.user)
    initial = {}
    review = selectors.review_meeting_for_seed(request.user, request.GET.get("meeting"))
    if review is not None:
        # The review meeting's decisions seed next year's plan (V.6).
        year = selectors.reviewed_year(review) + 1
        initial = {"year": year, "title": _("Kế hoạch năm %(y)s") % {"y": year}, "summary": review.decisions}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        programme = selectors.programme_for_year(year)
        if programme is None:
            form.add_error("year", _("Không có chương trình phối hợp nào có hiệu lực trong năm %(y)s.") % {"y": year})
        else:
            try:
                plan = services.plan_create(
                    programme=programme,
                    year=year,
                    title=form.cleaned_data["title"],
                    summary=form.cleaned_data["summary"],
                    by=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Đã tạo dự thảo kế hoạch. Hãy thêm các hoạt động."))
                return redirect("programs:plan-detail", plan.pk)
    return render(request, "programs/plan_form.html", {"form": form})


@login_required
@require_GET
def plan_detail(request, pk: int):
    plan = selectors.get_plan_for_user(request.user, pk)
    user = request.user
    department = services.director_department(user)
    pending = selectors.pending_departments(plan)
    context = {
        "plan": plan,
        "activities": selectors.activities_with_progress(plan),
        "decisions": selectors.decisions_by_round(plan),
        "pending": pending,
        "can_edit": services.is_focal_officer(user) and plan.status == AnnualPlan.Status.DRAFT,
        "is_focal": services.is_focal_officer(user),
        "can_decide": department is not None and department.code in pending,
        "department": department,
        "decision_form": DecisionForm(),
        "revision_form": ReasonForm(),
        "revisions": plan.revisions.all(),
        "local_plans": selectors.local_plans_of_plan(user, plan),
    }
    return render(request, "programs/plan_detail.html", context)


def _plan_for_editor(request, pk) -> AnnualPlan:
    plan = selectors.get_plan_for_user(request.user, pk)
    services.require_focal(request.user)
    return plan


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    plan = _plan_for_editor(request, pk)
    form = PlanForm(request.POST or None, editing=True, initial={"title": plan.title, "summary": plan.summary})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(
                plan=plan, title=form.cleaned_data["title"], summary=form.cleaned_data["summary"], by=request.user
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Đã lưu kế hoạch."))
        return redirect("programs:plan-detail", plan.pk)
    return render(request, "programs/plan_form.html", {"form": form, "plan": plan})


def _activity_fields(form) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "description": data["description"],
        "commitments": data["commitments"],
        "lead_unit": data["lead_unit"],
        "partner_units": data["partner_units"],
        "start_date": data["start_date"],
        "end_date": data["end_date"],
        "target_value": data["target_value"],
        "target_unit": data["target_unit"],
        "funding_side": data["funding_side"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request, pk: int):
    plan = _plan_for_editor(request, pk)
    if not plan.is_editable:
        messages.error(
            request, _("Kế hoạch không còn là dự thảo: muốn thay đổi kế hoạch đã phê duyệt, hãy tạo bản điều chỉnh.")
        )
        return redirect("programs:plan-detail", plan.pk)
    form = ActivityForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_save(plan=plan, by=request.user, **_activity_fields(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã thêm hoạt động vào kế hoạch."))
            return redirect("programs:plan-detail", plan.pk)
    return render(request, "programs/activity_form.html", {"form": form, "plan": plan})


def _activity_for_user(user, pk) -> PlanActivity:
    try:
        return PlanActivity.objects.select_related("plan__programme", "lead_unit").get(
            pk=pk, plan__in=selectors.plans_for_user(user).values("pk")
        )
    except (PlanActivity.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk: int):
    activity = _activity_for_user(request.user, pk)
    services.require_focal(request.user)
    plan = activity.plan
    form = ActivityForm(request.POST or None, plan=plan, instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_save(plan=plan, activity=activity, by=request.user, **_activity_fields(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu hoạt động."))
            return redirect("programs:plan-detail", plan.pk)
    return render(request, "programs/activity_form.html", {"form": form, "plan": plan, "activity": activity})


@login_required
@require_POST
def activity_delete(request, pk: int):
    activity = _activity_for_user(request.user, pk)
    services.require_focal(request.user)
    try:
        services.activity_delete(activity=activity, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã xóa hoạt động."))
    return redirect("programs:plan-detail", activity.plan_id)


@login_required
@require_POST
def plan_submit(request, pk: int):
    plan = _plan_for_editor(request, pk)
    try:
        services.plan_submit(plan=plan, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã trình kế hoạch tới Giám đốc hai Sở."))
    return redirect("programs:plan-detail", plan.pk)


@login_required
@require_POST
def plan_decide(request, pk: int):
    plan = selectors.get_plan_for_user(request.user, pk)
    if services.director_department(request.user) is None:
        raise PermissionDenied(_("Chỉ Giám đốc Sở VHTTDL hoặc Giám đốc Sở GD&ĐT được phê duyệt kế hoạch."))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng chọn phê duyệt hoặc trả lại."))
        return redirect("programs:plan-detail", plan.pk)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        plan = services.plan_decide(plan=plan, approve=approve, comment=form.cleaned_data["comment"], by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        if not approve:
            messages.success(request, _("Đã trả lại kế hoạch cho đơn vị đầu mối."))
        elif plan.status == AnnualPlan.Status.IN_FORCE:
            messages.success(request, _("Đã phê duyệt. Hai Sở đã cùng phê duyệt: kế hoạch bắt đầu thực hiện."))
        else:
            messages.success(request, _("Đã phê duyệt. Kế hoạch đang chờ ý kiến của Sở còn lại."))
    return redirect("programs:plan-detail", plan.pk)


@login_required
@require_POST
def plan_revise(request, pk: int):
    plan = _plan_for_editor(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng nêu lý do điều chỉnh kế hoạch."))
        return redirect("programs:plan-detail", plan.pk)
    try:
        revision = services.plan_revise(plan=plan, reason=form.cleaned_data["reason"], by=request.user)
    except ValidationError as exc:
        _error(request, exc)
        return redirect("programs:plan-detail", plan.pk)
    messages.success(
        request, _("Đã tạo bản điều chỉnh. Kế hoạch hiện hành vẫn thực hiện cho tới khi bản này được phê duyệt.")
    )
    return redirect("programs:plan-detail", revision.pk)


@login_required
@require_POST
def plan_close(request, pk: int):
    plan = _plan_for_editor(request, pk)
    meeting = (
        Meeting.objects.filter(programme=plan.programme, kind=Meeting.Kind.FINAL_REVIEW, starts_at__year=plan.year)
        .order_by("-starts_at")
        .first()
    )
    try:
        services.plan_close(plan=plan, meeting=meeting, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã tổng kết, đóng kế hoạch năm %(y)s.") % {"y": plan.year})
    return redirect("programs:plan-detail", plan.pk)


@login_required
@require_GET
def activity_detail(request, pk: int):
    activity = _activity_for_user(request.user, pk)
    updates = selectors.progress_with_evidence(request.user, activity)
    return render(
        request,
        "programs/activity_detail.html",
        {
            "activity": activity,
            "plan": activity.plan,
            "commitments": activity.commitments.all(),
            "partners": activity.partner_units.all(),
            "updates": updates,
            "local_activities": selectors.local_activities_of_activity(request.user, activity),
            "can_report": services.can_report_progress(request.user, activity)
            and activity.plan.status == AnnualPlan.Status.IN_FORCE,
            "form": ProgressForm(),
        },
    )


@login_required
@require_POST
def progress_add(request, pk: int):
    activity = _activity_for_user(request.user, pk)
    if not services.can_report_progress(request.user, activity):
        raise PermissionDenied(_("Chỉ cán bộ đầu mối hoặc đơn vị chủ trì được cập nhật tiến độ hoạt động này."))
    form = ProgressForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("programs:activity-detail", activity.pk)
    data = form.cleaned_data
    try:
        services.progress_add(
            activity=activity,
            reported_on=data["reported_on"],
            percent=data["percent"],
            achieved_value=data["achieved_value"],
            narrative=data["narrative"],
            files=data["files"],
            by=request.user,
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã ghi nhận tiến độ."))
    return redirect("programs:activity-detail", activity.pk)


@login_required
@require_GET
def evidence_download(request, pk: int):
    evidence = selectors.get_evidence_for_user(request.user, pk)
    return private_file_response(request, evidence.file, original_name=evidence.original_name)
