"""Who may do what with API tokens. Predicates only: which tokens a user sees is decided in
selectors.py; services re-check these before they write."""

from directory.models import User


def can_manage_all_tokens(user) -> bool:
    """Leadership and administrators may list and revoke anyone's tokens."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in (User.Role.LEADERSHIP, User.Role.SYSADMIN))
    )
