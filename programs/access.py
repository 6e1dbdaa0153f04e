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
