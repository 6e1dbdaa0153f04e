"""Long lists keep their count and order under the data versions (core.paging): what a page
shows is what a fresh count and sort would show, right after any save."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import paging, versioned
from directory.models import Organisation
from notifications.models import Notification
from tests.training.factories import CourseFactory, SessionFactory
from training.models import Course


def test_a_list_is_kept_under_the_versions_of_every_table_it_reads():
    assert versioned.covering({"directory_organisation"}) == ("directory",)
    assert versioned.covering({"training_course", "training_session"}) == ("training",)
    assert versioned.covering({"training_course", "directory_organisation"}) == ("directory", "training")
    assert versioned.covering({"circulation_rotation", "directory_organisation"}) == ("circulation",)
    assert versioned.covering({"reports_reportingperiod_required_organisations"}) == ("reports",)
    assert versioned.covering({"training_course", "notifications_notification"}) is None


def test_slices_across_chunks_are_the_querysets_own(db, monkeypatch):
    monkeypatch.setattr(paging, "CHUNK", 4)
    queryset = Organisation.objects.order_by("-code", "pk")
    expected = list(queryset.values_list("pk", flat=True))
    assert len(expected) > 12
    cold = paging.OrderedIds(queryset)
    assert [o.pk for o in cold[3:11]] == expected[3:11]  # computed, then kept
    warm = paging.OrderedIds(queryset)
    with CaptureQueriesContext(connection) as ctx:
        assert len(warm) == len(expected)
        assert [o.pk for o in warm[3:11]] == expected[3:11]
        assert warm[len(expected) - 1].pk == expected[-1]
        assert warm[len(expected) : len(expected) + 5] == []
    assert len(ctx.captured_queries) == 2  # only the rows, read by primary key
    page = paging.Paginator(warm, 5).get_page(3)
    assert [o.pk for o in page] == expected[10:15]
    assert page.paginator.num_pages == -(-len(expected) // 5)


def test_a_save_renews_the_kept_count_and_order(db):
    queryset = Course.objects.order_by("-created_at", "-pk")
    first = CourseFactory()
    assert [c.pk for c in paging.OrderedIds(queryset)[:5]] == [first.pk]
    assert paging.count(Course.objects.all()) == 1
    second = CourseFactory()
    assert [c.pk for c in paging.OrderedIds(queryset)[:5]] == [second.pk, first.pk]
    assert paging.count(Course.objects.all()) == 2
    second.delete()
    assert [c.pk for c in paging.OrderedIds(queryset)[:5]] == [first.pk]
    assert paging.count(Course.objects.all()) == 1


def test_a_list_reading_an_unwatched_table_is_counted_and_sliced_afresh(db, thuvien):
    queryset = Notification.objects.filter(user=thuvien).order_by("-pk")
    rows = paging.OrderedIds(queryset)
    assert rows._key is None
    assert len(rows) == 0 and rows[0:5].count() == 0
    Notification.objects.create(user=thuvien, title="x")
    assert len(paging.OrderedIds(queryset)) == 1 == paging.count(queryset)


def test_the_course_list_follows_a_new_session_at_once(client, vanphong):
    client.force_login(vanphong)
    url = reverse("training:course-list")
    old, new = CourseFactory(), CourseFactory()
    SessionFactory(course=old, date=dt.date(2026, 3, 1))
    SessionFactory(course=new, date=dt.date(2026, 2, 1))
    shown = [c.pk for c in client.get(url).context["page"] if c.pk in (old.pk, new.pk)]
    assert shown == [old.pk, new.pk]
    SessionFactory(course=new, date=dt.date(2026, 4, 1))  # now `new` ends last
    page = client.get(url).context["page"]
    assert [c.pk for c in page if c.pk in (old.pk, new.pk)] == [new.pk, old.pk]
    assert page.paginator.count == Course.objects.count()


def test_the_directory_counts_a_new_school_at_once(client, thuvien):
    from tests.factories import SchoolFactory, district

    client.force_login(thuvien)
    url = reverse("directory:organisation-list")
    before = client.get(url).context["page"].paginator.count
    assert before == Organisation.objects.count()
    SchoolFactory(district=district("148"))
    assert client.get(url).context["page"].paginator.count == before + 1
    assert client.get("/api/v1/organisations/").json()["count"] == before + 1
