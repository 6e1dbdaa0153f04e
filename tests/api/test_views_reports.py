"""Reports through the API: the same scope, version check and messages as the pages."""

import pytest

from directory.models import Organisation
from reports.models import Report, ReportValue
from tests.reports.factories import filled_report, open_period


def org(code):
    return Organisation.objects.get(code=code)


@pytest.fixture
def period(db):
    return open_period(2026, "H1")


@pytest.fixture
def reports(period, gddt_lac_son, vhtt_lac_son, gddt_mai_chau):
    return {
        "own": filled_report(period, org("GDDT-157"), gddt_lac_son),
        "same_district": filled_report(period, org("VHTT-157"), vhtt_lac_son),
        "other_district": filled_report(period, org("GDDT-156"), gddt_mai_chau),
    }


@pytest.mark.django_db
def test_a_district_officer_lists_only_their_own_organisations_reports(api, reports, gddt_lac_son):
    body = api(gddt_lac_son).get("/api/v1/reports/").json()
    assert body["count"] == 1
    assert [r["organisation_code"] for r in body["results"]] == ["GDDT-157"]
    assert body["results"][0]["period_iso"] == "2026S1"


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["other_district", "same_district"])
def test_another_organisations_report_by_id_is_404(api, reports, gddt_lac_son, which):
    client = api(gddt_lac_son)
    pk = reports[which].pk
    before = sorted(ReportValue.objects.filter(report_id=pk).values_list("indicator__code", "number"))
    assert client.get(f"/api/v1/reports/{pk}/").status_code == 404
    code = before[0][0]
    response = client.post(f"/api/v1/reports/{pk}/values/", {"version": 1, "values": {code: "1"}}, format="json")
    assert response.status_code == 404
    assert client.post(f"/api/v1/reports/{pk}/submit/", {}, format="json").status_code == 404
    assert sorted(ReportValue.objects.filter(report_id=pk).values_list("indicator__code", "number")) == before


@pytest.mark.django_db
def test_focal_officers_list_every_report_and_filter_by_district_and_sector(api, reports, thuvien):
    client = api(thuvien)
    assert client.get("/api/v1/reports/").json()["count"] == 3
    by_district = client.get("/api/v1/reports/", {"district": "157"}).json()
    assert {r["organisation_code"] for r in by_district["results"]} == {"GDDT-157", "VHTT-157"}
    education = client.get("/api/v1/reports/", {"sector": "education", "period": "2026S1"}).json()
    assert {r["organisation_code"] for r in education["results"]} == {"GDDT-157", "GDDT-156"}
    assert client.get("/api/v1/reports/", {"period": "2025S2"}).json()["count"] == 0


@pytest.mark.django_db
def test_the_officer_saves_values_with_the_version_check(api, reports, gddt_lac_son):
    client = api(gddt_lac_son)
    report = reports["own"]
    detail = client.get(f"/api/v1/reports/{report.pk}/").json()
    version = detail["version"]
    assert {v["code"]: v["number"] for v in detail["values"]}["GD01"] == 30
    saved = client.post(
        f"/api/v1/reports/{report.pk}/values/", {"version": version, "values": {"GD01": "31"}}, format="json"
    )
    assert saved.status_code == 200
    assert saved.json()["changed"] == 1 and saved.json()["report"]["version"] == version + 1
    stale = client.post(
        f"/api/v1/reports/{report.pk}/values/", {"version": version, "values": {"GD01": "99"}}, format="json"
    )
    assert stale.status_code == 409
    assert "bị từ chối để không ghi đè" in stale.json()["detail"]
    assert ReportValue.objects.get(report=report, indicator__code="GD01").number == 31


@pytest.mark.django_db
def test_a_bad_value_is_400_with_the_message_in_vietnamese_or_english(api, reports, gddt_lac_son):
    client = api(gddt_lac_son)
    report = reports["own"]
    payload = {"version": report.version, "values": {"GD01": "-3", "GD02": "12"}}
    vi = client.post(f"/api/v1/reports/{report.pk}/values/", payload, format="json")
    assert vi.status_code == 400
    assert vi.json() == {"GD01": ["Giá trị không được là số âm."]}
    en = client.post(f"/api/v1/reports/{report.pk}/values/", payload, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert en.status_code == 400
    assert en.json()["GD01"][0] != vi.json()["GD01"][0] and "negative" in en.json()["GD01"][0].lower()
    missing = client.post(f"/api/v1/reports/{report.pk}/values/", {"values": {}}, format="json")
    assert missing.status_code == 400 and set(missing.json()) == {"version", "values"}
    assert ReportValue.objects.get(report=report, indicator__code="GD02").number == 28


@pytest.mark.django_db
def test_a_focal_officer_may_read_but_not_edit_a_district_report(api, reports, vanphong):
    client = api(vanphong)
    report = reports["own"]
    detail = client.get(f"/api/v1/reports/{report.pk}/")
    assert detail.status_code == 200
    assert detail.json()["organisation_code"] == "GDDT-157"
    assert {v["code"]: v["number"] for v in detail.json()["values"]}["GD01"] == 30
    response = client.post(
        f"/api/v1/reports/{report.pk}/values/", {"version": report.version, "values": {"GD01": "1"}}, format="json"
    )
    assert response.status_code == 403
    assert not report.values.filter(indicator__code="GD01", number=1).exists()


@pytest.mark.django_db
def test_submitting_locks_the_report(api, reports, gddt_lac_son):
    client = api(gddt_lac_son)
    report = reports["own"]
    submitted = client.post(f"/api/v1/reports/{report.pk}/submit/", {"version": report.version}, format="json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    again = client.post(
        f"/api/v1/reports/{report.pk}/values/",
        {"version": submitted.json()["version"], "values": {"GD01": "1"}},
        format="json",
    )
    assert again.status_code == 400
    assert "Đã nộp" in again.json()["non_field_errors"][0]
    assert Report.objects.get(pk=report.pk).status == Report.Status.SUBMITTED


@pytest.mark.django_db
def test_an_incomplete_report_cannot_be_submitted(api, period, gddt_lac_son):
    report = filled_report(period, org("GDDT-157"), gddt_lac_son, values={"GD01": 30})
    response = api(gddt_lac_son).post(f"/api/v1/reports/{report.pk}/submit/", {}, format="json")
    assert response.status_code == 400
    assert "GD02" in response.json() and "Chưa nhập giá trị" in response.json()["GD02"][0]


@pytest.mark.django_db
def test_completeness_and_consolidation_for_the_province_only(
    api, period, reports, gddt_lac_son, vhtt_lac_son, thuvien
):
    from reports import services

    services.report_submit(report=reports["own"], by=gddt_lac_son)
    services.report_submit(report=reports["same_district"], by=vhtt_lac_son)
    client = api(thuvien)
    completeness = client.get("/api/v1/completeness/", {"period": "2026S1", "district": "157"}).json()
    rows = {r["organisation_code"]: r for r in completeness["rows"]}
    assert rows["GDDT-157"]["status"] == "submitted" and rows["GDDT-157"]["complete"] is True
    assert all(r["district_code"] == "157" for r in completeness["rows"])
    consolidation = client.get("/api/v1/consolidation/", {"period": "2026S1", "sector": "education"}).json()
    gd01 = next(i for i in consolidation["indicators"] if i["code"] == "GD01")
    assert gd01["total"] == 30  # Mai Châu's report is still a draft: not counted
    assert {d["code"]: d["value"] for d in gd01["districts"]}["157"] == 30
    assert api(gddt_lac_son).get("/api/v1/consolidation/", {"period": "2026S1"}).status_code == 403
    assert client.get("/api/v1/consolidation/", {"period": "2031S1"}).status_code == 404
    bad = client.get("/api/v1/consolidation/", {"period": "H1"})
    assert bad.status_code == 400 and "period" in bad.json()


@pytest.mark.django_db
def test_list_queries_stay_bounded(api, period, thuvien, django_assert_max_num_queries):
    from tests.factories import UserFactory

    for code in ("GDDT-157", "GDDT-156", "GDDT-155", "VHTT-157", "VHTT-156"):
        officer = UserFactory(organisation=org(code))
        filled_report(period, org(code), officer)
    client = api(thuvien)
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/reports/").json()["count"] == 5
    with django_assert_max_num_queries(10):
        client.get("/api/v1/data-values/", {"period": "2026S1"})


@pytest.mark.django_db
def test_drf_messages_are_in_vietnamese_by_default_and_english_on_request(api, reports, gddt_lac_son):
    client = api(gddt_lac_son)
    url = f"/api/v1/reports/{reports['own'].pk}/values/"
    vi = client.post(url, {"version": "ba", "values": {}}, format="json").json()
    assert vi == {"version": ["Phải là một số nguyên."], "values": ["Không được để trống."]}
    en = client.post(url, {"version": "ba"}, format="json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert en == {"version": ["Must be an integer."], "values": ["This field is required."]}
    assert client.delete(url).json() == {"detail": "Phương thức này không dùng được ở địa chỉ này."}
    anonymous = api(None).get("/api/v1/reports/")
    assert anonymous.status_code == 401 and anonymous.json()["detail"].startswith("Chưa xác thực")


@pytest.mark.django_db
def test_organisation_search_agrees_with_the_directory_page(api, client, gddt_lac_son):
    client.force_login(gddt_lac_son)
    page = client.get("/directory/organisations/", {"q": "lac son"}).content.decode()
    listed = api(gddt_lac_son).get("/api/v1/organisations/", {"q": "lac son", "page_size": 500}).json()["results"]
    assert listed and all(o["name"] in page for o in listed[:30])
    assert {o["district_code"] for o in listed} == {"157"}


@pytest.mark.django_db
def test_the_directory_page_and_the_api_use_one_filter_set(api, client, thuvien):
    client.force_login(thuvien)
    query = {"district": "157", "kind": "education_office"}
    page = client.get("/directory/organisations/", query).content.decode()
    listed = api(thuvien).get("/api/v1/organisations/", query).json()["results"]
    assert [o["code"] for o in listed] == ["GDDT-157"]
    assert "Phòng Giáo dục và Đào tạo huyện Lạc Sơn" in page and "huyện Mai Châu" not in page
    home = client.get("/").content.decode()
    assert "/directory/organisations/?district=157" in home
