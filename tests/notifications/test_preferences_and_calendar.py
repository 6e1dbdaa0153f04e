from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from core.deadlines import DeadlineKind
from notifications.models import CalendarFeed, Preference
from tests.notifications.factories import TZ, local

pytestmark = pytest.mark.django_db


def test_preferences_page_saves_modes(client, gddt_lac_son):
    client.force_login(gddt_lac_son)
    response = client.get(reverse("notifications:preferences"))
    assert response.status_code == 200
    assert "Hạn nộp báo cáo" in response.content.decode()
    data = {f"mode_{kind}": "immediate" for kind, _ in Preference._meta.get_field("kind").choices}
    data[f"mode_{DeadlineKind.REPORT_DUE}"] = "digest"
    data["mode_message"] = "inbox"
    response = client.post(reverse("notifications:preferences"), data, follow=True)
    assert "Đã lưu tùy chọn" in response.content.decode()
    assert dict(Preference.objects.filter(user=gddt_lac_son).values_list("kind", "mode")) == {
        DeadlineKind.REPORT_DUE: "digest",
        "message": "inbox",
    }


def test_preferences_refuse_bad_input_and_change_nothing(client, gddt_lac_son):
    client.force_login(gddt_lac_son)
    response = client.post(reverse("notifications:preferences"), {f"mode_{DeadlineKind.REPORT_DUE}": "sms-ngay"})
    assert response.status_code == 200
    assert "Hãy chọn một cách nhận thông báo trong danh sách." in response.content.decode()
    assert not Preference.objects.exists()


def test_preferences_wrong_method(client, gddt_lac_son):
    client.force_login(gddt_lac_son)
    assert client.put(reverse("notifications:preferences")).status_code == 405
    assert client.get(reverse("notifications:calendar-regenerate")).status_code == 405
    assert client.get(reverse("notifications:calendar-revoke")).status_code == 405


def test_calendar_feed_lists_my_deadlines_in_local_time(client, providers, gddt_lac_son, outsider):
    providers.add(
        key="reports.report:7",
        due_at=local(2026, 12, 31, 17, 0),
        recipients=[gddt_lac_son.pk],
        title="Báo cáo 6 tháng cuối năm 2026",
        url="/reports/7/",
    )
    providers.add(
        key="programs.meeting:2",
        kind=DeadlineKind.MEETING,
        due_at=local(2026, 12, 15, 8, 0),
        ends_at=local(2026, 12, 15, 11, 30),
        recipients=[gddt_lac_son.pk],
        title="Họp trao đổi thông tin",
        location="Hội trường Thư viện tỉnh",
    )
    providers.add(
        key="reports.report:8", due_at=local(2026, 12, 31, 17, 0), recipients=[outsider.pk], title="Của huyện khác"
    )
    client.force_login(gddt_lac_son)
    client.post(reverse("notifications:calendar-regenerate"))
    feed = CalendarFeed.objects.get(user=gddt_lac_son)
    client.logout()
    with time_machine.travel(local(2026, 11, 25, 10, 0), tick=False):
        response = client.get(reverse("notifications:calendar-feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Báo cáo 6 tháng cuối năm 2026", "Họp trao đổi thông tin"}
    meeting = events["Họp trao đổi thông tin"]
    start = meeting.decoded("dtstart")
    assert start == datetime(2026, 12, 15, 8, 0, tzinfo=TZ)
    assert str(start.tzinfo) == "Asia/Ho_Chi_Minh" or start.utcoffset() == timedelta(hours=7)
    assert meeting["dtstart"].params.get("TZID") == "Asia/Ho_Chi_Minh"
    assert meeting.decoded("dtend") == datetime(2026, 12, 15, 11, 30, tzinfo=TZ)
    assert str(meeting["location"]) == "Hội trường Thư viện tỉnh"
    assert str(events["Báo cáo 6 tháng cuối năm 2026"]["url"]).endswith("/reports/7/")
    assert calendar.walk("VTIMEZONE")
    feed.refresh_from_db()
    assert feed.last_used_at is not None


def test_regenerating_revokes_the_old_address(client, providers, gddt_lac_son):
    client.force_login(gddt_lac_son)
    client.post(reverse("notifications:calendar-regenerate"))
    old = CalendarFeed.objects.get(user=gddt_lac_son).token
    response = client.post(reverse("notifications:calendar-regenerate"), follow=True)
    assert "địa chỉ cũ không còn dùng được" in response.content.decode()
    new = CalendarFeed.objects.get(user=gddt_lac_son).token
    assert new != old
    assert client.get(reverse("notifications:calendar-feed", args=[old])).status_code == 404
    assert client.get(reverse("notifications:calendar-feed", args=[new])).status_code == 200
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert new in page
    client.post(reverse("notifications:calendar-revoke"))
    assert client.get(reverse("notifications:calendar-feed", args=[new])).status_code == 404


def test_feed_of_an_inactive_user_is_gone(client, gddt_lac_son):
    feed = CalendarFeed.objects.create(user=gddt_lac_son)
    gddt_lac_son.is_active = False
    gddt_lac_son.save(update_fields=["is_active"])
    assert client.get(reverse("notifications:calendar-feed", args=[feed.token])).status_code == 404
    assert client.get("/notifications/calendar/khong-co.ics").status_code == 404
