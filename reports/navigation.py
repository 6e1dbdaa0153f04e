"""The reports entries of the top bar and the home-page panels, by role."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.navigation import NavItem, Panel
from directory.models import User

from . import selectors
from .models import Report


def nav_items(request) -> list[NavItem]:
    user = request.user
    if not user.is_authenticated:
        return []
    index = reverse("reports:index")
    if user.role == User.Role.DISTRICT_OFFICER and user.organisation_id:
        return [NavItem(label=_("Báo cáo 6 tháng"), url=index, icon="file-earmark-bar-graph", active_prefix=index)]
    if not selectors.can_see_province(user):
        return []
    period = selectors.current_period()
    badge = selectors.reports_awaiting_review(user).count() if user.role == User.Role.FOCAL_OFFICER else None
    children = [NavItem(label=_("Tất cả kỳ báo cáo"), url=index, icon="list-ul")]
    if period:
        children = [
            NavItem(
                label=_("Tiến độ nộp %(p)s") % {"p": str(period).lower()},
                url=reverse("reports:period-completeness", args=[period.pk]),
                icon="clipboard-check",
            ),
            NavItem(
                label=_("Tổng hợp %(p)s") % {"p": str(period).lower()},
                url=reverse("reports:period-consolidation", args=[period.pk]),
                icon="bar-chart",
            ),
            *children,
        ]
    return [
        NavItem(
            label=_("Báo cáo 6 tháng"),
            url=index,
            icon="file-earmark-bar-graph",
            active_prefix=index,
            badge=badge or None,
            children=children,
        )
    ]


def home_panels(request) -> list[Panel]:
    """District officers: their current report and its status first. Focal officers: the
    open period's completeness and the reports waiting for their review. Leadership: the
    completeness rates. A bounded number of queries."""
    user = request.user
    if not user.is_authenticated:
        return []
    if user.role == User.Role.DISTRICT_OFFICER and user.organisation_id:
        periods = selectors.periods_for_organisation(user.organisation)[:3]
        if not periods:
            return []
        return [
            Panel(
                title=_("Báo cáo 6 tháng của đơn vị"),
                template="reports/panels/district.html",
                context={"periods": periods, "current": periods[0]},
                order=10,
            )
        ]
    if not selectors.can_see_province(user):
        return []
    period = selectors.current_period()
    if period is None:
        return []
    sector = user.sector if user.role == User.Role.FOCAL_OFFICER else None
    total = selectors.completeness_total(period, sector=sector)
    awaiting = list(selectors.reports_awaiting_review(user)[:5]) if user.role == User.Role.FOCAL_OFFICER else []
    return [
        Panel(
            title=_("Tiến độ báo cáo %(p)s") % {"p": str(period).lower()},
            template="reports/panels/province.html",
            context={
                "period": period,
                "total": total,
                "awaiting": awaiting,
                "is_focal": user.role == User.Role.FOCAL_OFFICER,
                "status": Report.Status,
            },
            order=10 if user.role == User.Role.FOCAL_OFFICER else 20,
        )
    ]
