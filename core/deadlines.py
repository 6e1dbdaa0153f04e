"""The contract between the apps and the reminder engine (notifications).

Each app that has dates to be reminded of declares in its AppConfig (see core.registry)

    deadlines(*, start: datetime, end: datetime) -> Iterable[Deadline]

returning every open deadline whose `due_at` lies in [start, end] (aware datetimes). The
notifications sweep asks every app through `collect_deadlines` and decides, from the kind's
offsets, who gets which reminder when. Apps know nothing about channels or offsets.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from . import registry


class DeadlineKind:
    REPORT_DUE = "report_due"  # a 6-monthly report not yet submitted
    MEETING = "meeting"  # an information-exchange or review meeting
    TRAINING_SESSION = "training_session"  # a session for booked people
    ROTATION_DUE = "rotation_due"  # a rotating collection due back
    ROUTE_MOVE = "route_move"  # the next move of a rotation route
    ACTION_ITEM = "action_item"  # a meeting's action item
    INSPECTION_FOLLOWUP = "inspection_followup"  # an inspection recommendation
    PLAN_APPROVAL = "plan_approval"  # an annual plan awaiting a Director
    NOMINATION_DEADLINE = "nomination_deadline"  # last day to nominate staff for a course
    LOCAL_PLAN_DUE = "local_plan_due"  # a district office's local plan not yet sent
    PROPOSAL_RESPONSE = "proposal_response"  # a proposal sent to the province awaiting its answer
    AMENDMENT_AGREEMENT = "amendment_agreement"  # a programme amendment awaiting a Director
    REPORT_REVIEW = "report_review"  # a submitted report not yet reviewed by the focal unit
    CERTIFICATE_EXPIRY = "certificate_expiry"  # a training certificate about to expire

    ALL = [
        REPORT_DUE,
        MEETING,
        TRAINING_SESSION,
        ROTATION_DUE,
        ROUTE_MOVE,
        ACTION_ITEM,
        INSPECTION_FOLLOWUP,
        PLAN_APPROVAL,
        NOMINATION_DEADLINE,
        LOCAL_PLAN_DUE,
        PROPOSAL_RESPONSE,
        AMENDMENT_AGREEMENT,
        REPORT_REVIEW,
        CERTIFICATE_EXPIRY,
    ]


@dataclass(frozen=True)
class Deadline:
    kind: str  # one of DeadlineKind
    key: str  # stable identity of the deadline, e.g. "reports.report:12"; with due_at it keys reminders
    due_at: datetime  # aware
    title: str  # Vietnamese, e.g. "Báo cáo 6 tháng đầu năm 2026 – Phòng GD&ĐT huyện Lạc Sơn"
    url: str  # path of the object in the portal
    recipients: tuple[int, ...]  # user ids who must act
    escalate_to: tuple[int, ...] = ()  # user ids told when it is overdue (heads, focal unit)
    location: str = ""  # for calendar feeds (meetings, sessions)
    ends_at: datetime | None = None  # for calendar feeds (events with a duration)
    extra: dict = field(default_factory=dict, compare=False, hash=False)


def deadline_providers() -> list:
    """(app label, provider) of every app that declares deadlines."""
    return list(registry.providers("deadlines"))


def collect_deadlines(*, start: datetime, end: datetime) -> Iterator[Deadline]:
    for _app, provider in deadline_providers():
        provided: Iterable[Deadline] = provider(start=start, end=end)
        yield from provided
