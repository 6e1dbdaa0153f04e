"""Pilots by school level (IV.3.c): create, edit, evaluate, decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.files import private_file_response

from .. import selectors, services
from ..forms import (
    PilotDecisionForm,
    PilotEvaluationForm,
    PilotForm,
)
from ._shared import _error, _form_errors


def _require_programme_view(request) -> None:
    if not selectors._may_see_programme(request.user):
        raise PermissionDenied(_("Tài khoản của bạn chưa gắn với đơn vị nào."))


@login_required
@require_GET
def pilot_index(request):
    _require_programme_view(request)
    return render(
        request,
        "programs/pilot_index.html",
        {"levels": selectors.pilot_levels(request.user), "can_edit": services.is_focal_officer(request.user)},
    )


@login_required
@require_GET
def pilot_level(request, level: str):
    from ..models import Pilot

    _require_programme_view(request)
    labels = dict(Pilot._meta.get_field("school_level").choices)
    if level not in labels:
        raise Http404
    pilots = selectors.pilots_for_user(request.user).filter(school_level=level).order_by("-start_date")
    return render(
        request,
        "programs/pilot_level.html",
        {
            "level": level,
            "level_label": labels[level],
            "pilots": pilots,
            "levels": selectors.pilot_levels(request.user),
            "can_edit": services.is_focal_officer(request.user),
        },
    )


def _pilot_form_save(request, form, pilot=None):
    data = form.cleaned_data
    programme = pilot.programme if pilot else selectors.programme_for_year(data["start_date"].year)
    if programme is None:
        form.add_error("start_date", _("Không có chương trình phối hợp nào có hiệu lực trong năm này."))
        return None
    try:
        return services.pilot_save(
            pilot=pilot,
            programme=programme,
            title=data["title"],
            school_level=data["school_level"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            description=data["description"],
            schools=data["schools"],
            by=request.user,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def pilot_create(request):
    services.require_focal(request.user)
    level = request.POST.get("school_level") or request.GET.get("level")
    form = PilotForm(request.POST or None, level=level, initial={"school_level": level})
    if request.method == "POST" and form.is_valid():
        pilot = _pilot_form_save(request, form)
        if pilot:
            messages.success(request, _("Đã lưu mô hình thí điểm."))
            return redirect("programs:pilot-detail", pilot.pk)
    return render(request, "programs/pilot_form.html", {"form": form, "pilot": None})


@login_required
@require_http_methods(["GET", "POST"])
def pilot_edit(request, pk: int):
    pilot = selectors.get_pilot_for_user(request.user, pk)
    services.require_focal(request.user)
    level = request.POST.get("school_level") or pilot.school_level
    initial = {
        "title": pilot.title,
        "school_level": pilot.school_level,
        "start_date": pilot.start_date,
        "end_date": pilot.end_date,
        "description": pilot.description,
        "schools": list(pilot.schools.all()),
    }
    form = PilotForm(request.POST or None, level=level, initial=initial)
    if request.method == "POST" and form.is_valid() and _pilot_form_save(request, form, pilot):
        messages.success(request, _("Đã lưu mô hình thí điểm."))
        return redirect("programs:pilot-detail", pilot.pk)
    return render(request, "programs/pilot_form.html", {"form": form, "pilot": pilot})


@login_required
@require_GET
def pilot_detail(request, pk: int):
    pilot = selectors.get_pilot_for_user(request.user, pk)
    is_focal = services.is_focal_officer(request.user)
    can_decide = services.can_decide_pilot(request.user)
    return render(
        request,
        "programs/pilot_detail.html",
        {
            "pilot": pilot,
            "schools": pilot.schools.select_related("district").order_by("district__code", "name"),
            "is_focal": is_focal,
            "evaluation_form": PilotEvaluationForm(initial={"lessons": pilot.lessons_learned})
            if is_focal and not pilot.decision
            else None,
            "decision_form": PilotDecisionForm() if can_decide and pilot.evaluated_at and not pilot.decision else None,
        },
    )


@login_required
@require_POST
def pilot_evaluate(request, pk: int):
    pilot = selectors.get_pilot_for_user(request.user, pk)
    services.require_focal(request.user)
    form = PilotEvaluationForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("programs:pilot-detail", pilot.pk)
    try:
        services.pilot_evaluate(
            pilot=pilot, lessons=form.cleaned_data["lessons"], evidence=form.cleaned_data["evidence"], by=request.user
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã lưu đánh giá mô hình thí điểm."))
    return redirect("programs:pilot-detail", pilot.pk)


@login_required
@require_POST
def pilot_decide(request, pk: int):
    pilot = selectors.get_pilot_for_user(request.user, pk)
    if not services.can_decide_pilot(request.user):
        raise PermissionDenied
    form = PilotDecisionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("programs:pilot-detail", pilot.pk)
    try:
        services.pilot_decide(
            pilot=pilot,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
            roll_out_from=form.cleaned_data["roll_out_from"],
            by=request.user,
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã ghi quyết định sau thí điểm."))
    return redirect("programs:pilot-detail", pilot.pk)


@login_required
@require_GET
def pilot_evidence(request, pk: int):
    pilot = selectors.get_pilot_for_user(request.user, pk)
    return private_file_response(request, pilot.evidence, original_name=pilot.evidence_name)
