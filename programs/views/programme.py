"""The programme, its commitments and files, and amendments agreed by the two Directors (VII)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.files import private_file_response
from core.pages import form_action, form_page

from .. import access, presenters, selectors, services
from ..forms import AmendmentDecisionForm, AmendmentForm


@login_required
@require_GET
def programme_list(request):
    programmes = selectors.programmes_for_user(request.user).annotate(n_commitments=Count("commitments"))
    access.require_programme_view(request.user)
    return render(request, "programs/programme_list.html", {"programmes": programmes})


@login_required
@require_GET
def programme_detail(request, pk: int):
    programme = selectors.get_programme_for_user(request.user, pk)
    return render(request, "programs/programme_detail.html", presenters.programme_page(request.user, programme))


@login_required
@require_http_methods(["GET", "POST"])
def amendment_create(request, pk: int):
    programme = selectors.get_programme_for_user(request.user, pk)
    access.require_focal(
        request.user, _("Chỉ cán bộ đầu mối của Thư viện tỉnh hoặc Văn phòng Sở GD&ĐT được đề xuất sửa đổi.")
    )
    initial = presenters.amendment_initial(programme, request.GET.get("commitment"))
    return form_page(
        request,
        AmendmentForm(request.POST or None, programme=programme, initial=initial),
        template="programs/amendment_form.html",
        save=lambda data: services.amendment_propose(programme=programme, by=request.user, **data),
        success=lambda amendment: reverse("programs:amendment-detail", args=[amendment.pk]),
        message=_("Đã gửi đề xuất sửa đổi. Điều khoản chỉ thay đổi khi hai Giám đốc đồng ý."),
        context={"programme": programme},
    )


@login_required
@require_GET
def amendment_detail(request, pk: int):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    return render(request, "programs/amendment_detail.html", presenters.amendment_page(request.user, amendment))


def _amendment_decided(amendment) -> str:
    if amendment.status == amendment.Status.APPLIED:
        return _("Hai Giám đốc đã đồng ý: điều khoản đã được sửa, chương trình lên phiên bản %(v)s.") % {
            "v": amendment.version
        }
    if amendment.status == amendment.Status.RETURNED:
        return _("Đã trả lại đề xuất sửa đổi cho đơn vị đầu mối.")
    return _("Đã đồng ý. Đề xuất đang chờ Giám đốc Sở còn lại.")


@login_required
@require_POST
def amendment_decide(request, pk: int):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    access.require_director(
        request.user, _("Chỉ Giám đốc Sở VHTTDL hoặc Sở GD&ĐT được thống nhất sửa đổi chương trình.")
    )
    return form_action(
        request,
        AmendmentDecisionForm(request.POST),
        lambda data: services.amendment_decide(amendment=amendment, by=request.user, **data),
        success=reverse("programs:amendment-detail", args=[amendment.pk]),
        message=_amendment_decided,
        invalid=_("Vui lòng chọn đồng ý hoặc trả lại."),
    )


@login_required
@require_GET
def programme_file(request, pk: int):
    programme = selectors.get_programme_for_user(request.user, pk)
    return private_file_response(request, programme.original_file, original_name=programme.original_file_name)
