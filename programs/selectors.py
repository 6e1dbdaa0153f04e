"""Reads of the programs app. Every list goes through `directory.selectors` scoping."""

import difflib
import re
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from directory.models import Organisation
from directory.selectors import (
    organisations_for_user,
    scope_queryset,
    scope_queryset_by_district,
    user_scope,
    with_history,
)

from .access import DEPARTMENT_CODES, director_department
from .models import (
    ActionItem,
    ActivityProgress,
    AnnualPlan,
    Commitment,
    Inspection,
    LocalActivity,
    LocalPlan,
    Meeting,
    PlanActivity,
    PlanDecision,
    Programme,
    ProgrammeAmendment,
    ProgressEvidence,
    Proposal,
    Recommendation,
    RecommendationUpdate,
)


def may_see_programme(user) -> bool:
    """Everyone tied to a unit sees the programme, its plans and pilots; accounts without one do not."""
    return not user_scope(user).is_empty


def programmes_for_user(user) -> QuerySet[Programme]:
    qs = Programme.objects.select_related("renewal_of")
    return qs if may_see_programme(user) else qs.none()


def commitments_for_user(user) -> QuerySet[Commitment]:
    """The commitments of the programmes the user may see."""
    visible = programmes_for_user(user).values("pk")
    return Commitment.objects.filter(programme__in=visible).order_by("programme_id", "position", "pk")


def get_programme_for_user(user, pk) -> Programme:
    try:
        return programmes_for_user(user).get(pk=pk)
    except (Programme.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def programme_for_year(year: int) -> Programme | None:
    """The programme in force for a year (the latest signed if several cover it)."""
    return Programme.objects.filter(valid_from__lte=year, valid_to__gte=year).order_by("-signed_on").first()


def plans_for_user(user) -> QuerySet[AnnualPlan]:
    qs = AnnualPlan.objects.select_related("programme", "created_by").annotate(n_activities=Count("activities"))
    return qs if may_see_programme(user) else qs.none()


def get_plan_for_user(user, pk) -> AnnualPlan:
    # `plans_for_user` is every plan or none: the plan is read by its key alone, without the
    # grouped count of activities that list carries.
    if not may_see_programme(user):
        raise Http404
    try:
        return AnnualPlan.objects.select_related("programme", "created_by", "revision_of").get(pk=pk)
    except (AnnualPlan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def current_plan(year: int | None = None) -> AnnualPlan | None:
    """The plan that counts for a year: the one in force, else the newest open or closed one."""
    year = year or timezone.localdate().year
    plans = AnnualPlan.objects.filter(year=year).exclude(status=AnnualPlan.Status.SUPERSEDED)
    return plans.filter(status=AnnualPlan.Status.IN_FORCE).first() or plans.order_by("-revision").first()


def activities_with_progress(plan: AnnualPlan) -> QuerySet[PlanActivity]:
    """The plan's activities with their latest progress figures (one query) and their
    commitments and partners prefetched (two more)."""
    latest = ActivityProgress.objects.filter(activity=OuterRef("pk")).order_by("-reported_on", "-pk")
    return (
        plan.activities.select_related("lead_unit")
        .prefetch_related(
            Prefetch("commitments", queryset=Commitment.objects.only("pk", "code", "programme_id")),
            Prefetch("partner_units", queryset=Organisation.objects.only("pk", "name", "short_name")),
        )
        .annotate(
            latest_percent=Subquery(latest.values("percent")[:1]),
            latest_achieved=Subquery(latest.values("achieved_value")[:1]),
            latest_reported_on=Subquery(latest.values("reported_on")[:1]),
            n_updates=Count("progress_updates", distinct=True),
        )
        .order_by("position", "pk")
    )


def decisions_by_round(plan: AnnualPlan) -> list[PlanDecision]:
    return list(plan.decisions.select_related("department", "decided_by").order_by("-submission_round", "decided_at"))


def pending_departments(plan: AnnualPlan) -> list[str]:
    """Codes of the departments that have not yet decided on the current submission."""
    if plan.status != AnnualPlan.Status.SUBMITTED:
        return []
    decided = set(
        plan.decisions.filter(submission_round=plan.submission_round).values_list("department__code", flat=True)
    )
    return [code for code in DEPARTMENT_CODES if code not in decided]


def plans_awaiting_decision(user) -> QuerySet[AnnualPlan]:
    """Submitted plans on which the user's department has not decided this round."""
    department = director_department(user)
    if department is None:
        return AnnualPlan.objects.none()
    decided = PlanDecision.objects.filter(
        plan=OuterRef("pk"), department=department, submission_round=OuterRef("submission_round")
    )
    return (
        AnnualPlan.objects.filter(status=AnnualPlan.Status.SUBMITTED)
        .exclude(pk__in=Subquery(decided.values("plan_id")))
        .order_by("submitted_at")
    )


@dataclass
class CoverageRow:
    commitment: Commitment
    activities: list = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return bool(self.activities)


@dataclass
class Coverage:
    programme: Programme | None
    plan: AnnualPlan | None
    year: int
    rows: list[CoverageRow]

    @property
    def covered(self) -> int:
        return sum(1 for r in self.rows if r.covered)

    @property
    def uncovered(self) -> list[CoverageRow]:
        return [r for r in self.rows if not r.covered]

    @property
    def total(self) -> int:
        return len(self.rows)


def coverage(year: int | None = None) -> Coverage:
    """Every commitment of the year's programme, each once, with the activities of the
    year's plan that serve it and their latest progress. A fixed number of queries
    (programme, plan, commitments, activities, their commitment links) whatever the size,
    cached until a programme, plan, activity, progress update or organisation changes
    (core.versioned "programs")."""
    from core import versioned

    year = year or timezone.localdate().year
    return versioned.cached("programs", f"coverage:{year}", lambda: _coverage(year))


def _coverage(year: int) -> Coverage:
    programme = programme_for_year(year)
    if programme is None:
        return Coverage(None, None, year, [])
    plan = current_plan(year)
    commitments = list(programme.commitments.order_by("position", "pk"))
    rows = {c.pk: CoverageRow(c) for c in commitments}
    if plan is not None and plan.programme_id == programme.pk:
        latest = ActivityProgress.objects.filter(activity=OuterRef("pk")).order_by("-reported_on", "-pk")
        activities = (
            plan.activities.select_related("lead_unit")
            .annotate(
                latest_percent=Subquery(latest.values("percent")[:1]),
                latest_achieved=Subquery(latest.values("achieved_value")[:1]),
                latest_reported_on=Subquery(latest.values("reported_on")[:1]),
            )
            .order_by("position", "pk")
        )
        by_pk = {a.pk: a for a in activities}
        links = PlanActivity.commitments.through.objects.filter(planactivity__plan=plan).values_list(
            "planactivity_id", "commitment_id"
        )
        for activity_id, commitment_id in links:
            if commitment_id in rows and activity_id in by_pk:
                rows[commitment_id].activities.append(by_pk[activity_id])
        for row in rows.values():
            row.activities.sort(key=lambda a: (a.position, a.pk))
    return Coverage(programme, plan, year, list(rows.values()))


# --- Local plans ---------------------------------------------------------------------------


def local_plans_for_user(user) -> QuerySet[LocalPlan]:
    """Local plans the user may see; a commune officer also reads the plans of the district
    offices whose work passed to their office (read only: `can_edit_local_plan`)."""
    qs = LocalPlan.objects.select_related("organisation__district", "plan").annotate(n_activities=Count("activities"))
    return with_history(user, qs, org_field="organisation")


def get_local_plan_for_user(user, pk) -> LocalPlan:
    try:
        return local_plans_for_user(user).get(pk=pk)
    except (LocalPlan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def local_plans_of_plan(user, plan: AnnualPlan) -> QuerySet[LocalPlan]:
    """The district plans under an annual plan that the user may see (their own district's
    for district users, none for a school librarian, all for province-wide roles)."""
    # Without the count of activities the list does not show: a page is read without counting
    # every district's.
    qs = LocalPlan.objects.select_related("organisation__district", "plan")
    return (
        with_history(user, qs, org_field="organisation")
        .filter(plan=plan)
        .order_by("organisation__district__code", "organisation__kind", "pk")
    )


def local_activities_of_activity(user, activity: PlanActivity) -> QuerySet[LocalActivity]:
    """The district activities carrying out a plan activity, within the user's scope."""
    qs = activity.local_activities.select_related("local_plan__organisation")
    return with_history(user, qs, org_field="local_plan__organisation")


# --- Evidence -----------------------------------------------------------------------------


def evidence_for_user(user) -> QuerySet[ProgressEvidence]:
    """Evidence files the user may open: those uploaded by an organisation the user may see
    (their district's for district users) or at province level (the focal units, an
    administrator), on an activity of a plan the user may see."""
    qs = ProgressEvidence.objects.select_related("progress__activity")
    if user_scope(user).is_empty:
        return qs.none()
    visible = organisations_for_user(user).values("pk")
    return qs.filter(progress__activity__plan__in=plans_for_user(user).values("pk")).filter(
        Q(progress__author__organisation__in=visible) | Q(progress__author__organisation__isnull=True)
    )


def get_evidence_for_user(user, pk) -> ProgressEvidence:
    try:
        return evidence_for_user(user).get(pk=pk)
    except (ProgressEvidence.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def progress_with_evidence(user, activity: PlanActivity) -> QuerySet[ActivityProgress]:
    """The activity's progress updates, each with only the evidence the user may open."""
    return activity.progress_updates.select_related("author").prefetch_related(
        Prefetch("evidence", queryset=evidence_for_user(user).order_by("pk"), to_attr="visible_evidence")
    )


# --- Meetings, inspections, proposals -------------------------------------------------------


def meetings_for_user(user) -> QuerySet[Meeting]:
    """Everything for province-wide roles; otherwise meetings the user or an organisation
    they may see takes part in."""
    qs = Meeting.objects.select_related("programme")
    scope = user_scope(user)
    if scope.everything:
        return qs
    if scope.is_empty:
        return qs.none()
    visible = scope_queryset(user, Organisation.objects.all(), org_field="").values("pk")
    ids = Meeting.objects.filter(Q(participant_organisations__in=visible) | Q(participants=user)).values("pk")
    return qs.filter(pk__in=ids)


def get_meeting_for_user(user, pk) -> Meeting:
    try:
        return meetings_for_user(user).get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def upcoming_meetings(user, *, days: int = 60) -> QuerySet[Meeting]:
    now = timezone.now()
    return (
        meetings_for_user(user)
        .filter(starts_at__gte=now, starts_at__lte=now + timezone.timedelta(days=days), cancelled=False)
        .order_by("starts_at")
    )


def inspections_for_user(user) -> QuerySet[Inspection]:
    qs = Inspection.objects.select_related("district").annotate(
        n_recommendations=Count("recommendations", distinct=True),
        n_open=Count("recommendations", filter=~Q(recommendations__status="done"), distinct=True),
    )
    if user_scope(user).everything:
        return qs
    visible = scope_queryset_by_district(user, Inspection.objects.all(), district_field="district", org_field="places")
    return qs.filter(pk__in=visible.values("pk"))


def get_inspection_for_user(user, pk) -> Inspection:
    try:
        return inspections_for_user(user).get(pk=pk)
    except (Inspection.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def proposals_for_user(user) -> QuerySet[Proposal]:
    """Proposals are the departments' correspondence: province-wide roles see them."""
    qs = Proposal.objects.select_related("commitment", "organisation")
    return qs if user_scope(user).everything else qs.none()


def programme_for_proposals(user) -> Programme | None:
    """The programme a new proposal belongs to: the one in force today, else the latest the
    user may see."""
    programme = programme_for_year(timezone.localdate().year)
    if programme is None:
        programme = programmes_for_user(user).order_by("-valid_to", "-signed_on").first()
    return programme


def get_proposal_for_user(user, pk) -> Proposal:
    try:
        return proposals_for_user(user).get(pk=pk)
    except (Proposal.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def activities_for_user(user) -> QuerySet[PlanActivity]:
    """Activities of every plan the user may see, with their latest progress figures (as
    `activities_with_progress`, across plans; three queries for a page)."""
    latest = ActivityProgress.objects.filter(activity=OuterRef("pk")).order_by("-reported_on", "-pk")
    return (
        PlanActivity.objects.filter(plan__in=plans_for_user(user).values("pk"))
        .select_related("lead_unit")
        .prefetch_related(Prefetch("commitments", queryset=Commitment.objects.only("pk", "code", "programme_id")))
        .annotate(
            latest_percent=Subquery(latest.values("percent")[:1]),
            latest_achieved=Subquery(latest.values("achieved_value")[:1]),
            latest_reported_on=Subquery(latest.values("reported_on")[:1]),
            n_updates=Count("progress_updates", distinct=True),
        )
        .order_by("plan_id", "position", "pk")
    )


def get_activity_for_user(user, pk) -> PlanActivity:
    try:
        return activities_for_user(user).select_related("plan__programme").get(pk=pk)
    except (PlanActivity.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_plan_activity_for_user(user, pk) -> PlanActivity:
    """One activity of a plan the user may see (404 otherwise), with its plan and lead unit."""
    try:
        return PlanActivity.objects.select_related("plan__programme", "lead_unit").get(
            pk=pk, plan__in=plans_for_user(user).values("pk")
        )
    except (PlanActivity.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_local_activity(pk) -> LocalActivity:
    """A local plan's activity (404 when unknown); who may change it is its local plan's rule."""
    try:
        return LocalActivity.objects.select_related("local_plan__plan").get(pk=pk)
    except (LocalActivity.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_action_item_for_user(user, pk) -> ActionItem:
    """An action item of a meeting the user may see, or 404."""
    try:
        return ActionItem.objects.select_related("meeting").get(pk=pk, meeting__in=meetings_for_user(user).values("pk"))
    except (ActionItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_recommendation_for_user(user, pk) -> Recommendation:
    """A recommendation of an inspection the user may see, or 404."""
    try:
        return Recommendation.objects.get(pk=pk, inspection__in=inspections_for_user(user).values("pk"))
    except (Recommendation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Amendments (VII) ----------------------------------------------------------------------


def amendments_for_user(user) -> QuerySet[ProgrammeAmendment]:
    qs = ProgrammeAmendment.objects.select_related(
        "programme", "commitment", "proposed_by", "agreed_docst_by", "agreed_doet_by", "returned_by"
    )
    return qs if may_see_programme(user) else qs.none()


def get_amendment_for_user(user, pk) -> ProgrammeAmendment:
    try:
        return amendments_for_user(user).get(pk=pk)
    except (ProgrammeAmendment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass(frozen=True)
class DiffPart:
    op: str  # "same", "removed" or "added"
    text: str


def text_diff(old: str, new: str) -> list[DiffPart]:
    """Word by word differences between two texts, for showing an amendment as a diff."""
    old_words, new_words = re.split(r"(\s+)", old or ""), re.split(r"(\s+)", new or "")
    parts: list[DiffPart] = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(DiffPart("same", "".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(DiffPart("removed", "".join(old_words[a1:a2])))
        if b2 > b1:
            parts.append(DiffPart("added", "".join(new_words[b1:b2])))
    return parts


def last_applied_amendments(programme: Programme) -> dict[int, ProgrammeAmendment]:
    """Commitment id → its latest applied amendment (one query), to link each amended clause
    to its previous text."""
    latest: dict[int, ProgrammeAmendment] = {}
    applied = programme.amendments.filter(status=ProgrammeAmendment.Status.APPLIED).order_by("applied_at", "pk")
    for amendment in applied:
        latest[amendment.commitment_id] = amendment
    return latest


# --- Review meetings and the consolidation (V.6) -------------------------------------------

REVIEW_KINDS = (Meeting.Kind.PRELIMINARY_REVIEW, Meeting.Kind.FINAL_REVIEW)


def plan_years() -> list[int]:
    """Years that have an annual plan, newest first."""
    return sorted(set(AnnualPlan.objects.values_list("year", flat=True)), reverse=True)


def plans_in_preparation() -> QuerySet[AnnualPlan]:
    """Plans being drafted or awaiting the Directors, newest first (the focal officers' desk)."""
    return AnnualPlan.objects.filter(status__in=[AnnualPlan.Status.DRAFT, AnnualPlan.Status.SUBMITTED]).order_by(
        "-year", "-revision"
    )


def own_local_plan(user, year: int) -> LocalPlan | None:
    """The local plan of the user's own office for ``year``, if it has started one."""
    if not user.organisation_id:
        return None
    return LocalPlan.objects.filter(plan__year=year, organisation=user.organisation).first()


def recommendations_of(inspection: Inspection) -> list[Recommendation]:
    """An inspection's recommendations with their owners and follow-up reports (three queries)."""
    return list(
        inspection.recommendations.select_related("owner_organisation").prefetch_related(
            Prefetch("updates", queryset=RecommendationUpdate.objects.select_related("author"))
        )
    )


def final_review_meeting(plan: AnnualPlan) -> Meeting | None:
    """The latest final review meeting of the plan's programme in the plan's year, if any."""
    return (
        Meeting.objects.filter(programme=plan.programme, kind=Meeting.Kind.FINAL_REVIEW, starts_at__year=plan.year)
        .order_by("-starts_at")
        .first()
    )


def reviewed_year(meeting: Meeting) -> int:
    """The year a review meeting reviews: its own year from July, else the year before
    (a review held in January looks back on the past year)."""
    local = timezone.localtime(meeting.starts_at)
    return local.year if local.month >= 7 else local.year - 1


def review_link(user, meeting: Meeting) -> dict | None:
    """Where a review meeting's figures are: the year's consolidation for a sơ kết, the
    programme's for a tổng kết; None for other meetings and for users without the province
    view."""
    from django.urls import reverse

    if meeting.kind not in REVIEW_KINDS or not user_scope(user).everything:
        return None
    if meeting.kind == Meeting.Kind.FINAL_REVIEW:
        return {
            "url": reverse("reports:programme-review", args=[meeting.programme_id]),
            "label": f"{meeting.programme.valid_from}–{meeting.programme.valid_to}",
            "seed_url": reverse("programs:plan-create") + f"?meeting={meeting.pk}" if meeting.decisions else None,
        }
    year = reviewed_year(meeting)
    return {
        "url": reverse("reports:year-review", args=[year]),
        "label": str(year),
        "seed_url": reverse("programs:plan-create") + f"?meeting={meeting.pk}" if meeting.decisions else None,
    }


def review_meeting_for_seed(user, pk) -> Meeting | None:
    """A review meeting with decisions, visible to the user, to seed next year's plan."""
    if not pk:
        return None
    try:
        return meetings_for_user(user).filter(kind__in=REVIEW_KINDS).exclude(decisions="").get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        return None


# --- Local plans per district and office (V.4) ---------------------------------------------


@dataclass
class LocalPlanCell:
    organisation: Organisation
    local_plan: LocalPlan | None


@dataclass
class LocalPlanDistrict:
    name: str
    cells: list = field(default_factory=list)


class LocalPlanCoverage:
    """Every district that has a district office today, in code order, each (as a
    LocalPlanDistrict) with its offices and their local plan for the plan's year (or None).
    A page of districts reads only its own offices, each with its plan: two queries whatever
    the number of districts (the districts' ids, then the page's offices)."""

    def __init__(self, plan: AnnualPlan | None):
        self.plan = plan
        self.offices = Organisation.objects.filter(kind__in=Organisation.DISTRICT_OFFICE_KINDS, valid_to__isnull=True)
        self._ids = None

    def _district_ids(self) -> list:
        if self._ids is None:
            if self.plan is None:
                self._ids = []
            else:
                pairs = self.offices.values_list("district_id", "district__code").distinct().order_by()
                self._ids = [i for i, _code in sorted(pairs, key=lambda p: (p[1] is None, p[1] or ""))]
        return self._ids

    def count(self) -> int:
        return len(self._district_ids())

    __len__ = count

    def __bool__(self) -> bool:
        return self.count() > 0

    def __iter__(self):
        return iter(self[0 : self.count()])

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ids = self._district_ids()[index]
        if not ids:
            return []
        shown = Q(district_id__in=[i for i in ids if i is not None])
        if None in ids:
            shown |= Q(district__isnull=True)
        plans = LocalPlan.objects.filter(plan__year=self.plan.year, organisation=OuterRef("pk")).exclude(
            plan__status=AnnualPlan.Status.SUPERSEDED
        )
        offices = (
            self.offices.filter(shown)
            .select_related("district")
            .annotate(
                local_plan_id=Subquery(plans.order_by("-pk").values("pk")[:1]),
                local_plan_status=Subquery(plans.order_by("-pk").values("status")[:1]),
            )
            .order_by("district__code", "kind", "name")
        )
        districts: dict = {}
        for office in offices:
            key = office.district_id
            if key not in districts:
                districts[key] = LocalPlanDistrict(name=office.district.name if office.district_id else "—")
            local = None
            if office.local_plan_id is not None:
                local = LocalPlan(pk=office.local_plan_id, status=office.local_plan_status, organisation=office)
            districts[key].cells.append(LocalPlanCell(office, local))
        return [districts[i] for i in ids if i in districts]


def local_plan_coverage(plan: AnnualPlan | None) -> LocalPlanCoverage:
    """Every district office existing today, by district, with its local plan for the plan's
    year (or None) and the plan's state — read a page of districts at a time."""
    return LocalPlanCoverage(plan)


# --- Pilots by school level (IV.3.c) --------------------------------------------------------


def pilots_for_user(user):
    from .models import Pilot

    qs = Pilot.objects.select_related("programme").annotate(n_schools=Count("schools"))
    return qs if may_see_programme(user) else qs.none()


def get_pilot_for_user(user, pk):
    from .models import Pilot

    try:
        return pilots_for_user(user).get(pk=pk)
    except (Pilot.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def pilot_levels(user) -> list[dict]:
    """Each school level with its pilots counted by stage (one query)."""
    from .models import Pilot

    counts: dict = {}
    rows = Pilot.objects.filter(pk__in=pilots_for_user(user).values("pk")).values_list(
        "school_level", "evaluated_at", "decision"
    )
    for level, evaluated_at, decision in rows:
        stage = "decided" if decision else "evaluated" if evaluated_at else "pilot"
        counts.setdefault(level, {"pilot": 0, "evaluated": 0, "decided": 0})[stage] += 1
    return [
        {"value": value, "label": label, "counts": counts.get(value, {"pilot": 0, "evaluated": 0, "decided": 0})}
        for value, label in Pilot._meta.get_field("school_level").choices
    ]


def report_figures(*, organisation: Organisation, start, end) -> dict[str, int]:
    """GD10 for a district education office: the district's schools taking part in a pilot
    running at some time in [start, end]. One query; {} for other organisations."""
    from .models import Pilot

    if organisation.kind != Organisation.Kind.EDUCATION_OFFICE or not organisation.district_id:
        return {}
    n = (
        Pilot.schools.through.objects.filter(
            pilot__start_date__lte=end,
            pilot__end_date__gte=start,
            organisation__district_id=organisation.district_id,
        )
        .exclude(pilot__decision="stop", pilot__decided_at__date__lt=start)
        .values("organisation_id")
        .distinct()
        .count()
    )
    return {"GD10": n}
