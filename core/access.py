"""Who may do what in the shell: the permission predicates of core, once each."""


def two_factor_roles() -> set[str]:
    from django.contrib.auth import get_user_model

    User = get_user_model()  # noqa: N806  the portal's user model (directory's), not imported by core
    return {User.Role.LEADERSHIP, User.Role.FOCAL_OFFICER, User.Role.SYSADMIN}


def two_factor_offered(user) -> bool:
    """Leadership, focal officers and administrators (and anyone on the admin site) may enrol."""
    return user.is_authenticated and (user.role in two_factor_roles() or user.is_staff or user.is_superuser)
