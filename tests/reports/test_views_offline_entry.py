"""The endpoints behind offline entry: the report's state for reconciling values typed
offline, and a clear refusal (423) when the report was submitted meanwhile."""

import pytest
from django.urls import reverse

from reports import services
from reports.models import Report
from tests.conftest import org

from .factories import filled_report, period

pytestmark = pytest.mark.django_db
FETCH = {"x-requested-with": "fetch"}


@pytest.fixture
def report(gddt_lac_son):
    return filled_report(period(2026, "H1"), org("GDDT-157"), gddt_lac_son)


def test_state_gives_version_values_and_last_editor(client, gddt_lac_son, report):
    client.force_login(gddt_lac_son)
    state = client.get(reverse("reports:report-state", args=[report.pk])).json()
    assert state["version"] == report.version and state["editable"] is True
    assert state["values"]["GD08"] == "5200"  # as the form shows it: no grouping
    assert state["values"]["NR1"].startswith("Các trường đã tổ chức")
    assert state["updated_by"] == gddt_lac_son.get_full_name()


def test_state_is_refused_to_readers_and_hidden_from_outsiders(client, vanphong, gddt_mai_chau, report):
    url = reverse("reports:report-state", args=[report.pk])
    client.force_login(vanphong)
    assert client.get(url).status_code == 403
    client.force_login(gddt_mai_chau)
    assert client.get(url).status_code == 404


def test_state_refuses_post(client, gddt_lac_son, report):
    client.force_login(gddt_lac_son)
    assert client.post(reverse("reports:report-state", args=[report.pk])).status_code == 405


def test_state_says_when_the_report_can_no_longer_be_edited(client, gddt_lac_son, report):
    services.report_submit(report=report, by=gddt_lac_son)
    client.force_login(gddt_lac_son)
    state = client.get(reverse("reports:report-state", args=[report.pk])).json()
    assert state["editable"] is False and state["status_display"] == "Đã nộp"


def test_saving_into_a_submitted_report_is_refused_as_closed_and_changes_nothing(client, gddt_lac_son, report):
    services.report_submit(report=report, by=gddt_lac_son)
    client.force_login(gddt_lac_son)
    response = client.post(
        reverse("reports:report-save", args=[report.pk]), {"version": report.version, "v_GD08": "1"}, headers=FETCH
    )
    assert response.status_code == 423
    assert response.json()["closed"] is True and "Đã nộp" in response.json()["message"]
    assert Report.objects.get(pk=report.pk).values.get(indicator__code="GD08").number == 5200


def test_report_list_hands_the_open_forms_to_the_service_worker(client, gddt_lac_son, report):
    client.force_login(gddt_lac_son)
    page = client.get(reverse("reports:index")).content.decode()
    assert f'data-offline-pages="[&quot;/reports/{report.pk}/&quot;]"' in page
    services.report_submit(report=report, by=gddt_lac_son)
    page = client.get(reverse("reports:index")).content.decode()
    assert 'data-offline-pages="[]"' in page  # a submitted report is no longer kept for entry


def test_the_form_carries_its_translated_texts_and_no_inline_script(client, gddt_lac_son, report):
    client.force_login(gddt_lac_son)
    page = client.get(reverse("reports:report-detail", args=[report.pk])).content.decode()
    assert 'id="report-form-texts" type="application/json"' in page
    assert "Nộp báo cáo cần có mạng" in page
    assert "<script>" not in page
