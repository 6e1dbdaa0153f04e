"""Pilots by school level (IV.3.c): create, edit, evaluate, decide."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.files import private_file_response
from core.pages import form_action, form_page

from .. import access, presenters, selectors, services
from ..forms import PilotDecisionForm, PilotEvaluationForm, PilotForm
from ._shared import programme_in_force


@login_required
@require_GET
def pilot_index(request):
    access.require_programme_view(request.user)
    return render(
        request,
        "programs/pilot_index.html",
        {"levels": selectors.pilot_levels(request.user), "can_edit": access.is_focal_officer(request.user)},
    )


@login_required
@require_GET
def pilot_level(request, level: str):
    access.require_programme_view(request.user)
    label = presenters.pilot_level_label(level)
    if label is None:
        raise Http404
    return render(request, "programs/pilot_level.html", presenters.pilot_level_page(request.user, level, label))


def _pilot_form_page(request, form, pilot=None):
    def save(data):
        programme = pilot.programme if pilot else None
        programme = programme or programme_in_force(
            data["start_date"].year,
            field="start_date",
            message=_("Không có chương trình phối hợp nào có hiệu lực trong năm này."),
        )
        return services.pilot_save(pilot=pilot, programme=programme, by=request.user, **data)

    return form_page(
        request,
        form,
        template="programs/pilot_form.html",
        save=save,
        success=lambda saved: reverse("programs:pilot-detail", args=[saved.pk]),
        message=_("Đã lưu mô hình thí điểm."),
        context={"pilot": pilot},
    )


@login_required
@require_http_methods(["GET", "POST"])
def pilot_create(request):
    access.require_focal(request.user)
    level = request.POST.get("school_level") or request.GET.get("level")
    form = PilotForm(request.POST or None, level=level, initial={"school_level": level})
    return _pilot_form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def pilot_edit(request, pk: int):
    pilot = access.get_pilot_for_editor(request.user, pk)
    level = request.POST.get("school_level") or pilot.school_level
    form = PilotForm(request.POST or None, level=level, initial=presenters.pilot_initial(pilot))
    return _pilot_form_page(request, form, pilot)


@login_required
@require_GET
def pilot_detail(request, pk: int):
    pilot = selectors.get_pilot_for_user(request.user, pk)
    return render(request, "programs/pilot_detail.html", presenters.pilot_page(request.user, pilot))


@login_required
@require_POST
def pilot_evaluate(request, pk: int):
    pilot = access.get_pilot_for_editor(request.user, pk)
    return form_action(
        request,
        PilotEvaluationForm(request.POST, request.FILES),
        lambda data: services.pilot_evaluate(pilot=pilot, by=request.user, **data),
        success=reverse("programs:pilot-detail", args=[pilot.pk]),
        message=_("Đã lưu đánh giá mô hình thí điểm."),
    )


@login_required
@require_POST
def pilot_decide(request, pk: int):
    pilot = access.get_pilot_for_decider(request.user, pk)
    return form_action(
        request,
        PilotDecisionForm(request.POST),
        lambda data: services.pilot_decide(pilot=pilot, by=request.user, **data),
        success=reverse("programs:pilot-detail", args=[pilot.pk]),
        message=_("Đã ghi quyết định sau thí điểm."),
    )


@login_required
@require_GET
def pilot_evidence(request, pk: int):
    pilot = selectors.get_pilot_for_user(request.user, pk)
    return private_file_response(request, pilot.evidence, original_name=pilot.evidence_name)
