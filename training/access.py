"""Who may do what in training. Predicates only: which courses, nominations and staff a user
sees is decided in selectors.py; services re-check these before they write."""

from directory.models import Organisation, User
from directory.selectors import user_scope

COURSE_ORGANISER_KINDS = (
    Organisation.Kind.PROVINCIAL_LIBRARY,
    Organisation.Kind.DOET_OFFICE,
    Organisation.Kind.CULTURE_CENTRE,
    Organisation.Kind.CULTURE_OFFICE,
    Organisation.Kind.EDUCATION_OFFICE,
    Organisation.Kind.PUBLIC_LIBRARY,
)


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_admin(user) -> bool:
    return _active(user) and (user.is_superuser or user.role == User.Role.SYSADMIN)


def can_create_course(user) -> bool:
    if is_admin(user):
        return bool(user.organisation_id)
    if not _active(user) or user.role == User.Role.LEADERSHIP or not user.organisation_id:
        return False
    return user.organisation.kind in COURSE_ORGANISER_KINDS


def can_manage_course(user, course) -> bool:
    """Edit, approve nominations, take attendance, issue certificates: the organiser's staff,
    the focal officers who run the programme, administrators. Leadership only reads."""
    if not _active(user) or user.role == User.Role.LEADERSHIP:
        return False
    if is_admin(user) or user.role == User.Role.FOCAL_OFFICER:
        return True
    return user.organisation_id is not None and user.organisation_id == course.organiser_id


def sees_staff_registry(user) -> bool:
    """School library staff are the education sector's people; culture-sector district users
    do not need their contacts."""
    if not _active(user):
        return False
    scope = user_scope(user)
    if scope.everything:
        return True
    if scope.is_empty or not user.organisation_id:
        return False
    return user.organisation.sector == Organisation.Sector.EDUCATION


def can_nominate(user) -> bool:
    """District education offices and schools nominate their staff; focal officers may too."""
    if not _active(user) or user.role == User.Role.LEADERSHIP:
        return False
    if is_admin(user) or user.role == User.Role.FOCAL_OFFICER:
        return True
    if not user.organisation_id:
        return False
    if user.role == User.Role.DISTRICT_OFFICER:
        return user.organisation.kind == Organisation.Kind.EDUCATION_OFFICE
    return user.role == User.Role.SCHOOL_LIBRARIAN


def can_edit_staff(user) -> bool:
    """The registry is kept by schools and district education offices (and focal officers)."""
    return can_nominate(user)


def can_manage_guidance(user) -> bool:
    """Guidance material (IV.2.c) is written and versioned by the programme's focal officers
    (the Provincial Library, the DoET office) and administrators; everyone else reads it."""
    if not _active(user) or user.role == User.Role.LEADERSHIP:
        return False
    return is_admin(user) or user.role == User.Role.FOCAL_OFFICER


def can_cancel_nomination(user, nomination) -> bool:
    """The course's managers, or a nominator for whom the nominated person is in scope."""
    if can_manage_course(user, nomination.course):
        return True
    from .selectors import staff_for_user

    return can_nominate(user) and staff_for_user(user).filter(pk=nomination.staff_id).exists()
