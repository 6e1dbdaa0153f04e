"""Local plans of the district offices and their activities."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.pages import action, form_action, form_page

from .. import access, presenters, selectors, services
from ..forms import DecisionForm, LocalActivityForm, LocalPlansDueForm


def _local_url(local_or_pk) -> str:
    return reverse("programs:local-plan-detail", args=[getattr(local_or_pk, "pk", local_or_pk)])


@login_required
@require_GET
def local_plan_list(request):
    context = presenters.local_plan_list_page(request.user, request.GET.get("page"))
    return render(request, "programs/local_plan_list.html", context)


def _start_local_plan(user):
    current = selectors.current_plan()
    if current is None:
        raise ValidationError(_("Chưa có kế hoạch của tỉnh cho năm nay."))
    return services.local_plan_create(plan=current, by=user)


@login_required
@require_POST
def local_plan_create(request):
    return action(
        request,
        lambda: _start_local_plan(request.user),
        success=_local_url,
        failure=reverse("programs:local-plan-list"),
    )


@login_required
@require_GET
def local_plan_detail(request, pk: int):
    local = selectors.get_local_plan_for_user(request.user, pk)
    return render(request, "programs/local_plan_detail.html", presenters.local_plan_page(request.user, local))


def _reviewed(local) -> str:
    if local.status == local.Status.RETURNED:
        return _("Đã trả lại kế hoạch để đơn vị bổ sung.")
    return _("Đã tiếp nhận kế hoạch.")


@login_required
@require_POST
def local_plan_review(request, pk: int):
    local = access.get_local_plan_for_reviewer(request.user, pk)
    return form_action(
        request,
        DecisionForm(request.POST),
        lambda data: services.local_plan_review(
            local_plan=local, acknowledge=data["decision"] == "approve", comment=data["comment"], by=request.user
        ),
        success=_local_url(local),
        message=_reviewed,
        invalid=_("Vui lòng chọn tiếp nhận hoặc trả lại."),
    )


@login_required
@require_POST
def plan_local_plans_due(request, pk: int):
    plan = access.get_plan_for_editor(request.user, pk)
    return form_action(
        request,
        LocalPlansDueForm(request.POST),
        lambda data: services.plan_set_local_plans_due(plan=plan, by=request.user, **data),
        success=reverse("programs:plan-detail", args=[plan.pk]),
        message=_("Đã lưu hạn gửi kế hoạch địa phương."),
    )


@login_required
@require_POST
def local_activity_add(request, pk: int):
    local = access.get_local_plan_for_editor(request.user, pk)
    return form_action(
        request,
        LocalActivityForm(request.POST, local_plan=local),
        lambda data: services.local_activity_save(local_plan=local, by=request.user, **data),
        success=_local_url(local),
        message=_("Đã thêm hoạt động."),
        labels=False,
    )


@login_required
@require_http_methods(["GET", "POST"])
def local_activity_edit(request, pk: int):
    activity = access.get_local_activity_for_editor(request.user, pk)
    local = activity.local_plan
    return form_page(
        request,
        LocalActivityForm(request.POST or None, local_plan=local, instance=activity),
        template="programs/local_activity_form.html",
        save=lambda data: services.local_activity_save(local_plan=local, activity=activity, by=request.user, **data),
        success=_local_url(local),
        message=_("Đã cập nhật hoạt động."),
        context={"local": local},
    )


@login_required
@require_POST
def local_plan_submit(request, pk: int):
    local = access.get_local_plan_for_editor(request.user, pk)
    return action(
        request,
        lambda: services.local_plan_submit(local_plan=local, by=request.user),
        success=_local_url(local),
        message=_("Đã gửi kế hoạch tới hai Sở."),
    )
