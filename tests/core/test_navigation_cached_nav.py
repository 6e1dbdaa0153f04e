"""The top bar's entries and the admin site's list of models are kept between pages; what
they show still follows the data and the person's permissions on the very next page."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.models import User
from reports.models import Report
from tests.factories import UserFactory

from ..reports.factories import filled_report, open_period

pytestmark = pytest.mark.django_db


def reports_menu(html: str) -> str:
    """The "Báo cáo 6 tháng" entry of the top bar, badge included."""
    start = html.index("</i> Báo cáo 6 tháng")
    return html[start : html.index("</a>", start)]


def test_the_review_badge_follows_a_report_submitted_between_two_pages(client, thuvien, vhtt_lac_son):
    period = open_period()
    report = filled_report(period, vhtt_lac_son.organisation, vhtt_lac_son)
    client.force_login(thuvien)
    inbox = reverse("notifications:inbox")
    assert "badge" not in reports_menu(client.get(inbox).content.decode())
    Report.objects.filter(pk=report.pk).update(status=Report.Status.SUBMITTED, submitted_at=timezone.now())  # no signal
    assert '<span class="badge rounded-pill text-bg-warning">1</span>' in reports_menu(
        client.get(inbox).content.decode()
    )


def test_the_second_page_builds_the_bar_with_fewer_queries(client, thuvien):
    open_period()
    client.force_login(thuvien)
    inbox = reverse("notifications:inbox")
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(inbox).content.decode()
        counts.append(len(ctx.captured_queries))
        assert "Tiến độ nộp" in html and "Luân chuyển sách" in html
    assert counts[1] < counts[0]


def test_the_bar_marks_the_page_being_shown(client, thuvien):
    client.force_login(thuvien)
    client.get(reverse("circulation:rotation-list"))  # the bar is kept from this page
    html = client.get(reverse("training:course-list")).content.decode()
    active = html[html.index("nav-link dropdown-toggle active") :][:300]
    assert "Đào tạo" in active and "Luân chuyển sách" not in active


def test_the_admin_index_follows_a_permission_granted_between_two_pages(client):
    staff = UserFactory(username="canbo.quantri", is_staff=True, role=User.Role.SYSADMIN, organisation=None)
    staff.groups.clear()  # only the permissions given below
    staff.user_permissions.add(Permission.objects.get(codename="view_organisation"))
    client.force_login(staff)
    first = client.get(reverse("admin:index")).content.decode()
    assert "/admin/directory/organisation/" in first and "/admin/reports/report/" not in first
    staff.user_permissions.add(Permission.objects.get(codename="view_report"))
    second = client.get(reverse("admin:index")).content.decode()
    assert "/admin/reports/report/" in second


def test_two_staff_with_different_permissions_see_their_own_lists(client, admin_user):
    staff = UserFactory(username="canbo.quantri", is_staff=True, role=User.Role.SYSADMIN, organisation=None)
    staff.groups.clear()  # only the permissions given below
    staff.user_permissions.add(Permission.objects.get(codename="view_organisation"))
    client.force_login(admin_user)
    assert "/admin/reports/report/" in client.get(reverse("admin:index")).content.decode()
    client.force_login(staff)
    html = client.get(reverse("admin:index")).content.decode()
    assert "/admin/directory/organisation/" in html and "/admin/reports/report/" not in html


def test_the_admin_row_checkbox_keeps_its_label(client, admin_user, thuvien):
    client.force_login(admin_user)
    html = client.get(reverse("admin:directory_user_changelist")).content.decode()
    assert f'name="_selected_action" value="{thuvien.pk}" class="action-select"' in html
    assert "aria-label=" in html[html.index(f'value="{thuvien.pk}" class="action-select"') :][:200]


def test_an_admin_sidebar_filter_lists_a_library_that_began_owning_collections(client, admin_user):
    from tests.circulation.factories import CollectionFactory
    from tests.conftest import org

    CollectionFactory()  # owned by the provincial library
    CollectionFactory(owner=org("TVT"))
    client.force_login(admin_user)
    url = reverse("admin:circulation_rotatingcollection_changelist")
    first = client.get(url).content.decode()
    district_library = org("TVH-157")
    assert f"owner__id__exact={district_library.pk}" not in first
    CollectionFactory(owner=district_library)
    assert f"owner__id__exact={district_library.pk}" in client.get(url).content.decode()


def test_a_changelist_shows_a_bulk_rename_and_a_new_notification_on_the_next_page(client, admin_user, thuvien):
    from directory.models import Organisation
    from notifications.models import Notification

    client.force_login(admin_user)
    organisations = reverse("admin:directory_organisation_changelist")
    notifications = reverse("admin:notifications_notification_changelist")
    assert "Thư viện tỉnh (đổi tên)" not in client.get(organisations).content.decode()
    client.get(notifications)
    first = Organisation.objects.order_by("code").first()  # on the first page, in code order
    Organisation.objects.filter(pk=first.pk).update(name="Thư viện tỉnh (đổi tên)")  # no signal
    Notification.objects.bulk_create([Notification(user=thuvien, title="Nhắc hạn nộp báo cáo 6 tháng", body="")])
    assert "Thư viện tỉnh (đổi tên)" in client.get(organisations).content.decode()
    assert "Nhắc hạn nộp báo cáo 6 tháng" in client.get(notifications).content.decode()


def test_the_admin_sidebar_marks_the_list_being_shown_and_follows_a_permission(client):
    staff = UserFactory(username="canbo.quantri", is_staff=True, role=User.Role.SYSADMIN, organisation=None)
    staff.groups.clear()
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_organisation", "view_report"]))
    client.force_login(staff)

    def sidebar(url):
        html = client.get(url).content.decode()
        return html[html.index('id="nav-sidebar"') : html.index("</nav>", html.index('id="nav-sidebar"'))]

    reports = sidebar(reverse("admin:reports_report_changelist"))
    assert 'class="model-report current-model"' in reports and "model-reportvalue" not in reports
    organisations = sidebar(reverse("admin:directory_organisation_changelist"))
    assert 'class="model-organisation current-model"' in organisations
    assert 'class="model-report current-model"' not in organisations
    staff.user_permissions.add(Permission.objects.get(codename="view_reportvalue"))
    assert "model-reportvalue" in sidebar(reverse("admin:reports_report_changelist"))
