"""Writes of the programs app: the programme, annual plans and their approval, progress,
local plans, meetings, inspections and proposals.

Every refused transition raises `PermissionDenied` (wrong role) or `ValidationError` (wrong
state, bad input) with a Vietnamese message the views show as they are.
"""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from directory.access import is_district_office_member
from directory.models import Organisation, User

from .access import (
    DEPARTMENT_CODES,
    SIDE_OF_DEPARTMENT,
    can_close_action,
    can_decide_pilot,
    can_edit_local_plan,
    can_report_progress,
    can_review_local_plan,
    can_update_recommendation,
    director_department,
    is_focal_officer,  # noqa: F401  kept importable as services.is_focal_officer (the rule is in access)
    require_focal,
)
from .models import (
    ActionItem,
    ActivityProgress,
    AnnualPlan,
    Commitment,
    Inspection,
    LegalBasis,
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

PROGRAMME_2019_FILE = Path(__file__).resolve().parent / "data" / "programme_2019_2020.json"


def _save(obj) -> None:
    obj.full_clean()
    obj.save()


# --- The programme -------------------------------------------------------------------------


@transaction.atomic
def programme_load(*, path: Path = PROGRAMME_2019_FILE) -> Programme:
    """Create or refresh a programme from a data file, adding the commitments it lacks.
    Idempotent: commitments are matched by code (an existing one is never changed), the legal
    bases by number."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    programme, _created = Programme.objects.update_or_create(
        signed_on=date.fromisoformat(data["signed_on"]),
        renewal_of=None,
        valid_from=data["valid_from"],
        defaults={
            "number": data.get("number", ""),
            "title": data["title"],
            "place": data.get("place", ""),
            "valid_to": data["valid_to"],
            "preamble": data.get("preamble", ""),
            "distribution_list": "\n".join(data.get("distribution_list", [])),
        },
    )
    programme.parties.set(Organisation.objects.filter(code__in=data.get("parties", [])))
    for position, basis in enumerate(data.get("legal_bases", []), start=1):
        LegalBasis.objects.update_or_create(
            programme=programme,
            number=basis["number"],
            defaults={
                "kind": basis["kind"],
                "issued_on": date.fromisoformat(basis["issued_on"]),
                "issuer": basis["issuer"],
                "title": basis.get("title", ""),
                "position": position,
            },
        )
    # A signed clause changes only through an amendment agreed by both Directors (VII): a
    # clause already loaded keeps its text, and a programme once amended gets none back (an
    # amendment may have renamed the code the file still has).
    if programme.amendments.filter(status=ProgrammeAmendment.Status.APPLIED).exists():
        return programme
    for position, item in enumerate(data["commitments"], start=1):
        Commitment.objects.get_or_create(
            programme=programme,
            code=item["code"],
            defaults={
                "section": item["section"],
                "heading": item.get("heading", ""),
                "text": item["text"],
                "lead_side": item["lead_side"],
                "responsible_units": item.get("responsible_units", ""),
                "position": position,
            },
        )
    return programme


@transaction.atomic
def programme_renew(
    *, source: Programme, title: str, signed_on: date, valid_from: int, valid_to: int, by: User | None = None
) -> Programme:
    """A later programme with the source's commitments copied (each remembers its origin).
    Idempotent on (source, valid_from)."""
    if by is not None:
        require_focal(by)
    existing = Programme.objects.filter(renewal_of=source, valid_from=valid_from).first()
    if existing:
        return existing
    renewal = Programme(
        title=title,
        signed_on=signed_on,
        valid_from=valid_from,
        valid_to=valid_to,
        place=source.place,
        preamble=source.preamble,
        distribution_list=source.distribution_list,
        renewal_of=source,
    )
    _save(renewal)
    renewal.parties.set(source.parties.all())
    for basis in source.legal_bases.all():
        LegalBasis.objects.create(
            programme=renewal,
            kind=basis.kind,
            number=basis.number,
            issued_on=basis.issued_on,
            issuer=basis.issuer,
            title=basis.title,
            position=basis.position,
        )
    # With history rows, so the copied clauses' change history starts at the renewal.
    bulk_create_with_history(
        [
            Commitment(
                programme=renewal,
                code=c.code,
                section=c.section,
                heading=c.heading,
                text=c.text,
                lead_side=c.lead_side,
                responsible_units=c.responsible_units,
                position=c.position,
                copied_from=c,
            )
            for c in source.commitments.all()
        ],
        Commitment,
        default_user=by,
    )
    return renewal


@transaction.atomic
def amendment_propose(
    *, programme: Programme, commitment: Commitment | None, code: str, text: str, reason: str, by: User
) -> ProgrammeAmendment:
    """Either focal unit proposes a new text for a commitment (or a new commitment when
    `commitment` is None). Nothing changes in the programme until both Directors agree.

    Raises ValidationError when the commitment belongs to another programme, the text is
    unchanged, the reason is missing, or the commitment already has a proposal pending."""
    require_focal(by, _("Chỉ cán bộ đầu mối của Thư viện tỉnh hoặc Văn phòng Sở GD&ĐT được đề xuất sửa đổi."))
    code, text, reason = (code or "").strip(), _clean_text(text or ""), (reason or "").strip()
    if commitment is not None and commitment.programme_id != programme.pk:
        raise ValidationError(_("Điều khoản này không thuộc chương trình đang sửa đổi."))
    if not reason:
        raise ValidationError(_("Vui lòng ghi rõ lý do sửa đổi, bổ sung."))
    if not text:
        raise ValidationError(_("Vui lòng nhập nội dung mới của điều khoản."))
    if commitment is not None:
        code = code or commitment.code
        if text == commitment.text and code == commitment.code:
            raise ValidationError(_("Nội dung mới giống hệt nội dung hiện hành; không có gì để sửa đổi."))
        if commitment.amendments.filter(status=ProgrammeAmendment.Status.PROPOSED).exists():
            raise ValidationError(
                _("Điều khoản %(c)s đang có một đề xuất sửa đổi chờ hai Giám đốc thống nhất.") % {"c": commitment.code}
            )
    if not code:
        raise ValidationError(_("Vui lòng nhập mã của điều khoản bổ sung (ví dụ IV.2.e)."))
    clash = programme.commitments.filter(code=code)
    if commitment is not None:
        clash = clash.exclude(pk=commitment.pk)
    if clash.exists():
        raise ValidationError(_("Chương trình đã có điều khoản mã %(c)s.") % {"c": code})
    amendment = ProgrammeAmendment(
        programme=programme, commitment=commitment, new_code=code, new_text=text, reason=reason, proposed_by=by
    )
    _save(amendment)
    return amendment


def _locked_pending_amendment(amendment: ProgrammeAmendment, by: User) -> tuple[ProgrammeAmendment, str]:
    department = director_department(by)
    if department is None:
        raise PermissionDenied(_("Chỉ Giám đốc Sở VHTTDL hoặc Sở GD&ĐT được thống nhất sửa đổi chương trình."))
    amendment = ProgrammeAmendment.objects.select_for_update().get(pk=amendment.pk)
    if amendment.status != ProgrammeAmendment.Status.PROPOSED:
        raise ValidationError(_("Đề xuất sửa đổi này đã được xử lý."))
    side = SIDE_OF_DEPARTMENT[department.code]
    if (side == "docst" and amendment.agreed_docst_by_id) or (side == "doet" and amendment.agreed_doet_by_id):
        raise ValidationError(_("%(d)s đã đồng ý đề xuất này.") % {"d": department.short_name or department.name})
    return amendment, side


@transaction.atomic
def amendment_agree(*, amendment: ProgrammeAmendment, by: User) -> ProgrammeAmendment:
    """A Director agrees for their department; when both have agreed the change is applied:
    the commitment takes the new text, the programme's version rises by one and the previous
    text stays on the amendment (and in the commitment's history)."""
    amendment, side = _locked_pending_amendment(amendment, by)
    now = timezone.now()
    if side == "docst":
        amendment.agreed_docst_by, amendment.agreed_docst_at = by, now
    else:
        amendment.agreed_doet_by, amendment.agreed_doet_at = by, now
    fields = ["agreed_docst_by", "agreed_doet_by", "agreed_docst_at", "agreed_doet_at"]
    if amendment.agreed_docst_by_id and amendment.agreed_doet_by_id:
        commitment = amendment.commitment
        if commitment is None:
            last = amendment.programme.commitments.order_by("-position").first()
            commitment = Commitment(
                programme=amendment.programme,
                code=amendment.new_code,
                section=amendment.new_code.split(".")[0],
                heading=last.heading if last else "",
                text=amendment.new_text,
                position=(last.position + 1) if last else 1,
            )
        else:
            commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
            amendment.previous_text, amendment.previous_code = commitment.text, commitment.code
            commitment.code, commitment.text = amendment.new_code, amendment.new_text
        commitment._change_reason = _("Sửa đổi theo đề xuất được hai Giám đốc thống nhất")
        _save(commitment)
        programme = Programme.objects.select_for_update().get(pk=amendment.programme_id)
        programme.version += 1
        programme.save(update_fields=["version"])
        amendment.commitment = commitment
        amendment.status = ProgrammeAmendment.Status.APPLIED
        amendment.applied_at = now
        amendment.version = programme.version
        fields += ["commitment", "previous_text", "previous_code", "status", "applied_at", "version"]
    amendment.save(update_fields=fields)
    return amendment


@transaction.atomic
def amendment_return(*, amendment: ProgrammeAmendment, comment: str, by: User) -> ProgrammeAmendment:
    """A Director returns the proposal with a comment; it is closed unchanged and the focal
    units may propose again. Raises ValidationError without a comment."""
    amendment, _side = _locked_pending_amendment(amendment, by)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("Khi trả lại đề xuất sửa đổi, vui lòng ghi rõ ý kiến."))
    amendment.status = ProgrammeAmendment.Status.RETURNED
    amendment.returned_by, amendment.returned_at, amendment.return_comment = by, timezone.now(), comment
    amendment.save(update_fields=["status", "returned_by", "returned_at", "return_comment"])
    return amendment


def amendment_decide(
    *, amendment: ProgrammeAmendment, decision: str, comment: str = "", by: User
) -> ProgrammeAmendment:
    """A Director agrees to the amendment (``decision="agree"``) or returns it with ``comment``;
    see ``amendment_agree`` and ``amendment_return`` for what each refuses."""
    if decision == "agree":
        return amendment_agree(amendment=amendment, by=by)
    return amendment_return(amendment=amendment, comment=comment, by=by)


# --- Annual plans --------------------------------------------------------------------------


def _locked_plan(plan: AnnualPlan) -> AnnualPlan:
    return AnnualPlan.objects.select_for_update().get(pk=plan.pk)


def _require_draft(plan: AnnualPlan) -> None:
    if plan.status != AnnualPlan.Status.DRAFT:
        raise ValidationError(
            _(
                "Kế hoạch đang ở trạng thái “%(s)s”: chỉ sửa được khi là dự thảo. Muốn thay đổi kế hoạch đã phê duyệt, hãy tạo bản điều chỉnh."
            )
            % {"s": plan.get_status_display()}
        )


@transaction.atomic
def plan_create(*, programme: Programme, year: int, title: str, summary: str = "", by: User) -> AnnualPlan:
    require_focal(by)
    if not programme.covers(year):
        raise ValidationError(
            _("Năm %(y)s nằm ngoài thời hạn của chương trình (%(a)s-%(b)s).")
            % {"y": year, "a": programme.valid_from, "b": programme.valid_to}
        )
    if AnnualPlan.objects.filter(year=year).exclude(status=AnnualPlan.Status.SUPERSEDED).exists():
        raise ValidationError(
            _("Đã có kế hoạch năm %(y)s. Hãy mở kế hoạch đó (hoặc tạo bản điều chỉnh nếu đã phê duyệt).") % {"y": year}
        )
    plan = AnnualPlan(programme=programme, year=year, title=title, summary=summary, created_by=by)
    plan.full_clean(validate_constraints=False)  # the insert below is the one check that holds
    try:
        # A second click can pass the check above at the same moment as the first: the
        # database's constraint decides, and the loser gets the same message.
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise ValidationError(
            _("Đã có kế hoạch năm %(y)s. Hãy mở kế hoạch đó (hoặc tạo bản điều chỉnh nếu đã phê duyệt).") % {"y": year}
        ) from None
    return plan


@transaction.atomic
def plan_update(*, plan: AnnualPlan, title: str, summary: str, by: User) -> AnnualPlan:
    require_focal(by)
    plan = _locked_plan(plan)
    _require_draft(plan)
    plan.title, plan.summary = title, summary
    plan.full_clean()
    plan.save(update_fields=["title", "summary"])
    return plan


@transaction.atomic
def activity_save(
    *,
    plan: AnnualPlan,
    by: User,
    activity: PlanActivity | None = None,
    title: str,
    commitments,
    lead_unit: Organisation,
    start_date: date,
    end_date: date,
    description: str = "",
    partner_units=(),
    target_value: Decimal | None = None,
    target_unit: str = "",
    funding_side: str = "joint",
) -> PlanActivity:
    """Add an activity to a draft plan (or change one). Each activity serves at least one
    commitment of the plan's own programme and lies within the plan's year."""
    require_focal(by)
    plan = _locked_plan(plan)
    _require_draft(plan)
    commitments = list(commitments)
    if not commitments:
        raise ValidationError(_("Hoạt động phải gắn với ít nhất một nội dung phối hợp của chương trình."))
    if any(c.programme_id != plan.programme_id for c in commitments):
        raise ValidationError(_("Nội dung phối hợp được chọn không thuộc chương trình của kế hoạch này."))
    if start_date.year != plan.year or end_date.year != plan.year:
        raise ValidationError(_("Thời gian hoạt động phải nằm trong năm %(y)s.") % {"y": plan.year})
    if activity is None:
        last = plan.activities.order_by("-position").first()
        activity = PlanActivity(plan=plan, position=(last.position + 1) if last else 1)
    elif activity.plan_id != plan.pk:
        raise ValidationError(_("Hoạt động không thuộc kế hoạch này."))
    activity.title = title
    activity.description = description
    activity.lead_unit = lead_unit
    activity.start_date, activity.end_date = start_date, end_date
    activity.target_value, activity.target_unit = target_value, target_unit
    activity.funding_side = funding_side
    _save(activity)
    activity.commitments.set(commitments)
    activity.partner_units.set(list(partner_units))
    return activity


@transaction.atomic
def activity_delete(*, activity: PlanActivity, by: User) -> None:
    require_focal(by)
    _require_draft(_locked_plan(activity.plan))
    if activity.local_activities.exists():
        raise ValidationError(_("Hoạt động đã được các địa phương đưa vào kế hoạch, không xóa được."))
    activity.delete()


@transaction.atomic
def plan_submit(*, plan: AnnualPlan, by: User) -> AnnualPlan:
    """Draft → submitted to both Directors (a new submission round)."""
    require_focal(by)
    plan = _locked_plan(plan)
    if plan.status != AnnualPlan.Status.DRAFT:
        raise ValidationError(
            _("Chỉ trình được kế hoạch đang là dự thảo (hiện: %(s)s).") % {"s": plan.get_status_display()}
        )
    activities = list(plan.activities.all())
    if not activities:
        raise ValidationError(_("Kế hoạch chưa có hoạt động nào, chưa thể trình phê duyệt."))
    unlinked = [a.title for a in plan.activities.filter(commitments__isnull=True)]
    if unlinked:
        raise ValidationError(
            _("Các hoạt động sau chưa gắn với nội dung phối hợp: %(a)s.") % {"a": "; ".join(unlinked)}
        )
    plan.status = AnnualPlan.Status.SUBMITTED
    plan.submission_round += 1
    plan.submitted_at = timezone.now()
    plan.save(update_fields=["status", "submission_round", "submitted_at"])
    return plan


@transaction.atomic
def plan_decide(*, plan: AnnualPlan, approve: bool, comment: str = "", by: User) -> AnnualPlan:
    """A Director records their department's decision on the current submission.

    Returning needs a comment and sends the plan back to draft; when both departments have
    approved the same submission the plan is in force (and the plan it revises superseded).
    """
    department = director_department(by)
    if department is None:
        raise PermissionDenied(_("Chỉ Giám đốc Sở VHTTDL hoặc Giám đốc Sở GD&ĐT được phê duyệt kế hoạch."))
    plan = _locked_plan(plan)
    if plan.status != AnnualPlan.Status.SUBMITTED:
        raise ValidationError(
            _("Kế hoạch không ở trạng thái chờ phê duyệt (hiện: %(s)s).") % {"s": plan.get_status_display()}
        )
    if plan.decisions.filter(department=department, submission_round=plan.submission_round).exists():
        raise ValidationError(_("%(d)s đã cho ý kiến về lần trình này.") % {"d": department.short_name or department})
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError(_("Khi trả lại kế hoạch, vui lòng ghi rõ ý kiến để đơn vị đầu mối chỉnh sửa."))
    now = timezone.now()
    decision = PlanDecision(
        plan=plan,
        department=department,
        submission_round=plan.submission_round,
        decision=PlanDecision.Decision.APPROVED if approve else PlanDecision.Decision.RETURNED,
        comment=comment,
        decided_by=by,
        decided_at=now,
    )
    _save(decision)
    if not approve:
        plan.status = AnnualPlan.Status.DRAFT
        plan.return_comment = comment
        plan.save(update_fields=["status", "return_comment"])
        return plan
    approved = set(
        plan.decisions.filter(
            submission_round=plan.submission_round, decision=PlanDecision.Decision.APPROVED
        ).values_list("department__code", flat=True)
    )
    if approved >= set(DEPARTMENT_CODES):
        if plan.revision_of_id:
            previous = AnnualPlan.objects.select_for_update().get(pk=plan.revision_of_id)
            previous.status = AnnualPlan.Status.SUPERSEDED
            previous.save(update_fields=["status"])
        plan.status = AnnualPlan.Status.IN_FORCE
        plan.in_force_at = now
        plan.return_comment = ""
        plan.save(update_fields=["status", "in_force_at", "return_comment"])
    return plan


@transaction.atomic
def plan_revise(*, plan: AnnualPlan, reason: str, by: User) -> AnnualPlan:
    """Start a revision of a plan in force: a new draft with the activities copied. The plan
    in force stays in force until both Directors approve the revision."""
    require_focal(by)
    plan = _locked_plan(plan)
    if plan.status != AnnualPlan.Status.IN_FORCE:
        raise ValidationError(_("Chỉ điều chỉnh được kế hoạch đang thực hiện."))
    if not (reason or "").strip():
        raise ValidationError(_("Vui lòng nêu lý do điều chỉnh kế hoạch."))
    if AnnualPlan.objects.filter(year=plan.year, status__in=["draft", "submitted"]).exists():
        raise ValidationError(
            _("Đang có một bản điều chỉnh kế hoạch năm %(y)s chưa được phê duyệt.") % {"y": plan.year}
        )
    revision = AnnualPlan(
        programme=plan.programme,
        year=plan.year,
        title=plan.title,
        summary=plan.summary,
        revision=plan.revision + 1,
        revision_of=plan,
        revision_reason=reason.strip(),
        created_by=by,
    )
    _save(revision)
    for old in plan.activities.prefetch_related("commitments", "partner_units"):
        new = PlanActivity.objects.create(
            plan=revision,
            position=old.position,
            title=old.title,
            description=old.description,
            lead_unit_id=old.lead_unit_id,
            start_date=old.start_date,
            end_date=old.end_date,
            target_value=old.target_value,
            target_unit=old.target_unit,
            funding_side=old.funding_side,
            status=old.status,
            revision_of=old,
        )
        new.commitments.set(old.commitments.all())
        new.partner_units.set(old.partner_units.all())
    return revision


@transaction.atomic
def plan_close(*, plan: AnnualPlan, meeting=None, by: User) -> AnnualPlan:
    """The annual review closes the year's plan."""
    require_focal(by)
    plan = _locked_plan(plan)
    if plan.status != AnnualPlan.Status.IN_FORCE:
        raise ValidationError(_("Chỉ tổng kết được kế hoạch đang thực hiện."))
    plan.status = AnnualPlan.Status.CLOSED
    plan.closed_at = timezone.now()
    plan.closing_meeting = meeting
    plan.save(update_fields=["status", "closed_at", "closing_meeting"])
    return plan


# --- Progress ------------------------------------------------------------------------------


@transaction.atomic
def progress_add(
    *,
    activity: PlanActivity,
    narrative: str,
    reported_on: date,
    percent: int | None = None,
    achieved_value: Decimal | None = None,
    files=(),
    by: User,
) -> ActivityProgress:
    """Record progress of an activity of the plan in force, with evidence files. The
    activity's status follows (done at 100 %, otherwise in progress)."""
    if not can_report_progress(by, activity):
        raise PermissionDenied(_("Chỉ cán bộ đầu mối hoặc đơn vị chủ trì được cập nhật tiến độ hoạt động này."))
    plan = _locked_plan(activity.plan)
    if plan.status != AnnualPlan.Status.IN_FORCE:
        raise ValidationError(_("Chỉ cập nhật tiến độ cho kế hoạch đang thực hiện."))
    if percent is None and achieved_value is None:
        raise ValidationError(_("Vui lòng nhập tỷ lệ hoàn thành hoặc kết quả đạt được."))
    if reported_on > timezone.localdate():
        raise ValidationError(_("Ngày cập nhật không được ở tương lai."))
    progress = ActivityProgress(
        activity=activity,
        reported_on=reported_on,
        percent=percent,
        achieved_value=achieved_value,
        narrative=narrative,
        author=by,
    )
    _save(progress)
    for upload in files:
        evidence = ProgressEvidence(progress=progress, file=upload, title=Path(upload.name).name[:200])
        _save(evidence)
    reached = percent == 100 or (
        achieved_value is not None and activity.target_value and achieved_value >= activity.target_value
    )
    activity.status = PlanActivity.Status.DONE if reached else PlanActivity.Status.IN_PROGRESS
    activity.save(update_fields=["status"])
    return progress


# --- Local plans ---------------------------------------------------------------------------


@transaction.atomic
def local_plan_create(*, plan: AnnualPlan, by: User) -> LocalPlan:
    """A district office starts its implementation plan for the provincial plan in force."""
    if not is_district_office_member(by):
        raise PermissionDenied(_("Chỉ phòng, trung tâm cấp huyện lập kế hoạch triển khai tại địa phương."))
    if plan.status != AnnualPlan.Status.IN_FORCE:
        raise ValidationError(_("Chỉ lập kế hoạch địa phương theo kế hoạch của tỉnh đang thực hiện."))
    org = by.organisation
    existing = LocalPlan.objects.filter(plan__year=plan.year, organisation=org).first()
    if existing:
        return existing
    local = LocalPlan(
        plan=plan,
        organisation=org,
        title=_("Kế hoạch triển khai Chương trình phối hợp năm %(y)s – %(o)s") % {"y": plan.year, "o": org.name},
        created_by=by,
    )
    local.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():  # a double submit: the second finds the first's plan
            local.save()
    except IntegrityError:
        return LocalPlan.objects.get(plan=plan, organisation=org)
    return local


@transaction.atomic
def local_activity_save(
    *,
    local_plan: LocalPlan,
    by: User,
    activity: LocalActivity | None = None,
    provincial_activity: PlanActivity,
    title: str,
    start_date: date,
    end_date: date,
    target_value: Decimal | None = None,
    target_unit: str = "",
    percent: int = 0,
    progress_note: str = "",
) -> LocalActivity:
    if not can_edit_local_plan(by, local_plan):
        raise PermissionDenied(_("Bạn chỉ được sửa kế hoạch của đơn vị mình."))
    if provincial_activity.plan_id != local_plan.plan_id:
        raise ValidationError(_("Hoạt động được chọn không thuộc kế hoạch của tỉnh năm nay."))
    activity = activity or LocalActivity(local_plan=local_plan)
    if activity.local_plan_id != local_plan.pk:
        raise ValidationError(_("Hoạt động không thuộc kế hoạch này."))
    activity.provincial_activity = provincial_activity
    activity.title = title
    activity.start_date, activity.end_date = start_date, end_date
    activity.target_value, activity.target_unit = target_value, target_unit
    activity.percent, activity.progress_note = percent, progress_note
    _save(activity)
    return activity


@transaction.atomic
def local_plan_submit(*, local_plan: LocalPlan, by: User) -> LocalPlan:
    if not can_edit_local_plan(by, local_plan):
        raise PermissionDenied(_("Bạn chỉ được gửi kế hoạch của đơn vị mình."))
    local_plan = LocalPlan.objects.select_for_update().get(pk=local_plan.pk)
    if local_plan.status not in (LocalPlan.Status.DRAFT, LocalPlan.Status.RETURNED):
        raise ValidationError(_("Kế hoạch đã được gửi."))
    if not local_plan.activities.exists():
        raise ValidationError(_("Kế hoạch chưa có hoạt động nào."))
    local_plan.status = LocalPlan.Status.SUBMITTED
    local_plan.submitted_at = timezone.now()
    local_plan.save(update_fields=["status", "submitted_at"])
    return local_plan


@transaction.atomic
def local_plan_review(*, local_plan: LocalPlan, acknowledge: bool, comment: str = "", by: User) -> LocalPlan:
    """The sector's focal unit acknowledges a submitted local plan, or returns it with a
    comment so the office completes it and sends it again. Raises PermissionDenied for
    anyone else and ValidationError when the plan is not waiting or a return has no comment."""
    if not can_review_local_plan(by, local_plan):
        raise PermissionDenied(_("Chỉ đơn vị đầu mối của ngành được tiếp nhận kế hoạch này."))
    local_plan = LocalPlan.objects.select_for_update().select_related("organisation").get(pk=local_plan.pk)
    if local_plan.status != LocalPlan.Status.SUBMITTED:
        raise ValidationError(_("Kế hoạch không ở trạng thái chờ tiếp nhận."))
    comment = (comment or "").strip()
    if not acknowledge and not comment:
        raise ValidationError(_("Khi trả lại kế hoạch, vui lòng ghi rõ nội dung cần bổ sung."))
    local_plan.status = LocalPlan.Status.ACKNOWLEDGED if acknowledge else LocalPlan.Status.RETURNED
    local_plan.reviewed_by, local_plan.reviewed_at, local_plan.review_comment = by, timezone.now(), comment
    local_plan.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    return local_plan


@transaction.atomic
def plan_set_local_plans_due(*, plan: AnnualPlan, due_date: date | None, by: User) -> AnnualPlan:
    """A focal officer sets the date by which district offices send their local plans (the
    reminder sweep reminds those that have not). Raises ValidationError outside the year."""
    require_focal(by)
    plan = _locked_plan(plan)
    if due_date is not None and not (date(plan.year - 1, 10, 1) <= due_date <= date(plan.year, 12, 31)):
        raise ValidationError(
            _("Hạn gửi kế hoạch địa phương phải nằm trong năm %(y)s (hoặc cuối năm trước).") % {"y": plan.year}
        )
    plan.local_plans_due = due_date
    plan.save(update_fields=["local_plans_due"])
    return plan


# --- Meetings and inspections --------------------------------------------------------------


@transaction.atomic
def action_item_set_done(*, item: ActionItem, done: bool, by: User) -> ActionItem:
    if not can_close_action(by, item):
        raise PermissionDenied(_("Chỉ người, đơn vị phụ trách hoặc cán bộ đầu mối được cập nhật việc này."))
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    item.done = done
    item.done_at = timezone.now() if done else None
    item.save(update_fields=["done", "done_at"])
    return item


MINUTES_EXTENSIONS = {".pdf", ".doc", ".docx", ".odt", ".jpg", ".jpeg", ".png"}
MAX_MINUTES_BYTES = 20 * 1024 * 1024


def _clean_text(value: str) -> str:
    return (value or "").strip()


@transaction.atomic
def meeting_save(
    *,
    by: User,
    meeting: Meeting | None = None,
    programme: Programme,
    kind: str,
    title: str,
    starts_at,
    ends_at,
    location: str,
    agenda: str = "",
    participant_organisations=(),
    participants=(),
    other_participants: str = "",
) -> Meeting:
    """Create a meeting or change one. A change bumps the calendar sequence so calendars
    that imported the .ics update their copy."""
    require_focal(by)
    if ends_at <= starts_at:
        raise ValidationError(_("Giờ kết thúc phải sau giờ bắt đầu."))
    if meeting is None:
        meeting = Meeting(created_by=by)
    else:
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        meeting.sequence += 1
    meeting.programme = programme
    meeting.kind = kind
    meeting.title = _clean_text(title)
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.location = _clean_text(location)
    meeting.agenda = agenda
    meeting.other_participants = other_participants
    _save(meeting)
    meeting.participant_organisations.set(list(participant_organisations))
    meeting.participants.set(list(participants))
    return meeting


@transaction.atomic
def meeting_record_minutes(*, meeting: Meeting, decisions: str, minutes_file=None, by: User) -> Meeting:
    """Record the meeting's decisions and, optionally, replace its minutes file."""
    require_focal(by)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Cuộc họp chưa diễn ra, chưa ghi được biên bản và kết luận."))
    decisions = _clean_text(decisions)
    if not decisions and minutes_file is None:
        raise ValidationError(_("Vui lòng nhập kết luận hoặc chọn tệp biên bản."))
    fields = ["decisions"]
    meeting.decisions = decisions or meeting.decisions
    if minutes_file is not None:
        if Path(minutes_file.name).suffix.lower() not in MINUTES_EXTENSIONS:
            raise ValidationError(_("Biên bản phải là tệp PDF, Word hoặc ảnh chụp."))
        if minutes_file.size > MAX_MINUTES_BYTES:
            raise ValidationError(_("Tệp biên bản quá lớn (tối đa 20 MB)."))
        meeting.minutes_file = minutes_file
        fields += ["minutes_file", "minutes_file_name"]  # the name is set when the file is stored
    meeting.full_clean()
    meeting.save(update_fields=fields)
    return meeting


@transaction.atomic
def action_item_add(
    *,
    meeting: Meeting,
    description: str,
    due_date: date,
    owner: User | None = None,
    owner_organisation: Organisation | None = None,
    by: User,
) -> ActionItem:
    """A follow-up task from a meeting. The responsible unit defaults to the owner's."""
    require_focal(by)
    description = _clean_text(description)
    if not description:
        raise ValidationError(_("Vui lòng nhập nội dung việc cần làm."))
    if owner_organisation is None and owner is not None:
        owner_organisation = owner.organisation
    if owner_organisation is None:
        raise ValidationError(_("Vui lòng chọn người phụ trách hoặc đơn vị thực hiện."))
    if due_date < meeting.starts_at.date():
        raise ValidationError(_("Hạn hoàn thành không được trước ngày họp."))
    item = ActionItem(
        meeting=meeting,
        description=description,
        owner=owner,
        owner_organisation=owner_organisation,
        due_date=due_date,
    )
    _save(item)
    return item


@transaction.atomic
def inspection_save(
    *,
    by: User,
    inspection: Inspection | None = None,
    programme: Programme,
    kind: str,
    title: str,
    date: date,
    district,
    places=(),
    team: str,
    findings: str = "",
) -> Inspection:
    """Create or change an inspection or survey; the places visited lie in its district."""
    require_focal(by)
    places = list(places)
    outside = [p.name for p in places if p.district_id not in (None, district.pk)]
    if outside:
        raise ValidationError(
            _("Các nơi đến sau không thuộc %(d)s: %(p)s.") % {"d": district.name, "p": "; ".join(outside)}
        )
    if inspection is None:
        inspection = Inspection(created_by=by)
    else:
        inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    inspection.programme = programme
    inspection.kind = kind
    inspection.title = _clean_text(title)
    inspection.date = date
    inspection.district = district
    inspection.team = _clean_text(team)
    inspection.findings = findings
    _save(inspection)
    inspection.places.set(places)
    return inspection


@transaction.atomic
def recommendation_add(
    *, inspection: Inspection, text: str, owner_organisation: Organisation, due_date: date, by: User
) -> Recommendation:
    require_focal(by)
    text = _clean_text(text)
    if not text:
        raise ValidationError(_("Vui lòng nhập nội dung kiến nghị."))
    if due_date < inspection.date:
        raise ValidationError(_("Hạn thực hiện không được trước ngày kiểm tra."))
    recommendation = Recommendation(
        inspection=inspection, text=text, owner_organisation=owner_organisation, due_date=due_date
    )
    _save(recommendation)
    return recommendation


@transaction.atomic
def recommendation_follow_up(
    *, recommendation: Recommendation, status: str, follow_up: str, by: User, reported_on: date | None = None
) -> Recommendation:
    """Record a follow-up report (kept in the recommendation's history) and move the
    recommendation to the reported status."""
    if not can_update_recommendation(by, recommendation):
        raise PermissionDenied(_("Chỉ đơn vị thực hiện kiến nghị hoặc cán bộ đầu mối được cập nhật."))
    if status not in Recommendation.Status.values:
        raise ValidationError(_("Tình trạng không hợp lệ."))
    follow_up = _clean_text(follow_up)
    if not follow_up:
        raise ValidationError(_("Vui lòng ghi kết quả khắc phục để lưu lại quá trình theo dõi."))
    reported_on = reported_on or timezone.localdate()
    if reported_on > timezone.localdate():
        raise ValidationError(_("Ngày cập nhật không được ở tương lai."))
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if reported_on < recommendation.inspection.date:
        raise ValidationError(_("Ngày cập nhật không được trước ngày kiểm tra."))
    _save(
        RecommendationUpdate(
            recommendation=recommendation, status=status, note=follow_up, reported_on=reported_on, author=by
        )
    )
    recommendation.status, recommendation.follow_up = status, follow_up
    recommendation.full_clean()
    recommendation.save(update_fields=["status", "follow_up", "updated_at"])
    return recommendation


ANSWERED_STATUSES = {Proposal.Status.ACCEPTED, Proposal.Status.PARTLY, Proposal.Status.REJECTED}


@transaction.atomic
def proposal_save(
    *,
    by: User,
    proposal: Proposal | None = None,
    programme: Programme,
    kind: str,
    title: str,
    addressee: str,
    content: str,
    organisation: Organisation,
    commitment: Commitment | None = None,
    document_number: str = "",
    sent_on: date | None = None,
) -> Proposal:
    """Create or change a proposal. Giving the date it was sent marks a draft as sent."""
    require_focal(by)
    if commitment is not None and commitment.programme_id != programme.pk:
        raise ValidationError(_("Nội dung phối hợp được chọn không thuộc chương trình này."))
    if sent_on is not None and sent_on > timezone.localdate():
        raise ValidationError(_("Ngày gửi không được ở tương lai."))
    if proposal is None:
        proposal = Proposal()
    else:
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != Proposal.Status.DRAFT and sent_on is None:
            raise ValidationError(_("Đề xuất đã gửi đi: vui lòng giữ ngày gửi."))
    proposal.programme = programme
    proposal.kind = kind
    proposal.title = _clean_text(title)
    proposal.addressee = _clean_text(addressee)
    proposal.content = content
    proposal.organisation = organisation
    proposal.commitment = commitment
    proposal.document_number = _clean_text(document_number)
    proposal.sent_on = sent_on
    if proposal.status == Proposal.Status.DRAFT and sent_on is not None:
        proposal.status = Proposal.Status.SENT
    _save(proposal)
    return proposal


@transaction.atomic
def proposal_record_response(
    *, proposal: Proposal, status: str, response: str = "", responded_on: date | None = None, by: User
) -> Proposal:
    """Record where a sent proposal stands and the addressee's answer."""
    require_focal(by)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if status not in Proposal.Status.values:
        raise ValidationError(_("Tình trạng không hợp lệ."))
    if proposal.sent_on is None:
        raise ValidationError(_("Đề xuất chưa gửi đi: hãy nhập ngày gửi trước khi ghi kết quả trả lời."))
    if status == Proposal.Status.DRAFT:
        raise ValidationError(_("Đề xuất đã gửi đi, không đưa về dự thảo được."))
    response = _clean_text(response)
    if status in ANSWERED_STATUSES:
        if not response or responded_on is None:
            raise ValidationError(_("Vui lòng nhập nội dung và ngày trả lời."))
        if responded_on < proposal.sent_on:
            raise ValidationError(_("Ngày trả lời không được trước ngày gửi."))
        if responded_on > timezone.localdate():
            raise ValidationError(_("Ngày trả lời không được ở tương lai."))
    else:
        responded_on = None if not response else responded_on
    proposal.status, proposal.response, proposal.responded_on = status, response, responded_on
    proposal.full_clean()
    proposal.save(update_fields=["status", "response", "responded_on"])
    return proposal


# --- Pilots by school level (IV.3.c) --------------------------------------------------------

EVIDENCE_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods"}


def _check_pilot_schools(school_level: str, schools) -> list[Organisation]:
    schools = list(schools)
    wrong = [s.name for s in schools if s.kind != Organisation.Kind.SCHOOL or s.school_level != school_level]
    if wrong:
        raise ValidationError(
            _("Chỉ trường %(l)s được tham gia mô hình này: %(s)s.")
            % {"l": Organisation.SchoolLevel(school_level).label.lower(), "s": "; ".join(sorted(wrong))}
        )
    return schools


@transaction.atomic
def pilot_save(
    *,
    pilot=None,
    programme: Programme,
    title: str,
    school_level: str,
    start_date: date,
    end_date: date,
    description: str = "",
    schools=(),
    by: User,
):
    """Create or change a pilot. Only schools of the pilot's level may take part; the level
    of a pilot that has schools cannot change to another one. Raises ValidationError."""
    from .models import Pilot

    require_focal(by)
    chosen = _check_pilot_schools(school_level, schools)
    pilot = Pilot.objects.select_for_update().get(pk=pilot.pk) if pilot else Pilot(programme=programme, created_by=by)
    pilot.title, pilot.school_level, pilot.description = (title or "").strip(), school_level, description.strip()
    pilot.start_date, pilot.end_date = start_date, end_date
    if end_date < start_date:
        raise ValidationError(_("Ngày kết thúc thí điểm phải sau ngày bắt đầu."))
    _save(pilot)
    pilot.schools.set(chosen)
    return pilot


@transaction.atomic
def pilot_evaluate(*, pilot, lessons: str, evidence=None, by: User, today: date | None = None):
    """Record the pilot's evaluation: lessons learned (required) and an evidence file.
    Refused before the pilot has started and once a decision is taken."""
    from .models import Pilot

    require_focal(by)
    pilot = Pilot.objects.select_for_update().get(pk=pilot.pk)
    today = today or timezone.localdate()
    if pilot.start_date > today:
        raise ValidationError(_("Mô hình chưa bắt đầu thí điểm nên chưa đánh giá được."))
    if pilot.decision:
        raise ValidationError(_("Mô hình đã có quyết định, không sửa đánh giá được nữa."))
    lessons = (lessons or "").strip()
    if not lessons:
        raise ValidationError(_("Vui lòng ghi bài học kinh nghiệm rút ra từ thí điểm."))
    if evidence is not None and Path(evidence.name).suffix.lower() not in EVIDENCE_EXTENSIONS:
        raise ValidationError(_("Minh chứng phải là tệp PDF, ảnh, Word hoặc Excel."))
    pilot.lessons_learned, pilot.evaluated_at, pilot.evaluated_by = lessons, timezone.now(), by
    fields = ["lessons_learned", "evaluated_at", "evaluated_by"]
    if evidence is not None:
        pilot.evidence = evidence
        fields += ["evidence", "evidence_name"]
    pilot.save(update_fields=fields)
    return pilot


def pilot_decide(*, pilot, decision: str, note: str = "", roll_out_from: date | None = None, by: User):
    """The roll-out decision after the evaluation: roll out (from a date), extend or stop.
    Focal officers record it; a Director may take it too. Raises ValidationError."""
    from .models import Pilot

    if not can_decide_pilot(by):
        raise PermissionDenied(_("Chỉ đơn vị đầu mối hoặc Giám đốc Sở ghi quyết định nhân rộng."))
    pilot = Pilot.objects.select_for_update().get(pk=pilot.pk)
    if not pilot.evaluated_at:
        raise ValidationError(_("Cần đánh giá mô hình thí điểm trước khi quyết định nhân rộng."))
    if decision not in Pilot.Decision.values:
        raise ValidationError(_("Quyết định không hợp lệ."))
    if decision == Pilot.Decision.ROLL_OUT and roll_out_from is None:
        raise ValidationError(_("Vui lòng nêu thời điểm bắt đầu nhân rộng."))
    pilot.decision, pilot.decision_note = decision, (note or "").strip()
    pilot.roll_out_from = roll_out_from if decision == Pilot.Decision.ROLL_OUT else None
    pilot.decided_at, pilot.decided_by = timezone.now(), by
    pilot.save(update_fields=["decision", "decision_note", "roll_out_from", "decided_at", "decided_by"])
    return pilot
