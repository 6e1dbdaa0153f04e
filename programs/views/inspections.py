"""Inspections and their recommendations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import selectors, services
from ..forms import (
    FollowUpForm,
    InspectionForm,
    RecommendationForm,
)
from ..models import (
    Inspection,
    Recommendation,
    RecommendationUpdate,
)
from ._shared import _error, _form_errors, _programme_for


@login_required
@require_GET
def inspection_list(request):
    inspections = selectors.inspections_for_user(request.user).order_by("-date")
    page = Paginator(inspections, 30).get_page(request.GET.get("page"))
    return render(
        request, "programs/inspection_list.html", {"page": page, "is_focal": services.is_focal_officer(request.user)}
    )


@login_required
@require_GET
def inspection_detail(request, pk: int):
    inspection = selectors.get_inspection_for_user(request.user, pk)
    is_focal = services.is_focal_officer(request.user)
    recommendations = list(
        inspection.recommendations.select_related("owner_organisation").prefetch_related(
            Prefetch("updates", queryset=RecommendationUpdate.objects.select_related("author"))
        )
    )
    for rec in recommendations:
        rec.can_update = services.can_update_recommendation(request.user, rec)
    return render(
        request,
        "programs/inspection_detail.html",
        {
            "inspection": inspection,
            "places": inspection.places.all(),
            "recommendations": recommendations,
            "form": FollowUpForm(),
            "today": timezone.localdate(),
            "is_focal": is_focal,
            "recommendation_form": RecommendationForm(
                inspection=inspection, initial={"due_date": inspection.date + timezone.timedelta(days=30)}
            )
            if is_focal
            else None,
        },
    )


@login_required
@require_POST
def recommendation_follow_up(request, pk: int):
    try:
        rec = Recommendation.objects.get(
            pk=pk, inspection__in=selectors.inspections_for_user(request.user).values("pk")
        )
    except (Recommendation.DoesNotExist, ValueError):
        raise Http404 from None
    if not services.can_update_recommendation(request.user, rec):
        raise PermissionDenied(_("Chỉ đơn vị thực hiện kiến nghị hoặc cán bộ đầu mối được cập nhật."))
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.recommendation_follow_up(
                recommendation=rec,
                status=form.cleaned_data["status"],
                follow_up=form.cleaned_data["follow_up"],
                reported_on=form.cleaned_data["reported_on"],
                by=request.user,
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Đã cập nhật kết quả thực hiện kiến nghị."))
    return redirect("programs:inspection-detail", rec.inspection_id)


def _inspection_for_editor(request, pk) -> Inspection:
    inspection = selectors.get_inspection_for_user(request.user, pk)
    services.require_focal(request.user)
    return inspection


@login_required
@require_http_methods(["GET", "POST"])
def inspection_create(request):
    services.require_focal(request.user)
    return _inspection_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_edit(request, pk: int):
    return _inspection_form(request, _inspection_for_editor(request, pk))


def _inspection_form(request, inspection: Inspection | None):
    initial = None if inspection else {"date": timezone.localdate()}
    form = InspectionForm(request.POST or None, instance=inspection, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        programme = inspection.programme if inspection else _programme_for(data["date"])
        if programme is None:
            form.add_error("date", _("Không có chương trình phối hợp nào có hiệu lực vào ngày này."))
        else:
            try:
                saved = services.inspection_save(
                    by=request.user,
                    inspection=inspection,
                    programme=programme,
                    kind=data["kind"],
                    title=data["title"],
                    date=data["date"],
                    district=data["district"],
                    places=data["places"],
                    team=data["team"],
                    findings=data["findings"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Đã lưu đợt khảo sát, kiểm tra."))
                return redirect("programs:inspection-detail", saved.pk)
    return render(request, "programs/inspection_form.html", {"form": form, "inspection": inspection})


@login_required
@require_POST
def recommendation_add(request, pk: int):
    inspection = _inspection_for_editor(request, pk)
    form = RecommendationForm(request.POST, inspection=inspection)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.recommendation_add(inspection=inspection, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Đã thêm kiến nghị."))
    return redirect("programs:inspection-detail", inspection.pk)
