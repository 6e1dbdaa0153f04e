from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.files import private_file_response
from directory.selectors import is_district_office_member

from . import selectors, services
from .calendar import meeting_ics
from .forms import (
    ActionItemForm,
    ActivityForm,
    AmendmentDecisionForm,
    AmendmentForm,
    DecisionForm,
    FollowUpForm,
    InspectionForm,
    LocalActivityForm,
    LocalPlansDueForm,
    MeetingForm,
    MinutesForm,
    PilotDecisionForm,
    PilotEvaluationForm,
    PilotForm,
    PlanForm,
    ProgressForm,
    ProposalForm,
    ProposalResponseForm,
    ReasonForm,
    RecommendationForm,
)
from .models import (
    ActionItem,
    AnnualPlan,
    Inspection,
    LocalActivity,
    LocalPlan,
    Meeting,
    PlanActivity,
    Proposal,
    Recommendation,
    RecommendationUpdate,
)


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _form_errors(request, form) -> None:
    """A short form posted from a detail page: its errors become messages on that page."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else None
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


# --- Programme -----------------------------------------------------------------------------


@login_required
@require_GET
def programme_list(request):
    programmes = selectors.programmes_for_user(request.user).annotate(n_commitments=Count("commitments"))
    if not selectors._may_see_programme(request.user):
        raise PermissionDenied(_("Tài khoản của bạn chưa gắn với đơn vị nào."))
    return render(request, "programs/programme_list.html", {"programmes": programmes})


@login_required
@require_GET
def programme_detail(request, pk: int):
    programme = selectors.get_programme_for_user(request.user, pk)
    commitments = programme.commitments.select_related("copied_from").order_by("position")
    return render(
        request,
        "programs/programme_detail.html",
        {
            "programme": programme,
            "commitments": commitments,
            "legal_bases": programme.legal_bases.all(),
            "parties": programme.parties.all(),
            "amendments": programme.amendments.select_related("commitment"),
            "renewals": programme.renewals.all(),
            "can_propose": services.is_focal_officer(request.user),
            "amended": selectors.last_applied_amendments(programme),
        },
    )


# --- Amendments (VII) ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def amendment_create(request, pk: int):
    programme = selectors.get_programme_for_user(request.user, pk)
    services.require_focal(
        request.user, _("Chỉ cán bộ đầu mối của Thư viện tỉnh hoặc Văn phòng Sở GD&ĐT được đề xuất sửa đổi.")
    )
    initial = {}
    chosen = programme.commitments.filter(pk=request.GET.get("commitment") or 0).first()
    if chosen:
        initial = {"commitment": chosen, "text": chosen.text}
    form = AmendmentForm(request.POST or None, programme=programme, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            amendment = services.amendment_propose(
                programme=programme,
                commitment=form.cleaned_data["commitment"],
                code=form.cleaned_data["code"],
                text=form.cleaned_data["text"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã gửi đề xuất sửa đổi. Điều khoản chỉ thay đổi khi hai Giám đốc đồng ý."))
            return redirect("programs:amendment-detail", amendment.pk)
    return render(request, "programs/amendment_form.html", {"programme": programme, "form": form})


@login_required
@require_GET
def amendment_detail(request, pk: int):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    department = services.director_department(request.user)
    side = services.SIDE_OF_DEPARTMENT.get(department.code) if department else None
    if amendment.status == amendment.Status.APPLIED:
        old, new = amendment.previous_text, amendment.new_text
    else:
        old, new = (amendment.commitment.text if amendment.commitment else ""), amendment.new_text
    return render(
        request,
        "programs/amendment_detail.html",
        {
            "amendment": amendment,
            "programme": amendment.programme,
            "diff": selectors.text_diff(old, new),
            "department": department,
            "can_decide": side in amendment.awaiting_sides,
        },
    )


@login_required
@require_POST
def amendment_decide(request, pk: int):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    if services.director_department(request.user) is None:
        raise PermissionDenied(_("Chỉ Giám đốc Sở VHTTDL hoặc Sở GD&ĐT được thống nhất sửa đổi chương trình."))
    form = AmendmentDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng chọn đồng ý hoặc trả lại."))
        return redirect("programs:amendment-detail", amendment.pk)
    try:
        if form.cleaned_data["decision"] == "agree":
            amendment = services.amendment_agree(amendment=amendment, by=request.user)
        else:
            amendment = services.amendment_return(
                amendment=amendment, comment=form.cleaned_data["comment"], by=request.user
            )
    except ValidationError as exc:
        _error(request, exc)
    else:
        if amendment.status == amendment.Status.APPLIED:
            messages.success(
                request,
                _("Hai Giám đốc đã đồng ý: điều khoản đã được sửa, chương trình lên phiên bản %(v)s.")
                % {"v": amendment.version},
            )
        elif amendment.status == amendment.Status.RETURNED:
            messages.success(request, _("Đã trả lại đề xuất sửa đổi cho đơn vị đầu mối."))
        else:
            messages.success(request, _("Đã đồng ý. Đề xuất đang chờ Giám đốc Sở còn lại."))
    return redirect("programs:amendment-detail", amendment.pk)


# --- Pilots by school level (IV.3.c) --------------------------------------------------------


def _require_programme_view(request) -> None:
    if not selectors._may_see_programme(request.user):
        raise PermissionDenied(_("Tài khoản của bạn chưa gắn với đơn vị nào."))


@login_required
@require_GET
def pilot_index(request):
    _require_programme_view(request)
    return render(
        request,
        "programs/pilot_index.html",
        {"levels": selectors.pilot_levels(request.user), "can_edit": services.is_focal_officer(request.user)},
    )


@login_required
@require_GET
def pilot_level(request, level: str):
    from .models import Pilot

    _require_programme_view(request)
    labels = dict(Pilot._meta.get_field("school_level").choices)
    if level not in labels:
        raise Http404
    pilots = selectors.pilots_for_user(request.user).filter(school_level=level).order_by("-start_date")
    return render(
        request,
        "programs/pilot_level.html",
        {
            "level": level,
            "level_label": labels[level],
            "pilots": pilots,
            "levels": selectors.pilot_levels(request.user),
            "can_edit": services.is_focal_officer(request.user),
        },
    )


def _pilot_form_save(request, form, pilot=None):
    data = form.cleaned_data
    programme = pilot.programme if pilot else selectors.programme_for_year(data["start_date"].year)
    if programme is None:
        form.add_error("start_date", _("Không có chương trình phối hợp nào có hiệu lực trong năm này."))
        return None
    try:
        return services.pilot_save(
            pilot=pilot,
            programme=programme,
            title=data["title"],
            school_level=data["school_level"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            description=data["description"],
            schools=data["schools"],
            by=request.user,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def pilot_create(request):
    services.require_focal(request.user)
    level = request.POST.get("school_level") or request.GET.get("level")
    form = PilotForm(request.POST or None, level=level, initial={"school_level": level})
    if request.method == "POST" and form.is_valid():
        pilot = _pilot_form_save(request, form)
        if pilot:
            messages.success(request, _("Đã lưu mô hình thí điểm."))
            return redirect("programs:pilot-detail", pilot.pk)
    return render(request, "programs/pilot_form.html", {"form": form, "pilot": None})


@login_required
@require_http_methods(["GET", "POST"])
def pilot_edit(request, pk: int):
    pilot = selectors.get_pilot_for_user(request.user, pk)
    services.require_focal(request.user)
    level = request.POST.get("school_level") or pilot.school_level
    initial = {
        "title": pilot.title,
        "school_level": pilot.school_level,
        "start_date": pilot.start_date,
        "end_date": pilot.end_date,
        "description": pilot.description,
        "schools": list(pilot.schools.all()),
    }
    form = PilotForm(request.POST or None, level=level, initial=initial)
    if request.method == "POST" and form.is_valid() and _pilot_form_save(request, form, pilot):
        messages.success(request, _("Đã lưu mô hình thí điểm."))
        return redirect("programs:pilot-detail", pilot.pk)
    return render(request, "programs/pilot_form.html", {"form": form, "pilot": pilot})


@login_required
@require_GET
def pilot_detail(request, pk: int):
    pilot = selectors.get_pilot_for_user(request.user, pk)
    is_focal = services.is_focal_officer(request.user)
    can_decide = services.can_decide_pilot(request.user)
    return render(
        request,
        "programs/pilot_detail.html",
        {
            "pilot": pilot,
            "schools": pilot.schools.select_related("district").order_by("district__code", "name"),
            "is_focal": is_focal,
            "evaluation_form": PilotEvaluationForm(initial={"lessons": pilot.lessons_learned})
            if is_focal and not pilot.decision
            else None,
            "decision_form": PilotDecisionForm() if can_decide and pilot.evaluated_at and not pilot.decision else None,
        },
    )


@login_required
@require_POST
def pilot_evaluate(request, pk: int):
    pilot = selectors.get_pilot_for_user(request.user, pk)
    services.require_focal(request.user)
    form = PilotEvaluationForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("programs:pilot-detail", pilot.pk)
    try:
        services.pilot_evaluate(
            pilot=pilot, lessons=form.cleaned_data["lessons"], evidence=form.cleaned_data["evidence"], by=request.user
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã lưu đánh giá mô hình thí điểm."))
    return redirect("programs:pilot-detail", pilot.pk)


@login_required
@require_POST
def pilot_decide(request, pk: int):
    pilot = selectors.get_pilot_for_user(request.user, pk)
    if not services.can_decide_pilot(request.user):
        raise PermissionDenied
    form = PilotDecisionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("programs:pilot-detail", pilot.pk)
    try:
        services.pilot_decide(
            pilot=pilot,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
            roll_out_from=form.cleaned_data["roll_out_from"],
            by=request.user,
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã ghi quyết định sau thí điểm."))
    return redirect("programs:pilot-detail", pilot.pk)


@login_required
@require_GET
def coverage(request):
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        messages.warning(request, _("Năm không hợp lệ, đang hiển thị năm nay."))
        year = timezone.localdate().year
    if not selectors._may_see_programme(request.user):
        raise PermissionDenied(_("Tài khoản của bạn chưa gắn với đơn vị nào."))
    data = selectors.coverage(year)
    years = sorted(set(AnnualPlan.objects.values_list("year", flat=True)), reverse=True)
    return render(
        request,
        "programs/coverage.html",
        {"coverage": data, "years": years, "local_plans": selectors.local_plan_coverage(data.plan)},
    )


# --- Annual plans --------------------------------------------------------------------------


@login_required
@require_GET
def plan_list(request):
    if not selectors._may_see_programme(request.user):
        raise PermissionDenied(_("Tài khoản của bạn chưa gắn với đơn vị nào."))
    plans = selectors.plans_for_user(request.user).order_by("-year", "-revision")
    return render(
        request,
        "programs/plan_list.html",
        {"plans": plans, "can_edit": services.is_focal_officer(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request):
    services.require_focal(request.user)
    initial = {}
    review = selectors.review_meeting_for_seed(request.user, request.GET.get("meeting"))
    if review is not None:
        # The review meeting's decisions seed next year's plan (V.6).
        year = selectors.reviewed_year(review) + 1
        initial = {"year": year, "title": _("Kế hoạch năm %(y)s") % {"y": year}, "summary": review.decisions}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        programme = selectors.programme_for_year(year)
        if programme is None:
            form.add_error("year", _("Không có chương trình phối hợp nào có hiệu lực trong năm %(y)s.") % {"y": year})
        else:
            try:
                plan = services.plan_create(
                    programme=programme,
                    year=year,
                    title=form.cleaned_data["title"],
                    summary=form.cleaned_data["summary"],
                    by=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Đã tạo dự thảo kế hoạch. Hãy thêm các hoạt động."))
                return redirect("programs:plan-detail", plan.pk)
    return render(request, "programs/plan_form.html", {"form": form})


@login_required
@require_GET
def plan_detail(request, pk: int):
    plan = selectors.get_plan_for_user(request.user, pk)
    user = request.user
    department = services.director_department(user)
    pending = selectors.pending_departments(plan)
    context = {
        "plan": plan,
        "activities": selectors.activities_with_progress(plan),
        "decisions": selectors.decisions_by_round(plan),
        "pending": pending,
        "can_edit": services.is_focal_officer(user) and plan.status == AnnualPlan.Status.DRAFT,
        "is_focal": services.is_focal_officer(user),
        "can_decide": department is not None and department.code in pending,
        "department": department,
        "decision_form": DecisionForm(),
        "revision_form": ReasonForm(),
        "revisions": plan.revisions.all(),
        "local_plans": selectors.local_plans_of_plan(user, plan),
    }
    return render(request, "programs/plan_detail.html", context)


def _plan_for_editor(request, pk) -> AnnualPlan:
    plan = selectors.get_plan_for_user(request.user, pk)
    services.require_focal(request.user)
    return plan


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    plan = _plan_for_editor(request, pk)
    form = PlanForm(request.POST or None, editing=True, initial={"title": plan.title, "summary": plan.summary})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(
                plan=plan, title=form.cleaned_data["title"], summary=form.cleaned_data["summary"], by=request.user
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Đã lưu kế hoạch."))
        return redirect("programs:plan-detail", plan.pk)
    return render(request, "programs/plan_form.html", {"form": form, "plan": plan})


def _activity_fields(form) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "description": data["description"],
        "commitments": data["commitments"],
        "lead_unit": data["lead_unit"],
        "partner_units": data["partner_units"],
        "start_date": data["start_date"],
        "end_date": data["end_date"],
        "target_value": data["target_value"],
        "target_unit": data["target_unit"],
        "funding_side": data["funding_side"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request, pk: int):
    plan = _plan_for_editor(request, pk)
    if not plan.is_editable:
        messages.error(
            request, _("Kế hoạch không còn là dự thảo: muốn thay đổi kế hoạch đã phê duyệt, hãy tạo bản điều chỉnh.")
        )
        return redirect("programs:plan-detail", plan.pk)
    form = ActivityForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_save(plan=plan, by=request.user, **_activity_fields(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã thêm hoạt động vào kế hoạch."))
            return redirect("programs:plan-detail", plan.pk)
    return render(request, "programs/activity_form.html", {"form": form, "plan": plan})


def _activity_for_user(user, pk) -> PlanActivity:
    try:
        return PlanActivity.objects.select_related("plan__programme", "lead_unit").get(
            pk=pk, plan__in=selectors.plans_for_user(user).values("pk")
        )
    except (PlanActivity.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk: int):
    activity = _activity_for_user(request.user, pk)
    services.require_focal(request.user)
    plan = activity.plan
    form = ActivityForm(request.POST or None, plan=plan, instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_save(plan=plan, activity=activity, by=request.user, **_activity_fields(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu hoạt động."))
            return redirect("programs:plan-detail", plan.pk)
    return render(request, "programs/activity_form.html", {"form": form, "plan": plan, "activity": activity})


@login_required
@require_POST
def activity_delete(request, pk: int):
    activity = _activity_for_user(request.user, pk)
    services.require_focal(request.user)
    try:
        services.activity_delete(activity=activity, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã xóa hoạt động."))
    return redirect("programs:plan-detail", activity.plan_id)


@login_required
@require_POST
def plan_submit(request, pk: int):
    plan = _plan_for_editor(request, pk)
    try:
        services.plan_submit(plan=plan, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã trình kế hoạch tới Giám đốc hai Sở."))
    return redirect("programs:plan-detail", plan.pk)


@login_required
@require_POST
def plan_decide(request, pk: int):
    plan = selectors.get_plan_for_user(request.user, pk)
    if services.director_department(request.user) is None:
        raise PermissionDenied(_("Chỉ Giám đốc Sở VHTTDL hoặc Giám đốc Sở GD&ĐT được phê duyệt kế hoạch."))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng chọn phê duyệt hoặc trả lại."))
        return redirect("programs:plan-detail", plan.pk)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        plan = services.plan_decide(plan=plan, approve=approve, comment=form.cleaned_data["comment"], by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        if not approve:
            messages.success(request, _("Đã trả lại kế hoạch cho đơn vị đầu mối."))
        elif plan.status == AnnualPlan.Status.IN_FORCE:
            messages.success(request, _("Đã phê duyệt. Hai Sở đã cùng phê duyệt: kế hoạch bắt đầu thực hiện."))
        else:
            messages.success(request, _("Đã phê duyệt. Kế hoạch đang chờ ý kiến của Sở còn lại."))
    return redirect("programs:plan-detail", plan.pk)


@login_required
@require_POST
def plan_revise(request, pk: int):
    plan = _plan_for_editor(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng nêu lý do điều chỉnh kế hoạch."))
        return redirect("programs:plan-detail", plan.pk)
    try:
        revision = services.plan_revise(plan=plan, reason=form.cleaned_data["reason"], by=request.user)
    except ValidationError as exc:
        _error(request, exc)
        return redirect("programs:plan-detail", plan.pk)
    messages.success(
        request, _("Đã tạo bản điều chỉnh. Kế hoạch hiện hành vẫn thực hiện cho tới khi bản này được phê duyệt.")
    )
    return redirect("programs:plan-detail", revision.pk)


@login_required
@require_POST
def plan_close(request, pk: int):
    plan = _plan_for_editor(request, pk)
    meeting = (
        Meeting.objects.filter(programme=plan.programme, kind=Meeting.Kind.FINAL_REVIEW, starts_at__year=plan.year)
        .order_by("-starts_at")
        .first()
    )
    try:
        services.plan_close(plan=plan, meeting=meeting, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã tổng kết, đóng kế hoạch năm %(y)s.") % {"y": plan.year})
    return redirect("programs:plan-detail", plan.pk)


@login_required
@require_GET
def activity_detail(request, pk: int):
    activity = _activity_for_user(request.user, pk)
    updates = selectors.progress_with_evidence(request.user, activity)
    return render(
        request,
        "programs/activity_detail.html",
        {
            "activity": activity,
            "plan": activity.plan,
            "commitments": activity.commitments.all(),
            "partners": activity.partner_units.all(),
            "updates": updates,
            "local_activities": selectors.local_activities_of_activity(request.user, activity),
            "can_report": services.can_report_progress(request.user, activity)
            and activity.plan.status == AnnualPlan.Status.IN_FORCE,
            "form": ProgressForm(),
        },
    )


@login_required
@require_POST
def progress_add(request, pk: int):
    activity = _activity_for_user(request.user, pk)
    if not services.can_report_progress(request.user, activity):
        raise PermissionDenied(_("Chỉ cán bộ đầu mối hoặc đơn vị chủ trì được cập nhật tiến độ hoạt động này."))
    form = ProgressForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("programs:activity-detail", activity.pk)
    data = form.cleaned_data
    try:
        services.progress_add(
            activity=activity,
            reported_on=data["reported_on"],
            percent=data["percent"],
            achieved_value=data["achieved_value"],
            narrative=data["narrative"],
            files=data["files"],
            by=request.user,
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã ghi nhận tiến độ."))
    return redirect("programs:activity-detail", activity.pk)


# --- Local plans ---------------------------------------------------------------------------


@login_required
@require_GET
def local_plan_list(request):
    user = request.user
    local_plans = selectors.local_plans_for_user(user).order_by(
        "-plan__year", "organisation__district__code", "organisation__kind"
    )
    page = Paginator(local_plans, 40).get_page(request.GET.get("page"))
    current = selectors.current_plan()
    org = user.organisation
    can_start = bool(
        is_district_office_member(user)
        and current
        and current.status == AnnualPlan.Status.IN_FORCE
        and not LocalPlan.objects.filter(plan__year=current.year, organisation=org).exists()
    )
    return render(
        request, "programs/local_plan_list.html", {"page": page, "current_plan": current, "can_start": can_start}
    )


@login_required
@require_POST
def local_plan_create(request):
    current = selectors.current_plan()
    if current is None:
        messages.error(request, _("Chưa có kế hoạch của tỉnh cho năm nay."))
        return redirect("programs:local-plan-list")
    try:
        local = services.local_plan_create(plan=current, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
        return redirect("programs:local-plan-list")
    return redirect("programs:local-plan-detail", local.pk)


def _local_activity_fields(form) -> dict:
    data = form.cleaned_data
    return {k: data[k] for k in LocalActivityForm.Meta.fields}


@login_required
@require_GET
def local_plan_detail(request, pk: int):
    local = selectors.get_local_plan_for_user(request.user, pk)
    can_edit = services.can_edit_local_plan(request.user, local)
    return render(
        request,
        "programs/local_plan_detail.html",
        {
            "local": local,
            "activities": local.activities.select_related("provincial_activity"),
            "can_edit": can_edit,
            "form": LocalActivityForm(local_plan=local) if can_edit else None,
            "can_review": local.status == LocalPlan.Status.SUBMITTED
            and services.can_review_local_plan(request.user, local),
        },
    )


@login_required
@require_POST
def local_plan_review(request, pk: int):
    local = selectors.get_local_plan_for_user(request.user, pk)
    if not services.can_review_local_plan(request.user, local):
        raise PermissionDenied(_("Chỉ đơn vị đầu mối của ngành được tiếp nhận kế hoạch này."))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng chọn tiếp nhận hoặc trả lại."))
        return redirect("programs:local-plan-detail", local.pk)
    acknowledge = form.cleaned_data["decision"] == "approve"
    try:
        services.local_plan_review(
            local_plan=local, acknowledge=acknowledge, comment=form.cleaned_data["comment"], by=request.user
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(
            request,
            _("Đã tiếp nhận kế hoạch.") if acknowledge else _("Đã trả lại kế hoạch để đơn vị bổ sung."),
        )
    return redirect("programs:local-plan-detail", local.pk)


@login_required
@require_POST
def plan_local_plans_due(request, pk: int):
    plan = selectors.get_plan_for_user(request.user, pk)
    services.require_focal(request.user)
    form = LocalPlansDueForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("programs:plan-detail", plan.pk)
    try:
        services.plan_set_local_plans_due(plan=plan, due_date=form.cleaned_data["due_date"], by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã lưu hạn gửi kế hoạch địa phương."))
    return redirect("programs:plan-detail", plan.pk)


def _local_plan_for_editor(request, pk) -> LocalPlan:
    local = selectors.get_local_plan_for_user(request.user, pk)
    if not services.can_edit_local_plan(request.user, local):
        raise PermissionDenied(_("Bạn chỉ được sửa kế hoạch của đơn vị mình."))
    return local


@login_required
@require_POST
def local_activity_add(request, pk: int):
    local = _local_plan_for_editor(request, pk)
    form = LocalActivityForm(request.POST, local_plan=local)
    if form.is_valid():
        try:
            services.local_activity_save(local_plan=local, by=request.user, **_local_activity_fields(form))
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Đã thêm hoạt động."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("programs:local-plan-detail", local.pk)


@login_required
@require_http_methods(["GET", "POST"])
def local_activity_edit(request, pk: int):
    try:
        activity = LocalActivity.objects.select_related("local_plan__plan").get(pk=pk)
    except LocalActivity.DoesNotExist:
        raise Http404 from None
    local = _local_plan_for_editor(request, activity.local_plan_id)
    form = LocalActivityForm(request.POST or None, local_plan=local, instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.local_activity_save(
                local_plan=local, activity=activity, by=request.user, **_local_activity_fields(form)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã cập nhật hoạt động."))
            return redirect("programs:local-plan-detail", local.pk)
    return render(request, "programs/local_activity_form.html", {"form": form, "local": local})


@login_required
@require_POST
def local_plan_submit(request, pk: int):
    local = _local_plan_for_editor(request, pk)
    try:
        services.local_plan_submit(local_plan=local, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã gửi kế hoạch tới hai Sở."))
    return redirect("programs:local-plan-detail", local.pk)


# --- Meetings ------------------------------------------------------------------------------


@login_required
@require_GET
def meeting_list(request):
    now = timezone.now()
    meetings = selectors.meetings_for_user(request.user).annotate(
        n_open=Count("actions", filter=Q(actions__done=False))
    )
    return render(
        request,
        "programs/meeting_list.html",
        {
            "upcoming": meetings.filter(starts_at__gte=now).order_by("starts_at"),
            "past": meetings.filter(starts_at__lt=now).order_by("-starts_at")[:50],
            "is_focal": services.is_focal_officer(request.user),
        },
    )


@login_required
@require_GET
def meeting_detail(request, pk: int):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    is_focal = services.is_focal_officer(request.user)
    actions = list(meeting.actions.select_related("owner", "owner_organisation"))
    for item in actions:
        item.can_close = services.can_close_action(request.user, item)
    return render(
        request,
        "programs/meeting_detail.html",
        {
            "meeting": meeting,
            "organisations": meeting.participant_organisations.all(),
            "people": meeting.participants.select_related("organisation"),
            "actions": actions,
            "is_focal": is_focal,
            "minutes_form": MinutesForm(initial={"decisions": meeting.decisions}) if is_focal else None,
            "action_form": ActionItemForm(initial={"due_date": meeting.starts_at.date() + timezone.timedelta(days=14)})
            if is_focal
            else None,
            "can_record_minutes": is_focal and meeting.starts_at <= timezone.now(),
            "review_link": selectors.review_link(request.user, meeting),
        },
    )


@login_required
@require_GET
def meeting_calendar(request, pk: int):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    response = HttpResponse(meeting_ics(meeting, request=request), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cuoc-hop-{meeting.pk}.ics"'
    return response


@login_required
@require_POST
def action_item_toggle(request, pk: int):
    try:
        item = ActionItem.objects.select_related("meeting").get(
            pk=pk, meeting__in=selectors.meetings_for_user(request.user).values("pk")
        )
    except (ActionItem.DoesNotExist, ValueError):
        raise Http404 from None
    done = request.POST.get("done") == "1"
    services.action_item_set_done(item=item, done=done, by=request.user)
    messages.success(request, _("Đã đánh dấu hoàn thành.") if done else _("Đã mở lại việc cần làm."))
    return redirect("programs:meeting-detail", item.meeting_id)


# --- Inspections and proposals --------------------------------------------------------------


@login_required
@require_GET
def inspection_list(request):
    inspections = selectors.inspections_for_user(request.user).order_by("-date")
    page = Paginator(inspections, 30).get_page(request.GET.get("page"))
    return render(
        request, "programs/inspection_list.html", {"page": page, "is_focal": services.is_focal_officer(request.user)}
    )


@login_required
@require_GET
def inspection_detail(request, pk: int):
    inspection = selectors.get_inspection_for_user(request.user, pk)
    is_focal = services.is_focal_officer(request.user)
    recommendations = list(
        inspection.recommendations.select_related("owner_organisation").prefetch_related(
            Prefetch("updates", queryset=RecommendationUpdate.objects.select_related("author"))
        )
    )
    for rec in recommendations:
        rec.can_update = services.can_update_recommendation(request.user, rec)
    return render(
        request,
        "programs/inspection_detail.html",
        {
            "inspection": inspection,
            "places": inspection.places.all(),
            "recommendations": recommendations,
            "form": FollowUpForm(),
            "today": timezone.localdate(),
            "is_focal": is_focal,
            "recommendation_form": RecommendationForm(
                inspection=inspection, initial={"due_date": inspection.date + timezone.timedelta(days=30)}
            )
            if is_focal
            else None,
        },
    )


@login_required
@require_POST
def recommendation_follow_up(request, pk: int):
    try:
        rec = Recommendation.objects.get(
            pk=pk, inspection__in=selectors.inspections_for_user(request.user).values("pk")
        )
    except (Recommendation.DoesNotExist, ValueError):
        raise Http404 from None
    if not services.can_update_recommendation(request.user, rec):
        raise PermissionDenied(_("Chỉ đơn vị thực hiện kiến nghị hoặc cán bộ đầu mối được cập nhật."))
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.recommendation_follow_up(
                recommendation=rec,
                status=form.cleaned_data["status"],
                follow_up=form.cleaned_data["follow_up"],
                reported_on=form.cleaned_data["reported_on"],
                by=request.user,
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Đã cập nhật kết quả thực hiện kiến nghị."))
    return redirect("programs:inspection-detail", rec.inspection_id)


@login_required
@require_GET
def proposal_list(request):
    if not selectors.user_scope(request.user).everything:
        raise PermissionDenied(_("Đề xuất, kiến nghị chỉ dành cho lãnh đạo Sở và cán bộ đầu mối."))
    proposals = selectors.proposals_for_user(request.user)
    return render(
        request,
        "programs/proposal_list.html",
        {"proposals": proposals, "is_focal": services.is_focal_officer(request.user)},
    )


@login_required
@require_GET
def proposal_detail(request, pk: int):
    proposal = selectors.get_proposal_for_user(request.user, pk)
    is_focal = services.is_focal_officer(request.user)
    response_form = None
    if is_focal and proposal.sent_on:
        response_form = ProposalResponseForm(
            initial={
                "status": proposal.status,
                "response": proposal.response,
                "responded_on": proposal.responded_on or timezone.localdate(),
            }
        )
    return render(
        request,
        "programs/proposal_detail.html",
        {"proposal": proposal, "is_focal": is_focal, "response_form": response_form},
    )


# --- Editing meetings, inspections and proposals in the portal ------------------------------


def _meeting_for_editor(request, pk) -> Meeting:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    services.require_focal(request.user)
    return meeting


def _programme_for(day):
    return selectors.programme_for_year(day.year)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    services.require_focal(request.user)
    return _meeting_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk: int):
    return _meeting_form(request, _meeting_for_editor(request, pk))


def _meeting_form(request, meeting: Meeting | None):
    if request.method == "POST":
        form = MeetingForm(request.POST)
    else:
        initial = MeetingForm.initial_for(meeting) if meeting else {"date": timezone.localdate()}
        form = MeetingForm(initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        programme = meeting.programme if meeting else _programme_for(data["date"])
        if programme is None:
            form.add_error("date", _("Không có chương trình phối hợp nào có hiệu lực vào ngày này."))
        else:
            starts_at, ends_at = form.times()
            try:
                saved = services.meeting_save(
                    by=request.user,
                    meeting=meeting,
                    programme=programme,
                    kind=data["kind"],
                    title=data["title"],
                    starts_at=starts_at,
                    ends_at=ends_at,
                    location=data["location"],
                    agenda=data["agenda"],
                    participant_organisations=data["participant_organisations"],
                    participants=data["participants"],
                    other_participants=data["other_participants"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Đã lưu cuộc họp.") if meeting else _("Đã tạo cuộc họp."))
                return redirect("programs:meeting-detail", saved.pk)
    return render(request, "programs/meeting_form.html", {"form": form, "meeting": meeting})


@login_required
@require_POST
def meeting_minutes(request, pk: int):
    meeting = _meeting_for_editor(request, pk)
    form = MinutesForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.meeting_record_minutes(
                meeting=meeting,
                decisions=form.cleaned_data["decisions"],
                minutes_file=form.cleaned_data["minutes_file"],
                by=request.user,
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Đã lưu biên bản và kết luận cuộc họp."))
    return redirect("programs:meeting-detail", meeting.pk)


@login_required
@require_POST
def action_item_add(request, pk: int):
    meeting = _meeting_for_editor(request, pk)
    form = ActionItemForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        data = form.cleaned_data
        try:
            services.action_item_add(
                meeting=meeting,
                description=data["description"],
                due_date=data["due_date"],
                owner=data["owner"],
                owner_organisation=data["owner_organisation"],
                by=request.user,
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Đã thêm việc cần làm."))
    return redirect("programs:meeting-detail", meeting.pk)


def _inspection_for_editor(request, pk) -> Inspection:
    inspection = selectors.get_inspection_for_user(request.user, pk)
    services.require_focal(request.user)
    return inspection


@login_required
@require_http_methods(["GET", "POST"])
def inspection_create(request):
    services.require_focal(request.user)
    return _inspection_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_edit(request, pk: int):
    return _inspection_form(request, _inspection_for_editor(request, pk))


def _inspection_form(request, inspection: Inspection | None):
    initial = None if inspection else {"date": timezone.localdate()}
    form = InspectionForm(request.POST or None, instance=inspection, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        programme = inspection.programme if inspection else _programme_for(data["date"])
        if programme is None:
            form.add_error("date", _("Không có chương trình phối hợp nào có hiệu lực vào ngày này."))
        else:
            try:
                saved = services.inspection_save(
                    by=request.user,
                    inspection=inspection,
                    programme=programme,
                    kind=data["kind"],
                    title=data["title"],
                    date=data["date"],
                    district=data["district"],
                    places=data["places"],
                    team=data["team"],
                    findings=data["findings"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Đã lưu đợt khảo sát, kiểm tra."))
                return redirect("programs:inspection-detail", saved.pk)
    return render(request, "programs/inspection_form.html", {"form": form, "inspection": inspection})


@login_required
@require_POST
def recommendation_add(request, pk: int):
    inspection = _inspection_for_editor(request, pk)
    form = RecommendationForm(request.POST, inspection=inspection)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.recommendation_add(inspection=inspection, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Đã thêm kiến nghị."))
    return redirect("programs:inspection-detail", inspection.pk)


def _proposal_for_editor(request, pk) -> Proposal:
    proposal = selectors.get_proposal_for_user(request.user, pk)
    services.require_focal(request.user)
    return proposal


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request):
    services.require_focal(request.user)
    return _proposal_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request, pk: int):
    return _proposal_form(request, _proposal_for_editor(request, pk))


def _proposal_form(request, proposal: Proposal | None):
    programme = proposal.programme if proposal else _programme_for(timezone.localdate())
    if programme is None:
        programme = selectors.programmes_for_user(request.user).order_by("-valid_to", "-signed_on").first()
    if programme is None:
        messages.error(request, _("Chưa có chương trình phối hợp nào để gắn đề xuất."))
        return redirect("programs:proposal-list")
    initial = None if proposal else {"organisation": request.user.organisation_id}
    form = ProposalForm(request.POST or None, instance=proposal, initial=initial, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.proposal_save(by=request.user, proposal=proposal, programme=programme, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu đề xuất, kiến nghị."))
            return redirect("programs:proposal-detail", saved.pk)
    return render(request, "programs/proposal_form.html", {"form": form, "proposal": proposal})


@login_required
@require_POST
def proposal_response(request, pk: int):
    proposal = _proposal_for_editor(request, pk)
    form = ProposalResponseForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.proposal_record_response(proposal=proposal, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Đã ghi nhận tình trạng và kết quả trả lời."))
    return redirect("programs:proposal-detail", proposal.pk)


# --- Files: served only through the access rule of the page they belong to -------------------


@login_required
@require_GET
def programme_file(request, pk: int):
    programme = selectors.get_programme_for_user(request.user, pk)
    return private_file_response(request, programme.original_file, original_name=programme.original_file_name)


@login_required
@require_GET
def evidence_download(request, pk: int):
    evidence = selectors.get_evidence_for_user(request.user, pk)
    return private_file_response(request, evidence.file, original_name=evidence.original_name)


@login_required
@require_GET
def pilot_evidence(request, pk: int):
    pilot = selectors.get_pilot_for_user(request.user, pk)
    return private_file_response(request, pilot.evidence, original_name=pilot.evidence_name)


@login_required
@require_GET
def meeting_minutes_file(request, pk: int):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    return private_file_response(request, meeting.minutes_file, original_name=meeting.minutes_file_name)
