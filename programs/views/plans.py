"""Annual plans, their activities and progress, and the coverage page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.files import private_file_response
from core.pages import action, form_action, form_page

from .. import access, presenters, selectors, services
from ..forms import ActivityForm, DecisionForm, PlanForm, ProgressForm, ReasonForm
from ..models import AnnualPlan
from ._shared import programme_in_force

NOT_A_DRAFT = _lazy("Kế hoạch không còn là dự thảo: muốn thay đổi kế hoạch đã phê duyệt, hãy tạo bản điều chỉnh.")


def _plan_url(plan_or_pk) -> str:
    return reverse("programs:plan-detail", args=[getattr(plan_or_pk, "pk", plan_or_pk)])


@login_required
@require_GET
def coverage(request):
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        messages.warning(request, _("Năm không hợp lệ, đang hiển thị năm nay."))
        year = timezone.localdate().year
    access.require_programme_view(request.user)
    return render(request, "programs/coverage.html", presenters.coverage_page(year))


@login_required
@require_GET
def plan_list(request):
    access.require_programme_view(request.user)
    plans = selectors.plans_for_user(request.user).order_by("-year", "-revision")
    return render(
        request,
        "programs/plan_list.html",
        {"plans": plans, "can_edit": access.is_focal_officer(request.user)},
    )


def _plan_create(user, *, year, **fields):
    message = _("Không có chương trình phối hợp nào có hiệu lực trong năm %(y)s.") % {"y": year}
    programme = programme_in_force(year, field="year", message=message)
    return services.plan_create(programme=programme, year=year, by=user, **fields)


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request):
    access.require_focal(request.user)
    initial = presenters.plan_initial_from_review(request.user, request.GET.get("meeting"))
    return form_page(
        request,
        PlanForm(request.POST or None, initial=initial),
        template="programs/plan_form.html",
        save=lambda data: _plan_create(request.user, **data),
        success=_plan_url,
        message=_("Đã tạo dự thảo kế hoạch. Hãy thêm các hoạt động."),
    )


@login_required
@require_GET
def plan_detail(request, pk: int):
    plan = selectors.get_plan_for_user(request.user, pk)
    return render(request, "programs/plan_detail.html", presenters.plan_page(request.user, plan))


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    plan = access.get_plan_for_editor(request.user, pk)
    form = PlanForm(request.POST or None, editing=True, initial={"title": plan.title, "summary": plan.summary})
    return form_page(
        request,
        form,
        template="programs/plan_form.html",
        save=lambda data: services.plan_update(plan=plan, by=request.user, **data),
        success=_plan_url(plan),
        message=_("Đã lưu kế hoạch."),
        context={"plan": plan},
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request, pk: int):
    plan = access.get_plan_for_editor(request.user, pk)
    if not plan.is_editable:
        messages.error(request, NOT_A_DRAFT)
        return redirect(_plan_url(plan))
    return form_page(
        request,
        ActivityForm(request.POST or None, plan=plan),
        template="programs/activity_form.html",
        save=lambda data: services.activity_save(plan=plan, by=request.user, **data),
        success=_plan_url(plan),
        message=_("Đã thêm hoạt động vào kế hoạch."),
        context={"plan": plan},
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk: int):
    activity = access.get_activity_for_editor(request.user, pk)
    plan = activity.plan
    return form_page(
        request,
        ActivityForm(request.POST or None, plan=plan, instance=activity),
        template="programs/activity_form.html",
        save=lambda data: services.activity_save(plan=plan, activity=activity, by=request.user, **data),
        success=_plan_url(plan),
        message=_("Đã lưu hoạt động."),
        context={"plan": plan, "activity": activity},
    )


@login_required
@require_POST
def activity_delete(request, pk: int):
    activity = access.get_activity_for_editor(request.user, pk)
    return action(
        request,
        lambda: services.activity_delete(activity=activity, by=request.user),
        success=_plan_url(activity.plan_id),
        message=_("Đã xóa hoạt động."),
    )


@login_required
@require_POST
def plan_submit(request, pk: int):
    plan = access.get_plan_for_editor(request.user, pk)
    return action(
        request,
        lambda: services.plan_submit(plan=plan, by=request.user),
        success=_plan_url(plan),
        message=_("Đã trình kế hoạch tới Giám đốc hai Sở."),
    )


def _plan_decided(plan) -> str:
    if plan.status == AnnualPlan.Status.IN_FORCE:
        return _("Đã phê duyệt. Hai Sở đã cùng phê duyệt: kế hoạch bắt đầu thực hiện.")
    if plan.status == AnnualPlan.Status.SUBMITTED:
        return _("Đã phê duyệt. Kế hoạch đang chờ ý kiến của Sở còn lại.")
    return _("Đã trả lại kế hoạch cho đơn vị đầu mối.")


@login_required
@require_POST
def plan_decide(request, pk: int):
    plan = selectors.get_plan_for_user(request.user, pk)
    access.require_director(request.user, _("Chỉ Giám đốc Sở VHTTDL hoặc Giám đốc Sở GD&ĐT được phê duyệt kế hoạch."))
    return form_action(
        request,
        DecisionForm(request.POST),
        lambda data: services.plan_decide(
            plan=plan, approve=data["decision"] == "approve", comment=data["comment"], by=request.user
        ),
        success=_plan_url(plan),
        message=_plan_decided,
        invalid=_("Vui lòng chọn phê duyệt hoặc trả lại."),
    )


@login_required
@require_POST
def plan_revise(request, pk: int):
    plan = access.get_plan_for_editor(request.user, pk)
    return form_action(
        request,
        ReasonForm(request.POST),
        lambda data: services.plan_revise(plan=plan, by=request.user, **data),
        success=_plan_url,
        failure=_plan_url(plan),
        message=_("Đã tạo bản điều chỉnh. Kế hoạch hiện hành vẫn thực hiện cho tới khi bản này được phê duyệt."),
        invalid=_("Vui lòng nêu lý do điều chỉnh kế hoạch."),
    )


@login_required
@require_POST
def plan_close(request, pk: int):
    plan = access.get_plan_for_editor(request.user, pk)
    meeting = selectors.final_review_meeting(plan)
    return action(
        request,
        lambda: services.plan_close(plan=plan, meeting=meeting, by=request.user),
        success=_plan_url(plan),
        message=_("Đã tổng kết, đóng kế hoạch năm %(y)s.") % {"y": plan.year},
    )


@login_required
@require_GET
def activity_detail(request, pk: int):
    activity = selectors.get_plan_activity_for_user(request.user, pk)
    return render(request, "programs/activity_detail.html", presenters.activity_page(request.user, activity))


@login_required
@require_POST
def progress_add(request, pk: int):
    activity = access.get_activity_for_reporter(request.user, pk)
    return form_action(
        request,
        ProgressForm(request.POST, request.FILES),
        lambda data: services.progress_add(activity=activity, by=request.user, **data),
        success=reverse("programs:activity-detail", args=[activity.pk]),
        message=_("Đã ghi nhận tiến độ."),
        labels=False,
    )


@login_required
@require_GET
def evidence_download(request, pk: int):
    evidence = selectors.get_evidence_for_user(request.user, pk)
    return private_file_response(request, evidence.file, original_name=evidence.original_name)
