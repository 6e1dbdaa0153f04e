from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse

from .factories import MeetingFactory

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def test_meeting_ics_parses_back_with_local_times(thuvien, vanphong, client):
    meeting = MeetingFactory(
        created_by=thuvien,
        title="Họp trao đổi thông tin 6 tháng cuối năm",
        starts_at=datetime(2026, 12, 3, 8, 0, tzinfo=HCM),
        ends_at=datetime(2026, 12, 3, 11, 30, tzinfo=HCM),
        location="Phòng họp tầng 2, Thư viện tỉnh Hòa Bình",
        agenda="1. Báo cáo luân chuyển sách",
    )
    meeting.participants.set([thuvien, vanphong])
    client.force_login(thuvien)
    response = client.get(reverse("programs:meeting-ics", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]

    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert start == datetime(2026, 12, 3, 8, 0, tzinfo=HCM)
    assert str(start.tzinfo) == "Asia/Ho_Chi_Minh" and start.hour == 8
    assert end - start == (datetime(2026, 12, 3, 11, 30) - datetime(2026, 12, 3, 8, 0))
    assert str(event["summary"]) == "Họp trao đổi thông tin 6 tháng cuối năm"
    assert str(event["location"]) == "Phòng họp tầng 2, Thư viện tỉnh Hòa Bình"
    assert str(event["uid"]).startswith(f"meeting-{meeting.pk}@")
    assert [str(a) for a in event.get("attendee")] == ["mailto:thuvien@example.vn", "mailto:vanphong@example.vn"]
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]


def test_meeting_ics_outside_scope_is_404(thuvien, outsider, client):
    meeting = MeetingFactory(created_by=thuvien)
    client.force_login(outsider)
    assert client.get(reverse("programs:meeting-ics", args=[meeting.pk])).status_code == 404


def test_meeting_ics_wrong_method_is_405(thuvien, client):
    meeting = MeetingFactory(created_by=thuvien)
    client.force_login(thuvien)
    assert client.post(reverse("programs:meeting-ics", args=[meeting.pk])).status_code == 405
