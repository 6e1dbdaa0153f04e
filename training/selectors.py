"""Reads for training: what each user may see, course rosters, training history, report figures."""

import datetime as dt

from django.db.models import Count, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.search import normalise
from directory.models import Organisation
from directory.selectors import is_province_manager, scope_queryset

from .access import can_manage_course, can_nominate, sees_staff_registry
from .models import (
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

S = Nomination.State


# --- Courses --------------------------------------------------------------------------------


def courses_for_user(user) -> QuerySet[Course]:
    """Courses the user may open, with counts and first/last session dates annotated.

    Courses are offered province-wide, so every signed-in user sees published courses;
    drafts only by those who may manage them (their organiser, focal officers, admins)."""
    sessions = Session.objects.filter(course=OuterRef("pk")).order_by().values("course")
    qs = Course.objects.select_related("organiser", "plan_activity").annotate(
        n_sessions=_per_course(sessions, Count("pk"), default=0),
        # The first and last session dates off the (course, date) index, one row each.
        first_date=Subquery(sessions.order_by("date").values("date")[:1]),
        last_date=Subquery(sessions.order_by("-date").values("date")[:1]),
    )
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    if is_province_manager(user):
        return qs
    visible = ~Q(status=Course.Status.DRAFT)
    if user.organisation_id:
        visible |= Q(organiser_id=user.organisation_id)
    return qs.filter(visible)


def _per_course(rows: QuerySet, aggregate, *, default=None):
    """One figure of each course's rows (`rows` filtered on OuterRef("pk")) as a correlated
    subquery: a course list reads its sessions and nominations by index, course by course,
    instead of joining both to every course (sessions × nominations rows) and grouping."""
    value = Subquery(rows.annotate(value=aggregate).values("value"))
    return Coalesce(value, default) if default is not None else value


def with_place_counts(qs: QuerySet[Course]) -> QuerySet[Course]:
    nominations = Nomination.objects.filter(course=OuterRef("pk")).order_by().values("course")
    return qs.annotate(
        n_booked=_per_course(nominations.filter(state__in=Nomination.ATTENDANCE_STATES), Count("pk"), default=0),
        n_waitlisted=_per_course(nominations.filter(state=S.WAITLISTED), Count("pk"), default=0),
        n_requested=_per_course(nominations.filter(state=S.REQUESTED), Count("pk"), default=0),
    )


def get_course_for_user(user, pk) -> Course:
    try:
        return with_place_counts(courses_for_user(user)).get(pk=pk)
    except (Course.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def sessions_for_user(user) -> QuerySet[Session]:
    """The sessions of the courses the user sees."""
    return Session.objects.filter(course__in=courses_for_user(user).values("pk"))


def get_material_for_user(user, pk) -> CourseMaterial:
    """A course's material, for whoever may see the course (404 otherwise)."""
    material = get_object_or_404(CourseMaterial, pk=pk)
    get_course_for_user(user, material.course_id)
    return material


def nominations_for_user(user, course: Course) -> QuerySet[Nomination]:
    """The course's nominations the user may see: all for managers, else their own scope."""
    qs = (
        Nomination.objects.filter(course=course)
        .select_related("staff__school__district", "nominated_by", "nominating_organisation", "certificate")
        .order_by("created_at", "pk")
    )
    if can_manage_course(user, course):
        return qs
    if not sees_staff_registry(user):
        return qs.filter(Q(staff__user=user) | Q(nominated_by=user))
    return scope_queryset(user, qs, org_field="staff__school")


def waitlist(course: Course) -> QuerySet[Nomination]:
    """Waitlisted nominations in the order they will be promoted."""
    return Nomination.objects.filter(course=course, state=S.WAITLISTED).order_by("waitlisted_at", "pk")


def get_nomination_for_user(user, pk) -> Nomination:
    try:
        nomination = Nomination.objects.select_related("course", "staff__school").get(pk=pk)
    except (Nomination.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    # Through the course (drafts hidden) and then the nomination scope.
    get_course_for_user(user, nomination.course_id)
    if not nominations_for_user(user, nomination.course).filter(pk=nomination.pk).exists():
        raise Http404
    return nomination


def nomination_history(nomination: Nomination) -> QuerySet[NominationStateChange]:
    return nomination.state_changes.select_related("by").order_by("at", "pk")


def session_roster(session: Session) -> list[tuple[Nomination, bool]]:
    """Everyone with a place on the session's course and whether they are marked present."""
    present = set(Attendance.objects.filter(session=session, present=True).values_list("nomination_id", flat=True))
    people = (
        Nomination.objects.filter(course_id=session.course_id, state__in=Nomination.ATTENDANCE_STATES)
        .select_related("staff__school")
        .order_by("staff__full_name", "pk")
    )
    return [(n, n.pk in present) for n in people]


def get_session_for_manager(user, pk) -> Session:
    from django.core.exceptions import PermissionDenied

    try:
        session = Session.objects.select_related("course").get(pk=pk)
    except (Session.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    get_course_for_user(user, session.course_id)
    if not can_manage_course(user, session.course):
        raise PermissionDenied
    return session


def attendance_matrix(course: Course):
    """Sessions, people and a set of (nomination_id, session_id) present — three queries."""
    sessions = list(course.sessions.order_by("date", "start_time", "pk"))
    people = list(
        Nomination.objects.filter(course=course, state__in=Nomination.ATTENDANCE_STATES)
        .select_related("staff__school__district")
        .order_by("staff__full_name", "pk")
    )
    present = set(
        Attendance.objects.filter(session__course=course, present=True).values_list("nomination_id", "session_id")
    )
    return sessions, people, present


# --- Staff registry ---------------------------------------------------------------------------


def staff_for_user(user) -> QuerySet[StaffMember]:
    if not sees_staff_registry(user):
        return StaffMember.objects.none()
    qs = StaffMember.objects.select_related("school__district", "user")
    return scope_queryset(user, qs, org_field="school")


def get_staff_for_user(user, pk) -> StaffMember:
    try:
        return staff_for_user(user).get(pk=pk)
    except (StaffMember.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def staff_registry(user, *, q: str = "", employment: str = "") -> QuerySet[StaffMember]:
    """The registry as the staff list shows it: the user's staff, each with the number of
    courses completed, found by name, school or district (accents ignored), in school order."""
    staff = staff_for_user(user).annotate(
        n_completed=Count("nominations", filter=Q(nominations__completed_at__isnull=False))
    )
    term = normalise(q)
    if term:
        staff = staff.filter(
            Q(full_name__unaccent__icontains=term)
            | Q(school__name__unaccent__icontains=term)
            | Q(school__district__name__unaccent__icontains=term)
        )
    if employment:
        staff = staff.filter(employment=employment)
    return staff.order_by("school__district__code", "school__name", "full_name", "pk")


def nominatable_staff(user, course: Course) -> QuerySet[StaffMember]:
    """Active staff in the user's scope without an active nomination for the course."""
    if not can_nominate(user):
        return StaffMember.objects.none()
    taken = Nomination.objects.filter(course=course, state__in=Nomination.ACTIVE_STATES).values("staff_id")
    return staff_for_user(user).filter(is_active=True).exclude(pk__in=taken)


def venue_choices(course: Course) -> QuerySet[Organisation]:
    """Where a session of `course` may be held: public libraries and schools (still open)
    within the organiser's scope — its own district for a district organiser, the whole
    province for the Provincial Library and the DoET office. Forms offer these, the service
    re-checks them."""
    qs = Organisation.objects.filter(
        kind__in=[*Organisation.LIBRARY_KINDS, Organisation.Kind.SCHOOL], valid_to__isnull=True
    ).order_by("kind", "district__code", "name")
    organiser = course.organiser
    if organiser is None:
        return qs.none()
    return qs.filter(district_id=organiser.district_id) if organiser.district_id else qs


def schools_for_user(user) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(kind=Organisation.Kind.SCHOOL, valid_to__isnull=True).select_related("district")
    return scope_queryset(user, qs, org_field="").order_by("district__code", "name")


def training_history(staff: StaffMember) -> QuerySet[Nomination]:
    return (
        Nomination.objects.filter(staff=staff)
        .select_related("course__organiser", "certificate")
        .annotate(first_date=Min("course__sessions__date"), last_date=Max("course__sessions__date"))
        .order_by("-created_at")
    )


# --- Certificates -----------------------------------------------------------------------------


def normalise_code(code: str) -> str:
    return "".join(ch for ch in str(code or "").upper() if ch.isalnum())[:16]


def certificate_by_code(code: str) -> Certificate | None:
    code = normalise_code(code)
    if not code:
        return None
    return Certificate.objects.filter(code=code).first()


def get_certificate_for_user(user, pk) -> Certificate:
    try:
        certificate = Certificate.objects.select_related("nomination__course", "nomination__staff").get(pk=pk)
    except (Certificate.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    nomination = certificate.nomination
    if nomination.staff.user_id == user.pk or nomination.nominated_by_id == user.pk:
        return certificate
    get_nomination_for_user(user, nomination.pk)
    return certificate


# --- Guidance documents -----------------------------------------------------------------------


def guidance_for_user(user) -> QuerySet[GuidanceDocument]:
    """Published guidance for everyone; drafts too for those who write guidance."""
    latest = GuidanceVersion.objects.select_related("uploaded_by").order_by("-published_on", "-pk")
    qs = (
        GuidanceDocument.objects.select_related("publisher")
        .annotate(downloads=Sum("versions__download_count"), n_versions=Count("versions"))
        .prefetch_related(Prefetch("versions", queryset=latest))
    )
    if is_province_manager(user):
        return qs
    return qs.filter(is_published=True)


def get_guidance_for_user(user, pk) -> GuidanceDocument:
    try:
        return guidance_for_user(user).get(pk=pk)
    except (GuidanceDocument.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_guidance_version_for_user(user, pk) -> GuidanceVersion:
    """One file of a guidance document, for whoever may see the document (404 otherwise)."""
    version = get_object_or_404(GuidanceVersion.objects.select_related("document"), pk=pk)
    get_guidance_for_user(user, version.document_id)
    return version


def get_session_nomination(session: Session, pk) -> Nomination:
    """A nomination of the session's course (404 for one of another course)."""
    return get_object_or_404(Nomination, pk=pk, course_id=session.course_id)


def next_version_label(document: GuidanceDocument) -> str:
    """A suggestion for the next version number: 2.0 after 1.x, else empty."""
    labels = list(document.versions.values_list("version", flat=True))
    majors = []
    for label in labels:
        head = label.split(".", 1)[0].strip()
        if head.isdigit():
            majors.append(int(head))
    if not labels:
        return "1.0"
    return f"{max(majors) + 1}.0" if majors else ""


# --- Home panels --------------------------------------------------------------------------------


def open_courses(*, today=None) -> QuerySet[Course]:
    today = today or timezone.localdate()
    return (
        with_place_counts(Course.objects.filter(status=Course.Status.OPEN))
        .exclude(kind=Course.Kind.EXTRACURRICULAR)
        .filter(Q(nomination_deadline__isnull=True) | Q(nomination_deadline__gte=today))
        .select_related("organiser")
        .annotate(first_date=Min("sessions__date"))
        .order_by("nomination_deadline", "pk")
    )


def open_courses_first(limit: int, *, today=None) -> list[Course]:
    """The first `limit` of `open_courses`, their places counted for those only (a country
    has hundreds of open courses; a home page shows a handful)."""
    today = today or timezone.localdate()
    ids = list(
        Course.objects.filter(status=Course.Status.OPEN)
        .exclude(kind=Course.Kind.EXTRACURRICULAR)
        .filter(Q(nomination_deadline__isnull=True) | Q(nomination_deadline__gte=today))
        .order_by("nomination_deadline", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return list(open_courses(today=today).filter(pk__in=ids)) if ids else []


def nomination_state_counts(user) -> dict[str, int]:
    qs = scope_queryset(user, Nomination.objects.all(), org_field="staff__school")
    qs = qs.exclude(course__status__in=[Course.Status.FINISHED, Course.Status.CANCELLED])
    return {row["state"]: row["n"] for row in qs.values("state").annotate(n=Count("pk"))}


def awaiting_approval(user) -> QuerySet[Course]:
    """Courses the user manages that have nominations waiting for a decision."""
    qs = with_place_counts(Course.objects.filter(status__in=[Course.Status.OPEN, Course.Status.CLOSED]))
    if not is_province_manager(user):
        qs = qs.filter(organiser_id=user.organisation_id)
    return qs.filter(nominations__state=S.REQUESTED).distinct().order_by("nomination_deadline", "pk")


def upcoming_sessions_for(user, *, today=None) -> QuerySet[Session]:
    today = today or timezone.localdate()
    return (
        Session.objects.filter(
            date__gte=today,
            course__nominations__staff__user=user,
            course__nominations__state=S.BOOKED,
        )
        .exclude(course__status=Course.Status.CANCELLED)
        .select_related("course")
        .distinct()
        .order_by("date", "start_time")
    )


def certificates_of(user) -> QuerySet[Certificate]:
    return Certificate.objects.filter(nomination__staff__user=user).order_by("-issued_on")


# --- Figures for the 6-monthly reports -------------------------------------------------------


def _window(start, end) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end, dt.time.max, tzinfo=tz),
    )


def report_figures(*, organisation: Organisation, start: dt.date, end: dt.date) -> dict[str, int]:
    """Training figures of an organisation for a reporting window [start, end], keyed by
    indicator code, for the reports app to prefill a 6-monthly report.

    - education office: GD06, school library staff of its district who completed a
      library-skills course in the window;
    - culture office or centre: VH06, extracurricular class sessions held at the district's
      public libraries in the window, and VH07, pupil participations in them.
    Other organisations get an empty dict. Two queries at most.
    """
    kind = organisation.kind
    if kind == Organisation.Kind.EDUCATION_OFFICE and organisation.district_id:
        since, until = _window(start, end)
        completed = (
            Nomination.objects.filter(
                course__kind=Course.Kind.LIBRARY_SKILLS,
                staff__school__district_id=organisation.district_id,
                completed_at__gte=since,
                completed_at__lte=until,
            )
            .values("staff_id")
            .distinct()
            .count()
        )
        return {"GD06": completed}
    if kind in (Organisation.Kind.CULTURE_OFFICE, Organisation.Kind.CULTURE_CENTRE) and organisation.district_id:
        row = (
            Session.objects.filter(
                course__kind=Course.Kind.EXTRACURRICULAR,
                venue__kind=Organisation.Kind.PUBLIC_LIBRARY,
                venue__district_id=organisation.district_id,
                # Only the district's own work: a class a province-level or other
                # district's organiser held there is theirs, not this district's.
                course__organiser__district_id=organisation.district_id,
                date__gte=start,
                date__lte=end,
            )
            .exclude(course__status__in=[Course.Status.CANCELLED, Course.Status.DRAFT])
            .aggregate(n=Count("pk"), pupils=Sum("pupil_count"))
        )
        return {"VH06": row["n"] or 0, "VH07": row["pupils"] or 0}
    return {}


def district_library_sessions(district_id: int, *, today=None, limit: int = 6) -> list[Session]:
    """Extracurricular class sessions at the district's public libraries: the next ones
    first, then the latest held."""
    today = today or timezone.localdate()
    qs = (
        Session.objects.filter(
            course__kind=Course.Kind.EXTRACURRICULAR,
            venue__kind=Organisation.Kind.PUBLIC_LIBRARY,
            venue__district_id=district_id,
        )
        .exclude(course__status__in=[Course.Status.CANCELLED, Course.Status.DRAFT])
        .select_related("course", "venue")
    )
    upcoming = list(qs.filter(date__gte=today).order_by("date", "start_time")[:limit])
    held = list(qs.filter(date__lt=today).order_by("-date", "-start_time")[: max(limit - len(upcoming), 2)])
    return upcoming + held


def year_summary(year: int) -> dict[str, int]:
    """Courses held, sessions, people who completed, certificates issued in a calendar year
    (the leaders' home), cached until a course, session, nomination or certificate changes."""
    from core import versioned

    return versioned.cached("training", f"year:{year}", lambda: _year_summary(year))


def _year_summary(year: int) -> dict[str, int]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    since, until = _window(start, end)
    live = ~Q(course__status__in=[Course.Status.CANCELLED, Course.Status.DRAFT])
    sessions = Session.objects.filter(live, date__gte=start, date__lte=end).aggregate(
        n=Count("pk"), courses=Count("course", distinct=True), pupils=Sum("pupil_count")
    )
    return {
        "courses": sessions["courses"] or 0,
        "sessions": sessions["n"] or 0,
        "pupils": sessions["pupils"] or 0,
        "completed": Nomination.objects.filter(completed_at__gte=since, completed_at__lte=until).count(),
        "certificates": Certificate.objects.filter(
            issued_on__gte=start, issued_on__lte=end, revoked_at__isnull=True
        ).count(),
        "waiting": Nomination.objects.filter(state=S.REQUESTED).count(),
    }
