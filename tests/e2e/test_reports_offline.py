"""A district officer of Đà Bắc fills the 6-monthly report on a phone whose network comes and
goes: the form opens without a network, what is typed survives closing the page, and reaches
the portal by itself when the network returns. A save from another browser meanwhile is shown
side by side and the officer chooses; a report submitted meanwhile refuses the offline values
and offers them as a file."""

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from directory.models import Organisation
from reports import services
from reports.models import Report
from tests.e2e.conftest import login, logout, wait_until
from tests.factories import UserFactory

from ..reports.factories import GD_VALUES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def report(reference_data):
    today = datetime.date.today()
    period = services.period_create(year=today.year, half="H1", lock_date=today + datetime.timedelta(days=30))
    office = Organisation.objects.get(code="GDDT-150")
    officer = UserFactory(username="gddt.da-bac", full_name="Đinh Văn Thắng", organisation=office)
    colleague = UserFactory(username="gddt.da-bac.truong", full_name="Xa Thị Mai", organisation=office)
    report = services.report_start(period=period, organisation=office, by=officer)
    report.officer, report.colleague = officer, colleague
    return report


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        base_url=live_server.url,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


def _number(report, code):
    value = report.values.filter(indicator__code=code).first()
    return value.number if value else None


def wait_for_active_worker(page) -> None:
    """Until the portal's service worker is installed and active: the pages opened from now
    on go through it."""
    wait_until(page, "() => navigator.serviceWorker.getRegistration().then(r => Boolean(r && r.active))")


def _open_online(context, report):
    page = context.new_page()
    login(page, "gddt.da-bac")
    page.goto("/reports/")
    wait_for_active_worker(page)
    url = f"/reports/{report.pk}/"
    # The report list hands the open forms to the service worker, which keeps them.
    wait_until(
        page,
        "(url) => caches.open('hb-pages-v1').then(c => c.match(new URL(url, location.href).href)).then(Boolean)",
        url,
    )
    page.goto(url)
    page.locator("#f-GD01").wait_for()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    return page, url


def test_report_typed_offline_reaches_the_portal_when_the_network_returns(phone, report):
    page, url = _open_online(phone, report)

    phone.set_offline(True)
    page.reload()
    page.locator("#f-GD01").wait_for()  # the form is still there without a network
    status = page.get_by_test_id("net-status")
    assert "Mất mạng" in status.inner_text()
    page.locator("#f-GD01").fill("31")
    page.locator("#f-GD08").fill("5200")
    page.get_by_test_id("pending-count").filter(has_text="2 thay đổi chờ gửi").wait_for()
    assert "Mất mạng" in page.get_by_test_id("save-status").inner_text()
    page.get_by_test_id("submit-offline").filter(has_text="Nộp báo cáo cần có mạng").wait_for()
    assert page.get_by_role("button", name="Nộp báo cáo").is_disabled()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(SHOTS / "offline-indicator-360.png"))
    page.close()

    page = phone.new_page()
    page.goto(url)  # still offline: opened from the copy on the phone
    # The kept values are put back from IndexedDB once the page has loaded: wait for them.
    expect(page.locator("#f-GD01")).to_have_value("31")
    expect(page.locator("#f-GD08")).to_have_value("5200")
    page.get_by_test_id("pending-count").filter(has_text="2 thay đổi chờ gửi").wait_for()
    assert _number(report, "GD01") != 31  # nothing reached the portal yet

    phone.set_offline(False)  # no click from here on
    page.get_by_test_id("save-status").filter(has_text="Đã lưu nháp").wait_for()
    page.get_by_test_id("pending-count").wait_for(state="hidden")
    assert _number(report, "GD01") == 31
    assert _number(report, "GD08") == 5200
    assert "Có mạng" in page.get_by_test_id("net-status").inner_text()
    page.screenshot(path=str(SHOTS / "report-form-360.png"), full_page=False)


def test_values_waiting_are_sent_from_any_page_when_the_network_returns(phone, report):
    page, url = _open_online(phone, report)
    phone.set_offline(True)
    page.locator("#f-GD04").fill("12")
    page.get_by_test_id("pending-count").filter(has_text="1 thay đổi chờ gửi").wait_for()
    page.goto("/reports/")  # the report list, kept on the phone
    # The link to the report with waiting values is filled in from IndexedDB after the page loads.
    expect(page.get_by_test_id("pending-review")).to_have_attribute("href", url)
    phone.set_offline(False)
    page.get_by_test_id("pending-count").wait_for(state="hidden")
    assert _number(report, "GD04") == 12


def test_conflict_with_another_browser_is_shown_side_by_side_and_the_choice_saved(phone, report):
    page, url = _open_online(phone, report)
    page.locator("#f-GD02").fill("28")
    page.get_by_test_id("save-status").filter(has_text="Đã lưu nháp").wait_for()

    phone.set_offline(True)
    page.locator("#f-GD01").fill("30")
    page.locator("#f-GD07").fill("140")
    page.get_by_test_id("pending-count").filter(has_text="2 thay đổi chờ gửi").wait_for()

    # Meanwhile the head of the office saves from another browser: GD01 differently, GD03 too.
    report.refresh_from_db()
    services.report_save(
        report=report, version=report.version, values={"GD01": "35", "GD03": "20"}, by=report.colleague
    )

    phone.set_offline(False)
    panel = page.get_by_test_id("conflict-panel")
    panel.wait_for()
    row = page.get_by_test_id("conflict-GD01")
    assert "30" in row.get_by_text("Bạn nhập").locator("..").inner_text()
    assert "35" in row.get_by_text("Trên cổng").locator("..").inner_text()
    assert "Xa Thị Mai" in panel.inner_text()
    # GD07 was changed only here: no question about it.
    assert page.get_by_test_id("conflict-GD07").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    panel.screenshot(path=str(SHOTS / "conflict-view-360.png"))
    page.screenshot(path=str(SHOTS / "conflict-page-360.png"))
    assert page.get_by_test_id("conflict-save").is_disabled()  # the officer has to choose
    row.get_by_text("Bạn nhập").click()
    page.get_by_test_id("conflict-save").click()
    page.get_by_test_id("save-status").filter(has_text="Đã lưu nháp").wait_for()
    panel.wait_for(state="hidden")
    assert _number(report, "GD01") == 30  # the officer's choice
    assert _number(report, "GD03") == 20  # the colleague's other change is kept
    assert _number(report, "GD07") == 140
    assert _number(report, "GD02") == 28
    expect(page.locator("#f-GD03")).to_have_value("20")


def test_values_typed_offline_on_a_report_submitted_meanwhile_are_refused_and_downloadable(phone, report, tmp_path):
    page, url = _open_online(phone, report)
    phone.set_offline(True)
    page.locator("#f-GD01").fill("99")
    page.get_by_test_id("pending-count").filter(has_text="1 thay đổi chờ gửi").wait_for()

    report.refresh_from_db()
    values = {k: str(v) for k, v in GD_VALUES.items()}
    services.report_save(report=report, version=report.version, values=values, by=report.colleague)
    services.report_submit(report=Report.objects.get(pk=report.pk), by=report.colleague)

    phone.set_offline(False)
    panel = page.get_by_test_id("closed-panel")
    panel.wait_for()
    assert "Đã nộp" in panel.inner_text()
    # The status at the top follows, without a reload.
    page.get_by_test_id("report-status").locator(".badge").filter(has_text="Đã nộp").wait_for()
    assert "Đang soạn" not in page.get_by_test_id("report-status").inner_text()
    assert _number(report, "GD01") == 30  # the submitted value stays
    with page.expect_download() as info:
        page.get_by_test_id("download-offline").click()
    saved = tmp_path / "offline.csv"
    info.value.save_as(saved)
    text = saved.read_text(encoding="utf-8-sig")
    assert info.value.suggested_filename.endswith("-ngoai-tuyen.csv")
    assert '"GD01"' in text and '"99"' in text and '"30"' in text
    page.screenshot(path=str(SHOTS / "closed-report-360.png"))
    # Opening the (now read-only) report later still offers them: nothing typed is lost.
    page.goto(url)
    page.get_by_test_id("closed-panel").wait_for()
    page.get_by_test_id("pending-count").filter(has_text="1 thay đổi chờ gửi").wait_for()


def test_service_worker_and_manifest_load_under_the_content_security_policy(page, report):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    login(page, "gddt.da-bac")
    page.goto(f"/reports/{report.pk}/")
    # The worker registered by the home page becomes active. Its clients.claim() may run while
    # this page is still in flight and miss it, so the page it is sure to control is the next.
    wait_for_active_worker(page)
    manifest = page.evaluate("fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())")
    assert manifest["display"] == "standalone"
    assert {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}
    page.reload()  # this visit goes through the worker, which keeps the page
    assert page.evaluate("() => navigator.serviceWorker.controller !== null")
    wait_until(page, "() => caches.has('hb-pages-v1')")
    assert problems == []
    # Signing out forgets the kept pages: the next person on this phone does not see them offline.
    logout(page)
    wait_until(page, "() => caches.has('hb-pages-v1').then(kept => !kept)")
    assert page.evaluate("() => caches.keys()").count("hb-pages-v1") == 0
