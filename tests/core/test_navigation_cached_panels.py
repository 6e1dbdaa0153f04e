"""The home page's panels are kept rendered under core.versioned.DATA: a second visit is
cheaper, and any write to the watched apps' tables — a save, a bulk update that sends no
signal, raw SQL — shows on the next visit; the inbox panel is never kept."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import versioned
from notifications.models import Notification
from programs.models import Meeting

from ..programs.factories import MeetingFactory

pytestmark = pytest.mark.django_db

HOME = reverse("core:home")


def visit(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(HOME).content.decode()
    return html, len(ctx.captured_queries)


def meetings_panel(html: str) -> str:
    """The "Cuộc họp sắp tới" card (the inbox's deadlines card lists meetings too)."""
    start = html.index('aria-label="Cuộc họp sắp tới"')
    return html[start : html.index("</section>", start)]


def test_a_second_visit_draws_the_same_panels_with_fewer_queries(client, thuvien):
    MeetingFactory(created_by=thuvien, title="Họp giao ban quý IV")
    client.force_login(thuvien)
    first, first_queries = visit(client)
    second, second_queries = visit(client)
    assert "Họp giao ban quý IV" in meetings_panel(first) and "Họp giao ban quý IV" in meetings_panel(second)
    assert second_queries < first_queries
    assert second.count('class="card h-100"') == first.count('class="card h-100"')


def test_a_bulk_update_without_signals_shows_on_the_next_visit(client, thuvien):
    meeting = MeetingFactory(created_by=thuvien, title="Họp giao ban quý IV")
    client.force_login(thuvien)
    assert "Họp giao ban quý IV" in meetings_panel(visit(client)[0])
    Meeting.objects.filter(pk=meeting.pk).update(title="Họp sơ kết năm 2026")  # no post_save
    panel = meetings_panel(visit(client)[0])
    assert "Họp sơ kết năm 2026" in panel and "Họp giao ban quý IV" not in panel


def test_raw_sql_and_bulk_create_show_on_the_next_visit(client, thuvien):
    meeting = MeetingFactory(created_by=thuvien, title="Họp giao ban quý IV")
    client.force_login(thuvien)
    visit(client)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Meeting._meta.db_table} SET cancelled = %s WHERE id = %s", [True, meeting.pk])
    assert "Họp giao ban quý IV" not in meetings_panel(visit(client)[0])
    Meeting.objects.bulk_create([MeetingFactory.build(created_by=thuvien, title="Hội nghị tổng kết")])
    assert "Hội nghị tổng kết" in meetings_panel(visit(client)[0])


def test_the_inbox_panel_is_drawn_afresh(client, thuvien):
    client.force_login(thuvien)
    visit(client)
    Notification.objects.bulk_create([Notification(user=thuvien, title="Báo cáo huyện Lạc Sơn đã gửi", body="")])
    assert "Báo cáo huyện Lạc Sơn đã gửi" in visit(client)[0]


def test_reading_pages_leaves_the_version_alone(client, thuvien):
    client.force_login(thuvien)
    visit(client)
    before = versioned.version(versioned.DATA)
    visit(client)
    client.get(reverse("programs:coverage"))
    assert versioned.version(versioned.DATA) == before


@pytest.mark.django_db(transaction=True)
def test_a_transaction_of_many_writes_renews_the_version_once_when_it_commits(thuvien):
    before = versioned.version(versioned.DATA)
    with transaction.atomic():
        for n in range(3):
            MeetingFactory(created_by=thuvien, title=f"Họp {n}")
        Meeting.objects.update(location="Hội trường Sở")
        assert versioned.version(versioned.DATA) == before + 1  # its own writes, read inside
    assert versioned.version(versioned.DATA) == before + 2  # and once more at the commit
