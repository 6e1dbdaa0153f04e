"""Bulk exchange through /api/v1/data-values/: DHIS2 dataValueSets JSON and CSV, dry run,
per-value summary, all or nothing, submitted reports refused, and the round trip."""

import pytest

from directory.models import Organisation
from reports import services
from reports.models import Report, ReportValue
from tests.reports.factories import filled_report, open_period, period

URL = "/api/v1/data-values/"


def org(code):
    return Organisation.objects.get(code=code)


def stored(organisation_code, period_obj):
    return {
        code: (text if text else number)
        for code, number, text in ReportValue.objects.filter(
            report__organisation__code=organisation_code, report__period=period_obj
        )
        .filter(number__isnull=False)
        .values_list("indicator__code", "number", "text")
    }


def dvs(*values, org_unit="GDDT-157", period_iso="2026S1"):
    return {
        "dataValues": [
            {"dataElement": code, "period": period_iso, "orgUnit": org_unit, "value": value} for code, value in values
        ]
    }


@pytest.fixture
def h1(db):
    return open_period(2026, "H1")


@pytest.mark.django_db
def test_dry_run_reports_what_would_happen_and_writes_nothing(api, h1, gddt_lac_son):
    response = api(gddt_lac_son).post(f"{URL}?dryRun=true", dvs(("GD02", "28"), ("GD03", "20")), format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "SUCCESS" and body["dryRun"] is True and body["written"] is False
    assert body["importCount"] == {"imported": 2, "updated": 0, "ignored": 0, "conflicts": 0}
    assert [v["status"] for v in body["values"]] == ["imported", "imported"]
    assert not Report.objects.filter(period=h1).exists()


@pytest.mark.django_db
def test_a_real_import_creates_the_draft_and_counts_imported_updated_ignored(api, h1, gddt_lac_son):
    client = api(gddt_lac_son)
    # GD01 (number of schools) is prefilled from the directory when the report is created.
    first = client.post(URL, dvs(("GD01", "30"), ("GD02", "28")), format="json").json()
    assert first["status"] == "SUCCESS" and first["written"] is True
    assert [v["status"] for v in first["values"]] == ["updated", "imported"]
    report = Report.objects.get(period=h1, organisation__code="GDDT-157")
    assert report.status == Report.Status.DRAFT and first["reports"] == [report.pk]
    assert stored("GDDT-157", h1) == {"GD01": 30, "GD02": 28}
    second = client.post(URL, dvs(("GD01", "30"), ("GD02", "29"), ("GD03", "1.250")), format="json").json()
    assert [v["status"] for v in second["values"]] == ["ignored", "updated", "imported"]
    assert stored("GDDT-157", h1) == {"GD01": 30, "GD02": 29, "GD03": 1250}
    assert Report.objects.get(pk=report.pk).version == report.version + 1


@pytest.mark.django_db
@pytest.mark.parametrize("dry_run", [True, False])
def test_one_bad_value_writes_nothing_and_names_the_value(api, h1, gddt_lac_son, dry_run):
    filled_report(h1, org("GDDT-157"), gddt_lac_son)
    before = stored("GDDT-157", h1)
    url = f"{URL}?dryRun={'true' if dry_run else 'false'}"
    response = api(gddt_lac_son).post(url, dvs(("GD01", "31"), ("GD02", "hai mươi"), ("GD03", "21")), format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["status"] == "ERROR" and body["written"] is False
    assert body["description"] == "Không ghi giá trị nào: 1 giá trị có xung đột."
    conflict = [v for v in body["values"] if v["status"] == "conflict"]
    assert len(conflict) == 1
    assert conflict[0]["dataElement"] == "GD02" and conflict[0]["index"] == 2
    assert conflict[0]["reason"] == "“hai mươi” không phải là số."
    assert stored("GDDT-157", h1) == before


@pytest.mark.django_db
def test_without_atomic_the_good_values_are_written(api, h1, gddt_lac_son):
    body = api(gddt_lac_son).post(f"{URL}?atomic=false", dvs(("GD01", "31"), ("GD02", "-1")), format="json").json()
    assert body["status"] == "WARNING" and body["written"] is True
    assert [v["status"] for v in body["values"]] == ["updated", "conflict"]
    assert stored("GDDT-157", h1) == {"GD01": 31}


@pytest.mark.django_db
def test_an_import_into_a_submitted_report_is_refused(api, h1, gddt_lac_son):
    report = filled_report(h1, org("GDDT-157"), gddt_lac_son, submit=True)
    response = api(gddt_lac_son).post(URL, dvs(("GD01", "99")), format="json")
    assert response.status_code == 409
    reason = response.json()["values"][0]["reason"]
    assert reason == "Báo cáo đang ở trạng thái “Đã nộp” nên không sửa được."
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED and stored("GDDT-157", h1)["GD01"] == 30


@pytest.mark.django_db
def test_values_outside_the_officers_organisation_are_conflicts(api, h1, gddt_lac_son, thuvien):
    payload = {
        "dataValues": [
            {"dataElement": "GD01", "period": "2026S1", "orgUnit": "GDDT-156", "value": "5"},  # other district
            {"dataElement": "VH01", "period": "2026S1", "orgUnit": "VHTT-157", "value": "5"},  # same district
            {"dataElement": "GD01", "period": "2030S2", "orgUnit": "GDDT-157", "value": "5"},  # no such period
            {"dataElement": "XX99", "period": "2026S1", "orgUnit": "GDDT-157", "value": "5"},  # no such code
        ]
    }
    values = api(gddt_lac_son).post(URL, payload, format="json").json()["values"]
    reasons = [v["reason"] for v in values]
    assert reasons[0] == "Không có đơn vị mã “GDDT-156” trong phạm vi của bạn."
    assert reasons[1].startswith("Chỉ cán bộ của đơn vị báo cáo")
    assert reasons[2].startswith("Không có kỳ báo cáo “2030S2”")
    assert reasons[3].startswith("Mã chỉ tiêu XX99 không có trong danh mục")
    # A focal officer reads every report but writes none.
    focal = api(thuvien).post(URL, dvs(("GD01", "5")), format="json").json()
    assert focal["values"][0]["status"] == "conflict"
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_csv_dry_run_then_real_import(api, h1, gddt_lac_son):
    csv_text = 'dataelement,period,orgunit,value\nGD01,2026S1,GDDT-157,30\nGD02,2026S1,GDDT-157,"1.250"\n'
    client = api(gddt_lac_son)
    dry = client.post(f"{URL}?dryRun=true", csv_text, content_type="text/csv")
    assert dry.status_code == 200 and dry.json()["importCount"]["conflicts"] == 0
    assert not Report.objects.exists()
    real = client.post(URL, csv_text.encode("utf-8"), content_type="text/csv")
    assert real.status_code == 200
    assert stored("GDDT-157", h1) == {"GD01": 30, "GD02": 1250}


@pytest.mark.django_db
def test_unreadable_documents_are_400_with_a_reason(api, h1, gddt_lac_son):
    client = api(gddt_lac_son)
    no_header = client.post(URL, "GD01,2026S1,GDDT-157,30\n", content_type="text/csv")
    assert no_header.status_code == 400 and "thiếu cột" in no_header.json()["file"][0]
    wrong_shape = client.post(URL, {"values": []}, format="json")
    assert wrong_shape.status_code == 400 and "dataValues" in wrong_shape.json()
    assert client.post(f"{URL}?dryRun=maybe", dvs(("GD01", "1")), format="json").status_code == 400
    assert client.post(URL, b"\xff\xfe\x00garbage", content_type="application/json").status_code == 400


@pytest.mark.django_db
def test_export_as_csv_has_dhis2_columns(api, h1, gddt_lac_son):
    filled_report(h1, org("GDDT-157"), gddt_lac_son)
    response = api(gddt_lac_son).get(URL, {"period": "2026S1", "exportFormat": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value")
    assert "GD01,2026S1,GDDT-157,,,30," in "\n".join(lines)


@pytest.mark.django_db
def test_export_shows_only_what_the_user_may_read(api, h1, gddt_lac_son, gddt_mai_chau, vanphong):
    filled_report(h1, org("GDDT-157"), gddt_lac_son)
    filled_report(h1, org("GDDT-156"), gddt_mai_chau)
    own = api(gddt_lac_son).get(URL, {"period": "2026S1"}).json()
    assert {v["orgUnit"] for v in own["dataValues"]} == {"GDDT-157"}
    everyone = api(vanphong).get(URL, {"period": "2026S1", "orgUnit": "GDDT-156"}).json()
    assert {v["orgUnit"] for v in everyone["dataValues"]} == {"GDDT-156"}


@pytest.mark.django_db
def test_a_dhis2_export_imported_into_an_empty_copy_of_the_period_reproduces_every_value(
    api, h1, gddt_lac_son, vhtt_lac_son, thuvien
):
    filled_report(h1, org("GDDT-157"), gddt_lac_son, submit=True)
    filled_report(h1, org("VHTT-157"), vhtt_lac_son, submit=True)
    exported = api(thuvien).get(URL, {"period": "2026S1"}).json()
    assert exported["period"] == "2026S1" and exported["dataSet"] == "BC6T"
    assert len(exported["dataValues"]) == 25  # 13 education + 12 culture values, narratives included
    copy = period(2027, "H1")  # a new period: the same catalogue, no report yet
    assert not copy.reports.exists()

    def moved(values, code):
        return {"dataValues": [{**v, "period": "2027S1"} for v in values if v["orgUnit"] == code]}

    for officer, code in ((gddt_lac_son, "GDDT-157"), (vhtt_lac_son, "VHTT-157")):
        body = api(officer).post(URL, moved(exported["dataValues"], code), format="json").json()
        assert body["status"] == "SUCCESS", body
        assert body["importCount"]["conflicts"] == 0
    again = api(thuvien).get(URL, {"period": "2027S1"}).json()

    def key(values):
        return sorted((v["orgUnit"], v["dataElement"], v["value"]) for v in values)

    assert key(again["dataValues"]) == key(exported["dataValues"])
    assert services  # the reports services did the writing (report_save), see test above
