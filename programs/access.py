"""Who may do what in the programs app: every permission predicate, once, named after what it
decides; and the access helpers the views fetch through (the object, 404 outside the user's
scope, 403 when the user may see it but not change it).

What a user may *see* is decided in ``programs.selectors`` (through ``directory.selectors``);
services re-check the predicates here before they write.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from directory.access import is_district_office_member
from directory.models import Organisation

DEPARTMENT_CODES = ("SVHTTDL", "SGDDT")
SIDE_OF_DEPARTMENT = {"SVHTTDL": "docst", "SGDDT": "doet"}


# --- Roles ---------------------------------------------------------------------------------


def is_focal_officer(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and (user.is_superuser or user.is_focal_officer))


def director_department(user) -> Organisation | None:
    """The department a leadership user decides for (SVHTTDL or SGDDT), else None."""
    if not (user and user.is_authenticated and user.is_active and user.is_leadership and user.organisation_id):
        return None
    org = user.organisation
    return org if org.code in DEPARTMENT_CODES else None


def require_focal(user, message: str | None = None) -> None:
    if not is_focal_officer(user):
        raise PermissionDenied(
            message or _("Chỉ cán bộ đầu mối của Thư viện tỉnh hoặc Văn phòng Sở GD&ĐT được làm việc này.")
        )


def require_director(user, message: str) -> None:
    if director_department(user) is None:
        raise PermissionDenied(message)


# --- Per object ----------------------------------------------------------------------------


def can_report_progress(user, activity) -> bool:
    return is_focal_officer(user) or (
        user.is_authenticated and user.organisation_id is not None and user.organisation_id == activity.lead_unit_id
    )


def can_edit_local_plan(user, local_plan) -> bool:
    return is_district_office_member(user) and user.organisation_id == local_plan.organisation_id


def can_review_local_plan(user, local_plan) -> bool:
    """The focal unit of the office's sector: the Provincial Library for culture offices,
    the DoET Office for education offices."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    org = user.organisation if user.organisation_id else None
    return bool(user.is_focal_officer and org and org.is_focal_unit and org.sector == local_plan.organisation.sector)


def can_close_action(user, item) -> bool:
    return is_focal_officer(user) or (
        user.is_authenticated and (item.owner_id == user.pk or item.owner_organisation_id == user.organisation_id)
    )


def can_update_recommendation(user, recommendation) -> bool:
    return is_focal_officer(user) or bool(
        user.is_authenticated and user.organisation_id == recommendation.owner_organisation_id
    )


def can_decide_pilot(user) -> bool:
    """Who takes a pilot's roll-out decision: a focal officer, or a Director."""
    return is_focal_officer(user) or director_department(user) is not None


def can_decide_amendment(user, amendment) -> bool:
    """A Director whose side has still to agree to this amendment."""
    department = director_department(user)
    side = SIDE_OF_DEPARTMENT.get(department.code) if department else None
    return side in amendment.awaiting_sides


# --- Access helpers: fetch through the selectors, then refuse what the user may not do ---------


def _selectors():
    from . import selectors  # selectors import the predicates above

    return selectors


def require_programme_view(user) -> None:
    """Accounts tied to no unit see nothing of the programme (403 with the reason)."""
    if not _selectors().may_see_programme(user):
        raise PermissionDenied(_("Tài khoản của bạn chưa gắn với đơn vị nào."))


def require_province_view(user, message: str) -> None:
    """Pages about the whole province: refused (403, ``message``) below a province-wide scope."""
    from directory.selectors import sees_whole_province

    if not sees_whole_province(user):
        raise PermissionDenied(message)


def get_plan_for_editor(user, pk):
    plan = _selectors().get_plan_for_user(user, pk)
    require_focal(user)
    return plan


def get_activity_for_editor(user, pk):
    activity = _selectors().get_plan_activity_for_user(user, pk)
    require_focal(user)
    return activity


def get_activity_for_reporter(user, pk):
    activity = _selectors().get_plan_activity_for_user(user, pk)
    if not can_report_progress(user, activity):
        raise PermissionDenied(_("Chỉ cán bộ đầu mối hoặc đơn vị chủ trì được cập nhật tiến độ hoạt động này."))
    return activity


def get_local_plan_for_editor(user, pk):
    local = _selectors().get_local_plan_for_user(user, pk)
    if not can_edit_local_plan(user, local):
        raise PermissionDenied(_("Bạn chỉ được sửa kế hoạch của đơn vị mình."))
    return local


def get_local_activity_for_editor(user, pk):
    activity = _selectors().get_local_activity(pk)
    activity.local_plan = get_local_plan_for_editor(user, activity.local_plan_id)
    return activity


def get_local_plan_for_reviewer(user, pk):
    local = _selectors().get_local_plan_for_user(user, pk)
    if not can_review_local_plan(user, local):
        raise PermissionDenied(_("Chỉ đơn vị đầu mối của ngành được tiếp nhận kế hoạch này."))
    return local


def get_meeting_for_editor(user, pk):
    meeting = _selectors().get_meeting_for_user(user, pk)
    require_focal(user)
    return meeting


def get_inspection_for_editor(user, pk):
    inspection = _selectors().get_inspection_for_user(user, pk)
    require_focal(user)
    return inspection


def get_recommendation_for_updater(user, pk):
    recommendation = _selectors().get_recommendation_for_user(user, pk)
    if not can_update_recommendation(user, recommendation):
        raise PermissionDenied(_("Chỉ đơn vị thực hiện kiến nghị hoặc cán bộ đầu mối được cập nhật."))
    return recommendation


def get_proposal_for_editor(user, pk):
    proposal = _selectors().get_proposal_for_user(user, pk)
    require_focal(user)
    return proposal


def get_pilot_for_editor(user, pk):
    pilot = _selectors().get_pilot_for_user(user, pk)
    require_focal(user)
    return pilot


def get_pilot_for_decider(user, pk):
    pilot = _selectors().get_pilot_for_user(user, pk)
    if not can_decide_pilot(user):
        raise PermissionDenied
    return pilot
