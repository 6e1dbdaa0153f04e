"""Accessibility in a real browser.

axe-core (shipped inside axe-playwright-python) runs in Chromium over the main pages of every
role on the full demo, at desktop (1280 px) and phone (360 px) width: no serious or critical
violation (WCAG 2.1 A/AA rules and axe's best practices). Then a district officer, with the
keyboard alone (Tab, Shift+Tab, Enter, Space), signs in, fills and submits the 6-monthly
report, and nominates a member of staff for a course.
"""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from directory.models import Organisation, User
from reports import services as report_services
from reports.models import Report
from tests.factories import SchoolFactory, UserFactory, district
from tests.reports.factories import GD_VALUES
from training.models import Course, Nomination, Session, StaffMember

pytestmark = pytest.mark.browser

WIDTHS = (1280, 360)
# Main pages per demo account: every role (district officer, school librarian, focal officer,
# leadership, administrator) and the sign-in page. "{report}" and "{course}" are filled in.
ROLE_PAGES = {
    None: ["/accounts/login/", "/training/verify/"],
    "gddt.lac-son": [
        "/", "/reports/", "{report}", "/training/", "{course}", "/training/staff/", "/circulation/",
        "/programs/", "/notifications/", "/notifications/preferences/", "/directory/organisations/",
    ],
    "tv.lac-son": ["/", "/training/", "/circulation/", "/notifications/"],
    "thuvien": ["/", "/reports/", "{report}", "/training/", "{course}", "/circulation/", "/programs/", "/accounts/2fa/"],
    "giamdoc.vhttdl": ["/", "/programs/", "/reports/", "/directory/organisations/"],
    "admin": ["/", "/admin/"],
}  # fmt: skip


def axe_problems(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    problems = []
    for violation in results.response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = ", ".join(str(n["target"]) for n in violation["nodes"][:3])
            problems.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return problems


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("hoabinh-demo")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_main_pages_of_every_role_have_no_serious_or_critical_violation(browser, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", "--force")
    report = Report.objects.filter(organisation__code="GDDT-157").order_by("-period__year", "-period__half").first()
    course = Course.objects.exclude(status=Course.Status.DRAFT).order_by("-pk").first()
    fill = {"{report}": f"/reports/{report.pk}/", "{course}": f"/training/courses/{course.pk}/"}
    failures, checked = [], 0
    for width in WIDTHS:
        for username, paths in ROLE_PAGES.items():
            context = browser.new_context(
                locale="vi-VN", base_url=live_server.url, viewport={"width": width, "height": 900}
            )
            context.set_default_timeout(20_000)
            page = context.new_page()
            if username:
                sign_in(page, username)
            for path in paths:
                path = fill.get(path, path)
                response = page.goto(path)
                assert response.status == 200, (username, path, response.status)
                checked += 1
                failures += [f"{width}px {username or 'anonymous'} {path}: {p}" for p in axe_problems(page)]
            context.close()
    print(f"\naxe-core: {checked} page views checked ({checked // len(WIDTHS)} pages × {len(WIDTHS)} widths)")
    assert checked >= 60
    assert not failures, "\n".join(failures)


def tab_to(page, selector: str, *, backwards: bool = False, limit: int = 120) -> None:
    """Press Tab (or Shift+Tab) until the element matching `selector` has the focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{selector} cannot be reached with {key}")


def test_keyboard_only_report_submission_and_nomination(page, reference_data):
    today = dt.date.today()
    period = report_services.period_create(year=today.year, half="H1", lock_date=today + dt.timedelta(days=30))
    office = Organisation.objects.get(code="GDDT-157")
    UserFactory(username="gddt.lac-son", full_name="Bùi Thị Hằng", organisation=office)
    school = SchoolFactory(name="Trường Tiểu học Vụ Bản", district=district("157"), parent=office)
    StaffMember.objects.create(full_name="Bùi Thị Duyên", school=school)
    course = Course.objects.create(
        title="Tập huấn nghiệp vụ thư viện trường học năm 2026",
        organiser=Organisation.objects.get(code="TVT"),
        capacity=10,
        status=Course.Status.OPEN,
        nomination_deadline=timezone.localdate() + dt.timedelta(days=5),
    )
    Session.objects.create(
        course=course,
        date=timezone.localdate() + dt.timedelta(days=10),
        start_time=dt.time(8, 0),
        end_time=dt.time(11, 30),
        place="Hội trường Thư viện tỉnh",
    )
    assert User.objects.filter(username="gddt.lac-son").exists()

    # Sign in: the user name field has the focus; Tab to the password; Enter sends.
    page.goto("/accounts/login/")
    page.keyboard.type("gddt.lac-son")
    page.keyboard.press("Tab")
    page.keyboard.type("hoabinh-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    # The report: Tab to "Lập báo cáo", Enter; then Space on the button that creates it.
    page.goto("/reports/")
    tab_to(page, f"a[href$='/ky/{period.pk}/lap-bao-cao/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/ky/{period.pk}/lap-bao-cao/")
    tab_to(page, "form[method=post] button[type=submit]")
    page.keyboard.press("Space")
    page.wait_for_url("**/reports/*/")
    for code, value in GD_VALUES.items():
        tab_to(page, f"#f-{code}")
        page.keyboard.press("Control+A")
        page.keyboard.type(str(value))
    page.keyboard.press("Tab")
    page.get_by_test_id("save-status").filter(has_text="Đã lưu nháp").wait_for()
    page.once("dialog", lambda dialog: dialog.accept())
    tab_to(page, "#submit-form button[type=submit]")
    page.keyboard.press("Enter")
    page.get_by_test_id("report-status").filter(has_text="Đã nộp").wait_for()
    report = Report.objects.get(period=period, organisation=office)
    assert report.status == Report.Status.SUBMITTED
    assert report.values.get(indicator__code="GD08").number == GD_VALUES["GD08"]

    # Nominate: Tab to the link, Enter; Space ticks the person; Enter on "Gửi đề cử".
    page.goto(f"/training/courses/{course.pk}/")
    tab_to(page, f"a[href$='/courses/{course.pk}/nominate/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/nominate/")
    tab_to(page, "input[type=checkbox]")
    page.keyboard.press("Space")
    assert page.evaluate("() => document.activeElement.checked")
    tab_to(page, "form[method=post] button[type=submit]")
    page.keyboard.press("Enter")
    page.get_by_text("Đã đề cử: ").wait_for()
    assert Nomination.objects.get(course=course).staff.full_name == "Bùi Thị Duyên"
