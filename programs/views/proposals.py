"""Proposals sent to the province and the answers recorded."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import selectors, services
from ..forms import (
    ProposalForm,
    ProposalResponseForm,
)
from ..models import (
    Proposal,
)
from ._shared import _error, _form_errors, _programme_for


@login_required
@require_GET
def proposal_list(request):
    if not selectors.user_scope(request.user).everything:
        raise PermissionDenied(_("Đề xuất, kiến nghị chỉ dành cho lãnh đạo Sở và cán bộ đầu mối."))
    proposals = selectors.proposals_for_user(request.user)
    return render(
        request,
        "programs/proposal_list.html",
        {"proposals": proposals, "is_focal": services.is_focal_officer(request.user)},
    )


@login_required
@require_GET
def proposal_detail(request, pk: int):
    proposal = selectors.get_proposal_for_user(request.user, pk)
    is_focal = services.is_focal_officer(request.user)
    response_form = None
    if is_focal and proposal.sent_on:
        response_form = ProposalResponseForm(
            initial={
                "status": proposal.status,
                "response": proposal.response,
                "responded_on": proposal.responded_on or timezone.localdate(),
            }
        )
    return render(
        request,
        "programs/proposal_detail.html",
        {"proposal": proposal, "is_focal": is_focal, "response_form": response_form},
    )


def _proposal_for_editor(request, pk) -> Proposal:
    proposal = selectors.get_proposal_for_user(request.user, pk)
    services.require_focal(request.user)
    return proposal


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request):
    services.require_focal(request.user)
    return _proposal_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request, pk: int):
    return _proposal_form(request, _proposal_for_editor(request, pk))


def _proposal_form(request, proposal: Proposal | None):
    programme = proposal.programme if proposal else _programme_for(timezone.localdate())
    if programme is None:
        programme = selectors.programmes_for_user(request.user).order_by("-valid_to", "-signed_on").first()
    if programme is None:
        messages.error(request, _("Chưa có chương trình phối hợp nào để gắn đề xuất."))
        return redirect("programs:proposal-list")
    initial = None if proposal else {"organisation": request.user.organisation_id}
    form = ProposalForm(request.POST or None, instance=proposal, initial=initial, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.proposal_save(by=request.user, proposal=proposal, programme=programme, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu đề xuất, kiến nghị."))
            return redirect("programs:proposal-detail", saved.pk)
    return render(request, "programs/proposal_form.html", {"form": form, "proposal": proposal})


@login_required
@require_POST
def proposal_response(request, pk: int):
    proposal = _proposal_for_editor(request, pk)
    form = ProposalResponseForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.proposal_record_response(proposal=proposal, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Đã ghi nhận tình trạng và kết quả trả lời."))
    return redirect("programs:proposal-detail", proposal.pk)
