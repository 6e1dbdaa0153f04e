"""Meetings, minutes and action items."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.files import private_file_response
from core.pages import action, form_action, form_page

from .. import access, presenters, selectors, services
from ..calendar import meeting_ics
from ..forms import ActionItemForm, MeetingForm, MinutesForm
from ._shared import programme_in_force


def _meeting_url(meeting) -> str:
    return reverse("programs:meeting-detail", args=[getattr(meeting, "pk", meeting)])


@login_required
@require_GET
def meeting_list(request):
    return render(request, "programs/meeting_list.html", presenters.meeting_list_page(request.user))


@login_required
@require_GET
def meeting_detail(request, pk: int):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    return render(request, "programs/meeting_detail.html", presenters.meeting_page(request.user, meeting))


@login_required
@require_GET
def meeting_calendar(request, pk: int):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    response = HttpResponse(meeting_ics(meeting, request=request), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cuoc-hop-{meeting.pk}.ics"'
    return response


@login_required
@require_POST
def action_item_toggle(request, pk: int):
    item = selectors.get_action_item_for_user(request.user, pk)
    done = request.POST.get("done") == "1"
    return action(
        request,
        lambda: services.action_item_set_done(item=item, done=done, by=request.user),
        success=_meeting_url(item.meeting_id),
        message=_("Đã đánh dấu hoàn thành.") if done else _("Đã mở lại việc cần làm."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    access.require_focal(request.user)
    return _meeting_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk: int):
    return _meeting_form(request, access.get_meeting_for_editor(request.user, pk))


def _meeting_form(request, meeting):
    initial = MeetingForm.initial_for(meeting) if meeting else {"date": timezone.localdate()}
    form = MeetingForm(request.POST or None, initial=initial)

    def save(data):
        fields = {k: v for k, v in data.items() if k not in ("date", "start_time", "end_time")}
        programme = meeting.programme if meeting else None
        programme = programme or programme_in_force(
            data["date"].year, field="date", message=_("Không có chương trình phối hợp nào có hiệu lực vào ngày này.")
        )
        starts_at, ends_at = form.times()
        return services.meeting_save(
            by=request.user, meeting=meeting, programme=programme, starts_at=starts_at, ends_at=ends_at, **fields
        )

    return form_page(
        request,
        form,
        template="programs/meeting_form.html",
        save=save,
        success=_meeting_url,
        message=_("Đã lưu cuộc họp.") if meeting else _("Đã tạo cuộc họp."),
        context={"meeting": meeting},
    )


@login_required
@require_POST
def meeting_minutes(request, pk: int):
    meeting = access.get_meeting_for_editor(request.user, pk)
    return form_action(
        request,
        MinutesForm(request.POST, request.FILES),
        lambda data: services.meeting_record_minutes(meeting=meeting, by=request.user, **data),
        success=_meeting_url(meeting),
        message=_("Đã lưu biên bản và kết luận cuộc họp."),
    )


@login_required
@require_POST
def action_item_add(request, pk: int):
    meeting = access.get_meeting_for_editor(request.user, pk)
    return form_action(
        request,
        ActionItemForm(request.POST),
        lambda data: services.action_item_add(meeting=meeting, by=request.user, **data),
        success=_meeting_url(meeting),
        message=_("Đã thêm việc cần làm."),
    )


@login_required
@require_GET
def meeting_minutes_file(request, pk: int):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    return private_file_response(request, meeting.minutes_file, original_name=meeting.minutes_file_name)
