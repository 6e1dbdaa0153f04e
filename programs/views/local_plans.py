"""Local plans of the district offices and their activities."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from directory.selectors import is_district_office_member

from .. import selectors, services
from ..forms import (
    DecisionForm,
    LocalActivityForm,
    LocalPlansDueForm,
)
from ..models import (
    AnnualPlan,
    LocalActivity,
    LocalPlan,
)
from ._shared import _error, _form_errors


@login_required
@require_GET
def local_plan_list(request):
    user = request.user
    local_plans = selectors.local_plans_for_user(user).order_by(
        "-plan__year", "organisation__district__code", "organisation__kind"
    )
    page = Paginator(local_plans, 40).get_page(request.GET.get("page"))
    current = selectors.current_plan()
    org = user.organisation
    can_start = bool(
        is_district_office_member(user)
        and current
        and current.status == AnnualPlan.Status.IN_FORCE
        and not LocalPlan.objects.filter(plan__year=current.year, organisation=org).exists()
    )
    return render(
        request, "programs/local_plan_list.html", {"page": page, "current_plan": current, "can_start": can_start}
    )


@login_required
@require_POST
def local_plan_create(request):
    current = selectors.current_plan()
    if current is None:
        messages.error(request, _("Chưa có kế hoạch của tỉnh cho năm nay."))
        return redirect("programs:local-plan-list")
    try:
        local = services.local_plan_create(plan=current, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
        return redirect("programs:local-plan-list")
    return redirect("programs:local-plan-detail", local.pk)


def _local_activity_fields(form) -> dict:
    data = form.cleaned_data
    return {k: data[k] for k in LocalActivityForm.Meta.fields}


@login_required
@require_GET
def local_plan_detail(request, pk: int):
    local = selectors.get_local_plan_for_user(request.user, pk)
    can_edit = services.can_edit_local_plan(request.user, local)
    return render(
        request,
        "programs/local_plan_detail.html",
        {
            "local": local,
            "activities": local.activities.select_related("provincial_activity"),
            "can_edit": can_edit,
            "form": LocalActivityForm(local_plan=local) if can_edit else None,
            "can_review": local.status == LocalPlan.Status.SUBMITTED
            and services.can_review_local_plan(request.user, local),
        },
    )


@login_required
@require_POST
def local_plan_review(request, pk: int):
    local = selectors.get_local_plan_for_user(request.user, pk)
    if not services.can_review_local_plan(request.user, local):
        raise PermissionDenied(_("Chỉ đơn vị đầu mối của ngành được tiếp nhận kế hoạch này."))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng chọn tiếp nhận hoặc trả lại."))
        return redirect("programs:local-plan-detail", local.pk)
    acknowledge = form.cleaned_data["decision"] == "approve"
    try:
        services.local_plan_review(
            local_plan=local, acknowledge=acknowledge, comment=form.cleaned_data["comment"], by=request.user
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(
            request,
            _("Đã tiếp nhận kế hoạch.") if acknowledge else _("Đã trả lại kế hoạch để đơn vị bổ sung."),
        )
    return redirect("programs:local-plan-detail", local.pk)


@login_required
@require_POST
def plan_local_plans_due(request, pk: int):
    plan = selectors.get_plan_for_user(request.user, pk)
    services.require_focal(request.user)
    form = LocalPlansDueForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("programs:plan-detail", plan.pk)
    try:
        services.plan_set_local_plans_due(plan=plan, due_date=form.cleaned_data["due_date"], by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã lưu hạn gửi kế hoạch địa phương."))
    return redirect("programs:plan-detail", plan.pk)


def _local_plan_for_editor(request, pk) -> LocalPlan:
    local = selectors.get_local_plan_for_user(request.user, pk)
    if not services.can_edit_local_plan(request.user, local):
        raise PermissionDenied(_("Bạn chỉ được sửa kế hoạch của đơn vị mình."))
    return local


@login_required
@require_POST
def local_activity_add(request, pk: int):
    local = _local_plan_for_editor(request, pk)
    form = LocalActivityForm(request.POST, local_plan=local)
    if form.is_valid():
        try:
            services.local_activity_save(local_plan=local, by=request.user, **_local_activity_fields(form))
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Đã thêm hoạt động."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("programs:local-plan-detail", local.pk)


@login_required
@require_http_methods(["GET", "POST"])
def local_activity_edit(request, pk: int):
    try:
        activity = LocalActivity.objects.select_related("local_plan__plan").get(pk=pk)
    except LocalActivity.DoesNotExist:
        raise Http404 from None
    local = _local_plan_for_editor(request, activity.local_plan_id)
    form = LocalActivityForm(request.POST or None, local_plan=local, instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.local_activity_save(
                local_plan=local, activity=activity, by=request.user, **_local_activity_fields(form)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã cập nhật hoạt động."))
            return redirect("programs:local-plan-detail", local.pk)
    return render(request, "programs/local_activity_form.html", {"form": form, "local": local})


@login_required
@require_POST
def local_plan_submit(request, pk: int):
    local = _local_plan_for_editor(request, pk)
    try:
        services.local_plan_submit(local_plan=local, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã gửi kế hoạch tới hai Sở."))
    return redirect("programs:local-plan-detail", local.pk)
