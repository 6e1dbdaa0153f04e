"""The rotation app in the shell: the "Luân chuyển sách" menu and home-page panels."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import versioned
from core.navigation import NavItem, Panel
from directory.models import User

from . import selectors
from .models import Rotation


def nav_items(request):
    user = request.user
    if not user.is_authenticated or not selectors.sees_circulation(user):
        return []
    children = [
        NavItem(_("Bộ sách luân chuyển"), reverse("circulation:collection-list"), icon="collection"),
        NavItem(_("Đợt luân chuyển"), reverse("circulation:rotation-list"), icon="truck"),
        NavItem(_("Quá hạn, chênh lệch"), reverse("circulation:discrepancy-list"), icon="exclamation-triangle"),
        NavItem(_("Thống kê"), reverse("circulation:statistics"), icon="bar-chart"),
    ]
    return [
        NavItem(
            _("Luân chuyển sách"),
            reverse("circulation:collection-list"),
            icon="arrow-left-right",
            active_prefix="/circulation/",
            children=children,
        )
    ]


def home_panels(request):
    """Librarians: what they must confirm and what they hold. Library staff: their
    collections out and overdue. District, focal and leadership: the discrepancies. Cached
    for the user and the day until a rotation, a collection or an organisation changes."""
    user = request.user
    if not user.is_authenticated or not selectors.sees_circulation(user):
        return []
    today = timezone.localdate()
    key = f"home:{user.pk}:{user.role}:{user.organisation_id}:{user.is_superuser}:{today}:{get_language()}"
    title, ctx, order = versioned.cached("circulation", key, lambda: _panel(user, today))
    return [Panel(title, "circulation/_panel.html", ctx, order=order)]


def _panel(user, today) -> tuple[str, dict, int]:
    rotations = selectors.rotations_for_user(user)
    ctx = {"today": today, "link": reverse("circulation:rotation-list"), "link_label": _("Mọi đợt luân chuyển")}
    if user.role == User.Role.SCHOOL_LIBRARIAN:
        mine = rotations.filter(
            Q(school_library_id=user.organisation_id) | Q(school_library__parent_id=user.organisation_id)
        )
        ctx["to_confirm"] = list(mine.filter(status=Rotation.Status.DISPATCHED).order_by("dispatched_at")[:5])
        ctx["holding"] = list(mine.filter(status=Rotation.Status.RECEIVED).order_by("due_date")[:5])
        return _("Sách luân chuyển về trường"), ctx, 20
    managed = selectors.managed_libraries(user)
    if managed.exists():
        own = rotations.filter(owner__in=managed.values("pk"))
        ctx["to_check"] = list(
            own.filter(status__in=[Rotation.Status.PLANNED, Rotation.Status.RETURNED])
            .filter(planned_dispatch_date__lte=today + timedelta(days=14))
            .order_by("planned_dispatch_date")[:5]
        )
        ctx["figures"] = _figures(own, today)
        ctx["recent_discrepancies"] = list(_with_discrepancy(own)[:3])
        ctx["link"], ctx["link_label"] = reverse("circulation:discrepancy-list"), _("Quá hạn và chênh lệch")
        return _("Bộ sách luân chuyển của thư viện"), ctx, 40
    ctx["figures"] = _figures(rotations, today)
    ctx["recent_discrepancies"] = list(_with_discrepancy(rotations)[:5])
    ctx["link"], ctx["link_label"] = reverse("circulation:discrepancy-list"), _("Quá hạn và chênh lệch")
    return _("Luân chuyển sách: quá hạn, chênh lệch"), ctx, 60


def _figures(rotations, today) -> dict:
    return rotations.order_by().aggregate(
        out=Count("pk", filter=Q(status__in=Rotation.OUT_STATUSES), distinct=True),
        overdue=Count("pk", filter=Q(status__in=Rotation.AT_SCHOOL_STATUSES, due_date__lt=today), distinct=True),
        discrepancies=Count(
            "pk", filter=Q(copies_missing__gt=0) | Q(copies_lost__gt=0) | Q(copies_damaged__gt=0), distinct=True
        ),
    )


def _with_discrepancy(rotations):
    return rotations.filter(Q(copies_missing__gt=0) | Q(copies_lost__gt=0) | Q(copies_damaged__gt=0)).order_by(
        "-received_at"
    )
