"""Who may do what in the directory: the portal-wide role predicates, once each.

What a user may *see* (the scope of organisations and districts) is decided in
``directory.selectors``.
"""

from .models import User


def is_province_manager(user) -> bool:
    """Runs the programme province-wide (focal officers, system administrators): sees drafts
    and unpublished material, manages every course. Leadership reads but does not manage."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in (User.Role.FOCAL_OFFICER, User.Role.SYSADMIN))
    )


def is_district_office_member(user) -> bool:
    """A district officer working in one of the district's three offices (culture office,
    culture centre, education office): the one membership check of the portal."""
    org = user.organisation if user is not None and user.is_authenticated and user.is_active else None
    return bool(org is not None and user.role == User.Role.DISTRICT_OFFICER and org.is_district_office)
