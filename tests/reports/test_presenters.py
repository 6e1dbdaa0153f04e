"""What the reports pages and the report form's script are given, built without a request."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports import presenters, services
from tests.conftest import org

from .factories import period


def test_a_colleagues_save_is_a_409_conflict_for_the_script_and_a_message_for_the_page():
    refused = presenters.save_refusal(services.ConflictError("Báo cáo vừa được lưu; hãy tải lại trang."))
    assert refused.status == 409 and refused.body["conflict"] is True
    assert refused.message == "Báo cáo vừa được lưu; hãy tải lại trang."


def test_a_submitted_report_is_423_for_the_script_so_it_offers_the_typed_values_as_a_file():
    refused = presenters.save_refusal(ValidationError("Báo cáo đã nộp.", code="not_editable"))
    assert refused.status == 423 and refused.body == {"ok": False, "closed": True, "message": "Báo cáo đã nộp."}
    assert refused.message.startswith("Báo cáo đã nộp.")


def test_bad_values_are_a_400_with_one_message_per_indicator():
    refused = presenters.save_refusal(ValidationError({"GD02": "Không phải là số.", "GD03": "Không được âm."}))
    assert refused.status == 400
    assert refused.body["errors"] == {"GD02": "Không phải là số.", "GD03": "Không được âm."}
    assert "GD02: Không phải là số." in refused.message and "GD03: Không được âm." in refused.message


def test_a_refused_submission_names_the_indicators_at_fault():
    text = presenters.submit_refusal(ValidationError({"GD01": "Chưa nhập.", "NR1": "Chưa nhập."}))
    assert text == "Chưa nộp được báo cáo. GD01: Chưa nhập.; NR1: Chưa nhập."


@pytest.mark.django_db
def test_the_open_form_proposes_the_half_year_after_the_latest_period():
    assert presenters.next_period_key(today=datetime.date(2026, 3, 1)) == (2026, "H1")
    assert presenters.next_period_key(today=datetime.date(2026, 12, 20)) == (2027, "H1")
    period(2026, "H1")
    assert presenters.next_period_key() == (2026, "H2")
    period(2026, "H2")
    assert presenters.next_period_key() == (2027, "H1")


@pytest.mark.django_db
def test_the_district_index_lists_the_open_forms_for_use_without_a_network(gddt_lac_son):
    p = period(2026, "H1")
    report = services.report_start(period=p, organisation=org("GDDT-157"), by=gddt_lac_son)
    page = presenters.district_index(gddt_lac_son)
    assert [x.pk for x in page["periods"]] == [p.pk] and page["periods"][0].own_report == report
    assert reverse("reports:report-detail", args=[report.pk]) in page["offline_pages"]
    after_lock = presenters.district_index(gddt_lac_son, today=p.lock_date + datetime.timedelta(days=1))
    assert after_lock["offline_pages"] == "[]"
