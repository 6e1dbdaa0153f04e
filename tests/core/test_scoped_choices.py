"""Scoped choices, re-checked in services: a forged POST naming another district's school,
venue or staff is refused with a Vietnamese message and changes nothing; and a district's
prefilled report figures count only its own organisations' work."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from circulation import selectors as circulation_selectors
from circulation import services as circulation_services
from circulation.models import Rotation, Route
from directory.models import Organisation
from directory.services import school_library_ensure
from tests.circulation.factories import collection_with_items
from tests.conftest import org
from tests.factories import SchoolFactory, UserFactory
from tests.training.factories import CourseFactory, SessionFactory, StaffFactory, school_in
from training import selectors as training_selectors
from training import services as training_services
from training.models import Course, Nomination, Session


@pytest.fixture(autouse=True)
def _school_year():
    with time_machine.travel("2026-11-25 09:00 +07:00", tick=True):
        yield


def _library_of(school):
    return Organisation.objects.get(parent=school, kind=Organisation.Kind.SCHOOL_LIBRARY)


@pytest.fixture
def lac_son_library(lac_son_school):
    return _library_of(lac_son_school)


@pytest.fixture
def mai_chau_library(db):
    school = SchoolFactory(
        name="Trường THCS Pà Cò", code="TH-156-PC", district=org("GDDT-156").district, parent=org("GDDT-156")
    )
    return school_library_ensure(school=school)


@pytest.fixture
def ttvh_lac_son(db):
    return UserFactory(username="ttvh.lac-son", organisation=org("TTVH-157"))


@pytest.fixture
def district_collection(db):
    return collection_with_items(2, copies=1, owner=org("TVH-157"))


def test_a_district_library_is_offered_only_its_districts_schools(
    client, ttvh_lac_son, district_collection, lac_son_library, mai_chau_library
):
    choices = circulation_selectors.receiving_libraries(district_collection.owner)
    assert lac_son_library in choices and mai_chau_library not in choices
    assert {o.district_id for o in choices} == {org("TVH-157").district_id}
    # The Provincial Library rotates to any school of the province.
    provincial = circulation_selectors.receiving_libraries(org("TVT"))
    assert lac_son_library in provincial and mai_chau_library in provincial
    client.force_login(ttvh_lac_son)
    page = client.get(reverse("circulation:rotation-create", args=[district_collection.pk])).content.decode()
    assert lac_son_library.name in page and mai_chau_library.name not in page


def test_a_forged_rotation_to_another_districts_school_is_refused(
    client, ttvh_lac_son, district_collection, mai_chau_library
):
    client.force_login(ttvh_lac_son)
    before = Rotation.objects.count()
    response = client.post(
        reverse("circulation:rotation-create", args=[district_collection.pk]),
        {"school_library": mai_chau_library.pk, "planned_dispatch_date": "2026-11-26"},
    )
    assert response.status_code == 200 and "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert Rotation.objects.count() == before
    # The service refuses on its own, whoever calls it.
    with pytest.raises(ValidationError, match="trong huyện mình"):
        circulation_services.rotation_plan(
            collection=district_collection,
            school_library=mai_chau_library,
            planned_dispatch_date=dt.date(2026, 11, 26),
            by=ttvh_lac_son,
        )
    assert Rotation.objects.count() == before


def test_a_forged_route_stage_to_another_districts_school_is_refused(
    client, ttvh_lac_son, district_collection, lac_son_library, mai_chau_library
):
    client.force_login(ttvh_lac_son)
    before = Route.objects.count()
    response = client.post(
        reverse("circulation:route-create", args=[district_collection.pk]),
        {
            "name": "Lộ trình Lạc Sơn",
            "school_year": "2026-2027",
            "start_date": "2026-12-01",
            "stage_1_library": lac_son_library.pk,
            "stage_1_days": "30",
            "stage_2_library": mai_chau_library.pk,
            "stage_2_days": "30",
        },
    )
    assert response.status_code == 200 and "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert Route.objects.count() == before
    with pytest.raises(ValidationError, match="trong huyện mình"):
        circulation_services.route_create(
            collection=district_collection,
            name="Lộ trình giả",
            school_year="2026-2027",
            start_date=dt.date(2026, 12, 1),
            stages=[(lac_son_library, 30), (mai_chau_library, 30)],
            by=ttvh_lac_son,
        )
    assert Route.objects.count() == before


@pytest.fixture
def district_course(db, ttvh_lac_son):
    course = CourseFactory(
        organiser=org("TTVH-157"), kind=Course.Kind.EXTRACURRICULAR, status=Course.Status.DRAFT, capacity=30
    )
    return course


def test_session_venues_lie_within_the_organisers_district(client, ttvh_lac_son, district_course):
    venues = training_selectors.venue_choices(district_course)
    assert org("TVH-157") in venues and org("TVH-156") not in venues
    assert org("TVH-156") in training_selectors.venue_choices(CourseFactory(organiser=org("TVT")))
    client.force_login(ttvh_lac_son)
    url = reverse("training:session-add", args=[district_course.pk])
    page = client.get(url).content.decode()
    assert org("TVH-157").name in page and org("TVH-156").name not in page
    data = {
        "date": "2026-12-05",
        "start_time": "08:00",
        "end_time": "10:00",
        "place": "Thư viện huyện Mai Châu",
        "venue": org("TVH-156").pk,
        "pupil_count": "40",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    response = client.post(url, {**data, "venue": org("TVH-157").pk, "pupil_count": "999999"})
    assert response.status_code == 200 and "2000" in response.content.decode()
    assert not Session.objects.filter(course=district_course).exists()
    forged = {
        "date": dt.date(2026, 12, 5),
        "start_time": dt.time(8),
        "end_time": dt.time(10),
        "place": "Mai Châu",
        "venue": org("TVH-156"),
    }
    with pytest.raises(ValidationError, match="trong địa bàn"):
        training_services.session_save(course=district_course, by=ttvh_lac_son, **forged)
    assert not Session.objects.filter(course=district_course).exists()


def test_a_forged_nomination_of_another_districts_staff_is_refused(client, gddt_lac_son):
    course = CourseFactory(capacity=5)
    SessionFactory(course=course)
    theirs = StaffFactory(school=school_in("156"))
    client.force_login(gddt_lac_son)
    response = client.post(reverse("training:nominate", args=[course.pk]), {"staff": [theirs.pk]}, follow=True)
    assert "không thuộc phạm vi của bạn" in response.content.decode()
    assert not Nomination.objects.filter(course=course).exists()


def test_prefilled_figures_count_only_the_districts_own_work(mai_chau_library, lac_son_library):
    """A Mai Châu class held (by an old forged form) at Lạc Sơn's library, and the Provincial
    Library's class there, are not Lạc Sơn's work."""
    today = timezone.localdate()
    own = CourseFactory(organiser=org("TTVH-157"), kind=Course.Kind.EXTRACURRICULAR, status=Course.Status.OPEN)
    foreign = CourseFactory(organiser=org("TTVH-156"), kind=Course.Kind.EXTRACURRICULAR, status=Course.Status.OPEN)
    for course, pupils in ((own, 25), (foreign, 400)):
        SessionFactory(course=course, date=today, venue=org("TVH-157"), pupil_count=pupils)
    figures = training_selectors.report_figures(
        organisation=org("VHTT-157"), start=today - dt.timedelta(days=30), end=today
    )
    assert figures == {"VH06": 1, "VH07": 25}
    # A rotation a Mai Châu library made into Lạc Sơn (before the rule) is not Lạc Sơn's.
    collection = collection_with_items(1, copies=3, owner=org("TVH-156"))
    Rotation.objects.create(
        collection=collection,
        owner=collection.owner,
        school_library=lac_son_library,
        planned_dispatch_date=today,
        due_date=today + dt.timedelta(days=60),
        dispatched_at=timezone.now(),
        copies_sent=3,
    )
    lac_son = circulation_selectors.report_figures(
        organisation=org("VHTT-157"), start=today - dt.timedelta(days=30), end=today
    )
    assert lac_son["LC02"] == 0
