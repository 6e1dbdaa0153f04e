"""Who may do what in reports. Predicates only: which reports a user sees is decided in
selectors.py (`reports_for_user`); services re-check these before they write."""

from directory.models import Organisation, User
from directory.selectors import user_scope


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def can_see_province(user) -> bool:
    """Completeness and consolidation pages: leadership, focal officers, administrators."""
    return user_scope(user).everything


def files_reports(user) -> bool:
    """District (and commune) officers file their own office's reports."""
    return user.is_authenticated and user.role == User.Role.DISTRICT_OFFICER and bool(user.organisation_id)


def is_member(user, organisation_id) -> bool:
    """The user files reports for this organisation: only its own district officers may start,
    fill, import and submit them."""
    return user.is_authenticated and user.role == User.Role.DISTRICT_OFFICER and user.organisation_id == organisation_id


def reads_as_history(user, report) -> bool:
    """A district officer reading another office's report: one whose work passed to theirs."""
    return (
        user.is_authenticated
        and user.role == User.Role.DISTRICT_OFFICER
        and not is_member(user, report.organisation_id)
    )


def can_manage_periods(user) -> bool:
    """Focal officers (of either sector) and administrators open, edit and reopen periods."""
    return bool(_active(user) and (user.is_superuser or user.role in (User.Role.FOCAL_OFFICER, User.Role.SYSADMIN)))


def can_review(user, report) -> bool:
    """Focal officers review their own sector: the Provincial Library the culture offices
    and centres, the DoET office the education offices; a commune's culture-social office
    reports for both sectors, so either focal unit may review it."""
    return (
        user.role == User.Role.FOCAL_OFFICER
        and user.organisation_id is not None
        and user.organisation.kind in Organisation.FOCAL_KINDS
        and (user.organisation.sector == report.organisation.sector or report.organisation.is_commune_office)
    )


def own_sector(user) -> str | None:
    """The sector a focal officer works for (the default of province-wide pages), else None."""
    return user.sector if user.role == User.Role.FOCAL_OFFICER else None
