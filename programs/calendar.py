"""An .ics file per meeting, for any calendar application."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Meeting

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def meeting_ics(meeting: Meeting, *, request=None) -> bytes:
    """A VCALENDAR with one VEVENT; times in Asia/Ho_Chi_Minh with its VTIMEZONE, a stable UID
    and SEQUENCE so that calendars update the event when it changes."""
    path = reverse("programs:meeting-detail", args=[meeting.pk])
    url = request.build_absolute_uri(path) if request is not None else f"{settings.SITE_URL}{path}"
    cal = Calendar()
    cal.add("prodid", "-//Cong phoi hop Thu vien - Giao duc Hoa Binh//programs//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "CANCEL" if meeting.cancelled else "PUBLISH")
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@thuvien.hoabinh.gov.vn")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at.astimezone(LOCAL_TZ))
    event.add("dtend", meeting.ends_at.astimezone(LOCAL_TZ))
    event.add("summary", meeting.title)
    event.add("location", meeting.location)
    description = [meeting.get_kind_display()]
    if meeting.agenda:
        description.append(meeting.agenda)
    description.append(url)
    event.add("description", "\n\n".join(description))
    event.add("url", url)
    event.add("sequence", meeting.sequence)
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    for person in meeting.participants.all():
        if person.email:
            attendee = vCalAddress(f"mailto:{person.email}")
            attendee.params["cn"] = vText(person.get_full_name())
            attendee.params["role"] = vText("REQ-PARTICIPANT")
            event.add("attendee", attendee, encode=0)
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
