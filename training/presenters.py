"""What the training pages show, built without a request: the course page with its people
and what this user may do with each, the attendance sheet, a certificate's verification, and
the messages of the workflows."""

from django.db.models import Count
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from core import paging

from . import access, selectors
from .certificates import verification_url
from .forms import RequiredReasonForm, VerifyForm
from .models import Course, Nomination


def course_page(user, course) -> dict:
    """The course with its sessions and materials, the nominations the user sees (with their
    place on the waitlist and whether the user may withdraw them) and what the user may do."""

    def nominations():
        found = list(selectors.nominations_for_user(user, course))
        waitlist_order = {n.pk: i for i, n in enumerate(selectors.waitlist(course), start=1)}
        for n in found:
            n.course = course  # the course already read, not read again for each nomination
            n.queue_position = waitlist_order.get(n.pk)
            n.can_cancel = n.state in Nomination.ACTIVE_STATES and access.can_cancel_nomination(user, n)
        return found

    return {
        "course": course,
        "sessions": course.sessions.select_related("venue").annotate(n_marked=Count("attendance")),
        "materials": course.materials.all(),
        # Read when the page draws them: the table kept rendered does not.
        "nominations": SimpleLazyObject(nominations),
        "manager": access.can_manage_course(user, course),
        "can_nominate": access.can_nominate(user) and course.nominations_open_on(timezone.localdate()),
        "today": timezone.localdate(),
        "reason_form": RequiredReasonForm(),
    }


def finished_message(counts: dict) -> str:
    return _(
        "Khóa học đã kết thúc: %(c)s người hoàn thành và được cấp chứng nhận, %(p)s tham dự một phần, %(n)s vắng mặt."
    ) % {"c": counts["completed"], "p": counts["partial"], "n": counts["no_show"]}


def attendance_recorded_message(n_present: int) -> str:
    return _("Đã lưu điểm danh: %(n)s người có mặt.") % {"n": n_present}


def attendance_page(session) -> dict:
    """The roster of a session with who is marked present, and whether it may be marked now."""
    roster = selectors.session_roster(session)
    return {
        "session": session,
        "course": session.course,
        "roster": roster,
        "n_present": sum(1 for _n, p in roster if p),
        "can_mark": session.course.status in (Course.Status.OPEN, Course.Status.CLOSED)
        and session.date <= timezone.localdate(),
    }


def verification(code: str) -> dict:
    """What the public verification page says about `code`: the certificate (or None) and
    whether it is valid today."""
    certificate = selectors.certificate_by_code(code)
    return {
        "form": VerifyForm(initial={"code": code}),
        "code": selectors.normalise_code(code),
        "certificate": certificate,
        "checked": True,
        "valid": certificate is not None and certificate.is_valid_on(timezone.localdate()),
        "url": verification_url(certificate.code) if certificate else "",
    }


def course_list_page(user, form, *, page_number) -> dict:
    """The courses the user sees with their places taken, filtered by status and kind when
    `form` is valid, the latest first, 20 a page (their order by the last session's date is
    kept under the training version rather than sorted again for every page)."""

    def courses():
        found = selectors.with_place_counts(selectors.courses_for_user(user))
        if form.is_bound and form.is_valid():
            if form.cleaned_data["status"]:
                found = found.filter(status=form.cleaned_data["status"])
            if form.cleaned_data["kind"]:
                found = found.filter(kind=form.cleaned_data["kind"])
        return paging.OrderedIds(found.order_by("-last_date", "-pk"))

    # Read when the page draws them: a list kept rendered does not.
    return {
        "form": form,
        "page": paging.lazy_page(courses, 20, page_number),
        "can_create": access.can_create_course(user),
    }
