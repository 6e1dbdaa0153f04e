"""Reads of the reports app: access helpers, completeness and timeliness, consolidation."""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from directory.models import AdministrativeUnit, Organisation, User
from directory.selectors import former_districts, predecessor_organisation_ids, scope_queryset, user_scope

from .access import can_review, files_reports, is_member
from .models import Indicator, Report, ReportingPeriod, ReportValue

# --- Access ------------------------------------------------------------------------------


def reports_for_user(user):
    """Reports the user may open: leadership and focal officers all of them, a district
    officer only their own organisation's (not the whole district's), anyone else none.

    After a reorganisation, the reports of the offices whose work passed to the officer's
    organisation (a commune inherits its former district's offices) are open to them as
    history: readable, never editable (`get_report_for_editor` still wants a member)."""
    qs = Report.objects.select_related("period", "organisation", "organisation__district")
    scope = user_scope(user)
    if scope.everything:
        return qs
    if files_reports(user):
        own = scope_queryset(user, qs, org_field="organisation").filter(organisation_id=user.organisation_id)
        history = predecessor_organisation_ids(user.organisation)
        return (own | qs.filter(organisation_id__in=history)) if history else own
    return qs.none()


def predecessor_reports(user):
    """Reports of the offices the user's organisation took over from, newest first — the
    read-only history a commune officer sees beside their own periods."""
    history = predecessor_organisation_ids(user.organisation) if user.organisation_id else set()
    if not history:
        return Report.objects.none()
    return (
        Report.objects.filter(organisation_id__in=history)
        .select_related("period", "organisation", "organisation__district")
        .order_by("-period__year", "-period__half", "organisation__kind")
    )


def get_report_for_user(user, pk) -> Report:
    try:
        return reports_for_user(user).get(pk=pk)
    except (Report.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_report_for_editor(user, pk) -> Report:
    """The report when the user belongs to its organisation (404 outside scope, 403 for
    those who may only read it)."""
    report = get_report_for_user(user, pk)
    if not is_member(user, report.organisation_id):
        raise PermissionDenied
    return report


def get_report_for_reviewer(user, pk) -> Report:
    report = get_report_for_user(user, pk)
    if not can_review(user, report):
        raise PermissionDenied
    return report


def get_period(pk) -> ReportingPeriod:
    try:
        return ReportingPeriod.objects.get(pk=pk)
    except (ReportingPeriod.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def latest_periods(limit: int) -> QuerySet[ReportingPeriod]:
    """The `limit` latest periods, newest first (periods are the programme's calendar: the same
    for everyone who may open a reporting page)."""
    return ReportingPeriod.objects.order_by("-year", "-half")[:limit]


def period_years() -> list[int]:
    """The years that have periods, newest first."""
    return sorted(set(ReportingPeriod.objects.values_list("year", flat=True)), reverse=True)


def programmes_by_start():
    """The cooperation programmes in the order they took effect (the programme review's choices)."""
    from programs.models import Programme

    return Programme.objects.order_by("valid_from")


def current_period(*, today=None) -> ReportingPeriod | None:
    """The period whose report is being prepared now: the earliest one not yet locked whose
    data window has started; else the latest."""
    today = today or timezone.localdate()
    period = (
        ReportingPeriod.objects.filter(lock_date__gte=today, data_start__lte=today).order_by("year", "half").first()
    )
    return period or ReportingPeriod.objects.filter(data_start__lte=today).order_by("-year", "-half").first()


def own_report(period, organisation) -> Report | None:
    """The organisation's report for the period, if it was started."""
    return Report.objects.filter(period=period, organisation=organisation).first()


def must_report(period, organisation) -> bool:
    """Whether the organisation is one of the period's reporting organisations."""
    return period.required_organisations.filter(pk=organisation.pk).exists()


def periods_for_user(user):
    """Reporting periods: the same for every signed-in user (what is reported, not the reports)."""
    return ReportingPeriod.objects.all()


def indicators_for_user(user):
    """The active indicators of every period, with their section: reference data for everyone."""
    return Indicator.objects.filter(is_active=True).select_related("section")


def periods_for_organisation(organisation):
    """Periods the organisation must report in, each with its report (or None) — two queries."""
    periods = list(organisation.reporting_periods.order_by("-year", "-half"))
    reports = {r.period_id: r for r in Report.objects.filter(organisation=organisation, period__in=periods)}
    for period in periods:
        period.own_report = reports.get(period.pk)
    return periods


def reports_awaiting_review(user):
    """Submitted reports of the focal officer's sector (and the communes' reports, which
    cover both sectors), oldest first."""
    if user.role != User.Role.FOCAL_OFFICER or not user.organisation_id:
        return Report.objects.none()
    return (
        Report.objects.filter(status=Report.Status.SUBMITTED)
        .filter(of_sector(user.organisation.sector, "organisation__"))
        .select_related("period", "organisation", "organisation__district")
        .order_by("submitted_at")
    )


def of_sector(sector: str, prefix: str = "") -> Q:
    """Organisations whose reports count for `sector`: its own offices, and since 2025 the
    communes' culture-social offices, which report for both sectors."""
    return Q(**{f"{prefix}sector": sector}) | Q(**{f"{prefix}kind": Organisation.Kind.CULTURE_SOCIAL_OFFICE})


# --- Completeness and timeliness ---------------------------------------------------------


@dataclass
class Tally:
    label: str = ""
    key: object = None
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    complete: int = 0
    accepted: int = 0
    awaiting: int = 0
    rows: list = field(default_factory=list)

    @property
    def missing(self) -> int:
        return self.expected - self.submitted

    def _rate(self, n) -> float:
        return round(100 * n / self.expected, 1) if self.expected else 0.0

    @property
    def completeness_rate(self) -> float:
        return self._rate(self.complete)

    @property
    def timeliness_rate(self) -> float:
        return self._rate(self.on_time)

    @property
    def submission_rate(self) -> float:
        return self._rate(self.submitted)

    def add(self, row) -> None:
        self.expected += 1
        self.rows.append(row)
        if row.received:
            self.submitted += 1
            self.on_time += 0 if row.report_is_late else 1
            self.late += 1 if row.report_is_late else 0
            self.complete += 1 if row.is_complete else 0
            self.accepted += 1 if row.report_status == Report.Status.ACCEPTED else 0
            self.awaiting += 1 if row.report_status == Report.Status.SUBMITTED else 0


@dataclass
class Completeness:
    period: ReportingPeriod
    total: Tally
    by_district: list[Tally]
    by_sector: list[Tally]
    rows: list


def required_counts(period: ReportingPeriod) -> dict[str, int]:
    """Number of required indicators per sector ("" = sections for every office), and under
    "*" all of them (what a commune's culture-social office, reporting for both, must fill)."""
    rows = period.indicators.filter(is_active=True, required=True).values("section__sector").annotate(n=Count("pk"))
    by = {r["section__sector"]: r["n"] for r in rows}
    common = by.get("", 0)
    counts = {sector: by.get(sector, 0) + common for sector in Organisation.Sector.values}
    counts["*"] = sum(by.values())
    return counts


def _required_with_reports(period: ReportingPeriod, sector: str | None):
    """The organisations that must report in `period`, each with its report's id, status,
    lateness, submission time and number of required indicators filled. (One report per
    office and period: the report is a join, and the count of filled values needs no
    ordering.)"""
    filled = (
        ReportValue.objects.filter(report=OuterRef("period_report"))
        # The period's required indicators, found once rather than joined for every report.
        .filter(indicator__in=Indicator.objects.filter(period=period, required=True, is_active=True).values("pk"))
        .filter(Q(number__isnull=False) | ~Q(text=""))
        .order_by()
        .values("report")
        .annotate(c=Count("pk"))
        .values("c")
    )
    # The report is joined once (one per office and period), not looked up per column.
    qs = period.required_organisations.annotate(
        period_report=FilteredRelation("reports", condition=Q(reports__period=period)),
        report_id=F("period_report__id"),
        report_status=F("period_report__status"),
        report_is_late=F("period_report__is_late"),
        report_submitted_at=F("period_report__submitted_at"),
        n_filled=Coalesce(Subquery(filled, output_field=IntegerField()), Value(0)),
    )
    return qs.filter(of_sector(sector)) if sector else qs


def completeness_total(period: ReportingPeriod, *, sector: str | None = None) -> Tally:
    """The whole-province line of `completeness` (the same figures), counted by the database
    and cached (`completeness_summary`): for the home page, which shows the rates and not the
    offices."""
    return completeness_summary(period, sector=sector).total


def completeness(period: ReportingPeriod, *, sector: str | None = None) -> Completeness:
    """For each organisation that must report: its report's status, on time or late, and
    whether it is complete (submitted and every required indicator filled — an empty report
    does not count). Totals by district and by sector with their rates. Three queries."""
    qs = (
        _required_with_reports(period, sector)
        .select_related("district", "commune")
        .order_by("district__code", "commune__code", "kind", "name")
    )
    needed = required_counts(period)
    total = Tally(label="Toàn tỉnh")
    districts: dict = {}
    sectors: dict = {}
    sector_labels = dict(Organisation.Sector.choices)
    rows = list(qs)
    for row in rows:
        row.received = row.report_status in Report.RECEIVED
        need = needed["*"] if row.kind == Organisation.Kind.CULTURE_SOCIAL_OFFICE else needed.get(row.sector, 0)
        row.is_complete = row.received and row.n_filled >= need
        total.add(row)
        unit = row.district or row.commune  # districts until 2025 H1, communes after
        d = districts.setdefault(unit.pk if unit else None, Tally(label=str(unit or "—"), key=unit))
        d.add(row)
        s = sectors.setdefault(row.sector, Tally(label=str(sector_labels.get(row.sector, row.sector)), key=row.sector))
        s.add(row)
    return Completeness(
        period=period, total=total, by_district=list(districts.values()), by_sector=list(sectors.values()), rows=rows
    )


UNITS_PER_PAGE = 12  # a province of 11 districts on one page, and as many offices on each page


@dataclass
class CompletenessSummary:
    """The figures of `completeness` without the offices: the total, by sector and by unit
    (district, or commune after 2025), in order. Each unit's Tally is keyed by the unit's id
    (its code in `unit_codes`): `completeness_page` puts the units of its page in."""

    total: Tally
    by_sector: list[Tally]
    by_district: list[Tally]
    unit_codes: dict = field(default_factory=dict)


def _unit_order(unit) -> tuple:
    # As `completeness` lists them: districts by code, then communes, then offices of neither.
    if unit is None:
        return (2, "")
    return (0 if unit.level == AdministrativeUnit.Level.DISTRICT else 1, unit.code)


def _completeness_summary(period: ReportingPeriod, sector: str | None) -> CompletenessSummary:
    needed = required_counts(period)
    need = Case(
        When(kind=Organisation.Kind.CULTURE_SOCIAL_OFFICE, then=Value(needed["*"])),
        *[When(sector=key, then=Value(n)) for key, n in needed.items() if key != "*"],
        default=Value(0),
        output_field=IntegerField(),
    )
    received = Q(report_status__in=Report.RECEIVED)
    groups = (
        _required_with_reports(period, sector)
        .annotate(need=need)
        .order_by()
        .values("district_id", "commune_id", "sector")
        .annotate(
            expected=Count("pk"),
            submitted=Count("pk", filter=received),
            late=Count("pk", filter=received & Q(report_is_late=True)),
            complete=Count("pk", filter=received & Q(n_filled__gte=F("need"))),
            accepted=Count("pk", filter=Q(report_status=Report.Status.ACCEPTED)),
            awaiting=Count("pk", filter=Q(report_status=Report.Status.SUBMITTED)),
        )
    )
    figures = ("expected", "submitted", "late", "complete", "accepted", "awaiting")
    total = Tally(label="Toàn tỉnh")
    sector_labels = dict(Organisation.Sector.choices)
    sectors: dict = {}
    units: dict = {}
    rows = list(groups)
    found = AdministrativeUnit.objects.in_bulk({r["district_id"] or r["commune_id"] for r in rows} - {None})
    for row in rows:
        unit = found.get(row["district_id"] or row["commune_id"])
        tallies = (
            total,
            sectors.setdefault(
                row["sector"], Tally(label=str(sector_labels.get(row["sector"], row["sector"])), key=row["sector"])
            ),
            units.setdefault(unit.pk if unit else None, Tally(label=str(unit or "—"), key=unit)),
        )
        for tally in tallies:
            for name in figures:
                setattr(tally, name, getattr(tally, name) + row[name])
            tally.on_time = tally.submitted - tally.late
    order = list(Organisation.Sector.values)
    by_district = sorted(units.values(), key=lambda t: _unit_order(t.key))
    for tally in by_district:  # ids, not objects: the cached summary stays small
        tally.key = tally.key.pk if tally.key is not None else None
    return CompletenessSummary(
        total=total,
        by_sector=sorted(sectors.values(), key=lambda t: order.index(t.key) if t.key in order else len(order)),
        by_district=by_district,
        unit_codes={pk: unit.code for pk, unit in found.items()},
    )


def completeness_summary(period: ReportingPeriod, *, sector: str | None = None) -> CompletenessSummary:
    """`completeness` without the offices, counted by the database in one query and cached
    until a report, a value, the period or an organisation changes (reports.signals)."""
    from django.utils.translation import get_language

    from core import versioned

    # The tallies carry their labels (sector names) as text: kept per language.
    return versioned.cached(
        "reports",
        f"completeness:{period.pk}:{sector or ''}:{get_language()}",
        lambda: _completeness_summary(period, sector),
    )


def completeness_page(period: ReportingPeriod, *, sector: str | None = None, page=None, district: str | None = None):
    """One page of `completeness`: the summary, a page of units (UNITS_PER_PAGE) and the
    offices of those units only, in the same order. A fixed number of queries whatever the
    number of units. `district` (a unit code) keeps the one unit."""
    from django.core.paginator import Paginator

    summary = completeness_summary(period, sector=sector)
    units = summary.by_district
    if district is not None:
        units = [t for t in units if t.key is not None and summary.unit_codes.get(t.key) == district]
    page = Paginator(units, UNITS_PER_PAGE).get_page(page)
    keys = [t.key for t in page if t.key is not None]
    found = AdministrativeUnit.objects.in_bulk(keys)
    for tally in page:
        tally.key = found.get(tally.key)
    keys = [t.key.pk for t in page if t.key is not None]
    shown = Q(district_id__in=keys) | Q(district__isnull=True, commune_id__in=keys)
    if any(t.key is None for t in page):
        shown |= Q(district__isnull=True, commune__isnull=True)
    qs = (
        _required_with_reports(period, sector)
        .filter(shown)
        .select_related("district", "commune")
        .order_by("district__code", "commune__code", "kind", "name")
    )

    def offices():
        needed = required_counts(period)
        rows = list(qs)
        for row in rows:
            row.received = row.report_status in Report.RECEIVED
            need = needed["*"] if row.kind == Organisation.Kind.CULTURE_SOCIAL_OFFICE else needed.get(row.sector, 0)
            row.is_complete = row.received and row.n_filled >= need
        by_unit = {key: i for i, key in enumerate(t.key.pk if t.key else None for t in page)}
        rows.sort(key=lambda r: by_unit.get(r.district_id or r.commune_id, len(by_unit)))
        return rows

    # Read when first iterated: a page kept rendered (core.templatetags.fragments) does not.
    return summary, page, SimpleLazyObject(offices)


def completeness_rows(period: ReportingPeriod, *, sector: str | None = None):
    """(district name, organisation name, report status, submitted at, late) of every office
    that must report, in the order of `completeness`: what the export's sheet lists. One
    query, tuples rather than objects."""
    return (
        _required_with_reports(period, sector)
        .order_by("district__code", "commune__code", "kind", "name")
        .values_list("district__name", "name", "report_status", "report_submitted_at", "report_is_late")
    )


# --- Consolidation -----------------------------------------------------------------------


@dataclass
class Consolidation:
    """Province totals per indicator code and per district, for several periods."""

    periods: list  # ReportingPeriod, the first is the period being consolidated
    indicators: list  # Indicator of the first period (quantitative), in order
    districts: list  # AdministrativeUnit with at least one reporting organisation
    totals: dict  # (period_id, code) -> int
    reporting: dict  # period_id -> number of received reports
    # Every code of the periods, those of `indicators` first and in their order, and for each
    # (period_id, unit_id) the unit's totals in that order (None where nobody reported): one
    # short list per unit and period rather than a key per figure, what an export writes.
    codes: list = field(default_factory=list)
    by_unit: dict = field(default_factory=dict)

    def total(self, period, code):
        return self.totals.get((period.pk if period else None, code))

    def unit_values(self, period_id, unit_id) -> list:
        """The unit's totals of `indicators`, in their order (None where nobody reported)."""
        found = self.by_unit.get((period_id, unit_id))
        return found[: len(self.indicators)] if found is not None else [None] * len(self.indicators)

    @cached_property
    def by_district(self) -> dict:
        """(period_id, unit_id, code) -> int, built from `by_unit` when first asked for."""
        codes = self.codes
        return {
            (period_id, unit_id, codes[k]): total
            for (period_id, unit_id), row in self.by_unit.items()
            for k, total in enumerate(row)
            if total is not None
        }


def _fold_by_unit(rows, position: dict, width: int) -> tuple[dict, dict]:
    """(period_id, unit_id) -> totals in code order, and period_id -> the province's totals
    in that order, from (period_id, unit_id, key, total) rows whose key `position` maps to a
    column: one pass, rows of the same column of a unit added up."""
    by_unit: dict = {}
    by_period: dict = {}
    unit_row, period_row = by_unit.get, by_period.get
    for period_id, unit_id, key, total in rows:
        k = position[key]
        row = unit_row((period_id, unit_id))
        if row is None:
            row = by_unit[(period_id, unit_id)] = [None] * width
        before = row[k]
        row[k] = total if before is None else before + total
        row = period_row(period_id)
        if row is None:
            row = by_period[period_id] = [None] * width
        before = row[k]
        row[k] = total if before is None else before + total
    return by_unit, by_period


def related_periods(period: ReportingPeriod) -> tuple[ReportingPeriod | None, ReportingPeriod | None]:
    """The previous period and the same period last year (one query)."""
    prev_year, prev_half = period.previous_key()
    found = {
        (p.year, p.half): p
        for p in ReportingPeriod.objects.filter(
            Q(year=prev_year, half=prev_half) | Q(year=period.year - 1, half=period.half)
        )
    }
    return found.get((prev_year, prev_half)), found.get((period.year - 1, period.half))


def consolidate(periods: list, *, sector: str | None = None, by_territory: bool = False) -> Consolidation:
    """Sums of every quantitative indicator over the received (submitted or accepted)
    reports of `periods`, by unit and for the province, matched by code across periods.

    The units are those of each period: districts until 2025 H1, communes after. With
    `by_territory`, every unit is rolled up into the former district whose territory it lies
    in (through the successor links of the reorganisation), so periods on either side of the
    2025 change sit side by side. Five queries whatever the number of units and periods:
    aggregation is in SQL."""
    periods = [p for p in periods if p is not None]
    main = periods[0]
    main_id = main.pk
    indicators = main.indicators.filter(is_narrative=False, is_active=True).select_related("section")
    if sector:
        indicators = indicators.filter(section__sector=sector)
    indicators = list(indicators.order_by("section__order", "order", "code"))
    reports = Report.objects.filter(period__in=periods, status__in=Report.RECEIVED)
    if sector:
        reports = reports.filter(of_sector(sector, "organisation__"))
    first = [i.code for i in indicators]
    if by_territory:
        values = ReportValue.objects.filter(
            report__period__in=periods,
            report__status__in=Report.RECEIVED,
            number__isnull=False,
            indicator__is_narrative=False,
        )
        if sector:
            values = values.filter(of_sector(sector, "report__organisation__"))
        sums = (
            values.values(
                "report__period_id",
                "report__organisation__district_id",
                "report__organisation__commune_id",
                "indicator__code",
            )
            .annotate(total=Sum("number"))
            .values_list(
                "report__period_id",
                "report__organisation__district_id",
                "report__organisation__commune_id",
                "indicator__code",
                "total",
            )
            .order_by()
        )
        rows = [(p, d or c, code, total) for p, d, c, code, total in sums]
        unit_ids = {r[1] for r in rows} | _required_unit_ids(main)
        territory = former_districts(unit_ids - {None})
        codes = first + sorted({r[2] for r in rows} - set(first))
        position = {code: k for k, code in enumerate(codes)}
        # Every unit is folded into its former district's territory (None outside any).
        pk = {unit_id: unit.pk for unit_id, unit in territory.items()}
        rows = ((period_id, pk.get(unit_id), code, total) for period_id, unit_id, code, total in rows)
        by_unit, by_period = _fold_by_unit(rows, position, len(codes))
    else:
        # The quantitative indicators of the periods named by id rather than joined.
        quantitative = Indicator.objects.filter(period__in=periods, is_narrative=False)
        by_id = dict(quantitative.values_list("pk", "code"))
        codes = first + sorted(set(by_id.values()) - set(first))
        at = {code: k for k, code in enumerate(codes)}
        position = {pk: at[code] for pk, code in by_id.items()}
        if by_id and _reads_reports_whole(reports.db):
            by_unit = _unit_figures(reports, position, len(codes), few_periods=len(periods) <= 4)
            by_period = _add_up_by_period(by_unit)
        else:
            # (period, unit, indicator, total) summed by the database, a district office in
            # its district, a commune's office in its commune, read from a server-side cursor
            # as plain tuples (a bigint sum needs no converter): a country has hundreds of
            # thousands of them.
            values = ReportValue.objects.filter(
                report__period__in=periods,
                report__status__in=Report.RECEIVED,
                number__isnull=False,
                indicator_id__in=list(by_id),
            )
            if sector:
                values = values.filter(of_sector(sector, "report__organisation__"))
            sums = (
                values.annotate(unit=Coalesce("report__organisation__district_id", "report__organisation__commune_id"))
                .values("report__period_id", "unit", "indicator_id")
                .annotate(total=Cast(Sum("number"), BigIntegerField()))
                .values_list("report__period_id", "unit", "indicator_id", "total")
                .order_by()
            )
            rows = _raw_rows(sums) if by_id else ()  # no quantitative indicator: nothing to sum
            by_unit, by_period = _fold_by_unit(rows, position, len(codes))
    totals = {
        (period_id, codes[k]): total
        for period_id, row in by_period.items()
        for k, total in enumerate(row)
        if total is not None
    }
    reporting = {r["period_id"]: r["n"] for r in reports.values("period_id").annotate(n=Count("pk")).order_by()}
    if by_territory:
        districts = sorted({u.pk: u for u in territory.values()}.values(), key=lambda u: u.code)
    else:
        # The period's units, and any other unit whose office reported in it (a district
        # office's late report for a period the communes took over is shown, not hidden).
        reported = {unit_id for period_id, unit_id in by_unit if period_id == main_id}
        unit_ids = _required_unit_ids(main) | (reported - {None})
        districts = list(AdministrativeUnit.objects.filter(pk__in=unit_ids).order_by("level", "code"))
    return Consolidation(
        periods=periods,
        indicators=indicators,
        districts=districts,
        totals=totals,
        reporting=reporting,
        codes=codes,
        by_unit=by_unit,
    )


@dataclass
class ConsolidationOverview:
    """What `consolidate` gives for the province without the breakdown by unit: the totals,
    the number of received reports of each period and the units of the first period (as
    `Consolidation.districts`, by id)."""

    totals: dict  # (period_id, code) -> int
    reporting: dict  # period_id -> number of received reports
    unit_ids: list  # the first period's units, by level and code


def _received_values(periods: list, sector: str | None):
    values = ReportValue.objects.filter(
        report__period__in=periods,
        report__status__in=Report.RECEIVED,
        number__isnull=False,
        indicator__is_narrative=False,
    )
    return values.filter(of_sector(sector, "report__organisation__")) if sector else values


def _consolidation_overview(periods: list, sector: str | None) -> ConsolidationOverview:
    main = periods[0]
    totals = {
        (p, code): total
        for p, code, total in _received_values(periods, sector)
        .values("report__period_id", "indicator__code")
        .annotate(total=Sum("number"))
        .values_list("report__period_id", "indicator__code", "total")
        .order_by()
    }
    reports = Report.objects.filter(period__in=periods, status__in=Report.RECEIVED)
    if sector:
        reports = reports.filter(of_sector(sector, "organisation__"))
    reporting = {r["period_id"]: r["n"] for r in reports.values("period_id").annotate(n=Count("pk")).order_by()}
    reported = {
        d or c
        for d, c in _received_values([main], sector)
        .values_list("report__organisation__district_id", "report__organisation__commune_id")
        .distinct()
        .order_by()
    }
    unit_ids = _required_unit_ids(main) | (reported - {None})
    ordered = AdministrativeUnit.objects.filter(pk__in=unit_ids).order_by("level", "code").values_list("pk", flat=True)
    return ConsolidationOverview(totals=totals, reporting=reporting, unit_ids=list(ordered))


def consolidation_overview(periods: list, *, sector: str | None = None) -> ConsolidationOverview:
    """The province figures of `consolidate(periods)` in five queries, cached until a report,
    a value or a period changes (reports.signals): the consolidation page shows them with
    one page of units (`unit_breakdown`)."""
    from core import versioned

    periods = [p for p in periods if p is not None]
    key = f"overview:{'-'.join(str(p.pk) for p in periods)}:{sector or ''}"
    return versioned.cached("reports", key, lambda: _consolidation_overview(periods, sector))


def unit_breakdown(period: ReportingPeriod, units: list, *, sector: str | None = None) -> dict:
    """(unit_id, code) -> the sum of the period's received values of the offices of `units`
    only (a district office in its district, a commune's office in its commune). One query."""
    keys = [u.pk for u in units]
    values = _received_values([period], sector).filter(
        Q(report__organisation__district_id__in=keys)
        | Q(report__organisation__district__isnull=True, report__organisation__commune_id__in=keys)
    )
    found: dict = defaultdict(int)
    rows = (
        values.values("report__organisation__district_id", "report__organisation__commune_id", "indicator__code")
        .annotate(total=Sum("number"))
        .values_list(
            "report__organisation__district_id", "report__organisation__commune_id", "indicator__code", "total"
        )
        .order_by()
    )
    for district_id, commune_id, code, total in rows:
        found[(district_id or commune_id, code)] += total
    return dict(found)


def _raw_rows(qs):
    """The rows of a values_list queryset straight from the database cursor (chunked, a
    server-side cursor on PostgreSQL), without Django's per-value converters."""
    sql, params = qs.query.sql_with_params()
    return _raw_rows_of(qs.db, sql, params)


def _raw_rows_of(db: str, sql: str, params):
    """The rows of `sql` from a server-side cursor on PostgreSQL (chunked elsewhere), planned
    to be read to the end: a cursor is otherwise planned for its first tenth
    (cursor_tuple_fraction), which favours nested loops over the hash joins and full scans
    that read a whole country's values fastest."""
    from django.db import connections, transaction

    connection = connections[db]
    with transaction.atomic(using=db):
        if connection.vendor == "postgresql":
            with connection.cursor() as setting:
                # Enough memory for the grouping of a country's values to stay off the disk.
                setting.execute("SET LOCAL work_mem = '64MB'")
                setting.execute("SET LOCAL cursor_tuple_fraction = 1")
                # A query read once: compiling it (at a country's estimated cost) takes longer
                # than it saves.
                setting.execute("SET LOCAL jit = off")
        cursor = connection.chunked_cursor()
        cursor.execute(sql, params)
        try:
            while batch := cursor.fetchmany(10_000):
                yield from batch
        finally:
            cursor.close()


def _reads_reports_whole(db: str) -> bool:
    """Whether the consolidation has the database hand over each unit's totals as one row
    (PostgreSQL) rather than one row per unit and indicator (the portable path, SQLite)."""
    from django.db import connections

    return connections[db].vendor == "postgresql"


def _unit_figures(reports, position: dict, width: int, *, few_periods: bool) -> dict:
    """(period_id, unit_id) -> totals in code order (None where nobody reported), read as
    ONE row per unit and period whose columns are already the totals in that order: each
    value is given its column through the indicator's id (a VALUES-like list joined in), and
    column k is the sum of the values of column k (SUM ... FILTER). A country's 14,000 rows
    of numbers rather than 300,000 tuples of (period, unit, indicator, total), and no
    folding here: the row is the list the export writes. `reports` holds the received
    reports of the periods (with the sector filter)."""
    units = (
        reports.annotate(unit=Coalesce("organisation__district_id", "organisation__commune_id"))
        .values_list("pk", "period_id", "unit")
        .order_by()
    )
    units_sql, units_params = units.query.sql_with_params()
    ids = list(position)
    columns = ", ".join(f"(SUM(v.number) FILTER (WHERE m.k = {k}))::bigint" for k in range(width))
    sql = (
        f"SELECT r.period_id, r.unit, {columns} "
        f'FROM "{ReportValue._meta.db_table}" v '
        "JOIN unnest(%s::bigint[], %s::integer[]) AS m (id, k) ON m.id = v.indicator_id "
        f"JOIN ({units_sql}) AS r (id, period_id, unit) ON r.id = v.report_id "
        "WHERE v.number IS NOT NULL"
        # A few periods' values (a period with the previous one and last year's) are read
        # through the index on the indicator, named again as a filter; many periods' by
        # scanning the table, which the planner, costing a long list by its length, would
        # otherwise give up for the index (1.1 s rather than 0.7 s for a country's ten years).
        + (" AND v.indicator_id = ANY(%s)" if few_periods else "")
        + " GROUP BY r.period_id, r.unit"
    )
    params = (ids, [position[pk] for pk in ids], *units_params, *([ids] if few_periods else []))
    return {(row[0], row[1]): list(row[2:]) for row in _raw_rows_of(reports.db, sql, params)}


def _add_up_by_period(by_unit: dict) -> dict:
    """period_id -> the province's totals in code order, from the units' rows."""
    by_period: dict = {}
    for (period_id, _unit_id), row in by_unit.items():
        total = by_period.get(period_id)
        if total is None:
            by_period[period_id] = list(row)
            continue
        for k, number in enumerate(row):
            if number is not None:
                before = total[k]
                total[k] = number if before is None else before + number
    return by_period


def _required_unit_ids(period: ReportingPeriod) -> set:
    return {
        district_id or commune_id
        for district_id, commune_id in period.required_organisations.values_list("district_id", "commune_id")
    } - {None}


@dataclass
class TerritoryComparison:
    """Two periods rolled up by former district territory: `rows` per indicator with the
    two province totals, `districts` with each territory's values for the chosen one."""

    first: ReportingPeriod
    second: ReportingPeriod
    data: Consolidation
    rows: list
    indicator: object
    districts: list


def territory_comparison(
    first: ReportingPeriod, second: ReportingPeriod, *, code: str = "", sector: str | None = None
) -> TerritoryComparison:
    """`second` beside `first`, both rolled up into the former districts' territories (2024
    H2 by district offices beside 2026 H1 by communes). Indicators are matched by code."""
    data = consolidate([second, first], sector=sector, by_territory=True)

    def change(current, previous):
        if current is None or not previous:
            return None
        return round(100 * (current - previous) / previous, 1)

    rows = []
    for indicator in data.indicators:
        a = data.totals.get((first.pk, indicator.code))
        b = data.totals.get((second.pk, indicator.code))
        rows.append({"indicator": indicator, "first": a, "second": b, "change": change(b, a)})
    chosen = next((r["indicator"] for r in rows if r["indicator"].code == code), rows[0]["indicator"] if rows else None)
    districts = []
    if chosen is not None:
        for district in data.districts:
            a = data.by_district.get((first.pk, district.pk, chosen.code))
            b = data.by_district.get((second.pk, district.pk, chosen.code))
            districts.append({"district": district, "first": a, "second": b, "change": change(b, a)})
    return TerritoryComparison(first=first, second=second, data=data, rows=rows, indicator=chosen, districts=districts)


def series_periods(period: ReportingPeriod, *, years: int) -> list[ReportingPeriod]:
    """`period` first, then every earlier period of the last `years` years, newest first."""
    earlier = ReportingPeriod.objects.filter(year__gt=period.year - years).filter(
        Q(year__lt=period.year) | Q(year=period.year, half__lte=period.half)
    )
    return [period, *[p for p in earlier.order_by("-year", "-half") if p.pk != period.pk]]


def narratives(period: ReportingPeriod, *, sector: str | None = None):
    """Narrative sections of the received reports, by district and organisation (one query)."""
    qs = (
        ReportValue.objects.filter(
            report__period=period, report__status__in=Report.RECEIVED, indicator__is_narrative=True
        )
        .exclude(text="")
        .select_related("report__organisation__district", "indicator")
        .order_by("report__organisation__district__code", "report__organisation__kind", "indicator__order")
    )
    if sector:
        qs = qs.filter(of_sector(sector, "report__organisation__"))
    return qs


def report_form_rows(report: Report):
    """The report's indicators grouped by section with their values and the latest review
    comments — what the entry form and the read-only view render (four queries)."""
    from .services import indicators_for

    values = {v.indicator_id: v for v in report.values.all()}
    comments = defaultdict(list)
    section_comments = defaultdict(list)
    last = report.submissions.order_by("-number").first()
    if last is not None and last.outcome == last.Outcome.RETURNED:
        for c in last.comments.select_related("author"):
            if c.indicator_id:
                comments[c.indicator_id].append(c)
            else:
                section_comments[c.section_id].append(c)
    sections = []
    current = None
    for indicator in indicators_for(report.period, report.organisation):
        if current is None or current["section"].pk != indicator.section_id:
            current = {
                "section": indicator.section,
                "rows": [],
                "comments": section_comments.get(indicator.section_id, []),
            }
            sections.append(current)
        current["rows"].append(
            {"indicator": indicator, "value": values.get(indicator.pk), "comments": comments.get(indicator.pk, [])}
        )
    return sections


def report_entry_state(report: Report) -> dict:
    """What the entry form needs to reconcile values typed offline with the portal's: the
    version, whether the report can still be edited, who saved last and every value as the
    form shows it (numbers without grouping, texts as typed). Two queries."""
    from .services import is_locked

    values = {}
    for value in report.values.select_related("indicator"):
        if value.indicator.is_narrative:
            values[value.indicator.code] = value.text or ""
        else:
            values[value.indicator.code] = "" if value.number is None else str(value.number)
    return {
        "version": report.version,
        "editable": report.is_editable_status and not is_locked(report),
        "status": report.status,
        "status_display": report.get_status_display(),
        "updated_by": report.updated_by.get_full_name() if report.updated_by_id else "",
        "updated_at": timezone.localtime(report.updated_at).strftime("%H:%M %d/%m/%Y"),
        "values": values,
    }


def period_values_for_user(user, period: ReportingPeriod, *, organisation_codes=None):
    """Filled values of the period's reports the user may open (as `reports_for_user`), in
    organisation then catalogue order: what the data-values export writes. One query."""
    reports = reports_for_user(user).filter(period=period)
    if organisation_codes:
        reports = reports.filter(organisation__code__in=organisation_codes)
    return (
        ReportValue.objects.filter(report__in=reports.values("pk"))
        .filter(Q(number__isnull=False) | ~Q(text=""))
        .select_related("report__period", "report__organisation", "indicator")
        .order_by("report__organisation__code", "indicator__order", "indicator__code")
    )


# --- Annual and programme consolidation (V.6) ----------------------------------------------


def _aggregate(kind: str, values: list):
    """Combine one indicator's period totals (oldest first) by its aggregation type."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    if kind == Indicator.Aggregation.LAST:
        return present[-1]
    if kind == Indicator.Aggregation.MAX:
        return max(present)
    return sum(present)


@dataclass
class SpanRow:
    indicator: Indicator
    by_period: list  # one total per period of the span, oldest first (None when nobody reported)
    total: int | None  # the span's figure, by the indicator's aggregation type
    by_district: list  # the span's figure per district, in `SpanConsolidation.districts` order


@dataclass
class SpanConsolidation:
    """A year's (H1 + H2) or a programme's consolidation, each indicator by its aggregation
    type: a flow is summed over the periods, a stock takes each district's latest figure,
    a maximum the largest period total."""

    title: str
    periods: list  # oldest first
    rows: list  # SpanRow
    districts: list
    reporting: dict  # period_id -> number of received reports

    @property
    def is_empty(self) -> bool:
        return not self.periods


def span_consolidation(periods: list, *, title: str, sector: str | None = None) -> SpanConsolidation:
    """Consolidate several periods into one figure per indicator (and per district). The
    indicators and their aggregation types are those of the latest period's catalogue,
    matched by code. Four queries whatever the number of periods and districts."""
    periods = sorted((p for p in periods if p is not None), key=lambda p: (p.year, p.half))
    if not periods:
        return SpanConsolidation(title=title, periods=[], rows=[], districts=[], reporting={})
    data = consolidate([periods[-1], *periods[:-1]], sector=sector)
    district_ids = set()
    for _period_id, district_id, _code in data.by_district:
        district_ids.add(district_id)
    districts = list(AdministrativeUnit.objects.filter(pk__in=district_ids).order_by("code")) or data.districts
    rows = []
    for indicator in data.indicators:
        by_period = [data.totals.get((p.pk, indicator.code)) for p in periods]
        by_district = [
            _aggregate(indicator.aggregation, [data.by_district.get((p.pk, d.pk, indicator.code)) for p in periods])
            for d in districts
        ]
        if indicator.aggregation == Indicator.Aggregation.LAST:
            # A stock is each district's latest known figure, added up: a district that did
            # not report in the last period still counts with its previous figure.
            known = [v for v in by_district if v is not None]
            total = sum(known) if known else None
        else:
            total = _aggregate(indicator.aggregation, by_period)
        rows.append(SpanRow(indicator=indicator, by_period=by_period, total=total, by_district=by_district))
    return SpanConsolidation(title=title, periods=periods, rows=rows, districts=districts, reporting=data.reporting)


def year_periods(year: int) -> list[ReportingPeriod]:
    return list(ReportingPeriod.objects.filter(year=year).order_by("half"))


def programme_periods(programme) -> list[ReportingPeriod]:
    return list(
        ReportingPeriod.objects.filter(year__gte=programme.valid_from, year__lte=programme.valid_to).order_by(
            "year", "half"
        )
    )
