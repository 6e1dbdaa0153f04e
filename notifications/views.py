from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services
from .calendar import build_calendar
from .forms import PreferencesForm


@login_required
@require_GET
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    notifications = selectors.inbox(request.user, unread_only=unread_only)
    page = Paginator(notifications, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "unread_only": unread_only, "unread": selectors.unread_count(request.user)},
    )


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = selectors.get_notification_for_user(request.user, pk)
    services.notification_mark_read(notification=notification, by=request.user)
    if request.POST.get("open") and notification.url:
        if url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
            return redirect(notification.url)
        messages.warning(request, _("Đường dẫn của thông báo không hợp lệ."))
    return redirect(_back_to_inbox(request))


@login_required
@require_POST
def notifications_read_all(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("Đã đánh dấu %(n)d thông báo là đã đọc.") % {"n": count})
    return redirect(_back_to_inbox(request))


def _back_to_inbox(request) -> str:
    target = request.POST.get("next", "")
    inbox_url = reverse("notifications:inbox")
    if target.startswith(inbox_url) and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return inbox_url


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    modes = selectors.preference_modes(request.user)
    form = PreferencesForm(request.POST or None, modes=modes)
    if request.method == "POST":
        if form.is_valid():
            changed = services.preferences_update(user=request.user, modes=form.modes(), by=request.user)
            messages.success(request, _("Đã lưu tùy chọn nhận thông báo (%(n)d thay đổi).") % {"n": changed})
            return redirect("notifications:preferences")
        messages.error(request, _("Tùy chọn chưa được lưu: hãy kiểm tra các ô được đánh dấu."))
    feed = selectors.calendar_feed_of(request.user)
    feed_url = request.build_absolute_uri(reverse("notifications:calendar-feed", args=[feed.token])) if feed else ""
    return render(request, "notifications/preferences.html", {"form": form, "feed": feed, "feed_url": feed_url})


@login_required
@require_POST
def calendar_regenerate(request):
    had_feed = selectors.calendar_feed_of(request.user) is not None
    services.calendar_feed_regenerate(user=request.user, by=request.user)
    if had_feed:
        messages.success(request, _("Đã tạo địa chỉ lịch mới; địa chỉ cũ không còn dùng được."))
    else:
        messages.success(request, _("Đã tạo địa chỉ lịch cá nhân. Hãy thêm địa chỉ này vào ứng dụng lịch của bạn."))
    return redirect(reverse("notifications:preferences") + "#calendar")


@login_required
@require_POST
def calendar_revoke(request):
    if services.calendar_feed_revoke(user=request.user, by=request.user):
        messages.success(request, _("Đã thu hồi địa chỉ lịch; các ứng dụng lịch sẽ không còn cập nhật."))
    else:
        messages.info(request, _("Bạn chưa có địa chỉ lịch nào."))
    return redirect(reverse("notifications:preferences") + "#calendar")


@never_cache
@require_GET
def calendar_feed(request, token: str):
    """The personal .ics feed; the secret token in the address is the only credential."""
    feed = selectors.get_feed_by_token(token)
    start, end = selectors.calendar_window()
    deadlines = selectors.deadlines_for_user(feed.user, start=start, end=end)
    services.calendar_feed_touch(feed=feed)
    body = build_calendar(deadlines, name=_("Lịch công việc – %(name)s") % {"name": feed.user.get_full_name()})
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="lich-cong-viec.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
