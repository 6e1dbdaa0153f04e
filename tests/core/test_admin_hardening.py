"""The admin site cannot be used to hand out power or to skip a service's rules."""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from core.admin import RuleCarryingAdmin
from directory.models import User
from tests.factories import UserFactory
from tests.training.factories import CourseFactory, SessionFactory

# Every model whose changes carry a rule a service enforces. A rule-carrying admin added
# later must be listed here too (the last test checks the list is complete).
RULE_MODELS = [
    "programs.Programme",
    "programs.LegalBasis",
    "programs.Commitment",
    "programs.ProgrammeAmendment",
    "programs.Pilot",
    "programs.AnnualPlan",
    "programs.PlanDecision",
    "programs.PlanActivity",
    "programs.ActivityProgress",
    "programs.ProgressEvidence",
    "programs.LocalPlan",
    "programs.LocalActivity",
    "programs.Meeting",
    "programs.ActionItem",
    "programs.Inspection",
    "programs.Recommendation",
    "programs.RecommendationUpdate",
    "programs.Proposal",
    "training.Course",
    "training.Session",
    "training.Nomination",
    "training.NominationStateChange",
    "training.Attendance",
    "training.Certificate",
    "circulation.RotatingCollection",
    "circulation.Item",
    "circulation.Rotation",
    "circulation.RotationEvent",
    "circulation.RotationLine",
    "circulation.Route",
    "circulation.RouteStage",
    "reports.Report",
    "reports.ReportValue",
    "reports.ReportSubmission",
    "reports.ReviewComment",
    "reports.ReportEvent",
]


@pytest.fixture
def sysadmin(db):
    return UserFactory(username="quantri", role=User.Role.SYSADMIN, organisation=None)


def _admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.mark.parametrize("label", RULE_MODELS)
def test_rule_carrying_model_is_read_only_in_the_admin(label, client, thuvien, sysadmin):
    model = apps.get_model(label)
    model_admin = admin.site._registry[model]
    rf = RequestFactory()
    for user in (thuvien, sysadmin):
        request = rf.get("/")
        request.user = user
        assert model_admin.has_view_permission(request), (label, user)
        assert not model_admin.has_add_permission(request), (label, user)
        assert not model_admin.has_change_permission(request), (label, user)
        assert not model_admin.has_delete_permission(request), (label, user)
        client.force_login(user)
        assert client.get(_admin_url(model, "changelist")).status_code == 200
        assert client.get(_admin_url(model, "add")).status_code == 403


def test_superusers_keep_the_repair_tool(admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    for label in ("programs.AnnualPlan", "training.Course", "circulation.RouteStage"):
        assert admin.site._registry[apps.get_model(label)].has_change_permission(request)
    # A commitment's text changes only through an amendment both Directors agree (VII):
    # not even a superuser edits it in the admin.
    for label in ("programs.Commitment", "programs.ProgrammeAmendment"):
        assert not admin.site._registry[apps.get_model(label)].has_change_permission(request)


def test_a_focal_officer_cannot_raise_capacity_or_jump_status_in_the_admin(client, thuvien):
    course = CourseFactory(capacity=2)
    session = SessionFactory(course=course)
    client.force_login(thuvien)
    page = client.get(_admin_url(course, "change", course.pk))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    response = client.post(
        _admin_url(course, "change", course.pk), {"title": course.title, "capacity": "50", "status": "finished"}
    )
    assert response.status_code == 403
    course.refresh_from_db()
    assert course.capacity == 2 and course.status == "open"
    response = client.post(
        _admin_url(session, "change", session.pk),
        {"course": course.pk, "date": "2030-01-01", "start_time": "08:00", "end_time": "09:00", "place": "x"},
    )
    assert response.status_code == 403
    session.refresh_from_db()
    assert session.date != dt.date(2030, 1, 1)


def test_a_commitment_cannot_be_rewritten_without_both_directors(client, vanphong):
    from tests.programs.factories import current_programme

    commitment = current_programme().commitments.first()
    client.force_login(vanphong)
    response = client.post(
        _admin_url(commitment, "change", commitment.pk),
        {"code": commitment.code, "text": "Nội dung đã sửa", "section": "IV", "position": 1},
    )
    assert response.status_code == 403
    commitment.refresh_from_db()
    assert commitment.text != "Nội dung đã sửa"


def _user_form(user, **overrides):
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "phone": "",
        "position": "",
        "role": user.role,
        "organisation": user.organisation_id or "",
        "is_active": "on",
        "date_joined_0": "01/01/2026",
        "date_joined_1": "08:00:00",
    }
    data.update(overrides)
    return data


def test_a_sysadmin_who_is_not_superuser_cannot_make_themselves_superuser(client, sysadmin):
    client.force_login(sysadmin)
    url = _admin_url(sysadmin, "change", sysadmin.pk)
    page = client.get(url).content.decode()
    assert 'name="is_superuser"' not in page and 'name="role"' not in page
    client.post(url, _user_form(sysadmin, is_superuser="on", is_staff="on", role="leadership"))
    sysadmin.refresh_from_db()
    assert not sysadmin.is_superuser and sysadmin.role == User.Role.SYSADMIN


def test_a_sysadmin_cannot_change_anyones_role_or_touch_a_superuser(client, sysadmin, gddt_lac_son, admin_user):
    client.force_login(sysadmin)
    client.post(_admin_url(gddt_lac_son, "change", gddt_lac_son.pk), _user_form(gddt_lac_son, role="focal_officer"))
    gddt_lac_son.refresh_from_db()
    assert gddt_lac_son.role == User.Role.DISTRICT_OFFICER and not gddt_lac_son.is_staff
    page = client.get(_admin_url(admin_user, "change", admin_user.pk)).content.decode()
    assert 'name="email"' not in page and 'name="_save"' not in page  # view only
    assert client.get(reverse("admin:auth_user_password_change", args=[admin_user.pk])).status_code == 403
    # A new account from a non-superuser never gets admin access.
    client.post(
        _admin_url(admin_user, "add"),
        {
            "username": "moi.tao",
            "full_name": "Người Mới",
            "email": "moi@example.vn",
            "role": "sysadmin",
            "organisation": gddt_lac_son.organisation_id,
            "password1": "mat-khau-rat-dai-2026",
            "password2": "mat-khau-rat-dai-2026",
        },
    )
    created = User.objects.filter(username="moi.tao").first()
    assert created is None or (created.role == User.Role.DISTRICT_OFFICER and not created.is_staff)


def test_a_superuser_can_grant_a_role(client, admin_user, gddt_lac_son):
    client.force_login(admin_user)
    response = client.post(
        _admin_url(gddt_lac_son, "change", gddt_lac_son.pk), _user_form(gddt_lac_son, role="focal_officer")
    )
    assert response.status_code == 302
    gddt_lac_son.refresh_from_db()
    assert gddt_lac_son.role == User.Role.FOCAL_OFFICER and gddt_lac_son.is_staff


def test_the_rule_model_list_matches_the_admin():
    registered = {
        f"{model._meta.app_label}.{model.__name__}"
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, RuleCarryingAdmin)
    }
    assert registered == set(RULE_MODELS)
