"""The personal iCalendar (.ics) feed: a person's deadlines, meetings and sessions in Hòa Bình time."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .channels import absolute_url
from .models import kind_label
from .services import REMINDER_TZ


def build_calendar(deadlines, *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Cong phoi hop Thu vien - Giao duc Hoa Binh//notifications//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]
    stamp = timezone.now()
    for deadline in deadlines:
        start = deadline.due_at.astimezone(REMINDER_TZ)
        end = deadline.ends_at.astimezone(REMINDER_TZ) if deadline.ends_at else start + timedelta(minutes=30)
        event = Event()
        event.add("uid", f"{deadline.key}@{start.strftime('%Y%m%dT%H%M')}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", max(end, start))
        event.add("summary", deadline.title)
        event.add("categories", [kind_label(deadline.kind)])
        if deadline.location:
            event.add("location", deadline.location)
        link = absolute_url(deadline.url)
        event.add("url", link)
        event.add("description", f"{kind_label(deadline.kind)}\n{link}")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
