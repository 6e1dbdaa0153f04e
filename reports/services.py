"""Every write of the reports app: periods and their catalogue, report entry (web and
Excel), the review workflow."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Organisation, User

from .access import can_manage_periods, can_review, is_member
from .models import (
    Indicator,
    Report,
    ReportEvent,
    ReportingPeriod,
    ReportSubmission,
    ReportValue,
    ReviewComment,
    Section,
    ValidationRule,
)
from .validation import ValueProblem, missing_required, parse_value, rule_problems

CATALOGUE_FILE = Path(__file__).resolve().parent / "data" / "indicators.json"


class ConflictError(ValidationError):
    """Someone else saved the report since this editor loaded it."""


# --- Periods and catalogue ---------------------------------------------------------------


def _catalogue_from_file(period: ReportingPeriod) -> None:
    data = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    sections = {}
    for order, row in enumerate(data["sections"]):
        sections[row["code"]] = Section.objects.create(
            period=period, code=row["code"], title=row["title"], sector=row["sector"], order=order
        )
    for order, row in enumerate(data["indicators"]):
        indicator = Indicator(
            period=period,
            section=sections[row["section"]],
            code=row["code"],
            label=row["label"],
            unit=row.get("unit", ""),
            is_narrative=row.get("narrative", False),
            help_text=row.get("help", ""),
            required=row.get("required", True),
            prefill=row.get("prefill", ""),
            aggregation=row.get("aggregation", Indicator.Aggregation.SUM),
            order=order,
        )
        indicator.full_clean(exclude=["section", "period"])
        indicator.save()
    for row in data["rules"]:
        ValidationRule.objects.create(period=period, **row)


def _catalogue_copy(source: ReportingPeriod, period: ReportingPeriod) -> None:
    sections = {}
    for section in source.sections.all():
        old = section.pk
        section.pk = None
        section.period = period
        section.save()
        sections[old] = section
    for indicator in source.indicators.all():
        indicator.pk = None
        indicator.period = period
        indicator.section = sections[indicator.section_id]
        indicator.save()
    for rule in source.rules.all():
        rule.pk = None
        rule.period = period
        rule.save()


def reporting_organisations(*, start, end):
    """Reporting offices that exist during [start, end]: the default reporting list. An office
    a reorganisation closed before the window ends has handed its report to its successors
    (from 2025 H2 the communes' culture-social offices report, not the closed district offices)."""
    return (
        Organisation.objects.filter(kind__in=Organisation.REPORTING_KINDS)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end), Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .exclude(changes__action="closed", changes__effective_date__lte=end)
    )


@transaction.atomic
def period_create(*, year: int, half: str, by: User | None = None, **dates) -> ReportingPeriod:
    """A new period with default dates (overridable), the catalogue copied from the latest
    earlier period (or the starting catalogue) and every existing district office required
    to report. Raises ValidationError when the period exists or the dates are inconsistent."""
    values = ReportingPeriod.default_dates(year, half)
    values.update(dates)
    period = ReportingPeriod(year=year, half=half, **values)
    period.full_clean()
    period.save()
    catalogue_ensure(period=period)
    period.required_organisations.set(reporting_organisations(start=period.data_start, end=period.data_end))
    return period


# The 6-month data windows of Decree 09/2019/NĐ-CP (reporting regime of state agencies):
# H1 from 15/12 of the previous year to 14/6, H2 from 15/6 to 14/12.
def decree_window(year: int, half: str):
    """(first day, last day) of the Decree 09/2019/NĐ-CP data window of a half-year."""
    dates = ReportingPeriod.default_dates(year, half)
    return dates["data_start"], dates["data_end"]


def _require_period_manager(by: User) -> None:
    if not can_manage_periods(by):
        raise PermissionDenied(_("Chỉ cán bộ đầu mối của hai Sở được mở và điều chỉnh kỳ báo cáo."))


def previous_period_organisations(year: int, half: str):
    """The reporting organisations of the period just before (year, half), still existing;
    when there is no earlier period, every district office existing in the window."""
    earlier = (
        ReportingPeriod.objects.filter(Q(year__lt=year) | Q(year=year, half__lt=half))
        .order_by("-year", "-half")
        .first()
    )
    start, end = decree_window(year, half)
    existing = reporting_organisations(start=start, end=end)
    if earlier is None:
        return existing
    return existing.filter(pk__in=earlier.required_organisations.values("pk"))


def _check_reporting_organisations(organisations) -> list:
    organisations = list(organisations)
    if not organisations:
        raise ValidationError(_("Chọn ít nhất một đơn vị phải báo cáo."))
    wrong = [o.name for o in organisations if o.kind not in Organisation.DISTRICT_OFFICE_KINDS]
    if wrong:
        raise ValidationError(
            _("Chỉ các phòng, trung tâm cấp huyện mới báo cáo 6 tháng: %(o)s.") % {"o": "; ".join(wrong)}
        )
    return organisations


@transaction.atomic
def period_open(
    *,
    year: int,
    half: str,
    due_date=None,
    lock_date=None,
    organisations=None,
    note: str = "",
    by: User,
) -> ReportingPeriod:
    """A focal officer opens a period on its Decree 09/2019/NĐ-CP window. Due and lock dates
    default to 5 and 35 days after the window; the reporting organisations default to those
    of the previous period. Raises ValidationError when the period already exists, the
    dates are inconsistent or an organisation is not a district office."""
    _require_period_manager(by)
    if half not in ReportingPeriod.Half.values:
        raise ValidationError(_("Kỳ báo cáo không hợp lệ."))
    if ReportingPeriod.objects.filter(year=year, half=half).exists():
        raise ValidationError(_("Kỳ %(p)s đã được mở.") % {"p": f"{ReportingPeriod.Half(half).label} {year}"})
    chosen = _check_reporting_organisations(
        previous_period_organisations(year, half) if organisations is None else organisations
    )
    defaults = ReportingPeriod.default_dates(year, half)
    dates = {"due_date": due_date or defaults["due_date"], "lock_date": lock_date or defaults["lock_date"]}
    if dates["due_date"] <= defaults["data_end"]:
        raise ValidationError(
            _("Hạn nộp phải sau ngày cuối của kỳ số liệu (%(d)s).") % {"d": f"{defaults['data_end']:%d/%m/%Y}"}
        )
    if dates["lock_date"] < dates["due_date"]:
        raise ValidationError(_("Ngày khóa sổ không được trước hạn nộp."))
    period = period_create(year=year, half=half, **dates)
    if note:
        period.note = note.strip()[:300]
        period.save(update_fields=["note"])
    period.required_organisations.set(chosen)
    return period


@transaction.atomic
def period_update(
    *, period: ReportingPeriod, due_date, lock_date, organisations, note: str = "", by: User
) -> ReportingPeriod:
    """Change a period's due and lock dates and its reporting organisations. An organisation
    that has already started its report cannot be removed. Raises ValidationError."""
    _require_period_manager(by)
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    chosen = _check_reporting_organisations(organisations)
    started = set(period.reports.values_list("organisation_id", flat=True))
    dropped = started - {o.pk for o in chosen}
    if dropped:
        names = Organisation.objects.filter(pk__in=dropped).values_list("name", flat=True)
        raise ValidationError(
            _("Không bỏ được đơn vị đã lập báo cáo trong kỳ: %(o)s.") % {"o": "; ".join(sorted(names))}
        )
    if due_date <= period.data_end:
        raise ValidationError(
            _("Hạn nộp phải sau ngày cuối của kỳ số liệu (%(d)s).") % {"d": f"{period.data_end:%d/%m/%Y}"}
        )
    if lock_date < due_date:
        raise ValidationError(_("Ngày khóa sổ không được trước hạn nộp."))
    period.due_date, period.lock_date, period.note = due_date, lock_date, (note or "").strip()[:300]
    period.full_clean()
    period.save(update_fields=["due_date", "lock_date", "note"])
    period.required_organisations.set(chosen)
    return period


@transaction.atomic
def period_reopen(*, period: ReportingPeriod, lock_date, reason: str, by: User, today=None):
    """Reopen a locked period until a new lock date, recording who, when and why.
    Raises ValidationError when the period is not locked yet, the reason is missing or the
    new date is not in the future."""
    from .models import PeriodReopening

    _require_period_manager(by)
    today = today or timezone.localdate()
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Phải ghi lý do mở lại kỳ báo cáo."))
    if period.lock_date >= today:
        raise ValidationError(
            _("Kỳ báo cáo chưa khóa sổ (khóa ngày %(d)s); hãy sửa ngày khóa sổ.")
            % {"d": f"{period.lock_date:%d/%m/%Y}"}
        )
    if lock_date is None or lock_date <= today:
        raise ValidationError(_("Ngày khóa sổ mới phải sau hôm nay."))
    reopening = PeriodReopening(
        period=period, previous_lock_date=period.lock_date, new_lock_date=lock_date, reason=reason, by=by
    )
    reopening.full_clean()
    reopening.save()
    period.lock_date = lock_date
    period.save(update_fields=["lock_date"])
    return reopening


def catalogue_ensure(*, period: ReportingPeriod) -> None:
    """Give a period without indicators its catalogue: a copy of the latest earlier period's,
    or the starting catalogue from `reports/data/indicators.json`."""
    if period.indicators.exists():
        return
    earlier = (
        ReportingPeriod.objects.filter(Q(year__lt=period.year) | Q(year=period.year, half__lt=period.half))
        .filter(indicators__isnull=False)
        .order_by("-year", "-half")
        .first()
    )
    if earlier:
        _catalogue_copy(earlier, period)
    else:
        _catalogue_from_file(period)


def catalogue_is_frozen(period: ReportingPeriod) -> bool:
    """Once a report of the period has been submitted, its catalogue no longer changes."""
    return period.reports.exclude(submitted_at=None).exists()


# --- Report entry ------------------------------------------------------------------------


def indicators_for(period: ReportingPeriod, organisation: Organisation):
    """The indicators the organisation reports: its sector's sections and the common ones. A
    commune's culture-social office does both sectors' work (since 2025), so it reports all."""
    indicators = period.indicators.filter(is_active=True)
    if not organisation.is_commune_office:
        indicators = indicators.filter(Q(section__sector=organisation.sector) | Q(section__sector=""))
    return indicators.select_related("section").order_by("section__order", "order", "code")


def _external_figures(module_name: str, *, organisation, start, end) -> dict:
    """The figures app `module_name` declares as its `report_figures` (core.registry), or {}
    when it declares none."""
    from core.registry import provider

    selector = provider(module_name, "report_figures")
    if selector is None:
        return {}
    figures = selector(organisation=organisation, start=start, end=end) or {}
    return {str(k): int(v) for k, v in figures.items() if v is not None}


def prefill_figures(*, period: ReportingPeriod, organisation: Organisation) -> dict[str, tuple[int, str]]:
    """{code: (value, source)} from the portal's own records for this organisation."""
    found: dict[str, tuple[int, str]] = {}
    window = {"organisation": organisation, "start": period.data_start, "end": period.data_end}
    for source in (Indicator.Prefill.CIRCULATION, Indicator.Prefill.TRAINING, Indicator.Prefill.PROGRAMS):
        for code, value in _external_figures(source, **window).items():
            found[code] = (value, source)
    if organisation.kind == Organisation.Kind.EDUCATION_OFFICE and organisation.district_id:
        schools = (
            Organisation.objects.filter(kind=Organisation.Kind.SCHOOL, district_id=organisation.district_id)
            .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=period.data_end))
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.data_end))
            .count()
        )
        found["GD01"] = (schools, Indicator.Prefill.DIRECTORY)
    return found


def _check_member(report: Report, by: User) -> None:
    if not is_member(by, report.organisation_id):
        raise PermissionDenied(_("Chỉ cán bộ của đơn vị báo cáo mới được lập và sửa báo cáo này."))


def is_locked(report: Report, *, today=None) -> bool:
    today = today or timezone.localdate()
    return today > report.period.lock_date and not report.reopened


def _check_editable(report: Report) -> None:
    if report.status not in Report.EDITABLE:
        raise ValidationError(
            _("Báo cáo đang ở trạng thái “%(status)s” nên không sửa được.") % {"status": report.get_status_display()},
            code="not_editable",
        )
    if is_locked(report):
        raise ValidationError(
            _("Kỳ báo cáo đã khóa sổ ngày %(date)s. Đề nghị cán bộ đầu mối mở lại báo cáo nếu cần bổ sung.")
            % {"date": report.period.lock_date.strftime("%d/%m/%Y")},
            code="not_editable",
        )


@transaction.atomic
def report_start(*, period: ReportingPeriod, organisation: Organisation, by: User) -> Report:
    """The organisation's report for the period, created (prefilled from the portal's records)
    when it does not exist yet. Only a member of a required organisation may start it."""
    if not is_member(by, organisation.pk):
        raise PermissionDenied(_("Chỉ cán bộ của đơn vị báo cáo mới được lập báo cáo này."))
    if not period.required_organisations.filter(pk=organisation.pk).exists():
        raise ValidationError(_("Đơn vị không có trong danh sách phải báo cáo của kỳ này."))
    report, created = Report.objects.get_or_create(
        period=period, organisation=organisation, defaults={"updated_by": by}
    )
    if not created:
        return report
    figures = prefill_figures(period=period, organisation=organisation)
    values = []
    for indicator in indicators_for(period, organisation):
        value = ReportValue(report=report, indicator=indicator)
        if indicator.prefill and indicator.code in figures:
            number, source = figures[indicator.code]
            value.number = value.prefilled_number = number
            value.source = source
        values.append(value)
    for value in values:
        value._history_user = by
        value.save()
    ReportEvent.objects.create(report=report, action=ReportEvent.Action.CREATED, by=by)
    return report


@dataclass
class SaveResult:
    report: Report
    warnings: dict[str, str] = field(default_factory=dict)  # cross-indicator rules, by code
    changed: int = 0


def _apply_values(report: Report, parsed: dict, by: User) -> int:
    existing = {v.indicator.code: v for v in report.values.select_related("indicator")}
    indicators = {i.code: i for i in indicators_for(report.period, report.organisation)}
    changed = 0
    for code, value in parsed.items():
        row = existing.get(code) or ReportValue(report=report, indicator=indicators[code])
        if indicators[code].is_narrative:
            if row.pk and row.text == value:
                continue
            row.text = value
        else:
            if row.pk and row.number == value:
                continue
            row.number = value
        row._history_user = by
        row.save()
        changed += 1
    return changed


def _parse_all(report: Report, raw_values: dict) -> tuple[dict, dict]:
    indicators = {i.code: i for i in indicators_for(report.period, report.organisation)}
    parsed, errors = {}, {}
    for code, raw in raw_values.items():
        indicator = indicators.get(code)
        if indicator is None:
            errors[code] = _("Mã chỉ tiêu %(code)s không có trong danh mục của kỳ này.") % {"code": code}
            continue
        try:
            parsed[code] = parse_value(indicator, raw)
        except ValueProblem as problem:
            errors[code] = str(problem)
    return parsed, errors


def current_numbers(report: Report) -> dict[str, int | None]:
    return {
        v.indicator.code: v.number for v in report.values.select_related("indicator") if not v.indicator.is_narrative
    }


@transaction.atomic
def report_save(*, report: Report, version: int, values: dict, by: User) -> SaveResult:
    """Save a draft: `values` maps indicator codes to what the officer typed.

    All or nothing: any unreadable value raises ValidationError({code: message}) and nothing
    is saved. `version` is the version the editor loaded; if someone saved since, raises
    ConflictError and nothing is saved. Broken cross-indicator rules are saved but returned
    as warnings (they block submission, not drafts)."""
    report = Report.objects.select_for_update().select_related("period", "organisation").get(pk=report.pk)
    _check_member(report, by)
    _check_editable(report)
    if report.version != version:
        who = report.updated_by.get_full_name() if report.updated_by else _("người khác")
        raise ConflictError(
            _(
                "Báo cáo vừa được %(who)s lưu lúc %(time)s nên lần lưu này bị từ chối để không ghi đè. "
                "Nội dung bạn nhập vẫn còn trên trang: hãy tải lại trang để xem bản mới nhất rồi nhập lại phần thay đổi."
            )
            % {"who": who, "time": timezone.localtime(report.updated_at).strftime("%H:%M:%S %d/%m/%Y")},
            code="conflict",
        )
    parsed, errors = _parse_all(report, values)
    if errors:
        raise ValidationError(errors)
    changed = _apply_values(report, parsed, by)
    report.version += 1
    report.updated_by = by
    report.save(update_fields=["version", "updated_by", "updated_at"])
    rules = list(report.period.rules.all())
    return SaveResult(report=report, warnings=rule_problems(rules, current_numbers(report)), changed=changed)


def submission_problems(report: Report) -> dict[str, str]:
    """{code: message} that stop the report from being submitted: empty required values and
    broken rules."""
    indicators = list(indicators_for(report.period, report.organisation))
    values = list(report.values.select_related("indicator"))
    filled = {v.indicator.code for v in values if v.is_filled}
    problems = {
        ind.code: _("Chưa nhập giá trị (0 cũng là một giá trị).") for ind in missing_required(indicators, filled)
    }
    numbers = {v.indicator.code: v.number for v in values if not v.indicator.is_narrative}
    for code, message in rule_problems(report.period.rules.all(), numbers).items():
        problems.setdefault(code, message)
    return problems


@transaction.atomic
def report_submit(*, report: Report, by: User, version: int | None = None) -> Report:
    """Lock the report, timestamp it and keep a frozen copy. Late when submitted after the
    due date (timeliness is that of the first submission: a return does not make an
    on-time report late). Raises ValidationError listing what is missing or inconsistent."""
    report = Report.objects.select_for_update().select_related("period", "organisation").get(pk=report.pk)
    _check_member(report, by)
    _check_editable(report)
    if version is not None and report.version != version:
        raise ConflictError(_("Báo cáo vừa được người khác lưu; hãy tải lại trang trước khi nộp."), code="conflict")
    problems = submission_problems(report)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    late = timezone.localtime(now).date() > report.period.due_date
    number = report.submissions.count() + 1
    snapshot = {
        v.indicator.code: (v.text if v.indicator.is_narrative else v.number)
        for v in report.values.select_related("indicator")
    }
    ReportSubmission.objects.create(
        report=report, number=number, submitted_at=now, submitted_by=by, is_late=late, values=snapshot
    )
    if report.is_late is None:
        report.is_late = late
    report.status = Report.Status.SUBMITTED
    report.submitted_at, report.submitted_by = now, by
    report.reopened = False
    report.version += 1
    report.updated_by = by
    report.full_clean()
    report.save(
        update_fields=[
            "status",
            "submitted_at",
            "submitted_by",
            "is_late",
            "reopened",
            "version",
            "updated_by",
            "updated_at",
        ]
    )
    ReportEvent.objects.create(report=report, action=ReportEvent.Action.SUBMITTED, by=by)
    return report


def _check_reviewer(report: Report, by: User) -> None:
    if not can_review(by, report):
        raise PermissionDenied(_("Chỉ cán bộ đầu mối của ngành mới được xem xét báo cáo này."))


def _latest_submission(report: Report) -> ReportSubmission:
    return report.submissions.order_by("-number").first()


@transaction.atomic
def report_accept(*, report: Report, by: User, note: str = "") -> Report:
    report = Report.objects.select_for_update().select_related("organisation").get(pk=report.pk)
    _check_reviewer(report, by)
    if report.status != Report.Status.SUBMITTED:
        raise ValidationError(_("Chỉ tiếp nhận được báo cáo đã nộp."))
    submission = _latest_submission(report)
    submission.outcome, submission.review_note = ReportSubmission.Outcome.ACCEPTED, note.strip()
    submission.save(update_fields=["outcome", "review_note"])
    report.status = Report.Status.ACCEPTED
    report.reviewed_at, report.reviewed_by = timezone.now(), by
    report.save(update_fields=["status", "reviewed_at", "reviewed_by", "updated_at"])
    ReportEvent.objects.create(report=report, action=ReportEvent.Action.ACCEPTED, by=by, note=note.strip())
    return report


@transaction.atomic
def report_return(*, report: Report, by: User, note: str, comments: dict[str, str] | None = None) -> Report:
    """Send the report back for changes with a general note and comments per section or
    indicator (keys are section or indicator codes). The submitted version stays in the
    report's submissions."""
    report = Report.objects.select_for_update().select_related("organisation", "period").get(pk=report.pk)
    _check_reviewer(report, by)
    if report.status != Report.Status.SUBMITTED:
        raise ValidationError(_("Chỉ trả lại được báo cáo đã nộp và chưa được tiếp nhận."))
    comments = {k: v.strip() for k, v in (comments or {}).items() if v and v.strip()}
    note = (note or "").strip()
    if not note and not comments:
        raise ValidationError(_("Hãy ghi rõ nội dung cần bổ sung, sửa chữa trước khi trả lại."))
    submission = _latest_submission(report)
    submission.outcome, submission.review_note = ReportSubmission.Outcome.RETURNED, note
    submission.save(update_fields=["outcome", "review_note"])
    sections = {s.code: s for s in report.period.sections.all()}
    indicators = {i.code: i for i in report.period.indicators.all()}
    for key, text in comments.items():
        if key in indicators:
            ReviewComment.objects.create(submission=submission, indicator=indicators[key], text=text, author=by)
        elif key in sections:
            ReviewComment.objects.create(submission=submission, section=sections[key], text=text, author=by)
        else:
            raise ValidationError(_("Không có mục hay chỉ tiêu mã %(code)s.") % {"code": key})
    report.status = Report.Status.RETURNED
    report.reviewed_at, report.reviewed_by = timezone.now(), by
    report.version += 1
    report.save(update_fields=["status", "reviewed_at", "reviewed_by", "version", "updated_at"])
    ReportEvent.objects.create(report=report, action=ReportEvent.Action.RETURNED, by=by, note=note)
    return report


@transaction.atomic
def report_reopen(*, report: Report, by: User, reason: str) -> Report:
    """After the lock date only a focal officer of the sector may reopen a report, with a
    recorded reason; it goes back to the officers as returned and editable."""
    report = Report.objects.select_for_update().select_related("organisation", "period").get(pk=report.pk)
    _check_reviewer(report, by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Phải ghi lý do mở lại báo cáo."))
    if not is_locked(report) and report.status in Report.EDITABLE:
        raise ValidationError(_("Báo cáo chưa bị khóa, đơn vị vẫn đang sửa được."))
    report.reopened = True
    if report.status != Report.Status.DRAFT:
        report.status = Report.Status.RETURNED
    report.version += 1
    report.save(update_fields=["reopened", "status", "version", "updated_at"])
    ReportEvent.objects.create(report=report, action=ReportEvent.Action.REOPENED, by=by, note=reason)
    return report


@transaction.atomic
def report_import(*, report: Report, values: dict, by: User) -> SaveResult:
    """Replace the report's values with those read from its Excel template (see
    `reports.excel.read_template`, which has already checked every cell). Cross-indicator
    rules are errors here: a file with any problem changes nothing."""
    report = Report.objects.select_for_update().select_related("period", "organisation").get(pk=report.pk)
    _check_member(report, by)
    _check_editable(report)
    parsed, errors = _parse_all(report, values)
    if errors:
        raise ValidationError(errors)
    numbers = current_numbers(report)
    numbers.update({k: v for k, v in parsed.items() if k in numbers or not isinstance(v, str)})
    broken = rule_problems(report.period.rules.all(), numbers)
    if broken:
        raise ValidationError(broken)
    changed = _apply_values(report, parsed, by)
    report.version += 1
    report.updated_by = by
    report.save(update_fields=["version", "updated_by", "updated_at"])
    ReportEvent.objects.create(
        report=report, action=ReportEvent.Action.IMPORTED, by=by, note=_("%(n)s giá trị thay đổi") % {"n": changed}
    )
    return SaveResult(report=report, changed=changed)


# --- Bulk exchange (API) -----------------------------------------------------------------


@dataclass
class ValueOutcome:
    """What became of one value of an import: imported (it was empty), updated, ignored (the
    same value was already there) or conflict (nothing written for it; `reason` says why)."""

    index: int
    org_unit: str
    period: str
    data_element: str
    value: object
    status: str = "imported"
    reason: str = ""


@dataclass
class ImportSummary:
    dry_run: bool
    atomic: bool
    values: list[ValueOutcome] = field(default_factory=list)
    written: bool = False
    reports: list[int] = field(default_factory=list)  # ids of the reports written (or that would be)

    def count(self, status: str) -> int:
        return sum(1 for v in self.values if v.status == status)

    @property
    def conflicts(self) -> list[ValueOutcome]:
        return [v for v in self.values if v.status == "conflict"]

    @property
    def status(self) -> str:
        if not self.conflicts:
            return "SUCCESS"
        return "WARNING" if not self.atomic and self.reports else "ERROR"


class _Rollback(Exception):
    pass


def _import_group(rows, *, period, organisation, by: User, atomic: bool, summary: ImportSummary) -> None:
    """Values of one report: checked like the web form, then saved through `report_save`
    with the version just read (so a concurrent save by someone else is a conflict)."""

    def refuse(targets, reason):
        for outcome in targets:
            if outcome.status != "conflict":
                outcome.status, outcome.reason = "conflict", reason

    try:
        report = Report.objects.filter(period=period, organisation=organisation).first()
        if report is None:
            report = report_start(period=period, organisation=organisation, by=by)
        _check_member(report, by)
        _check_editable(report)
    except (PermissionDenied, ValidationError) as error:
        refuse(rows, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))
        return
    indicators = {i.code: i for i in indicators_for(period, organisation)}
    existing = {v.indicator_id: v for v in report.values.all()}
    seen: set[str] = set()
    to_save: dict[str, object] = {}
    for outcome in rows:
        code = outcome.data_element
        indicator = indicators.get(code)
        if indicator is None:
            outcome.status = "conflict"
            outcome.reason = _("Mã chỉ tiêu %(code)s không có trong danh mục của kỳ này cho đơn vị %(org)s.") % {
                "code": code or "—",
                "org": organisation.code,
            }
            continue
        if code in seen:
            outcome.status, outcome.reason = (
                "conflict",
                _("Chỉ tiêu %(code)s xuất hiện hai lần cho cùng báo cáo.") % {"code": code},
            )
            continue
        seen.add(code)
        try:
            parsed = parse_value(indicator, outcome.value)
        except ValueProblem as problem:
            outcome.status, outcome.reason = "conflict", str(problem)
            continue
        current = existing.get(indicator.pk)
        before = (current.text if indicator.is_narrative else current.number) if current else None
        filled_before = current is not None and current.is_filled
        if parsed == before or (indicator.is_narrative and not parsed and not filled_before):
            outcome.status = "ignored"
            continue
        outcome.status = "updated" if filled_before else "imported"
        to_save[code] = outcome.value
    if any(o.status == "conflict" for o in rows) and atomic:
        return
    if not to_save:
        return
    try:
        report_save(report=report, version=report.version, values=to_save, by=by)
    except ConflictError as error:
        refuse([o for o in rows if o.status in ("imported", "updated")], " ".join(error.messages))
        return
    except ValidationError as error:
        messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        for o in rows:
            if o.data_element in messages or "" in messages:
                refuse([o], " ".join(messages.get(o.data_element) or messages.get("")))
        return
    summary.reports.append(report.pk)


def data_values_import(*, rows, by: User, dry_run: bool = False, atomic: bool = True) -> ImportSummary:
    """Import report values addressed by organisation code, period (`2026S1` or id) and
    indicator code (`reports.exchange.Row`s), each through the same checks and the same
    `report_save` as the web form: only a district officer of the reporting organisation
    writes, only drafts and returned reports change (a submitted report is refused), every
    value is read by the indicator's rules.

    Returns the summary with one outcome per value. `atomic` (the default): any conflict and
    nothing is written. Otherwise the values without conflict are written. `dry_run`: the same
    work in a transaction that is rolled back — the summary says what a real run would do."""
    from .exchange import find_period

    summary = ImportSummary(dry_run=dry_run, atomic=atomic)
    outcomes = [
        ValueOutcome(index=r.index, org_unit=r.org_unit, period=r.period, data_element=r.data_element, value=r.value)
        for r in rows
    ]
    summary.values = outcomes
    periods: dict[str, ReportingPeriod | None] = {}
    organisations = {
        o.code: o
        for o in Organisation.objects.filter(code__in={o.org_unit for o in outcomes}).select_related("district")
    }
    groups: dict[tuple, list[ValueOutcome]] = {}
    from directory.selectors import can_see_organisation

    visible: dict[str, bool] = {}
    for outcome in outcomes:
        if outcome.period not in periods:
            periods[outcome.period] = find_period(outcome.period)
        period = periods[outcome.period]
        organisation = organisations.get(outcome.org_unit)
        if organisation is not None and outcome.org_unit not in visible:
            visible[outcome.org_unit] = can_see_organisation(by, organisation)
        if period is None:
            outcome.status = "conflict"
            outcome.reason = _("Không có kỳ báo cáo “%(p)s” (viết dạng 2026S1 hoặc mã số kỳ).") % {
                "p": outcome.period or "—"
            }
        elif organisation is None or not visible[outcome.org_unit]:
            outcome.status = "conflict"
            outcome.reason = _("Không có đơn vị mã “%(code)s” trong phạm vi của bạn.") % {
                "code": outcome.org_unit or "—"
            }
        else:
            groups.setdefault((period.pk, organisation.pk), []).append(outcome)
    try:
        with transaction.atomic():
            for (period_id, organisation_id), group in groups.items():
                period = next(p for p in periods.values() if p is not None and p.pk == period_id)
                organisation = next(o for o in organisations.values() if o.pk == organisation_id)
                if atomic:
                    _import_group(group, period=period, organisation=organisation, by=by, atomic=True, summary=summary)
                else:
                    try:
                        with transaction.atomic():
                            _import_group(
                                group, period=period, organisation=organisation, by=by, atomic=False, summary=summary
                            )
                            if not any(o.status in ("imported", "updated") for o in group):
                                raise _Rollback  # nothing kept for this report: not even its creation
                    except _Rollback:
                        pass
            if atomic and summary.conflicts:
                summary.reports = []
                raise _Rollback
            summary.written = bool(summary.reports)
            if dry_run:
                raise _Rollback
    except _Rollback:
        if not dry_run:
            summary.written = False
    if dry_run:
        summary.written = False
    return summary
