"""Writes for training: courses, the staff registry, nominations and their sign-up states,
attendance, completion and certificates, guidance downloads.

Places are counted under a row lock on the course (`select_for_update`), so two organisers
approving at the same moment can never overbook it: the second waits, then sees the first's
booking. On SQLite the database-wide write lock taken at the start of each transaction gives
the same guarantee.
"""

import datetime as dt
import logging
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import User

from .access import (
    can_cancel_nomination,
    can_create_course,
    can_edit_staff,
    can_manage_course,
    can_manage_guidance,
    can_nominate,
)
from .models import (
    CERTIFICATE_ALPHABET,
    CERTIFICATE_CODE_LENGTH,
    MAX_PUPILS_PER_SESSION,
    Attendance,
    Certificate,
    Course,
    CourseMaterial,
    GuidanceDocument,
    GuidanceVersion,
    Nomination,
    NominationStateChange,
    Session,
    StaffMember,
)
from .selectors import staff_for_user, venue_choices
from .uploads import check_guidance_file

logger = logging.getLogger(__name__)
S = Nomination.State

# What the forms may set on each kind of row; everything else (organiser, status, publisher)
# is the services' to decide.
COURSE_FIELDS = (
    "title",
    "kind",
    "school_level",
    "audience",
    "description",
    "syllabus",
    "capacity",
    "nomination_deadline",
    "completion_rule",
    "min_sessions",
    "certificate_validity_months",
    "plan_activity",
)
SESSION_FIELDS = ("date", "start_time", "end_time", "place", "venue", "trainer", "pupil_count")
STAFF_FIELDS = (
    "full_name",
    "school",
    "employment",
    "qualification",
    "qualification_detail",
    "position",
    "phone",
    "email",
    "is_active",
)
GUIDANCE_FIELDS = ("title", "audience", "summary", "is_published")


def _assign(row, fields: dict, allowed: tuple[str, ...]):
    """Set the given fields on `row`; a field the services do not take is a programming error."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"{type(row).__name__} does not take {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(row, name, value)
    return row


# --- Telling people ------------------------------------------------------------------------


def _notify_function():
    """The in-app `notify` service an app declares in its AppConfig (core.registry: the
    notifications app), or None when none does."""
    from core.registry import providers

    return next((notify for _app, notify in providers("notify")), None)


def _tell(users, *, title: str, body: str, url: str) -> None:
    """An in-app notification when the notifications app offers one, else an e-mail after
    commit. Each person is told once."""
    notify = _notify_function()
    seen = set()
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        if notify is not None:
            notify(user=user, title=title, body=body, url=url)
        elif user.email:
            address, link = user.email, f"{settings.SITE_URL}{url}"

            def send(address=address, link=link):
                from django.core.mail import send_mail

                try:
                    send_mail(title, f"{body}\n\n{link}", None, [address])
                except Exception:  # a mail server hiccup must not undo the booking
                    logger.exception("training: could not e-mail %s", address)

            transaction.on_commit(send)


def _people_of(nomination: Nomination) -> list[User]:
    return [nomination.staff.user, nomination.nominated_by]


def _course_url(course: Course) -> str:
    return reverse("training:course-detail", args=[course.pk])


# --- Courses ---------------------------------------------------------------------------------


def _require_manager(course: Course, by: User) -> None:
    if not can_manage_course(by, course):
        raise PermissionDenied(_("Bạn không có quyền quản lý khóa học này."))


@transaction.atomic
def course_create(*, by: User, **fields) -> Course:
    """A new course (draft) organised by the user's organisation, from the fields of
    `COURSE_FIELDS`. Raises PermissionDenied for a user whose organisation runs no courses,
    ValidationError for fields the model refuses."""
    if not can_create_course(by):
        raise PermissionDenied(_("Đơn vị của bạn không tổ chức khóa học."))
    course = _assign(Course(), fields, COURSE_FIELDS)
    course.organiser = by.organisation
    course.created_by = by
    course.status = Course.Status.DRAFT
    course.full_clean()
    course.save()
    return course


@transaction.atomic
def course_update(*, course: Course, by: User, **fields) -> Course:
    """Change the given fields (of `COURSE_FIELDS`) of a course; a larger capacity promotes
    the waitlist in order. A cancelled or finished course cannot be changed."""
    _require_manager(course, by)
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.status in (Course.Status.CANCELLED, Course.Status.FINISHED):
        raise ValidationError(_("Không thể sửa khóa học đã hủy hoặc đã kết thúc."))
    _assign(course, fields, COURSE_FIELDS)
    course.full_clean()
    course.save()
    _promote_waitlist(course, by=by)
    return course


def _set_status(course: Course, status: str) -> None:
    course.status = status
    course.save(update_fields=["status"])


@transaction.atomic
def course_publish(*, course: Course, by: User) -> Course:
    _require_manager(course, by)
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.status not in (Course.Status.DRAFT, Course.Status.CLOSED):
        raise ValidationError(_("Chỉ mở nhận đề cử cho khóa học nháp hoặc đã khóa đăng ký."))
    if not course.sessions.exists():
        raise ValidationError(_("Hãy thêm ít nhất một buổi học trước khi mở nhận đề cử."))
    _set_status(course, Course.Status.OPEN)
    return course


@transaction.atomic
def course_close(*, course: Course, by: User) -> Course:
    _require_manager(course, by)
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.status != Course.Status.OPEN:
        raise ValidationError(_("Khóa học không ở trạng thái nhận đề cử."))
    _set_status(course, Course.Status.CLOSED)
    return course


@transaction.atomic
def course_cancel(*, course: Course, by: User, reason: str) -> Course:
    """Cancel the course: every open nomination is cancelled, and everyone who had a place
    or was waiting (the person and their nominator) is told."""
    _require_manager(course, by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Hãy nêu lý do hủy khóa học."))
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.status in (Course.Status.CANCELLED, Course.Status.FINISHED):
        raise ValidationError(_("Khóa học đã hủy hoặc đã kết thúc."))
    course.status = Course.Status.CANCELLED
    course.cancelled_reason = reason[:300]
    course.save(update_fields=["status", "cancelled_reason"])
    told = []
    nominations = Nomination.objects.select_for_update(of=("self",)).filter(
        course=course, state__in=Nomination.ACTIVE_STATES
    )
    for nomination in nominations.select_related("staff__user", "nominated_by"):
        had_place = nomination.state in (S.BOOKED, S.WAITLISTED)
        _change_state(nomination, S.CANCELLED, by=by, note=_("Khóa học bị hủy: %(r)s") % {"r": reason[:200]})
        if had_place:
            told.extend(_people_of(nomination))
    _tell(
        told,
        title=_("Khóa học “%(t)s” đã bị hủy") % {"t": course.title},
        body=_("Khóa học “%(t)s” đã bị hủy. Lý do: %(r)s") % {"t": course.title, "r": reason},
        url=_course_url(course),
    )
    return course


@transaction.atomic
def session_save(*, course: Course, by: User, session: Session | None = None, **fields) -> Session:
    """Add a session to `course`, or change `session` (one of its sessions), from the fields of
    `SESSION_FIELDS`. The venue must be one the course's organiser may use."""
    if session is not None and session.course_id != course.pk:
        raise ValueError("the session belongs to another course")
    session = _assign(session or Session(course=course), fields, SESSION_FIELDS)
    _require_manager(session.course, by)
    if session.course.status in (Course.Status.CANCELLED, Course.Status.FINISHED):
        raise ValidationError(_("Không thể thay đổi buổi học của khóa đã hủy hoặc đã kết thúc."))
    if session.venue_id and not venue_choices(session.course).filter(pk=session.venue_id).exists():
        raise ValidationError(
            {"venue": _("Nơi tổ chức phải là thư viện hoặc trường học trong địa bàn của đơn vị tổ chức khóa học.")}
        )
    if session.pupil_count and session.pupil_count > MAX_PUPILS_PER_SESSION:
        raise ValidationError(
            {"pupil_count": _("Số lượt học sinh của một buổi không quá %(n)s.") % {"n": MAX_PUPILS_PER_SESSION}}
        )
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def session_delete(*, session: Session, by: User) -> Course:
    """Remove a session that has not been taken attendance for. People holding a place on the
    course (and their nominators) are told when the session was still to come."""
    course = Course.objects.select_for_update().get(pk=session.course_id)
    _require_manager(course, by)
    session = Session.objects.get(pk=session.pk)
    if course.status in (Course.Status.CANCELLED, Course.Status.FINISHED):
        raise ValidationError(_("Không thể thay đổi buổi học của khóa đã hủy hoặc đã kết thúc."))
    if Attendance.objects.filter(session=session).exists():
        raise ValidationError(
            _("Buổi học ngày %(d)s đã được điểm danh nên không thể xóa.") % {"d": f"{session.date:%d/%m/%Y}"}
        )
    if course.status in (Course.Status.OPEN, Course.Status.CLOSED) and course.sessions.count() == 1:
        raise ValidationError(
            _("Đây là buổi học duy nhất của khóa đang diễn ra; hãy thêm buổi khác trước, hoặc hủy khóa học.")
        )
    day = f"{session.date:%d/%m/%Y}"
    upcoming = session.date >= timezone.localdate()
    session.delete()
    if upcoming and course.status in (Course.Status.OPEN, Course.Status.CLOSED):
        told = []
        for nomination in Nomination.objects.filter(course=course, state__in=(S.BOOKED, S.WAITLISTED)).select_related(
            "staff__user", "nominated_by"
        ):
            told.extend(_people_of(nomination))
        _tell(
            told,
            title=_("Thay đổi lịch học: “%(t)s”") % {"t": course.title},
            body=_("Buổi học ngày %(d)s của khóa học “%(t)s” đã được bỏ khỏi lịch.") % {"d": day, "t": course.title},
            url=_course_url(course),
        )
    return course


@transaction.atomic
def material_add(*, course: Course, title: str, file, by: User) -> CourseMaterial:
    _require_manager(course, by)
    material = CourseMaterial(course=course, title=title, file=file, uploaded_by=by)
    material.full_clean()
    material.save()
    return material


# --- Staff registry -------------------------------------------------------------------------


@transaction.atomic
def staff_save(*, by: User, staff: StaffMember | None = None, **fields) -> StaffMember:
    """Create a registry entry, or change `staff`, from the fields of `STAFF_FIELDS`; the school
    (and the person being changed) must lie within the user's scope."""
    staff = _assign(staff or StaffMember(), fields, STAFF_FIELDS)
    if not can_edit_staff(by):
        raise PermissionDenied(_("Bạn không có quyền cập nhật danh sách nhân viên thư viện."))
    from .selectors import schools_for_user

    if not schools_for_user(by).filter(pk=staff.school_id).exists():
        raise PermissionDenied(_("Trường này không thuộc phạm vi quản lý của bạn."))
    if staff.pk and not staff_for_user(by).filter(pk=staff.pk).exists():
        raise PermissionDenied(_("Nhân viên này không thuộc phạm vi quản lý của bạn."))
    staff.full_clean()
    staff.save()
    return staff


# --- Nominations and their sign-up states ----------------------------------------------------


def _change_state(nomination: Nomination, state: str, *, by: User | None, note: str = "") -> None:
    fields = ["state"]
    nomination.state = state
    if state == S.WAITLISTED:
        nomination.waitlisted_at = timezone.now()
        fields.append("waitlisted_at")
    nomination.save(update_fields=fields)
    NominationStateChange.objects.create(nomination=nomination, state=state, by=by, note=note[:300])


def _free_places(course: Course) -> int | None:
    """Places left (None = unlimited). Call with the course row locked."""
    if course.capacity == 0:
        return None
    booked = Nomination.objects.filter(course=course, state__in=Nomination.ATTENDANCE_STATES).count()
    return max(course.capacity - booked, 0)


def _promote_waitlist(course: Course, *, by: User | None) -> list[Nomination]:
    """Book waitlisted nominations in the order they joined while places are free; tell each
    promoted person and their nominator. Call with the course row locked."""
    if course.status not in (Course.Status.OPEN, Course.Status.CLOSED):
        return []
    promoted = []
    free = _free_places(course)
    queue = (
        Nomination.objects.select_for_update(of=("self",))
        .filter(course=course, state=S.WAITLISTED)
        .select_related("staff__user", "nominated_by")
        .order_by("waitlisted_at", "pk")
    )
    for nomination in queue:
        if free is not None and free <= 0:
            break
        _change_state(nomination, S.BOOKED, by=by, note=_("Tự động chuyển từ danh sách chờ khi có chỗ trống."))
        promoted.append(nomination)
        if free is not None:
            free -= 1
        _tell(
            _people_of(nomination),
            title=_("Đã có chỗ trong khóa học “%(t)s”") % {"t": course.title},
            body=_("%(name)s đã được chuyển từ danh sách chờ sang ghi danh chính thức khóa học “%(t)s”.")
            % {"name": nomination.staff.full_name, "t": course.title},
            url=_course_url(course),
        )
    return promoted


@transaction.atomic
def nomination_create(*, course: Course, staff: StaffMember, by: User, note: str = "") -> Nomination:
    """Nominate a staff member of the user's scope for an open course (state: requested)."""
    if not can_nominate(by):
        raise PermissionDenied(_("Bạn không có quyền đề cử nhân viên tham gia khóa học."))
    if not staff_for_user(by).filter(pk=staff.pk).exists():
        raise PermissionDenied(_("Nhân viên này không thuộc phạm vi quản lý của bạn."))
    course = Course.objects.select_for_update().get(pk=course.pk)
    if not course.nominations_open_on(timezone.localdate()):
        raise ValidationError(_("Khóa học “%(t)s” không còn nhận đề cử.") % {"t": course.title})
    if not staff.is_active:
        raise ValidationError(_("%(name)s không còn công tác.") % {"name": staff.full_name})
    if Nomination.objects.filter(course=course, staff=staff, state__in=Nomination.ACTIVE_STATES).exists():
        raise ValidationError(_("%(name)s đã được đề cử vào khóa học này.") % {"name": staff.full_name})
    nomination = Nomination(
        course=course,
        staff=staff,
        nominated_by=by,
        nominating_organisation=by.organisation or staff.school,
        state=S.REQUESTED,
        note=note[:300],
    )
    nomination.full_clean()
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError:
        raise ValidationError(_("%(name)s đã được đề cử vào khóa học này.") % {"name": staff.full_name})
    NominationStateChange.objects.create(nomination=nomination, state=S.REQUESTED, by=by, note=note[:300])
    return nomination


def nominations_create(
    *, course: Course, staff, by: User, note: str = ""
) -> tuple[list[Nomination], ValidationError | None]:
    """Nominate each of `staff` in turn, each in its own transaction as `nomination_create`
    (one refused person does not undo the others); stops at the first refusal and returns the
    nominations made and that refusal (or None)."""
    done = []
    for person in staff:
        try:
            done.append(nomination_create(course=course, staff=person, by=by, note=note))
        except ValidationError as exc:
            return done, exc
    return done, None


def _lock(nomination: Nomination) -> tuple[Course, Nomination]:
    # Always the course first, then the nomination: one lock order, no deadlock.
    course = Course.objects.select_for_update().get(pk=nomination.course_id)
    nomination = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("staff__user", "nominated_by")
        .get(pk=nomination.pk)
    )
    return course, nomination


@transaction.atomic
def nomination_approve(*, nomination: Nomination, by: User) -> Nomination:
    """Approve a requested nomination: booked when a place is free and nobody is waiting,
    otherwise waitlisted behind those already waiting."""
    course, nomination = _lock(nomination)
    _require_manager(course, by)
    if nomination.state != S.REQUESTED:
        raise ValidationError(_("Chỉ duyệt được đề cử đang chờ duyệt."))
    if course.status not in (Course.Status.OPEN, Course.Status.CLOSED):
        raise ValidationError(_("Khóa học không còn nhận học viên."))
    _change_state(nomination, S.APPROVED, by=by)
    _promote_waitlist(course, by=by)
    free = _free_places(course)
    if (free is None or free > 0) and not Nomination.objects.filter(course=course, state=S.WAITLISTED).exists():
        _change_state(nomination, S.BOOKED, by=by)
        title = _("Đã ghi danh khóa học “%(t)s”") % {"t": course.title}
        body = _("%(name)s đã được duyệt và ghi danh khóa học “%(t)s”.")
    else:
        _change_state(nomination, S.WAITLISTED, by=by, note=_("Khóa học đã đủ chỗ."))
        title = _("Vào danh sách chờ khóa học “%(t)s”") % {"t": course.title}
        body = _(
            "%(name)s đã được duyệt nhưng khóa học “%(t)s” đã đủ chỗ; sẽ tự động được ghi danh theo thứ tự khi có chỗ trống."
        )
    _tell(
        _people_of(nomination),
        title=title,
        body=body % {"name": nomination.staff.full_name, "t": course.title},
        url=_course_url(course),
    )
    return nomination


@transaction.atomic
def nomination_decline(*, nomination: Nomination, by: User, reason: str = "") -> Nomination:
    course, nomination = _lock(nomination)
    _require_manager(course, by)
    if nomination.state not in (S.REQUESTED, S.WAITLISTED):
        raise ValidationError(_("Chỉ từ chối được đề cử đang chờ duyệt hoặc trong danh sách chờ."))
    _change_state(nomination, S.DECLINED, by=by, note=reason)
    _tell(
        [nomination.nominated_by],
        title=_("Đề cử không được duyệt: “%(t)s”") % {"t": course.title},
        body=_("Đề cử %(name)s tham gia khóa học “%(t)s” không được duyệt. %(r)s")
        % {"name": nomination.staff.full_name, "t": course.title, "r": reason},
        url=_course_url(course),
    )
    return nomination


@transaction.atomic
def nomination_cancel(*, nomination: Nomination, by: User, reason: str = "") -> Nomination:
    """Withdraw a nomination. A freed place goes to the first on the waitlist."""
    course, nomination = _lock(nomination)
    if not can_cancel_nomination(by, nomination):
        raise PermissionDenied(_("Bạn không có quyền hủy đề cử này."))
    if nomination.state not in Nomination.ACTIVE_STATES:
        raise ValidationError(_("Đề cử này không còn hiệu lực để hủy."))
    if course.status == Course.Status.FINISHED:
        raise ValidationError(_("Khóa học đã kết thúc."))
    _change_state(nomination, S.CANCELLED, by=by, note=reason)
    _promote_waitlist(course, by=by)
    return nomination


# --- Attendance, completion, certificates ------------------------------------------------------


def _check_attendance_open(session: Session, by: User) -> Session:
    # Read the course as it is now: a caller's copy may predate a publish or a finish.
    session = Session.objects.select_related("course").get(pk=session.pk)
    _require_manager(session.course, by)
    if session.course.status not in (Course.Status.OPEN, Course.Status.CLOSED):
        raise ValidationError(_("Chỉ điểm danh được khóa học đang diễn ra."))
    if session.date > timezone.localdate():
        raise ValidationError(_("Buổi học chưa diễn ra, chưa thể điểm danh."))
    return session


@transaction.atomic
def attendance_mark(*, session: Session, nomination: Nomination, present: bool, by: User) -> Attendance:
    """Mark one person present or absent at one session."""
    session = _check_attendance_open(session, by)
    nomination = Nomination.objects.get(pk=nomination.pk)  # the state as it is now, not as the caller saw it
    if nomination.course_id != session.course_id or nomination.state not in Nomination.ATTENDANCE_STATES:
        raise ValidationError(_("Người này không có tên trong danh sách học viên của khóa học."))
    attendance, _created = Attendance.objects.update_or_create(
        session=session, nomination=nomination, defaults={"present": present, "marked_by": by}
    )
    return attendance


@transaction.atomic
def attendance_record(*, session: Session, present_ids: set[int], by: User) -> int:
    """Take the whole list at once (the form without JavaScript); returns how many present."""
    session = _check_attendance_open(session, by)
    people = Nomination.objects.filter(course_id=session.course_id, state__in=Nomination.ATTENDANCE_STATES)
    known = set(people.values_list("pk", flat=True))
    if not present_ids <= known:
        raise ValidationError(_("Danh sách điểm danh có người không thuộc khóa học."))
    for pk in known:
        Attendance.objects.update_or_create(
            session=session, nomination_id=pk, defaults={"present": pk in present_ids, "marked_by": by}
        )
    return len(present_ids)


def _new_code() -> str:
    return "".join(secrets.choice(CERTIFICATE_ALPHABET) for _i in range(CERTIFICATE_CODE_LENGTH))


def _add_months(day: dt.date, months: int) -> dt.date:
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def certificate_issue(*, nomination: Nomination, by: User | None) -> Certificate:
    """The nomination's certificate, issued now if it has none. Completion is required."""
    existing = Certificate.objects.filter(nomination=nomination).first()
    if existing:
        return existing
    if nomination.completed_at is None:
        raise ValidationError(_("Học viên chưa hoàn thành khóa học."))
    course = nomination.course
    dates = course.sessions.order_by("date").values_list("date", flat=True)
    first, last = dates.first(), dates.last()
    today = timezone.localdate()
    staff = nomination.staff
    for _attempt in range(8):
        certificate = Certificate(
            nomination=nomination,
            code=_new_code(),
            holder_name=staff.full_name,
            holder_organisation=staff.school.name,
            course_title=course.title,
            course_start=first or today,
            course_end=last or today,
            issuer_name=course.organiser.name,
            issued_on=today,
            valid_until=_add_months(today, course.certificate_validity_months)
            if course.certificate_validity_months
            else None,
            issued_by=by,
        )
        try:
            with transaction.atomic():
                certificate.save()
            return certificate
        except IntegrityError:
            if Certificate.objects.filter(nomination=nomination).exists():
                return Certificate.objects.get(nomination=nomination)
            continue  # a code collision: draw again
    raise RuntimeError("could not draw a unique certificate code")


@transaction.atomic
def course_finish(*, course: Course, by: User) -> dict[str, int]:
    """Close the course: each booked person's attendance decides their final state (no-show,
    attended part, attended fully) and, under the course's completion rule, completion and a
    certificate. Nominations still waiting are cancelled. Returns counts by outcome."""
    _require_manager(course, by)
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.status not in (Course.Status.OPEN, Course.Status.CLOSED):
        raise ValidationError(_("Chỉ kết thúc được khóa học đang diễn ra."))
    total = course.sessions.count()
    last = course.sessions.order_by("-date").values_list("date", flat=True).first()
    if not total or last > timezone.localdate():
        raise ValidationError(_("Khóa học còn buổi chưa diễn ra, chưa thể kết thúc."))
    required = (
        total if course.completion_rule == Course.CompletionRule.ALL_SESSIONS else min(course.min_sessions, total)
    )
    # The course row is locked, so nobody else changes its nominations meanwhile (and
    # PostgreSQL refuses FOR UPDATE together with the GROUP BY of the count).
    people = (
        Nomination.objects.filter(course=course, state=S.BOOKED)
        .annotate(attended=Count("attendance", filter=Q(attendance__present=True)))
        .select_related("staff__school", "course__organiser")
    )
    counts = {"completed": 0, "partial": 0, "no_show": 0}
    # Completed when the last session ended (what the 6-monthly reports count by), never later
    # than now.
    last_session = course.sessions.order_by("-date", "-end_time").first()
    completed_at = min(last_session.ends_at, timezone.now())
    for nomination in people:
        attended = nomination.attended
        if attended == 0:
            state = S.NO_SHOW
        elif attended >= total:
            state = S.FULLY_ATTENDED
        else:
            state = S.PARTIALLY_ATTENDED
        note = _("Tham dự %(a)s/%(t)s buổi.") % {"a": attended, "t": total}
        _change_state(nomination, state, by=by, note=note)
        if attended >= required:
            nomination.completed_at = completed_at
            nomination.save(update_fields=["completed_at"])
            certificate_issue(nomination=nomination, by=by)
            counts["completed"] += 1
        elif attended:
            counts["partial"] += 1
        else:
            counts["no_show"] += 1
    for nomination in Nomination.objects.select_for_update().filter(
        course=course, state__in=(S.REQUESTED, S.APPROVED, S.WAITLISTED)
    ):
        _change_state(nomination, S.CANCELLED, by=by, note=_("Khóa học đã kết thúc."))
    _set_status(course, Course.Status.FINISHED)
    return counts


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by: User, reason: str) -> Certificate:
    certificate = (
        Certificate.objects.select_for_update(of=("self",)).select_related("nomination__course").get(pk=certificate.pk)
    )
    _require_manager(certificate.nomination.course, by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Hãy nêu lý do thu hồi giấy chứng nhận."))
    if certificate.revoked_at:
        raise ValidationError(_("Giấy chứng nhận đã bị thu hồi trước đó."))
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason[:300]
    certificate.revoked_by = by
    certificate.full_clean()
    certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    return certificate


# --- Guidance documents ----------------------------------------------------------------------


def guidance_downloaded(*, version: GuidanceVersion) -> None:
    """Count one download (an atomic UPDATE, safe under concurrent downloads)."""
    GuidanceVersion.objects.filter(pk=version.pk).update(download_count=F("download_count") + 1)


def _require_guidance_manager(by: User) -> None:
    if not can_manage_guidance(by):
        raise PermissionDenied(_("Bạn không có quyền biên soạn tài liệu hướng dẫn nghiệp vụ."))


def _add_version(*, document: GuidanceDocument, version: str, file, notes: str, by: User) -> GuidanceVersion:
    check_guidance_file(file)
    version = (version or "").strip()
    if GuidanceVersion.objects.filter(document=document, version=version).exists():
        raise ValidationError(_("Tài liệu đã có phiên bản %(v)s; hãy đặt số phiên bản mới.") % {"v": version})
    item = GuidanceVersion(
        document=document,
        version=version,
        file=file,
        notes=(notes or "").strip()[:300],
        published_on=timezone.localdate(),
        uploaded_by=by,
    )
    # Checked before anything is written: full_clean() also refuses a version number the
    # document already has, and the file reaches storage only on save().
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def guidance_create(*, version: str, file, notes: str = "", by: User, **fields) -> GuidanceDocument:
    """A new guidance document (fields of `GUIDANCE_FIELDS`) published by the user's
    organisation, with its first file as `version`."""
    _require_guidance_manager(by)
    document = _assign(GuidanceDocument(), fields, GUIDANCE_FIELDS)
    if not by.organisation_id:
        raise ValidationError(_("Tài khoản của bạn chưa gắn với đơn vị nào nên không thể ban hành tài liệu."))
    check_guidance_file(file)
    document.publisher = by.organisation
    document.full_clean()
    document.save()
    _add_version(document=document, version=version, file=file, notes=notes, by=by)
    return document


@transaction.atomic
def guidance_version_add(
    *, document: GuidanceDocument, version: str, file, notes: str = "", by: User
) -> GuidanceVersion:
    """Upload a new version; earlier versions stay listed and downloadable."""
    _require_guidance_manager(by)
    document = GuidanceDocument.objects.select_for_update().get(pk=document.pk)
    return _add_version(document=document, version=version, file=file, notes=notes, by=by)


@transaction.atomic
def guidance_update(*, document: GuidanceDocument, by: User, **fields) -> GuidanceDocument:
    """Change a document's title, audience, summary or publication (`GUIDANCE_FIELDS`)."""
    _require_guidance_manager(by)
    _assign(document, fields, GUIDANCE_FIELDS)
    document.full_clean()
    document.save(update_fields=["title", "audience", "summary", "is_published"])
    return document
