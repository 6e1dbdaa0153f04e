"""Every API route, for every role, against objects of another district (Mai Châu, "B") seen
by Lạc Sơn users ("A"): the expected status, as the permission matrix of the portal states it.

Codes: 200/201 allowed; 400 allowed past the access check but the (deliberately empty or
clashing) body is refused; 401 anonymous; 403 forbidden action; 404 outside the user's scope;
302 a page redirect (login for the anonymous, back to the list after a revoke).
"""

import datetime as dt

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from rest_framework.test import APIClient

from api import urls as api_urls
from api.services import token_create
from circulation import services as circulation_services
from directory.models import AdministrativeUnit, Organisation, User
from notifications.services import notify
from programs.models import AnnualPlan
from reports.models import Indicator
from tests.circulation.factories import collection_with_items
from tests.programs.factories import ActivityFactory, PlanFactory
from tests.reports.factories import filled_report, open_period
from tests.training.factories import CourseFactory, SessionFactory, StaffFactory, school_in
from training import services as training_services
from training.models import Nomination

ROLES = ["anonymous", "librarian_A", "officer_A", "focal_culture", "focal_education", "leadership", "sysadmin"]
ROLE_FIXTURES = {
    "librarian_A": "tv_lac_son",
    "officer_A": "gddt_lac_son",
    "focal_culture": "thuvien",
    "focal_education": "vanphong",
    "leadership": "giamdoc_vhttdl",
    "sysadmin": "admin_user",
}

ALL_200 = (401, 200, 200, 200, 200, 200, 200)
PROVINCE_ONLY = (401, 404, 404, 200, 200, 200, 200)  # B's object: district users of A do not see it
PROVINCE_READS = (401, 403, 403, 200, 200, 200, 200)  # province-wide figures
PUBLIC = (200, 200, 200, 200, 200, 200, 200)

# (url name, method, path, body) -> codes in ROLES order. `{x}` is filled from the world.
MATRIX = [
    ("api:unit-list", "get", "/api/v1/units/", None, ALL_200),
    ("api:unit-detail", "get", "/api/v1/units/{unit}/", None, ALL_200),
    ("api:organisation-list", "get", "/api/v1/organisations/", None, ALL_200),
    ("api:organisation-detail", "get", "/api/v1/organisations/{organisation}/", None, PROVINCE_ONLY),
    ("api:programme-list", "get", "/api/v1/programmes/", None, ALL_200),
    ("api:programme-detail", "get", "/api/v1/programmes/{programme}/", None, ALL_200),
    ("api:commitment-list", "get", "/api/v1/commitments/", None, ALL_200),
    ("api:commitment-detail", "get", "/api/v1/commitments/{commitment}/", None, ALL_200),
    ("api:plan-list", "get", "/api/v1/plans/", None, ALL_200),
    ("api:plan-detail", "get", "/api/v1/plans/{plan}/", None, ALL_200),
    ("api:activity-list", "get", "/api/v1/activities/", None, ALL_200),
    ("api:activity-detail", "get", "/api/v1/activities/{activity}/", None, ALL_200),
    (
        "api:activity-progress",
        "post",
        "/api/v1/activities/{activity}/progress/",
        {},
        (401, 403, 403, 400, 400, 403, 400),
    ),
    ("api:period-list", "get", "/api/v1/periods/", None, ALL_200),
    ("api:period-detail", "get", "/api/v1/periods/{period}/", None, ALL_200),
    ("api:indicator-list", "get", "/api/v1/indicators/?period=2026S1", None, ALL_200),
    ("api:indicator-detail", "get", "/api/v1/indicators/{indicator}/", None, ALL_200),
    ("api:report-list", "get", "/api/v1/reports/", None, ALL_200),
    ("api:report-detail", "get", "/api/v1/reports/{report}/", None, PROVINCE_ONLY),
    ("api:report-values", "post", "/api/v1/reports/{report}/values/", {}, (401, 404, 404, 403, 403, 403, 403)),
    ("api:report-submit", "post", "/api/v1/reports/{report}/submit/", {}, (401, 404, 404, 403, 403, 403, 403)),
    ("api:completeness", "get", "/api/v1/completeness/?period=2026S1", None, PROVINCE_READS),
    ("api:consolidation", "get", "/api/v1/consolidation/?period=2026S1", None, PROVINCE_READS),
    ("api:data-values", "get", "/api/v1/data-values/?period=2026S1", None, ALL_200),
    ("api:data-values", "post", "/api/v1/data-values/", {}, (401, 400, 400, 400, 400, 400, 400)),
    ("api:course-list", "get", "/api/v1/courses/", None, ALL_200),
    ("api:course-detail", "get", "/api/v1/courses/{course}/", None, ALL_200),
    ("api:session-list", "get", "/api/v1/sessions/", None, ALL_200),
    ("api:session-detail", "get", "/api/v1/sessions/{session}/", None, ALL_200),
    ("api:nomination-list", "get", "/api/v1/nominations/?course={course}", None, ALL_200),
    ("api:nomination-detail", "get", "/api/v1/nominations/{nomination}/", None, PROVINCE_ONLY),
    # B's second staff member: district users of A cannot reach them (400 on the field),
    # leadership only reads (403).
    (
        "api:nomination-list",
        "post",
        "/api/v1/nominations/",
        {"course": "{course}", "staff": "{staff}"},
        (401, 400, 400, 201, 201, 403, 201),
    ),
    ("api:certificate", "get", "/api/v1/certificates/{certificate}/", None, PUBLIC),
    ("api:collection-list", "get", "/api/v1/collections/", None, ALL_200),
    ("api:collection-detail", "get", "/api/v1/collections/{collection}/", None, PROVINCE_ONLY),
    ("api:item-list", "get", "/api/v1/items/", None, ALL_200),
    ("api:item-detail", "get", "/api/v1/items/{item}/", None, PROVINCE_ONLY),
    ("api:rotation-list", "get", "/api/v1/rotations/", None, ALL_200),
    ("api:rotation-detail", "get", "/api/v1/rotations/{rotation}/", None, PROVINCE_ONLY),
    ("api:rotation-receive", "post", "/api/v1/rotations/{rotation}/receive/", {}, (401, 404, 404, 403, 403, 403, 403)),
    ("api:notification-list", "get", "/api/v1/notifications/", None, ALL_200),
    (
        "api:notification-detail",
        "get",
        "/api/v1/notifications/{notification}/",
        None,
        (401, 404, 404, 404, 404, 404, 404),
    ),
    (
        "api:notification-read",
        "post",
        "/api/v1/notifications/{notification}/read/",
        {},
        (401, 404, 404, 404, 404, 404, 404),
    ),
    ("api:token-list", "get", "/api/v1/tokens/", None, ALL_200),
    ("api:token-list", "get", "/api/v1/tokens/?all=true", None, (401, 403, 403, 403, 403, 200, 200)),
    # Creating a token needs the browser session, never another token.
    ("api:token-list", "post", "/api/v1/tokens/", {"name": "Khóa con"}, (401, 403, 403, 403, 403, 403, 403)),
    ("api:token-detail", "get", "/api/v1/tokens/{token}/", None, (401, 404, 404, 404, 404, 200, 200)),
    ("api:token-revoke", "post", "/api/v1/tokens/{token}/revoke/", {}, (401, 404, 404, 404, 404, 200, 200)),
    ("api:schema", "get", "/api/schema/", None, PUBLIC),
    ("api:docs", "get", "/api/docs/", None, PUBLIC),
    # The profile page (browser session).
    ("api:token-page", "get", "/api/tokens/", None, (302, 200, 200, 200, 200, 200, 200)),
    ("api:token-page-create", "post", "/api/tokens/new/", {}, (302, 400, 400, 400, 400, 400, 400)),
    ("api:token-page-revoke", "post", "/api/tokens/{token}/revoke/", {}, (302, 404, 404, 404, 404, 302, 302)),
]


def _names(patterns, namespace="api"):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _names(p.url_patterns, namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}:{p.name}"


def test_the_matrix_covers_every_api_route():
    declared = {row[0] for row in MATRIX}
    routes = set(_names(api_urls.urlpatterns))
    assert routes - declared == set(), "API routes without a row in the matrix"
    assert declared - routes == set(), "rows for routes that do not exist"
    assert all(len(row[4]) == len(ROLES) for row in MATRIX)


@pytest.fixture
def world(db, gddt_mai_chau, admin_user, thuvien):
    """Objects of Mai Châu (B) and of the province."""
    today = timezone.localdate()
    period = open_period(2026, "H1")
    report = filled_report(period, Organisation.objects.get(code="GDDT-156"), gddt_mai_chau)
    plan = PlanFactory(status=AnnualPlan.Status.IN_FORCE, created_by=thuvien)
    activity = ActivityFactory(plan=plan)
    course = CourseFactory(capacity=10)
    session = SessionFactory(course=course)
    school = school_in("156", name="Trường Tiểu học Chiềng Châu")
    staff, second = StaffFactory(school=school), StaffFactory(school=school)
    nomination = training_services.nomination_create(course=course, staff=staff, by=gddt_mai_chau)
    done = CourseFactory(title="Tập huấn đã xong", capacity=5)
    past = SessionFactory(course=done, date=today - dt.timedelta(days=2))
    attended = training_services.nomination_create(course=done, staff=staff, by=gddt_mai_chau)
    training_services.nomination_approve(nomination=attended, by=thuvien)
    training_services.attendance_mark(session=past, nomination=attended, present=True, by=thuvien)
    training_services.course_finish(course=done, by=thuvien)
    certificate = Nomination.objects.get(pk=attended.pk).certificate
    collection = collection_with_items(2, copies=1, owner=Organisation.objects.get(code="TVH-156"))
    library = Organisation.objects.get(parent=school, kind=Organisation.Kind.SCHOOL_LIBRARY)
    rotation = circulation_services.rotation_plan(
        collection=collection, school_library=library, planned_dispatch_date=today, by=None
    )
    circulation_services.rotation_dispatch(rotation=rotation, by=admin_user)
    notification = notify(user=gddt_mai_chau, title="Nhắc hạn nộp báo cáo", email=False)
    token, _raw = token_create(user=gddt_mai_chau, name="Phần mềm của phòng", by=gddt_mai_chau)
    return {
        "unit": AdministrativeUnit.objects.get(code="156").pk,
        "organisation": Organisation.objects.get(code="GDDT-156").pk,
        "programme": plan.programme_id,
        "commitment": plan.programme.commitments.first().pk,
        "plan": plan.pk,
        "activity": activity.pk,
        "period": period.pk,
        "indicator": Indicator.objects.filter(period=period).first().pk,
        "report": report.pk,
        "course": course.pk,
        "session": session.pk,
        "nomination": nomination.pk,
        "staff": second.pk,
        "certificate": certificate.code,
        "collection": collection.pk,
        "item": collection.items.first().pk,
        "rotation": rotation.pk,
        "notification": notification.pk,
        "token": token.pk,
    }


def _fill(value, world):
    if isinstance(value, str):
        return value.format(**world)
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    return value


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_matrix_says(request, world, role):
    user = request.getfixturevalue(ROLE_FIXTURES[role]) if role in ROLE_FIXTURES else None
    if user is not None:
        assert (
            user.role
            == {
                "librarian_A": User.Role.SCHOOL_LIBRARIAN,
                "officer_A": User.Role.DISTRICT_OFFICER,
                "focal_culture": User.Role.FOCAL_OFFICER,
                "focal_education": User.Role.FOCAL_OFFICER,
                "leadership": User.Role.LEADERSHIP,
                "sysadmin": User.Role.SYSADMIN,
            }[role]
        )
    api = APIClient()
    page = Client()
    if user is not None:
        _t, raw = token_create(user=user, name="Kiểm thử", by=user)
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        page.force_login(user)
    wrong = []
    for name, method, path, body, codes in MATRIX:
        expected = codes[ROLES.index(role)]
        url = _fill(path, world)
        client = page if name.startswith("api:token-page") or name in ("api:docs",) else api
        if method == "get":
            response = client.get(url)
        elif client is api:
            response = client.post(url, _fill(body, world), format="json")
        else:
            response = client.post(url, _fill(body, world))
        if response.status_code != expected:
            wrong.append(f"{method.upper()} {name} {url}: {response.status_code}, expected {expected}")
    assert wrong == []
