"""Report due dates for the reminder engine (see core/deadlines.py).

One REPORT_DUE deadline per organisation that must report in a period and has not
submitted (no report, a draft, or a report returned for changes). The deadline falls at
17:00 Asia/Ho_Chi_Minh on the period's due date — the end of the working day, so a report
submitted that afternoon is still on time. Recipients are the organisation's active users;
escalations go to its heads and to the focal officers of its sector's focal unit.
"""

import datetime
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from core.deadlines import Deadline, DeadlineKind
from directory.models import Organisation, User

from .models import Report, ReportingPeriod

DUE_TIME = datetime.time(17, 0)
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def due_at(period: ReportingPeriod) -> datetime.datetime:
    return datetime.datetime.combine(period.due_date, DUE_TIME, tzinfo=ZONE)


def deadlines(*, start: datetime.datetime, end: datetime.datetime) -> Iterator[Deadline]:
    yield from _report_due(start=start, end=end)
    yield from _reviews(start=start, end=end)


def review_days() -> int:
    """Days a submitted report may wait for the focal unit before it is reminded
    (setting REPORT_REVIEW_DAYS, 7 by default)."""
    return int(getattr(settings, "REPORT_REVIEW_DAYS", 7))


def _reviews(*, start, end) -> Iterator[Deadline]:
    """REPORT_REVIEW for each report submitted and still not accepted or returned
    `review_days()` after its submission, to the focal officers of its sector."""
    days = datetime.timedelta(days=review_days())
    reports = list(
        Report.objects.filter(
            status=Report.Status.SUBMITTED, submitted_at__gte=start - days, submitted_at__lte=end - days
        )
        .select_related("organisation", "period")
        .order_by("pk")
    )
    if not reports:
        return
    focal = {Organisation.Sector.CULTURE: [], Organisation.Sector.EDUCATION: []}
    for pk, sector in User.objects.filter(
        is_active=True, role=User.Role.FOCAL_OFFICER, organisation__kind__in=Organisation.FOCAL_KINDS
    ).values_list("pk", "organisation__sector"):
        focal.setdefault(sector, []).append(pk)
    for report in reports:
        yield Deadline(
            kind=DeadlineKind.REPORT_REVIEW,
            key=f"reports.report:{report.pk}:review",
            due_at=report.submitted_at + days,
            title=_("Báo cáo chờ xem xét: %(org)s – %(period)s")
            % {"org": report.organisation.name, "period": str(report.period).lower()},
            url=reverse("reports:report-detail", args=[report.pk]),
            recipients=tuple(focal.get(report.organisation.sector, [])),
        )


def _report_due(*, start: datetime.datetime, end: datetime.datetime) -> Iterator[Deadline]:
    """Open report deadlines whose due time lies in [start, end]; a bounded number of queries
    (periods, their organisations with members, received reports, focal officers)."""
    first = (start.astimezone(ZONE) - datetime.timedelta(days=1)).date()
    last = (end.astimezone(ZONE) + datetime.timedelta(days=1)).date()
    periods = [
        p
        for p in ReportingPeriod.objects.filter(due_date__gte=first, due_date__lte=last).prefetch_related(
            Prefetch(
                "required_organisations",
                queryset=Organisation.objects.select_related("district").prefetch_related(
                    Prefetch("members", queryset=User.objects.filter(is_active=True), to_attr="active_members")
                ),
            )
        )
        if start <= due_at(p) <= end
    ]
    if not periods:
        return
    reports = {
        (r["period_id"], r["organisation_id"]): r
        for r in Report.objects.filter(period__in=periods).values("pk", "period_id", "organisation_id", "status")
    }
    focal = {Organisation.Sector.CULTURE: [], Organisation.Sector.EDUCATION: []}
    for user in User.objects.filter(
        is_active=True, role=User.Role.FOCAL_OFFICER, organisation__kind__in=Organisation.FOCAL_KINDS
    ).select_related("organisation"):
        focal[user.organisation.sector].append(user.pk)
    for period in periods:
        for organisation in period.required_organisations.all():
            report = reports.get((period.pk, organisation.pk))
            if report and report["status"] in Report.RECEIVED:
                continue
            members = organisation.active_members
            url = (
                reverse("reports:report-detail", args=[report["pk"]])
                if report
                else reverse("reports:period-start", args=[period.pk])
            )
            yield Deadline(
                kind=DeadlineKind.REPORT_DUE,
                key=f"reports.period:{period.pk}:organisation:{organisation.pk}",
                due_at=due_at(period),
                title=_("Báo cáo %(period)s – %(org)s") % {"period": str(period).lower(), "org": organisation.name},
                url=url,
                recipients=tuple(u.pk for u in members),
                escalate_to=tuple([u.pk for u in members if u.is_head] + focal.get(organisation.sector, [])),
                extra={
                    "period_id": period.pk,
                    "organisation_id": organisation.pk,
                    "status": report["status"] if report else "",
                },
            )
