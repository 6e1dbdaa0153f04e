import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from reports import services
from reports.models import Report, ReportEvent, ReportSubmission
from tests.conftest import org

from .factories import GD_VALUES, filled_report, period

pytestmark = pytest.mark.django_db


def test_district_officer_fills_and_submits_on_time(gddt_lac_son, external_figures):
    external_figures["training"] = {"GD06": 9}
    p = period(2026, "H1", due_date=datetime.date(2026, 6, 19), lock_date=datetime.date(2026, 7, 19))
    with time_machine.travel(datetime.datetime(2026, 6, 18, 9, 0, tzinfo=datetime.UTC)):
        report = services.report_start(period=p, organisation=org("GDDT-157"), by=gddt_lac_son)
        gd06 = report.values.get(indicator__code="GD06")
        assert (gd06.number, gd06.source) == (9, "training")
        assert report.values.get(indicator__code="GD01").source == "directory"
        services.report_save(
            report=report, version=report.version, values={k: str(v) for k, v in GD_VALUES.items()}, by=gddt_lac_son
        )
        report = services.report_submit(report=report, by=gddt_lac_son)
    assert report.status == Report.Status.SUBMITTED and report.is_late is False
    assert report.submitted_at is not None
    assert report.values.get(indicator__code="GD08").number == 5200


def test_a_submission_after_the_due_date_is_marked_late(gddt_lac_son):
    p = period(2026, "H1", due_date=datetime.date(2026, 6, 19), lock_date=datetime.date(2026, 7, 19))
    with time_machine.travel(datetime.datetime(2026, 6, 20, 3, 0, tzinfo=datetime.UTC)):
        report = filled_report(p, org("GDDT-157"), gddt_lac_son, submit=True)
    assert report.is_late is True
    assert report.submissions.get().is_late is True


def test_an_empty_report_cannot_be_submitted(gddt_lac_son):
    p = period(2026, "H1")
    report = services.report_start(period=p, organisation=org("GDDT-157"), by=gddt_lac_son)
    with pytest.raises(ValidationError) as error:
        services.report_submit(report=report, by=gddt_lac_son)
    assert "GD02" in error.value.error_dict and "NR1" in error.value.error_dict
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT


def test_cross_indicator_rules_are_warnings_in_a_draft_and_block_submission(gddt_lac_son):
    p = period(2026, "H1")
    values = {**GD_VALUES, "GD02": 40}  # more schools with a library than schools
    report = services.report_start(period=p, organisation=org("GDDT-157"), by=gddt_lac_son)
    result = services.report_save(
        report=report, version=report.version, values={k: str(v) for k, v in values.items()}, by=gddt_lac_son
    )
    assert "GD02" in result.warnings
    with pytest.raises(ValidationError) as error:
        services.report_submit(report=report, by=gddt_lac_son)
    assert "GD01" in error.value.error_dict["GD02"][0].message


def test_bad_input_saves_nothing(gddt_lac_son):
    p = period(2026, "H1")
    report = services.report_start(period=p, organisation=org("GDDT-157"), by=gddt_lac_son)
    with pytest.raises(ValidationError) as error:
        services.report_save(
            report=report, version=report.version, values={"GD02": "12", "GD03": "-1", "GD04": "mười"}, by=gddt_lac_son
        )
    assert set(error.value.error_dict) == {"GD03", "GD04"}
    assert report.values.get(indicator__code="GD02").number is None


def test_a_submitted_report_refuses_edits(gddt_lac_son):
    report = filled_report(period(2026, "H1"), org("GDDT-157"), gddt_lac_son, submit=True)
    with pytest.raises(ValidationError, match="không sửa được"):
        services.report_save(report=report, version=report.version, values={"GD02": "1"}, by=gddt_lac_son)
    assert report.values.get(indicator__code="GD02").number == 28


def test_a_second_concurrent_save_is_refused(gddt_lac_son):
    colleague = type(gddt_lac_son).objects.create(username="gddt.lac-son.2", organisation=gddt_lac_son.organisation)
    report = services.report_start(period=period(2026, "H1"), organisation=org("GDDT-157"), by=gddt_lac_son)
    loaded = report.version  # both opened the form at this version
    services.report_save(report=report, version=loaded, values={"GD02": "20"}, by=colleague)
    with pytest.raises(services.ConflictError, match="lưu lúc"):
        services.report_save(report=report, version=loaded, values={"GD02": "25"}, by=gddt_lac_son)
    assert report.values.get(indicator__code="GD02").number == 20


def test_return_with_comments_and_resubmission_keeps_both_versions(gddt_lac_son, vanphong):
    report = filled_report(period(2026, "H1"), org("GDDT-157"), gddt_lac_son, submit=True)
    services.report_return(
        report=report,
        by=vanphong,
        note="Đề nghị rà soát số nhân viên.",
        comments={"GD04": "Số liệu chưa khớp", "NR": "Bổ sung khó khăn"},
    )
    report.refresh_from_db()
    assert report.status == Report.Status.RETURNED
    services.report_save(report=report, version=report.version, values={"GD04": "14"}, by=gddt_lac_son)
    services.report_submit(report=report, by=gddt_lac_son)
    first, second = ReportSubmission.objects.filter(report=report).order_by("number")
    assert first.outcome == ReportSubmission.Outcome.RETURNED and first.values["GD04"] == 12
    assert second.values["GD04"] == 14 and second.outcome == ReportSubmission.Outcome.PENDING
    assert {c.indicator.code if c.indicator else c.section.code for c in first.comments.all()} == {"GD04", "NR"}
    # Every value change is audited.
    history = report.values.get(indicator__code="GD04").history.order_by("history_date")
    assert [h.number for h in history] == [None, 12, 14]
    assert history.last().history_user == gddt_lac_son


def test_only_the_focal_unit_of_the_sector_reviews(gddt_lac_son, thuvien, vanphong):
    report = filled_report(period(2026, "H1"), org("GDDT-157"), gddt_lac_son, submit=True)
    with pytest.raises(PermissionDenied):
        services.report_accept(report=report, by=thuvien)
    services.report_accept(report=report, by=vanphong)
    report.refresh_from_db()
    assert report.status == Report.Status.ACCEPTED


def test_after_the_lock_date_only_a_focal_officer_reopens_with_a_reason(gddt_lac_son, vanphong):
    p = period(2026, "H1", due_date=datetime.date(2026, 6, 19), lock_date=datetime.date(2026, 7, 19))
    with time_machine.travel(datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)):
        report = services.report_start(period=p, organisation=org("GDDT-157"), by=gddt_lac_son)
    with time_machine.travel(datetime.datetime(2026, 8, 1, tzinfo=datetime.UTC)):
        with pytest.raises(ValidationError, match="khóa sổ"):
            services.report_save(report=report, version=report.version, values={"GD02": "3"}, by=gddt_lac_son)
        with pytest.raises(ValidationError, match="lý do"):
            services.report_reopen(report=report, by=vanphong, reason=" ")
        services.report_reopen(report=report, by=vanphong, reason="Đơn vị bị mất điện nhiều ngày")
        report.refresh_from_db()
        services.report_save(report=report, version=report.version, values={"GD02": "3"}, by=gddt_lac_son)
    assert report.events.filter(action=ReportEvent.Action.REOPENED, note__contains="mất điện").exists()


def test_new_period_copies_the_catalogue_so_past_reports_never_change(gddt_lac_son):
    first = period(2026, "H1")
    second = period(2026, "H2")
    assert second.indicators.count() == first.indicators.count() == 26
    changed = second.indicators.get(code="GD02")
    changed.label = "Số trường có thư viện (mới)"
    changed.save()
    assert first.indicators.get(code="GD02").label == "Số trường có thư viện"
    assert second.required_organisations.filter(code="GDDT-157").exists()
    assert not second.required_organisations.filter(code="GDDT-151").exists()  # Kỳ Sơn merged in 2020
