"""Pages run the same number of queries whatever the size of the country: measured at two
sizes built by the benchmark's own generator (benchmarks.dataset), with what the user sees checked
at the larger one."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarks.dataset import Generator
from directory.models import AdministrativeUnit, Organisation, User
from tests.factories import UserFactory


def grow(districts: int) -> None:
    """Hòa Bình's districts plus synthetic ones up to `districts`, each with its offices,
    library and ~65 schools, the current period's reports and rotations."""
    generator = Generator(districts=districts, seed=7, years=1)
    with transaction.atomic():
        generator.directory()
        generator.accounts()
        generator.reports()
        generator.circulation()


def queries(client, url) -> tuple[int, object]:
    client.get(url)  # the first visit fills per-process caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.fixture
def superuser(db):
    return UserFactory(username="quantri", role=User.Role.SYSADMIN, is_staff=True, is_superuser=True)


def at_two_sizes(client, user, url):
    client.force_login(user)
    grow(12)
    small, _response = queries(client, url)
    grow(40)
    assert AdministrativeUnit.objects.filter(level="district", code__startswith="9").count() >= 29
    large, response = queries(client, url)
    return small, large, response


def test_home_of_a_focal_officer_runs_the_same_queries_for_12_and_40_districts(client, thuvien):
    small, large, response = at_two_sizes(client, thuvien, reverse("core:home"))
    assert small == large
    body = response.content.decode()
    # Twenty districts in the overview, and the count of all of them with the way to the rest.
    assert len(response.context["directory"]["district_rows"]) == 20
    live = response.context["directory"]["district_total"]
    assert live >= 39
    assert f"Đang hiện 20 trong {live} huyện, thành phố." in body


def test_home_of_a_leader_runs_the_same_queries_for_12_and_40_districts(client, giamdoc_vhttdl):
    small, large, response = at_two_sizes(client, giamdoc_vhttdl, reverse("core:home"))
    assert small == large
    # The home panel's figures are the completeness page's, counted by the database.
    from reports import selectors

    full = selectors.completeness(selectors.current_period()).total
    panel = response.content.decode().split('data-testid="reports-panel"', 1)[1]
    assert f">{full.submitted}/{full.expected}</div>" in panel
    from django.utils.formats import localize

    assert f">{localize(full.completeness_rate)}%</div>" in panel
    assert f">{localize(full.timeliness_rate)}%</div>" in panel
    assert full.expected >= 3 * 39


def test_rotation_statistics_run_the_same_queries_and_offer_schools_district_by_district(client, thuvien):
    url = reverse("circulation:statistics")
    small, large, response = at_two_sizes(client, thuvien, url)
    assert small == large
    # No district chosen: no list of every school library of the country, a hint instead.
    assert list(response.context["form"].fields["school_library"].queryset) == []
    assert "Chọn huyện / thành phố trước để lọc theo trường." in response.content.decode()
    district = AdministrativeUnit.objects.filter(level="district", code__startswith="9").order_by("code").first()
    response = client.get(url, {"district": district.pk})
    offered = response.context["form"].fields["school_library"].queryset
    assert offered.count() == Organisation.objects.filter(kind="school_library", district=district).count() > 0
    assert not offered.exclude(district=district).exists()


def test_a_district_officer_still_chooses_among_the_schools_of_their_district(client, db):
    grow(12)
    officer = User.objects.filter(organisation__kind="culture_centre", organisation__district__code="90011").first()
    client.force_login(officer)
    response = client.get(reverse("circulation:statistics"))
    offered = response.context["form"].fields["school_library"].queryset
    assert offered.count() > 0
    assert set(offered.values_list("district_id", flat=True)) == {officer.organisation.district_id}


@pytest.mark.parametrize(
    "changelist",
    [
        "circulation/rotation",
        "circulation/rotatingcollection",
        "circulation/item",
        "directory/administrativeunit",
        "directory/organisation",
        "directory/user",
        "reports/report",
        "reports/reportvalue",
        "training/nomination",
        "notifications/notification",
    ],
)
def test_admin_changelists_run_the_same_queries_for_12_and_40_districts(client, superuser, changelist):
    small, large, response = at_two_sizes(client, superuser, f"/admin/{changelist}/")
    assert small == large


def test_the_rotation_changelist_filters_by_the_libraries_that_own_rotations_only(client, superuser):
    client.force_login(superuser)
    grow(14)
    response = client.get("/admin/circulation/rotation/")
    body = response.content.decode()
    owners = set(Organisation.objects.filter(rotations_sent__isnull=False).distinct().values_list("pk", flat=True))
    assert owners
    for pk in owners:
        assert f"owner__id__exact={pk}" in body
    school = Organisation.objects.filter(kind="school").first()
    assert f"owner__id__exact={school.pk}" not in body


@pytest.mark.parametrize("url", ["/directory/organisations/", "/api/v1/organisations/"])
def test_the_directory_and_its_api_run_the_same_queries_for_12_and_40_districts(client, thuvien, url):
    small, large, response = at_two_sizes(client, thuvien, url)
    assert small == large
    total = Organisation.objects.count()
    assert total > 40 * 130
    if url.startswith("/api/"):
        assert response.json()["count"] == total
    else:
        assert response.context["page"].paginator.count == total


def test_discrepancies_run_the_same_queries_and_offer_no_list_of_every_library(client, thuvien, monkeypatch):
    from core import lookups

    monkeypatch.setattr(lookups, "SELECT_LIMIT", 20)
    url = reverse("circulation:discrepancy-list")
    small, large, response = at_two_sizes(client, thuvien, url)
    assert small == large
    body = response.content.decode()
    # More libraries and districts than a <select> should hold: search boxes instead.
    assert '<select name="library"' not in body and '<select name="district"' not in body
    assert 'type="search" name="library"' in body and 'type="search" name="district"' in body
    library = Organisation.objects.filter(kind="public_library", code__contains="9").order_by("code").first()
    chosen = client.get(url, {"library": library.name})
    assert chosen.context["form"].cleaned_data["library"] == library
    assert 'type="search" name="library" value="' + library.name + '"' in chosen.content.decode()
    assert "Bộ lọc không hợp lệ" in client.get(url, {"library": "Không có thư viện này"}).content.decode()


def test_statistics_of_a_country_show_the_districts_that_received_most(client, thuvien, monkeypatch):
    from circulation import selectors

    client.force_login(thuvien)
    grow(20)
    url = reverse("circulation:statistics")
    everything = client.get(url).context["stats"]
    assert len(everything["by_district"]) == everything["totals"]["districts"] > 5
    codes = [row["school_library__district__name"] for row in everything["by_district"]]
    monkeypatch.setattr(selectors, "STATISTICS_DISTRICT_ROWS", 5)
    cache.clear()  # the figures of the first look are kept until a rotation changes
    response = client.get(url)
    stats = response.context["stats"]
    assert len(stats["by_district"]) == 5
    copies = sorted((row["copies"] or 0 for row in everything["by_district"]), reverse=True)[:5]
    assert [row["copies"] or 0 for row in stats["by_district"]] == copies
    assert {r["school_library__district__name"] for r in stats["by_district"]} <= set(codes)
    assert f"Đang hiện 5 trong {everything['totals']['districts']} huyện, thành phố." in response.content.decode()
    # The schools table: the most copies first, the same figures as one grouped query.
    top = stats["by_school"]
    assert [row["copies"] for row in top] == sorted((row["copies"] for row in top), reverse=True)
    assert all(row["school_library__name"] for row in top)
    # A district typed by name narrows the figures like its choice in the list.
    district = AdministrativeUnit.objects.filter(level="district", code__startswith="9").order_by("code").last()
    by_pk = client.get(url, {"district": district.pk}).context["stats"]["totals"]
    by_name = client.get(url, {"district": district.name}).context["stats"]["totals"]
    assert by_pk == by_name
    assert 0 < by_pk["rotations"] < everything["totals"]["rotations"]


def test_admin_sidebars_list_no_country_of_libraries_and_counts_stay_exact_when_small(client, superuser, monkeypatch):
    from core import admin as core_admin
    from reports.models import ReportValue

    client.force_login(superuser)
    grow(14)
    response = client.get("/admin/reports/reportvalue/")
    assert response.context["cl"].result_count == ReportValue.objects.count() > 0
    assert response.context["cl"].paginator.count == ReportValue.objects.count()
    body = client.get("/admin/circulation/rotation/").content.decode()
    assert "owner__id__exact=" in body
    monkeypatch.setattr(core_admin.BoundedRelatedFilter, "LIMIT", 2)
    body = client.get("/admin/circulation/rotation/").content.decode()
    assert "owner__id__exact=" not in body
    # Organisations: no list of every district in the sidebar, rows by code.
    response = client.get("/admin/directory/organisation/")
    assert "district__id__exact=" not in response.content.decode()
    codes = [o.code for o in response.context["cl"].result_list]
    assert codes == sorted(codes)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE reports_reportvalue")
        monkeypatch.setattr(core_admin.LargeTablePaginator, "ESTIMATE_ABOVE", 0)
        estimated = client.get("/admin/reports/reportvalue/").context["cl"].paginator.count
        assert abs(estimated - ReportValue.objects.count()) <= ReportValue.objects.count() // 10


def add_courses(n: int, by) -> None:
    """`n` more courses of two or three sessions each, every other one with a booked nomination."""
    import datetime as dt

    from tests.training.factories import CourseFactory, SessionFactory, StaffFactory
    from training.models import Nomination

    for i in range(n):
        course = CourseFactory()
        for day in range(2 + i % 2):
            SessionFactory(course=course, date=dt.date(2026, 1, 1) + dt.timedelta(days=7 * i + day))
        if i % 2:
            Nomination.objects.create(
                course=course,
                staff=StaffFactory(),
                state=Nomination.State.BOOKED,
                nominated_by=by,
                nominating_organisation_id=by.organisation_id,
            )


def test_the_course_list_runs_the_same_queries_for_5_and_40_courses(client, vanphong):
    client.force_login(vanphong)
    url = reverse("training:course-list")
    add_courses(5, vanphong)
    small, _response = queries(client, url)
    add_courses(35, vanphong)
    large, response = queries(client, url)
    assert small == large
    page = response.context["page"]
    from training.models import Course

    assert page.paginator.count == Course.objects.count() >= 40
    last = [c.last_date for c in page]
    assert last == sorted(last, reverse=True)
    for course in page:
        assert course.n_sessions == course.sessions.count()
        assert course.first_date == min(s.date for s in course.sessions.all())
        assert course.n_booked == course.nominations.filter(state="booked").count()


@pytest.mark.parametrize("name", ["circulation:collection-list", "circulation:rotation-list"])
def test_collection_and_rotation_lists_run_the_same_queries_for_12_and_40_districts(client, thuvien, name):
    from circulation.models import RotatingCollection, Rotation

    small, large, response = at_two_sizes(client, thuvien, reverse(name))
    assert small == large
    page = response.context["page"]
    if name == "circulation:collection-list":
        assert page.paginator.count == RotatingCollection.objects.filter(is_active=True).count() > 30
        first = page[0]
        assert first.n_items == first.items.count() and first.n_copies == sum(i.copies for i in first.items.all())
    else:
        assert page.paginator.count == Rotation.objects.count() > 30
        dates = [r.planned_dispatch_date for r in page]
        assert dates == sorted(dates, reverse=True)


def test_a_district_centre_lists_its_districts_rotations_and_collections_only(client, db):
    from circulation.models import Rotation

    grow(14)
    officer = User.objects.filter(organisation__kind="culture_centre", organisation__district__code="90011").first()
    client.force_login(officer)
    district = officer.organisation.district_id
    rotations = client.get(reverse("circulation:rotation-list")).context["page"]
    expected = Rotation.objects.filter(Q(owner__district_id=district) | Q(school_library__district_id=district))
    assert rotations.paginator.count == expected.count() > 0
    collections = client.get(reverse("circulation:collection-list")).context["page"]
    assert {c.owner.district_id for c in collections} == {district}
