"""The programme, its commitments and files, and amendments agreed by the two Directors (VII)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.files import private_file_response

from .. import selectors, services
from ..forms import (
    AmendmentDecisionForm,
    AmendmentForm,
)
from ._shared import _error


@login_required
@require_GET
def programme_list(request):
    programmes = selectors.programmes_for_user(request.user).annotate(n_commitments=Count("commitments"))
    if not selectors._may_see_programme(request.user):
        raise PermissionDenied(_("Tài khoản của bạn chưa gắn với đơn vị nào."))
    return render(request, "programs/programme_list.html", {"programmes": programmes})


@login_required
@require_GET
def programme_detail(request, pk: int):
    programme = selectors.get_programme_for_user(request.user, pk)
    commitments = programme.commitments.select_related("copied_from").order_by("position")
    return render(
        request,
        "programs/programme_detail.html",
        {
            "programme": programme,
            "commitments": commitments,
            "legal_bases": programme.legal_bases.all(),
            "parties": programme.parties.all(),
            "amendments": programme.amendments.select_related("commitment"),
            "renewals": programme.renewals.all(),
            "can_propose": services.is_focal_officer(request.user),
            "amended": selectors.last_applied_amendments(programme),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def amendment_create(request, pk: int):
    programme = selectors.get_programme_for_user(request.user, pk)
    services.require_focal(
        request.user, _("Chỉ cán bộ đầu mối của Thư viện tỉnh hoặc Văn phòng Sở GD&ĐT được đề xuất sửa đổi.")
    )
    initial = {}
    chosen = programme.commitments.filter(pk=request.GET.get("commitment") or 0).first()
    if chosen:
        initial = {"commitment": chosen, "text": chosen.text}
    form = AmendmentForm(request.POST or None, programme=programme, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            amendment = services.amendment_propose(
                programme=programme,
                commitment=form.cleaned_data["commitment"],
                code=form.cleaned_data["code"],
                text=form.cleaned_data["text"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã gửi đề xuất sửa đổi. Điều khoản chỉ thay đổi khi hai Giám đốc đồng ý."))
            return redirect("programs:amendment-detail", amendment.pk)
    return render(request, "programs/amendment_form.html", {"programme": programme, "form": form})


@login_required
@require_GET
def amendment_detail(request, pk: int):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    department = services.director_department(request.user)
    side = services.SIDE_OF_DEPARTMENT.get(department.code) if department else None
    if amendment.status == amendment.Status.APPLIED:
        old, new = amendment.previous_text, amendment.new_text
    else:
        old, new = (amendment.commitment.text if amendment.commitment else ""), amendment.new_text
    return render(
        request,
        "programs/amendment_detail.html",
        {
            "amendment": amendment,
            "programme": amendment.programme,
            "diff": selectors.text_diff(old, new),
            "department": department,
            "can_decide": side in amendment.awaiting_sides,
        },
    )


@login_required
@require_POST
def amendment_decide(request, pk: int):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    if services.director_department(request.user) is None:
        raise PermissionDenied(_("Chỉ Giám đốc Sở VHTTDL hoặc Sở GD&ĐT được thống nhất sửa đổi chương trình."))
    form = AmendmentDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng chọn đồng ý hoặc trả lại."))
        return redirect("programs:amendment-detail", amendment.pk)
    try:
        if form.cleaned_data["decision"] == "agree":
            amendment = services.amendment_agree(amendment=amendment, by=request.user)
        else:
            amendment = services.amendment_return(
                amendment=amendment, comment=form.cleaned_data["comment"], by=request.user
            )
    except ValidationError as exc:
        _error(request, exc)
    else:
        if amendment.status == amendment.Status.APPLIED:
            messages.success(
                request,
                _("Hai Giám đốc đã đồng ý: điều khoản đã được sửa, chương trình lên phiên bản %(v)s.")
                % {"v": amendment.version},
            )
        elif amendment.status == amendment.Status.RETURNED:
            messages.success(request, _("Đã trả lại đề xuất sửa đổi cho đơn vị đầu mối."))
        else:
            messages.success(request, _("Đã đồng ý. Đề xuất đang chờ Giám đốc Sở còn lại."))
    return redirect("programs:amendment-detail", amendment.pk)


@login_required
@require_GET
def programme_file(request, pk: int):
    programme = selectors.get_programme_for_user(request.user, pk)
    return private_file_response(request, programme.original_file, original_name=programme.original_file_name)
