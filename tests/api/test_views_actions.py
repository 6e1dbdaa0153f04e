"""The write actions of the API beyond reports: progress, nominations, receipt of a
rotation, notifications read, and the public certificate check."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from circulation import services as circulation_services
from circulation.models import Rotation
from directory.models import Organisation
from notifications.services import notify
from programs.models import ActivityProgress, AnnualPlan, PlanActivity
from tests.circulation.factories import collection_with_items
from tests.programs.factories import ActivityFactory, PlanFactory
from tests.training.factories import CourseFactory, SessionFactory, StaffFactory, school_in
from training import services as training_services
from training.models import Nomination


@pytest.mark.django_db
def test_the_lead_unit_records_progress_of_an_activity(api, thuvien, gddt_lac_son):
    plan = PlanFactory(status=AnnualPlan.Status.IN_FORCE, created_by=thuvien)
    activity = ActivityFactory(plan=plan, lead_unit=Organisation.objects.get(code="GDDT-157"))
    body = {"reported_on": timezone.localdate().isoformat(), "percent": 100, "narrative": "Đã tập huấn 40 trường."}
    response = api(gddt_lac_son).post(f"/api/v1/activities/{activity.pk}/progress/", body, format="json")
    assert response.status_code == 201 and response.json()["percent"] == 100
    activity.refresh_from_db()
    assert activity.status == PlanActivity.Status.DONE
    listed = api(gddt_lac_son).get("/api/v1/activities/", {"lead_unit": "GDDT-157"}).json()["results"]
    assert [(a["id"], a["latest_percent"], a["n_updates"]) for a in listed] == [(activity.pk, 100, 1)]


@pytest.mark.django_db
def test_progress_in_the_future_is_a_field_free_400(api, thuvien):
    plan = PlanFactory(status=AnnualPlan.Status.IN_FORCE, created_by=thuvien)
    activity = ActivityFactory(plan=plan)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = api(thuvien).post(
        f"/api/v1/activities/{activity.pk}/progress/",
        {"reported_on": tomorrow, "percent": 10, "narrative": "Dự kiến"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Ngày cập nhật không được ở tương lai."]}
    assert not ActivityProgress.objects.exists()


@pytest.mark.django_db
def test_an_education_office_nominates_its_districts_staff(api, gddt_lac_son, vhtt_lac_son):
    course = CourseFactory(capacity=10)
    SessionFactory(course=course)
    staff = StaffFactory(school=school_in("157"))
    response = api(gddt_lac_son).post("/api/v1/nominations/", {"course": course.pk, "staff": staff.pk}, format="json")
    assert response.status_code == 201 and response.json()["state"] == Nomination.State.REQUESTED
    twice = api(gddt_lac_son).post("/api/v1/nominations/", {"course": course.pk, "staff": staff.pk}, format="json")
    assert twice.status_code == 400 and "đã được đề cử" in twice.json()["non_field_errors"][0]
    culture = api(vhtt_lac_son).post("/api/v1/nominations/", {"course": course.pk, "staff": staff.pk}, format="json")
    assert culture.status_code == 400  # the culture office does not reach the school staff registry
    listed = api(gddt_lac_son).get("/api/v1/nominations/", {"course": course.pk}).json()
    assert listed["count"] == 1
    assert api(gddt_lac_son).get("/api/v1/nominations/").status_code == 400
    assert api(gddt_lac_son).get("/api/v1/nominations/", {"course": 999999}).status_code == 404


@pytest.mark.django_db
def test_the_school_library_confirms_receipt(api, tv_lac_son, lac_son_school, admin_user, gddt_lac_son):
    library = Organisation.objects.get(parent=lac_son_school, kind=Organisation.Kind.SCHOOL_LIBRARY)
    collection = collection_with_items(2, copies=3)
    rotation = circulation_services.rotation_plan(
        collection=collection, school_library=library, planned_dispatch_date=timezone.localdate(), by=None
    )
    circulation_services.rotation_dispatch(rotation=rotation, by=admin_user)
    wrong = api(tv_lac_son).post(f"/api/v1/rotations/{rotation.pk}/receive/", {"total": 5}, format="json")
    assert wrong.status_code == 400 and "khác số bản gửi" in wrong.json()["non_field_errors"][0]
    assert (
        api(gddt_lac_son).post(f"/api/v1/rotations/{rotation.pk}/receive/", {"total": 6}, format="json").status_code
        == 403
    )
    ok = api(tv_lac_son).post(f"/api/v1/rotations/{rotation.pk}/receive/", {"total": 6}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == Rotation.Status.RECEIVED
    assert ok.json()["copies_received"] == 6


@pytest.mark.django_db
def test_notifications_are_the_users_own_and_can_be_marked_read(api, gddt_lac_son, gddt_mai_chau):
    mine = notify(user=gddt_lac_son, title="Sắp đến hạn nộp báo cáo 6 tháng", email=False)
    notify(user=gddt_mai_chau, title="Thông báo của người khác", email=False)
    client = api(gddt_lac_son)
    unread = client.get("/api/v1/notifications/", {"unread": "true"}).json()
    assert [n["title"] for n in unread["results"]] == ["Sắp đến hạn nộp báo cáo 6 tháng"]
    read = client.post(f"/api/v1/notifications/{mine.pk}/read/")
    assert read.status_code == 200 and read.json()["read_at"]
    assert client.get("/api/v1/notifications/", {"unread": "true"}).json()["count"] == 0


@pytest.mark.django_db
def test_certificate_check_is_public_and_throttled(settings, gddt_mai_chau, thuvien):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "certificate": "3/minute"},
    }
    today = timezone.localdate()
    course = CourseFactory(title="Tập huấn nghiệp vụ thư viện trường học năm 2026", capacity=5)
    session = SessionFactory(course=course, date=today - dt.timedelta(days=2))
    staff = StaffFactory(full_name="Hà Thị Nguyệt", school=school_in("156"))
    nomination = training_services.nomination_create(course=course, staff=staff, by=gddt_mai_chau)
    training_services.nomination_approve(nomination=nomination, by=thuvien)
    training_services.attendance_mark(session=session, nomination=nomination, present=True, by=thuvien)
    training_services.course_finish(course=course, by=thuvien)
    code = Nomination.objects.get(pk=nomination.pk).certificate.code
    anonymous = APIClient()
    found = anonymous.get(f"/api/v1/certificates/{code.lower()}/")
    assert found.status_code == 200
    assert found.json()["valid"] is True and found.json()["holder_name"] == "Hà Thị Nguyệt"
    assert "0912" not in found.content.decode()  # no contact details in public
    assert anonymous.get("/api/v1/certificates/ZZZZ9999/").status_code == 404
    assert anonymous.get(f"/api/v1/certificates/{code}/").status_code == 200
    assert anonymous.get(f"/api/v1/certificates/{code}/").status_code == 429
