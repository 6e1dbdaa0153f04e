"""Proposals sent to the province and the answers recorded."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.pages import form_action, form_page

from .. import access, presenters, selectors, services
from ..forms import ProposalForm, ProposalResponseForm


def _proposal_url(proposal) -> str:
    return reverse("programs:proposal-detail", args=[proposal.pk])


@login_required
@require_GET
def proposal_list(request):
    access.require_province_view(request.user, _("Đề xuất, kiến nghị chỉ dành cho lãnh đạo Sở và cán bộ đầu mối."))
    proposals = selectors.proposals_for_user(request.user)
    return render(
        request,
        "programs/proposal_list.html",
        {"proposals": proposals, "is_focal": access.is_focal_officer(request.user)},
    )


@login_required
@require_GET
def proposal_detail(request, pk: int):
    proposal = selectors.get_proposal_for_user(request.user, pk)
    return render(request, "programs/proposal_detail.html", presenters.proposal_page(request.user, proposal))


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request):
    access.require_focal(request.user)
    return _proposal_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request, pk: int):
    return _proposal_form(request, access.get_proposal_for_editor(request.user, pk))


def _proposal_form(request, proposal):
    programme = proposal.programme if proposal else selectors.programme_for_proposals(request.user)
    if programme is None:
        messages.error(request, _("Chưa có chương trình phối hợp nào để gắn đề xuất."))
        return redirect("programs:proposal-list")
    initial = None if proposal else {"organisation": request.user.organisation_id}
    return form_page(
        request,
        ProposalForm(request.POST or None, instance=proposal, initial=initial, programme=programme),
        template="programs/proposal_form.html",
        save=lambda data: services.proposal_save(by=request.user, proposal=proposal, programme=programme, **data),
        success=_proposal_url,
        message=_("Đã lưu đề xuất, kiến nghị."),
        context={"proposal": proposal},
    )


@login_required
@require_POST
def proposal_response(request, pk: int):
    proposal = access.get_proposal_for_editor(request.user, pk)
    return form_action(
        request,
        ProposalResponseForm(request.POST),
        lambda data: services.proposal_record_response(proposal=proposal, by=request.user, **data),
        success=_proposal_url(proposal),
        message=_("Đã ghi nhận tình trạng và kết quả trả lời."),
    )
