"""Inspections and their recommendations."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.pages import form_action, form_page

from .. import access, presenters, selectors, services
from ..forms import FollowUpForm, InspectionForm, RecommendationForm
from ._shared import programme_in_force


def _inspection_url(inspection) -> str:
    return reverse("programs:inspection-detail", args=[getattr(inspection, "pk", inspection)])


@login_required
@require_GET
def inspection_list(request):
    inspections = selectors.inspections_for_user(request.user).order_by("-date")
    page = Paginator(inspections, 30).get_page(request.GET.get("page"))
    return render(
        request, "programs/inspection_list.html", {"page": page, "is_focal": access.is_focal_officer(request.user)}
    )


@login_required
@require_GET
def inspection_detail(request, pk: int):
    inspection = selectors.get_inspection_for_user(request.user, pk)
    return render(request, "programs/inspection_detail.html", presenters.inspection_page(request.user, inspection))


@login_required
@require_POST
def recommendation_follow_up(request, pk: int):
    rec = access.get_recommendation_for_updater(request.user, pk)
    return form_action(
        request,
        FollowUpForm(request.POST),
        lambda data: services.recommendation_follow_up(recommendation=rec, by=request.user, **data),
        success=_inspection_url(rec.inspection_id),
        message=_("Đã cập nhật kết quả thực hiện kiến nghị."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def inspection_create(request):
    access.require_focal(request.user)
    return _inspection_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_edit(request, pk: int):
    return _inspection_form(request, access.get_inspection_for_editor(request.user, pk))


def _inspection_save(user, inspection, data):
    programme = inspection.programme if inspection else None
    programme = programme or programme_in_force(
        data["date"].year, field="date", message=_("Không có chương trình phối hợp nào có hiệu lực vào ngày này.")
    )
    return services.inspection_save(by=user, inspection=inspection, programme=programme, **data)


def _inspection_form(request, inspection):
    initial = None if inspection else {"date": timezone.localdate()}
    return form_page(
        request,
        InspectionForm(request.POST or None, instance=inspection, initial=initial),
        template="programs/inspection_form.html",
        save=lambda data: _inspection_save(request.user, inspection, data),
        success=_inspection_url,
        message=_("Đã lưu đợt khảo sát, kiểm tra."),
        context={"inspection": inspection},
    )


@login_required
@require_POST
def recommendation_add(request, pk: int):
    inspection = access.get_inspection_for_editor(request.user, pk)
    return form_action(
        request,
        RecommendationForm(request.POST, inspection=inspection),
        lambda data: services.recommendation_add(inspection=inspection, by=request.user, **data),
        success=_inspection_url(inspection),
        message=_("Đã thêm kiến nghị."),
    )
