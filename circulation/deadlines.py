"""Rotation deadlines for the reminder engine (see core/deadlines.py)."""

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.deadlines import Deadline, DeadlineKind
from directory.models import Organisation, User

from . import selectors
from .models import Rotation, Route
from .services import route_schedule

DUE_TIME = time(17, 0)  # end of the working day in Hòa Bình


def _aware(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, DUE_TIME))


def deadlines(*, start: datetime, end: datetime):
    """ROTATION_DUE for every rotation still at a school (dispatched or received) due in the
    window — recipients the receiving librarians and the owning library's staff, escalated to
    the owning staff's heads (or all of them when none is a head); ROUTE_MOVE for each route
    stage that starts in the window and has not been proposed yet."""
    first, last = timezone.localtime(start).date(), timezone.localtime(end).date()
    rotations = Rotation.objects.filter(
        status__in=Rotation.AT_SCHOOL_STATUSES, due_date__gte=first, due_date__lte=last
    ).select_related("collection", "owner", "owner__parent", "school_library", "school_library__parent")
    # The Provincial Library is the focal unit of the culture sector: every overdue return
    # reaches it, whichever library owns the collection.
    provincial = tuple(
        User.objects.filter(
            is_active=True, role=User.Role.FOCAL_OFFICER, organisation__kind=Organisation.Kind.PROVINCIAL_LIBRARY
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rotations = [r for r in rotations if start <= _aware(r.due_date) <= end]
    # Everyone concerned, in one query whatever the number of rotations.
    people = selectors.active_people(
        i for r in rotations for i in (r.owner_id, r.owner.parent_id, r.school_library_id, r.school_library.parent_id)
    )
    for rotation in rotations:
        due_at = _aware(rotation.due_date)
        staff = selectors.library_staff(rotation.owner, people)
        librarians = [u.pk for u in selectors.school_librarians(rotation.school_library, people)]
        heads = tuple(u.pk for u in staff if u.is_head) or tuple(u.pk for u in staff)
        yield Deadline(
            kind=DeadlineKind.ROTATION_DUE,
            key=f"circulation.rotation:{rotation.pk}",
            due_at=due_at,
            title=_("Trả bộ sách “%(c)s” – %(lib)s") % {"c": rotation.collection.name, "lib": rotation.school_library},
            url=reverse("circulation:rotation-detail", args=[rotation.pk]),
            recipients=tuple(dict.fromkeys([*librarians, *(u.pk for u in staff)])),
            escalate_to=tuple(dict.fromkeys([*heads, *provincial])),
            extra={"status": rotation.status, "owner": rotation.owner_id},
        )
    routes = Route.objects.filter(is_active=True, start_date__lte=last).select_related(
        "collection", "collection__owner"
    )
    for route in routes:
        for stage, stage_start, _end in route_schedule(route):
            if stage.proposed_at is not None or not first <= stage_start <= last:
                continue
            due_at = _aware(stage_start)
            if not start <= due_at <= end:
                continue
            staff = [u.pk for u in selectors.library_staff(route.collection.owner)]
            librarians = [u.pk for u in selectors.school_librarians(stage.school_library)]
            yield Deadline(
                kind=DeadlineKind.ROUTE_MOVE,
                key=f"circulation.routestage:{stage.pk}",
                due_at=due_at,
                title=_("Chuyển bộ sách “%(c)s” tới %(lib)s")
                % {"c": route.collection.name, "lib": stage.school_library},
                url=reverse("circulation:route-detail", args=[route.pk]),
                recipients=tuple(dict.fromkeys([*staff, *librarians])),
                ends_at=due_at + timedelta(days=stage.duration_days),
            )
