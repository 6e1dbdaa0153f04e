"""The programs app in the shell: navigation entries and home-page panels by role."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.navigation import NavItem, Panel
from directory.access import is_district_office_member
from directory.selectors import sees_whole_province

from . import access, selectors


def nav_items(request) -> list[NavItem]:
    user = request.user
    if not selectors.may_see_programme(user):
        return []
    # One menu for the whole programme keeps the navigation bar on one line at 1366px.
    children = [
        NavItem(_("Chương trình phối hợp"), reverse("programs:programme-list"), icon="journal-bookmark"),
        NavItem(_("Theo dõi thực hiện"), reverse("programs:coverage"), icon="clipboard-data"),
        NavItem(_("Kế hoạch năm"), reverse("programs:plan-list"), icon="calendar2-check"),
        NavItem(_("Kế hoạch địa phương"), reverse("programs:local-plan-list"), icon="geo-alt"),
        NavItem(_("Cuộc họp, hội nghị"), reverse("programs:meeting-list"), icon="people"),
        NavItem(_("Khảo sát, kiểm tra"), reverse("programs:inspection-list"), icon="search"),
        NavItem(_("Thí điểm theo cấp học"), reverse("programs:pilot-index"), icon="lightbulb"),
    ]
    if sees_whole_province(user):
        children.append(NavItem(_("Đề xuất, kiến nghị"), reverse("programs:proposal-list"), icon="send"))
    badge = None
    if access.director_department(user) is not None:
        badge = selectors.plans_awaiting_decision(user).count() or None
        children[2].badge = badge
    return [
        NavItem(
            _("Chương trình"),
            reverse("programs:programme-list"),
            icon="journal-bookmark",
            active_prefix="/programs/",
            badge=badge,
            children=children,
        )
    ]


def home_panels(request) -> list[Panel]:
    user = request.user
    if not selectors.may_see_programme(user):
        return []
    panels: list[Panel] = []
    upcoming = list(selectors.upcoming_meetings(user, days=45)[:4])
    if access.director_department(user) is not None or user.is_leadership:
        awaiting = list(selectors.plans_awaiting_decision(user)[:5])
        panels.append(
            Panel(
                _("Kế hoạch chờ Giám đốc phê duyệt"),
                "programs/panels/awaiting.html",
                {"plans": awaiting},
                order=5,
            )
        )
        panels.append(_coverage_panel(order=6))
        panels.append(Panel(_("Cuộc họp sắp tới"), "programs/panels/meetings.html", {"meetings": upcoming}, order=30))
    elif access.is_focal_officer(user):
        mine = list(selectors.plans_in_preparation()[:5])
        panels.append(
            Panel(_("Kế hoạch đang soạn, chờ duyệt"), "programs/panels/drafts.html", {"plans": mine}, order=8)
        )
        panels.append(Panel(_("Cuộc họp sắp tới"), "programs/panels/meetings.html", {"meetings": upcoming}, order=9))
        panels.append(_coverage_panel(order=12))
    elif is_district_office_member(user):
        current = selectors.current_plan()
        local = selectors.own_local_plan(user, current.year) if current is not None else None
        panels.append(
            Panel(
                _("Kế hoạch triển khai tại địa phương"),
                "programs/panels/local_plan.html",
                {"plan": current, "local": local, "year": timezone.localdate().year},
                order=8,
            )
        )
        panels.append(Panel(_("Cuộc họp sắp tới"), "programs/panels/meetings.html", {"meetings": upcoming}, order=9))
    elif upcoming:
        panels.append(Panel(_("Cuộc họp sắp tới"), "programs/panels/meetings.html", {"meetings": upcoming}, order=40))
    return panels


def _coverage_panel(*, order: int) -> Panel:
    data = selectors.coverage()
    return Panel(
        _("Mức độ thực hiện chương trình năm %(y)s") % {"y": data.year},
        "programs/panels/coverage.html",
        {
            "year": data.year,
            "plan": data.plan,
            "total": data.total,
            "covered": data.covered,
            "uncovered": [r.commitment.code for r in data.uncovered],
        },
        order=order,
    )
