"""Training dates for the reminder engine (see core/deadlines.py)."""

import datetime as dt
from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.deadlines import Deadline, DeadlineKind
from directory.models import Organisation, User

from .models import Course, Nomination, Session


def deadlines(*, start: dt.datetime, end: dt.datetime) -> Iterator[Deadline]:
    yield from _sessions(start, end)
    yield from _nomination_deadlines(start, end)
    yield from _certificates(start, end)


def _certificates(start, end):
    """CERTIFICATE_EXPIRY for each valid certificate whose validity ends in the window (due at
    the end of its last valid day): to its holder, when they have an account, and to the
    person who nominated them."""
    from .models import Certificate

    tz = timezone.get_current_timezone()
    certificates = Certificate.objects.filter(
        revoked_at__isnull=True,
        valid_until__gte=start.astimezone(tz).date(),
        valid_until__lte=end.astimezone(tz).date(),
    ).select_related("nomination__staff__user", "nomination__nominated_by")
    for certificate in certificates.order_by("pk"):
        due = dt.datetime.combine(certificate.valid_until, dt.time(23, 59), tzinfo=tz)
        if not (start <= due <= end):
            continue
        nomination = certificate.nomination
        people = [u for u in (nomination.staff.user, nomination.nominated_by) if u is not None and u.is_active]
        yield Deadline(
            kind=DeadlineKind.CERTIFICATE_EXPIRY,
            key=f"training.certificate:{certificate.pk}",
            due_at=due,
            title=_("Chứng nhận “%(c)s” của %(n)s hết hạn ngày %(d)s")
            % {"c": certificate.course_title, "n": certificate.holder_name, "d": f"{certificate.valid_until:%d/%m/%Y}"},
            url=reverse("training:course-detail", args=[nomination.course_id]),
            recipients=tuple(dict.fromkeys(u.pk for u in people)),
        )


def _sessions(start, end):
    """Each session of a live course starting in [start, end]: reminded to the booked people
    who have an account and to those who nominated them."""
    sessions = (
        Session.objects.filter(
            date__gte=start.date() - dt.timedelta(days=1), date__lte=end.date() + dt.timedelta(days=1)
        )
        .filter(course__status__in=[Course.Status.OPEN, Course.Status.CLOSED])
        .select_related("course", "venue")
        .order_by("date", "start_time")
    )
    sessions = [s for s in sessions if start <= s.starts_at <= end]
    if not sessions:
        return
    recipients: dict[int, set[int]] = {}
    rows = Nomination.objects.filter(
        course_id__in={s.course_id for s in sessions}, state=Nomination.State.BOOKED
    ).values_list("course_id", "staff__user_id", "nominated_by_id")
    for course_id, staff_user, nominator in rows:
        people = recipients.setdefault(course_id, set())
        people.update(pk for pk in (staff_user, nominator) if pk)
    for session in sessions:
        course = session.course
        yield Deadline(
            kind=DeadlineKind.TRAINING_SESSION,
            key=f"training.session:{session.pk}",
            due_at=session.starts_at,
            title=_("Buổi học “%(t)s” ngày %(d)s") % {"t": course.title, "d": f"{session.date:%d/%m/%Y}"},
            url=reverse("training:course-detail", args=[course.pk]),
            recipients=tuple(sorted(recipients.get(course.pk, ()))),
            location=session.place,
            ends_at=session.ends_at,
            extra={"type": "session", "course_id": course.pk, "trainer": session.trainer},
        )


def _nomination_deadlines(start, end):
    """NOMINATION_DEADLINE: the last day to nominate for an open course (due at the end of that
    day), for the officers (heads aside) of the district education offices that have not yet
    nominated anyone, themselves or through one of their district's schools."""
    tz = timezone.get_current_timezone()
    courses = Course.objects.filter(
        status=Course.Status.OPEN,
        nomination_deadline__gte=start.astimezone(tz).date(),
        nomination_deadline__lte=end.astimezone(tz).date(),
    ).filter(kind__in=[Course.Kind.LIBRARY_SKILLS, Course.Kind.PILOT])
    courses = list(courses)
    if not courses:
        return
    nominators = list(
        User.objects.filter(is_active=True)
        .filter(
            Q(role=User.Role.DISTRICT_OFFICER, organisation__kind=Organisation.Kind.EDUCATION_OFFICE, is_head=False)
        )
        .values_list("pk", "organisation_id")
        .order_by("pk")
    )
    # An office has nominated when it (or one of its district's schools) put someone forward.
    nominated: dict[int, set[int]] = {}
    offices = dict(
        Organisation.objects.filter(kind=Organisation.Kind.EDUCATION_OFFICE).values_list("district_id", "pk")
    )
    rows = (
        Nomination.objects.filter(course__in=courses)
        .exclude(state__in=[Nomination.State.CANCELLED, Nomination.State.DECLINED])
        .values_list("course_id", "nominating_organisation_id", "nominating_organisation__district_id")
    )
    for course_id, org_id, district_id in rows:
        done = nominated.setdefault(course_id, set())
        done.add(org_id)
        if district_id in offices:
            done.add(offices[district_id])
    for course in courses:
        due = dt.datetime.combine(course.nomination_deadline, dt.time(23, 59), tzinfo=tz)
        if not (start <= due <= end):
            continue
        done = nominated.get(course.pk, set())
        yield Deadline(
            kind=DeadlineKind.NOMINATION_DEADLINE,
            key=f"training.nomination_deadline:{course.pk}",
            due_at=due,
            title=_("Hạn đề cử khóa học “%(t)s”") % {"t": course.title},
            url=reverse("training:course-detail", args=[course.pk]),
            recipients=tuple(pk for pk, org_id in nominators if org_id not in done),
            extra={"type": "nomination_deadline", "course_id": course.pk},
        )
