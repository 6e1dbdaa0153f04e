from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.navigation import NavItem, Panel
from directory.models import Organisation, User

from . import selectors
from .access import can_manage_course, sees_staff_registry


def nav_items(request):
    user = request.user
    children = [NavItem(_("Khóa đào tạo, bồi dưỡng"), reverse("training:course-list"), icon="mortarboard")]
    if sees_staff_registry(user):
        children.append(NavItem(_("Nhân viên thư viện trường học"), reverse("training:staff-list"), icon="people"))
    children.append(
        NavItem(_("Tài liệu hướng dẫn nghiệp vụ"), reverse("training:guidance-list"), icon="file-earmark-text")
    )
    children.append(NavItem(_("Tra cứu giấy chứng nhận"), reverse("training:verify-form"), icon="patch-check"))
    return [
        NavItem(
            _("Đào tạo"),
            reverse("training:course-list"),
            icon="mortarboard",
            active_prefix="/training/",
            children=children,
        )
    ]


def home_panels(request):
    user = request.user
    panels = []
    if user.role == User.Role.FOCAL_OFFICER or (
        user.organisation_id and user.organisation.kind in Organisation.LIBRARY_KINDS
    ):
        courses = [c for c in selectors.awaiting_approval(user)[:6] if can_manage_course(user, c)]
        panels.append(
            Panel(
                _("Đề cử chờ duyệt"),
                "training/panels/awaiting.html",
                {"courses": courses},
                order=30,
            )
        )
    if (
        user.role in (User.Role.DISTRICT_OFFICER, User.Role.FOCAL_OFFICER)
        and user.organisation_id
        and (user.organisation.kind == Organisation.Kind.EDUCATION_OFFICE)
    ):
        panels.append(
            Panel(
                _("Khóa học đang nhận đề cử"),
                "training/panels/open_courses.html",
                {"courses": _with_free(selectors.open_courses_first(5)), "states": _state_rows(user)},
                order=35,
            )
        )
    org = user.organisation if user.organisation_id else None
    if org is not None and org.district_id and org.kind in CULTURE_DISTRICT_KINDS:
        today = timezone.localdate()
        half_start = today.replace(month=1 if today.month <= 6 else 7, day=1)
        panels.append(
            Panel(
                _("Giờ học ngoại khóa tại thư viện huyện"),
                "training/panels/extracurricular.html",
                {
                    "sessions": selectors.district_library_sessions(org.district_id, today=today),
                    "figures": selectors.report_figures(organisation=org, start=half_start, end=today),
                    "since": half_start,
                    "today": today,
                },
                order=40,
            )
        )
    if user.role == User.Role.LEADERSHIP:
        year = timezone.localdate().year
        panels.append(
            Panel(
                _("Đào tạo, bồi dưỡng năm %(y)s") % {"y": year},
                "training/panels/summary.html",
                {"summary": selectors.year_summary(year), "year": year},
                order=40,
            )
        )
    if user.role == User.Role.SCHOOL_LIBRARIAN:
        panels.append(
            Panel(
                _("Lịch học và giấy chứng nhận của tôi"),
                "training/panels/mine.html",
                {
                    "sessions": list(selectors.upcoming_sessions_for(user)[:5]),
                    "certificates": list(selectors.certificates_of(user)[:5]),
                    "open_courses": selectors.open_courses_first(3),
                },
                order=35,
            )
        )
    return panels


CULTURE_DISTRICT_KINDS = (
    Organisation.Kind.CULTURE_OFFICE,
    Organisation.Kind.CULTURE_CENTRE,
    Organisation.Kind.PUBLIC_LIBRARY,
)


def _state_rows(user):
    counts = selectors.nomination_state_counts(user)
    from .models import Nomination

    return [(label, counts[value], value) for value, label in Nomination.State.choices if counts.get(value)]


def _with_free(courses):
    courses = list(courses)
    for course in courses:
        course.free = max(course.capacity - course.n_booked, 0) if course.capacity else None
    return courses
