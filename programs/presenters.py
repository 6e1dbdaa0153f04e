"""What the programs pages show, built without a request: each function takes the user and the
object the view fetched through its access helper, and returns the page's context (rows,
summaries, what the user may do, the short forms offered on the page).

Reads go through ``programs.selectors``; who may do what is ``programs.access``.
"""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import lazy

from . import access, selectors
from .forms import (
    ActionItemForm,
    DecisionForm,
    FollowUpForm,
    LocalActivityForm,
    MinutesForm,
    PilotDecisionForm,
    PilotEvaluationForm,
    ProgressForm,
    ProposalResponseForm,
    ReasonForm,
    RecommendationForm,
)
from .models import AnnualPlan, LocalPlan, Pilot


def programme_page(user, programme) -> dict:
    return {
        "programme": programme,
        "commitments": programme.commitments.select_related("copied_from").order_by("position"),
        "legal_bases": programme.legal_bases.all(),
        "parties": programme.parties.all(),
        "amendments": programme.amendments.select_related("commitment"),
        "renewals": programme.renewals.all(),
        "can_propose": access.is_focal_officer(user),
        "amended": selectors.last_applied_amendments(programme),
    }


def amendment_page(user, amendment) -> dict:
    """The amendment with the change it makes (applied: what it replaced; pending: the current text)."""
    if amendment.status == amendment.Status.APPLIED:
        old = amendment.previous_text
    else:
        old = amendment.commitment.text if amendment.commitment else ""
    return {
        "amendment": amendment,
        "programme": amendment.programme,
        "diff": selectors.text_diff(old, amendment.new_text),
        "department": access.director_department(user),
        "can_decide": access.can_decide_amendment(user, amendment),
    }


def amendment_initial(programme, commitment_pk) -> dict:
    """A proposal opened from a commitment starts from that commitment's text."""
    chosen = programme.commitments.filter(pk=commitment_pk or 0).first()
    return {"commitment": chosen, "text": chosen.text} if chosen else {}


def pilot_level_label(level: str) -> str | None:
    """The school level's name, or None when ``level`` is not one."""
    return dict(Pilot._meta.get_field("school_level").choices).get(level)


def pilot_level_page(user, level: str, label: str) -> dict:
    return {
        "level": level,
        "level_label": label,
        "pilots": selectors.pilots_for_user(user).filter(school_level=level).order_by("-start_date"),
        "levels": selectors.pilot_levels(user),
        "can_edit": access.is_focal_officer(user),
    }


def pilot_initial(pilot) -> dict:
    return {
        "title": pilot.title,
        "school_level": pilot.school_level,
        "start_date": pilot.start_date,
        "end_date": pilot.end_date,
        "description": pilot.description,
        "schools": list(pilot.schools.all()),
    }


def pilot_page(user, pilot) -> dict:
    """The pilot, its schools, and the next step offered: evaluation (focal officers, before the
    decision), then the decision (once evaluated)."""
    is_focal = access.is_focal_officer(user)
    evaluating = is_focal and not pilot.decision
    deciding = access.can_decide_pilot(user) and pilot.evaluated_at and not pilot.decision
    return {
        "pilot": pilot,
        "schools": pilot.schools.select_related("district").order_by("district__code", "name"),
        "is_focal": is_focal,
        "evaluation_form": PilotEvaluationForm(initial={"lessons": pilot.lessons_learned}) if evaluating else None,
        "decision_form": PilotDecisionForm() if deciding else None,
    }


def plan_initial_from_review(user, meeting_pk) -> dict:
    """A plan started from a final review meeting: next year, its decisions as the summary (V.6)."""
    review = selectors.review_meeting_for_seed(user, meeting_pk)
    if review is None:
        return {}
    year = selectors.reviewed_year(review) + 1
    return {"year": year, "title": _("Kế hoạch năm %(y)s") % {"y": year}, "summary": review.decisions}


def plan_page(user, plan) -> dict:
    """An annual plan's page: its activities with progress, the Directors' decisions and who is
    still to decide, what the user may do, its revisions and a page of the local plans."""
    department = access.director_department(user)
    pending = selectors.pending_departments(plan)
    is_focal = access.is_focal_officer(user)
    return {
        "plan": plan,
        "activities": selectors.activities_with_progress(plan),
        "decisions": selectors.decisions_by_round(plan),
        "pending": pending,
        "can_edit": is_focal and plan.status == AnnualPlan.Status.DRAFT,
        "is_focal": is_focal,
        "can_decide": department is not None and department.code in pending,
        "department": department,
        "decision_form": DecisionForm(),
        "revision_form": ReasonForm(),
        "revisions": plan.revisions.all(),
        "local_plans": selectors.local_plans_of_plan(user, plan),
    }


def coverage_page(year: int) -> dict:
    """Read when drawn: the page kept rendered (the template's datacache) needs none of it."""

    def compute():
        data = selectors.coverage(year)
        return {
            "coverage": data,
            "years": selectors.plan_years(),
            "local_plans": selectors.local_plan_coverage(data.plan),
        }

    return lazy.parts(compute, "coverage", "years", "local_plans")


def activity_page(user, activity) -> dict:
    plan = activity.plan
    return {
        "activity": activity,
        "plan": plan,
        "commitments": activity.commitments.all(),
        "partners": activity.partner_units.all(),
        "updates": selectors.progress_with_evidence(user, activity),
        "local_activities": selectors.local_activities_of_activity(user, activity),
        "can_report": access.can_report_progress(user, activity) and plan.status == AnnualPlan.Status.IN_FORCE,
        "form": ProgressForm(),
    }


def local_plan_list_page(user, page_number) -> dict:
    """Local plans the user may see, 40 a page; a district office may start this year's plan
    while the province's plan is in force and it has none yet."""
    from django.core.paginator import Paginator

    from directory.access import is_district_office_member

    local_plans = selectors.local_plans_for_user(user).order_by(
        "-plan__year", "organisation__district__code", "organisation__kind"
    )
    current = selectors.current_plan()
    can_start = bool(
        is_district_office_member(user)
        and current
        and current.status == AnnualPlan.Status.IN_FORCE
        and selectors.own_local_plan(user, current.year) is None
    )
    page = Paginator(local_plans, 40).get_page(page_number)
    return {"page": page, "current_plan": current, "can_start": can_start}


def local_plan_page(user, local) -> dict:
    can_edit = access.can_edit_local_plan(user, local)
    return {
        "local": local,
        "activities": local.activities.select_related("provincial_activity"),
        "can_edit": can_edit,
        "form": LocalActivityForm(local_plan=local) if can_edit else None,
        "can_review": local.status == LocalPlan.Status.SUBMITTED and access.can_review_local_plan(user, local),
    }


def meeting_list_page(user) -> dict:
    now = timezone.now()
    meetings = selectors.meetings_for_user(user).annotate(n_open=Count("actions", filter=Q(actions__done=False)))
    return {
        "upcoming": meetings.filter(starts_at__gte=now).order_by("starts_at"),
        "past": meetings.filter(starts_at__lt=now).order_by("-starts_at")[:50],
        "is_focal": access.is_focal_officer(user),
    }


def meeting_page(user, meeting) -> dict:
    """The meeting, its people and action items (each marked whether the user may close it),
    and for focal officers the minutes and new-item forms."""
    is_focal = access.is_focal_officer(user)
    actions = list(meeting.actions.select_related("owner", "owner_organisation"))
    for item in actions:
        item.can_close = access.can_close_action(user, item)
    next_due = meeting.starts_at.date() + timezone.timedelta(days=14)
    return {
        "meeting": meeting,
        "organisations": meeting.participant_organisations.all(),
        "people": meeting.participants.select_related("organisation"),
        "actions": actions,
        "is_focal": is_focal,
        "minutes_form": MinutesForm(initial={"decisions": meeting.decisions}) if is_focal else None,
        "action_form": ActionItemForm(initial={"due_date": next_due}) if is_focal else None,
        "can_record_minutes": is_focal and meeting.starts_at <= timezone.now(),
        "review_link": selectors.review_link(user, meeting),
    }


def inspection_page(user, inspection) -> dict:
    """The inspection and its recommendations (each marked whether the user may report on it)."""
    is_focal = access.is_focal_officer(user)
    recommendations = selectors.recommendations_of(inspection)
    for rec in recommendations:
        rec.can_update = access.can_update_recommendation(user, rec)
    due = inspection.date + timezone.timedelta(days=30)
    return {
        "inspection": inspection,
        "places": inspection.places.all(),
        "recommendations": recommendations,
        "form": FollowUpForm(),
        "today": timezone.localdate(),
        "is_focal": is_focal,
        "recommendation_form": RecommendationForm(inspection=inspection, initial={"due_date": due})
        if is_focal
        else None,
    }


def proposal_page(user, proposal) -> dict:
    """The proposal; once sent, focal officers record where it stands and the answer."""
    is_focal = access.is_focal_officer(user)
    response_form = None
    if is_focal and proposal.sent_on:
        initial = {
            "status": proposal.status,
            "response": proposal.response,
            "responded_on": proposal.responded_on or timezone.localdate(),
        }
        response_form = ProposalResponseForm(initial=initial)
    return {"proposal": proposal, "is_focal": is_focal, "response_form": response_form}
