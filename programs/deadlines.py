"""Deadlines of the programs app for the reminder engine (see core.deadlines)."""

from collections.abc import Iterator
from datetime import datetime, time, timedelta

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.deadlines import Deadline, DeadlineKind
from directory.models import Organisation, User

from .access import DEPARTMENT_CODES
from .models import (
    ActionItem,
    AnnualPlan,
    LocalPlan,
    Meeting,
    PlanDecision,
    ProgrammeAmendment,
    Proposal,
    Recommendation,
)

# A Director is expected to decide within this many days of a submission.
DECISION_DAYS = 7
# Dates without a time (action items, recommendations) fall due at the end of the working day.
END_OF_DAY = time(17, 0)


def _at_end_of_day(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, END_OF_DAY))


def _active_users():
    return User.objects.filter(is_active=True)


def deadlines(*, start: datetime, end: datetime) -> Iterator[Deadline]:
    focal = tuple(_active_users().filter(role=User.Role.FOCAL_OFFICER).order_by("pk").values_list("pk", flat=True))
    yield from _meetings(start, end, focal)
    yield from _action_items(start, end, focal)
    yield from _recommendations(start, end, focal)
    yield from _plans(start, end, focal)
    yield from _local_plans(start, end)
    yield from _proposals(start, end)
    yield from _amendments(start, end, focal)


def _meetings(start, end, focal) -> Iterator[Deadline]:
    meetings = Meeting.objects.filter(starts_at__gte=start, starts_at__lte=end, cancelled=False).prefetch_related(
        Prefetch("participants", queryset=_active_users().only("pk"))
    )
    for meeting in meetings:
        people = {u.pk for u in meeting.participants.all()} | set(focal)
        yield Deadline(
            kind=DeadlineKind.MEETING,
            key=f"programs.meeting:{meeting.pk}",
            due_at=meeting.starts_at,
            title=meeting.title,
            url=reverse("programs:meeting-detail", args=[meeting.pk]),
            recipients=tuple(sorted(people)),
            location=meeting.location,
            ends_at=meeting.ends_at,
        )


def _members_by_org(org_ids) -> dict[int, list[int]]:
    members: dict[int, list[int]] = {}
    for pk, org_id in _active_users().filter(organisation_id__in=org_ids).values_list("pk", "organisation_id"):
        members.setdefault(org_id, []).append(pk)
    return members


def _heads_by_org(org_ids) -> dict[int, list[int]]:
    heads: dict[int, list[int]] = {}
    for pk, org_id in (
        _active_users().filter(organisation_id__in=org_ids, is_head=True).values_list("pk", "organisation_id")
    ):
        heads.setdefault(org_id, []).append(pk)
    return heads


def _action_items(start, end, focal) -> Iterator[Deadline]:
    first, last = timezone.localtime(start).date() - timedelta(days=1), timezone.localtime(end).date()
    items = list(
        ActionItem.objects.filter(done=False, due_date__gte=first, due_date__lte=last, meeting__cancelled=False)
        .select_related("meeting", "owner")
        .order_by("due_date", "pk")
    )
    members = _members_by_org({i.owner_organisation_id for i in items})
    for item in items:
        due_at = _at_end_of_day(item.due_date)
        if not (start <= due_at <= end):
            continue
        if item.owner_id and item.owner.is_active:
            recipients = (item.owner_id,)
        else:
            recipients = tuple(sorted(members.get(item.owner_organisation_id, [])))
        yield Deadline(
            kind=DeadlineKind.ACTION_ITEM,
            key=f"programs.actionitem:{item.pk}",
            due_at=due_at,
            title=_("Việc sau cuộc họp “%(m)s”: %(d)s") % {"m": item.meeting.title, "d": item.description[:120]},
            url=reverse("programs:meeting-detail", args=[item.meeting_id]),
            recipients=recipients,
            escalate_to=tuple(p for p in focal if p not in recipients),
        )


def _recommendations(start, end, focal) -> Iterator[Deadline]:
    first, last = timezone.localtime(start).date() - timedelta(days=1), timezone.localtime(end).date()
    items = list(
        Recommendation.objects.filter(due_date__gte=first, due_date__lte=last)
        .exclude(status=Recommendation.Status.DONE)
        .select_related("inspection")
        .order_by("due_date", "pk")
    )
    org_ids = {r.owner_organisation_id for r in items}
    members, heads = _members_by_org(org_ids), _heads_by_org(org_ids)
    for rec in items:
        due_at = _at_end_of_day(rec.due_date)
        if not (start <= due_at <= end):
            continue
        recipients = tuple(sorted(members.get(rec.owner_organisation_id, [])))
        escalate = [*heads.get(rec.owner_organisation_id, []), *focal]
        yield Deadline(
            kind=DeadlineKind.INSPECTION_FOLLOWUP,
            key=f"programs.recommendation:{rec.pk}",
            due_at=due_at,
            title=_("Kiến nghị sau “%(i)s”: %(t)s") % {"i": rec.inspection.title, "t": rec.text[:120]},
            url=reverse("programs:inspection-detail", args=[rec.inspection_id]),
            recipients=recipients,
            escalate_to=tuple(dict.fromkeys(escalate)),
        )


def _plans(start, end, focal) -> Iterator[Deadline]:
    directors: dict[str, list[int]] = {}
    for pk, code in (
        _active_users()
        .filter(role=User.Role.LEADERSHIP, organisation__code__in=DEPARTMENT_CODES)
        .values_list("pk", "organisation__code")
    ):
        directors.setdefault(code, []).append(pk)
    plans = AnnualPlan.objects.filter(
        status=AnnualPlan.Status.SUBMITTED,
        submitted_at__gte=start - timedelta(days=DECISION_DAYS),
        submitted_at__lte=end - timedelta(days=DECISION_DAYS),
    ).prefetch_related(Prefetch("decisions", queryset=PlanDecision.objects.select_related("department")))
    for plan in plans:
        decided = {d.department.code for d in plan.decisions.all() if d.submission_round == plan.submission_round}
        for code in DEPARTMENT_CODES:
            if code in decided:
                continue
            yield Deadline(
                kind=DeadlineKind.PLAN_APPROVAL,
                key=f"programs.plan:{plan.pk}:{plan.submission_round}:{code}",
                due_at=plan.submitted_at + timedelta(days=DECISION_DAYS),
                title=_("Kế hoạch chờ phê duyệt: %(t)s") % {"t": plan.title},
                url=reverse("programs:plan-detail", args=[plan.pk]),
                recipients=tuple(directors.get(code, [])),
                escalate_to=tuple(focal),
            )


# A proposal to the Provincial People's Committee is expected to be answered within this many
# days of being sent; after that the proposing unit is reminded to follow it up.
PROPOSAL_RESPONSE_DAYS = 30


def _local_plans(start, end) -> Iterator[Deadline]:
    """LOCAL_PLAN_DUE for each district office that has not sent its local plan for a plan in
    force whose due date lies in the window (a plan being drafted or returned counts as not
    sent); escalated to the office's heads."""
    first, last = timezone.localtime(start).date() - timedelta(days=1), timezone.localtime(end).date()
    plans = list(
        AnnualPlan.objects.filter(
            status=AnnualPlan.Status.IN_FORCE, local_plans_due__gte=first, local_plans_due__lte=last
        )
    )
    if not plans:
        return
    sent = set(
        LocalPlan.objects.filter(
            plan__in=plans, status__in=[LocalPlan.Status.SUBMITTED, LocalPlan.Status.ACKNOWLEDGED]
        ).values_list("plan_id", "organisation_id")
    )
    offices = list(
        Organisation.objects.filter(kind__in=Organisation.DISTRICT_OFFICE_KINDS, valid_to__isnull=True).order_by("code")
    )
    people: dict[int, list] = {}
    for pk, org_id, is_head in (
        _active_users()
        .filter(organisation__in=offices, role=User.Role.DISTRICT_OFFICER)
        .values_list("pk", "organisation_id", "is_head")
    ):
        people.setdefault(org_id, []).append((pk, is_head))
    for plan in plans:
        due_at = _at_end_of_day(plan.local_plans_due)
        if not (start <= due_at <= end):
            continue
        for office in offices:
            if (plan.pk, office.pk) in sent or office.pk not in people:
                continue
            members = people[office.pk]
            yield Deadline(
                kind=DeadlineKind.LOCAL_PLAN_DUE,
                key=f"programs.localplan:{plan.pk}:organisation:{office.pk}",
                due_at=due_at,
                title=_("Kế hoạch triển khai năm %(y)s – %(o)s") % {"y": plan.year, "o": office.name},
                url=reverse("programs:local-plan-list"),
                recipients=tuple(pk for pk, head in members if not head) or tuple(pk for pk, _h in members),
                escalate_to=tuple(pk for pk, head in members if head),
            )


def _proposals(start, end) -> Iterator[Deadline]:
    """PROPOSAL_RESPONSE for each sent proposal still unanswered PROPOSAL_RESPONSE_DAYS after
    it was sent: reminded to the proposing unit's focal officers."""
    first = timezone.localtime(start).date() - timedelta(days=PROPOSAL_RESPONSE_DAYS + 1)
    last = timezone.localtime(end).date() - timedelta(days=PROPOSAL_RESPONSE_DAYS)
    proposals = list(
        Proposal.objects.filter(status=Proposal.Status.SENT, sent_on__gte=first, sent_on__lte=last).order_by("pk")
    )
    members = _members_by_org({p.organisation_id for p in proposals})
    for proposal in proposals:
        due_at = _at_end_of_day(proposal.sent_on + timedelta(days=PROPOSAL_RESPONSE_DAYS))
        if not (start <= due_at <= end):
            continue
        yield Deadline(
            kind=DeadlineKind.PROPOSAL_RESPONSE,
            key=f"programs.proposal:{proposal.pk}",
            due_at=due_at,
            title=_("Chưa có trả lời: %(t)s (gửi %(a)s ngày %(d)s)")
            % {"t": proposal.title[:150], "a": proposal.addressee, "d": f"{proposal.sent_on:%d/%m/%Y}"},
            url=reverse("programs:proposal-detail", args=[proposal.pk]),
            recipients=tuple(sorted(members.get(proposal.organisation_id, []))),
        )


def _amendments(start, end, focal) -> Iterator[Deadline]:
    """AMENDMENT_AGREEMENT for each proposed amendment, to the Director(s) who have not
    agreed yet, due DECISION_DAYS after the proposal; overdue, the focal officers are told."""
    directors: dict[str, list[int]] = {}
    for pk, code in (
        _active_users()
        .filter(role=User.Role.LEADERSHIP, organisation__code__in=DEPARTMENT_CODES)
        .values_list("pk", "organisation__code")
    ):
        directors.setdefault(code, []).append(pk)
    side_code = {"docst": "SVHTTDL", "doet": "SGDDT"}
    amendments = ProgrammeAmendment.objects.filter(
        status=ProgrammeAmendment.Status.PROPOSED,
        created_at__gte=start - timedelta(days=DECISION_DAYS),
        created_at__lte=end - timedelta(days=DECISION_DAYS),
    ).order_by("pk")
    for amendment in amendments:
        for side in amendment.awaiting_sides:
            code = side_code[side]
            yield Deadline(
                kind=DeadlineKind.AMENDMENT_AGREEMENT,
                key=f"programs.amendment:{amendment.pk}:{code}",
                due_at=amendment.created_at + timedelta(days=DECISION_DAYS),
                title=_("Sửa đổi chương trình chờ Giám đốc đồng ý: điều khoản %(c)s") % {"c": amendment.new_code},
                url=reverse("programs:amendment-detail", args=[amendment.pk]),
                recipients=tuple(directors.get(code, [])),
                escalate_to=tuple(focal),
            )


__all__ = ["deadlines"]
