"""Meetings, minutes and action items."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.files import private_file_response

from .. import selectors, services
from ..calendar import meeting_ics
from ..forms import (
    ActionItemForm,
    MeetingForm,
    MinutesForm,
)
from ..models import (
    ActionItem,
    Meeting,
)
from ._shared import _error, _form_errors, _programme_for


@login_required
@require_GET
def meeting_list(request):
    now = timezone.now()
    meetings = selectors.meetings_for_user(request.user).annotate(
        n_open=Count("actions", filter=Q(actions__done=False))
    )
    return render(
        request,
        "programs/meeting_list.html",
        {
            "upcoming": meetings.filter(starts_at__gte=now).order_by("starts_at"),
            "past": meetings.filter(starts_at__lt=now).order_by("-starts_at")[:50],
            "is_focal": services.is_focal_officer(request.user),
        },
    )


@login_required
@require_GET
def meeting_detail(request, pk: int):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    is_focal = services.is_focal_officer(request.user)
    actions = list(meeting.actions.select_related("owner", "owner_organisation"))
    for item in actions:
        item.can_close = services.can_close_action(request.user, item)
    return render(
        request,
        "programs/meeting_detail.html",
        {
            "meeting": meeting,
            "organisations": meeting.participant_organisations.all(),
            "people": meeting.participants.select_related("organisation"),
            "actions": actions,
            "is_focal": is_focal,
            "minutes_form": MinutesForm(initial={"decisions": meeting.decisions}) if is_focal else None,
            "action_form": ActionItemForm(initial={"due_date": meeting.starts_at.date() + timezone.timedelta(days=14)})
            if is_focal
            else None,
            "can_record_minutes": is_focal and meeting.starts_at <= timezone.now(),
            "review_link": selectors.review_link(request.user, meeting),
        },
    )


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
    try:
        item = ActionItem.objects.select_related("meeting").get(
            pk=pk, meeting__in=selectors.meetings_for_user(request.user).values("pk")
        )
    except (ActionItem.DoesNotExist, ValueError):
        raise Http404 from None
    done = request.POST.get("done") == "1"
    services.action_item_set_done(item=item, done=done, by=request.user)
    messages.success(request, _("Đã đánh dấu hoàn thành.") if done else _("Đã mở lại việc cần làm."))
    return redirect("programs:meeting-detail", item.meeting_id)


def _meeting_for_editor(request, pk) -> Meeting:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    services.require_focal(request.user)
    return meeting


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    services.require_focal(request.user)
    return _meeting_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk: int):
    return _meeting_form(request, _meeting_for_editor(request, pk))


def _meeting_form(request, meeting: Meeting | None):
    if request.method == "POST":
        form = MeetingForm(request.POST)
    else:
        initial = MeetingForm.initial_for(meeting) if meeting else {"date": timezone.localdate()}
        form = MeetingForm(initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        programme = meeting.programme if meeting else _programme_for(data["date"])
        if programme is None:
            form.add_error("date", _("Không có chương trình phối hợp nào có hiệu lực vào ngày này."))
        else:
            starts_at, ends_at = form.times()
            try:
                saved = services.meeting_save(
                    by=request.user,
                    meeting=meeting,
                    programme=programme,
                    kind=data["kind"],
                    title=data["title"],
                    starts_at=starts_at,
                    ends_at=ends_at,
                    location=data["location"],
                    agenda=data["agenda"],
                    participant_organisations=data["participant_organisations"],
                    participants=data["participants"],
                    other_participants=data["other_participants"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Đã lưu cuộc họp.") if meeting else _("Đã tạo cuộc họp."))
                return redirect("programs:meeting-detail", saved.pk)
    return render(request, "programs/meeting_form.html", {"form": form, "meeting": meeting})


@login_required
@require_POST
def meeting_minutes(request, pk: int):
    meeting = _meeting_for_editor(request, pk)
    form = MinutesForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.meeting_record_minutes(
                meeting=meeting,
                decisions=form.cleaned_data["decisions"],
                minutes_file=form.cleaned_data["minutes_file"],
                by=request.user,
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Đã lưu biên bản và kết luận cuộc họp."))
    return redirect("programs:meeting-detail", meeting.pk)


@login_required
@require_POST
def action_item_add(request, pk: int):
    meeting = _meeting_for_editor(request, pk)
    form = ActionItemForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        data = form.cleaned_data
        try:
            services.action_item_add(
                meeting=meeting,
                description=data["description"],
                due_date=data["due_date"],
                owner=data["owner"],
                owner_organisation=data["owner_organisation"],
                by=request.user,
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Đã thêm việc cần làm."))
    return redirect("programs:meeting-detail", meeting.pk)


@login_required
@require_GET
def meeting_minutes_file(request, pk: int):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    return private_file_response(request, meeting.minutes_file, original_name=meeting.minutes_file_name)
