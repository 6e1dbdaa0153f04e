import pytest
from django.urls import reverse

from reports.models import Report
from tests.conftest import org

from .factories import filled_report, period

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(gddt_lac_son):
    p = period(2026, "H1")
    return filled_report(p, org("GDDT-157"), gddt_lac_son)


def test_officer_sees_and_autosaves_own_report(client, gddt_lac_son, report):
    client.force_login(gddt_lac_son)
    page = client.get(reverse("reports:report-detail", args=[report.pk]))
    assert page.status_code == 200
    assert b'name="v_GD02"' in page.content and "Từ danh bạ".encode() in page.content
    response = client.post(
        reverse("reports:report-save", args=[report.pk]),
        {"version": report.version, "v_GD02": "27"},
        headers={"x-requested-with": "fetch"},
    )
    assert response.status_code == 200 and response.json()["version"] == report.version + 1
    assert report.values.get(indicator__code="GD02").number == 27


def test_a_stale_autosave_gets_409_with_a_clear_message(client, gddt_lac_son, report):
    client.force_login(gddt_lac_son)
    url = reverse("reports:report-save", args=[report.pk])
    client.post(url, {"version": report.version, "v_GD02": "27"}, headers={"x-requested-with": "fetch"})
    stale = client.post(url, {"version": report.version, "v_GD02": "1"}, headers={"x-requested-with": "fetch"})
    assert stale.status_code == 409 and "tải lại trang" in stale.json()["message"]
    assert report.values.get(indicator__code="GD02").number == 27


def test_invalid_autosave_returns_messages_per_indicator(client, gddt_lac_son, report):
    client.force_login(gddt_lac_son)
    response = client.post(
        reverse("reports:report-save", args=[report.pk]),
        {"version": report.version, "v_GD02": "abc", "v_GD03": "-4"},
        headers={"x-requested-with": "fetch"},
    )
    assert response.status_code == 400
    assert "không phải là số" in response.json()["errors"]["GD02"] and "âm" in response.json()["errors"]["GD03"]


def test_officer_of_another_district_gets_404(client, gddt_mai_chau, outsider, report):
    for user in (gddt_mai_chau, outsider):
        client.force_login(user)
        assert client.get(reverse("reports:report-detail", args=[report.pk])).status_code == 404
        assert client.post(reverse("reports:report-save", args=[report.pk]), {"version": 1}).status_code == 404


def test_colleague_office_of_the_same_district_gets_404(client, vhtt_lac_son, report):
    client.force_login(vhtt_lac_son)
    assert client.get(reverse("reports:report-detail", args=[report.pk])).status_code == 404


def test_readers_cannot_edit_or_review_outside_their_role(client, giamdoc_sgddt, thuvien, report):
    client.force_login(giamdoc_sgddt)
    page = client.get(reverse("reports:report-detail", args=[report.pk]))
    assert page.status_code == 200
    assert report.organisation.name in page.content.decode() and b'name="v_GD02"' not in page.content
    assert client.post(reverse("reports:report-save", args=[report.pk]), {"version": 1}).status_code == 403
    assert client.get(reverse("reports:report-template", args=[report.pk])).status_code == 403
    report.refresh_from_db()
    client.force_login(thuvien)  # culture focal unit: not the reviewer of an education office
    assert client.post(reverse("reports:report-accept", args=[report.pk])).status_code == 403


def test_wrong_method_is_405(client, gddt_lac_son, report):
    client.force_login(gddt_lac_son)
    for name in ("report-save", "report-submit", "report-accept", "report-return", "report-upload", "report-reopen"):
        assert client.get(reverse(f"reports:{name}", args=[report.pk])).status_code == 405


def test_submit_then_accept_through_the_pages(client, gddt_lac_son, vanphong, report):
    client.force_login(gddt_lac_son)
    client.post(reverse("reports:report-submit", args=[report.pk]), {"version": report.version})
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    page = client.get(reverse("reports:report-detail", args=[report.pk]))
    assert b'name="v_GD02"' not in page.content  # locked: read-only
    client.force_login(vanphong)
    completeness = client.get(reverse("reports:period-completeness", args=[report.period_id]))
    assert "Phòng Giáo dục và Đào tạo huyện Lạc Sơn".encode() in completeness.content
    client.post(reverse("reports:report-accept", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Report.Status.ACCEPTED


def test_return_with_comments_through_the_page(client, gddt_lac_son, vanphong, report):
    client.force_login(gddt_lac_son)
    client.post(reverse("reports:report-submit", args=[report.pk]), {"version": report.version})
    client.force_login(vanphong)
    client.post(reverse("reports:report-return", args=[report.pk]), {"note": "", "c_GD04": "Kiểm tra lại", "c_GD": ""})
    client.force_login(gddt_lac_son)
    page = client.get(reverse("reports:report-detail", args=[report.pk]))
    assert "Kiểm tra lại".encode() in page.content and b'name="v_GD04"' in page.content


def test_district_officers_cannot_open_province_pages(client, gddt_lac_son, report):
    client.force_login(gddt_lac_son)
    for name in ("period-completeness", "period-consolidation", "consolidation-xlsx", "consolidation-docx"):
        assert client.get(reverse(f"reports:{name}", args=[report.period_id])).status_code == 403


def test_start_a_report_from_the_period(client, gddt_mai_chau):
    p = period(2026, "H1")
    client.force_login(gddt_mai_chau)
    assert client.get(reverse("reports:period-start", args=[p.pk])).status_code == 200
    response = client.post(reverse("reports:period-start", args=[p.pk]))
    report = Report.objects.get(period=p, organisation=org("GDDT-156"))
    assert response.url == reverse("reports:report-detail", args=[report.pk])


def test_home_and_index_pages_by_role(client, gddt_lac_son, vanphong, giamdoc_vhttdl, report):
    own_report = reverse("reports:report-detail", args=[report.pk])
    progress = reverse("reports:period-completeness", args=[report.period_id])
    open_period = reverse("reports:period-open")
    for user, shown, hidden in (
        (gddt_lac_son, [own_report], [progress, open_period]),
        (vanphong, [progress, open_period], []),
        (giamdoc_vhttdl, [progress], [open_period]),
    ):
        client.force_login(user)
        home = client.get("/")
        assert home.status_code == 200 and reverse("reports:index") in home.content.decode()
        index = client.get(reverse("reports:index"))
        assert index.status_code == 200
        page = index.content.decode()
        assert all(link in page for link in shown), user.username
        assert not any(f'href="{link}"' in page for link in hidden), user.username
