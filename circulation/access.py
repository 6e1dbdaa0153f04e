"""Who may do what in circulation. Predicates only (and the libraries a user acts for, which
they are built on): which collections and rotations a user sees is decided in selectors.py;
services re-check these before they write."""

from django.db.models import QuerySet

from directory.models import Organisation, User

ACTING_ROLES = {User.Role.FOCAL_OFFICER, User.Role.DISTRICT_OFFICER, User.Role.LIBRARY_STAFF, User.Role.SYSADMIN}


def managed_libraries(user) -> QuerySet[Organisation]:
    """Public libraries whose rotating collections `user` manages: their own library; for
    the district culture centre (TTVH-<code>) its district library (TVH-<code>); every
    library for a system administrator. Leadership only reads."""
    libraries = Organisation.objects.filter(kind__in=Organisation.LIBRARY_KINDS)
    if not (user and user.is_authenticated and user.is_active):
        return libraries.none()
    if user.is_superuser or user.role == User.Role.SYSADMIN:
        return libraries
    if user.role not in ACTING_ROLES or not user.organisation_id:
        return libraries.none()
    org = user.organisation
    if org.kind in Organisation.LIBRARY_KINDS:
        return libraries.filter(pk=org.pk)
    if org.kind == Organisation.Kind.CULTURE_CENTRE:
        return libraries.filter(kind=Organisation.Kind.PUBLIC_LIBRARY, parent_id=org.pk)
    return libraries.none()


def can_manage_library(user, library_id: int) -> bool:
    """Whether `user` acts for the library: its collections, items, imports and rotations."""
    return managed_libraries(user).filter(pk=library_id).exists()


def is_receiving_librarian(user, rotation) -> bool:
    """A librarian of the school library the rotation went to (tied to the library or its school)."""
    if not user.is_authenticated or user.role != User.Role.SCHOOL_LIBRARIAN or not user.organisation_id:
        return False
    library = rotation.school_library
    return user.organisation_id in (library.pk, library.parent_id)


def can_return_rotation(user, rotation) -> bool:
    """The receiving school's librarian sends the books back; the owning library may record it."""
    return is_receiving_librarian(user, rotation) or can_manage_library(user, rotation.owner_id)


def may_receive_from(owner: Organisation, school_library: Organisation) -> bool:
    """Whether `owner` may rotate books to `school_library` (see `selectors.receiving_libraries`,
    which the forms offer)."""
    from .selectors import receiving_libraries  # selectors builds on this module

    return receiving_libraries(owner).filter(pk=school_library.pk).exists()
