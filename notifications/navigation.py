from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from core.navigation import Panel

from . import selectors


def home_panels(request):
    """The user's next deadlines (from every app, cached five minutes) and unread messages:
    a bounded number of queries whatever the data size."""
    user = request.user
    upcoming = selectors.upcoming_deadlines(user, limit=6)
    soon = timezone.now() + timedelta(days=3)
    for row in upcoming:
        row["soon"] = row["due_at"] <= soon
    latest = list(selectors.inbox(user, unread_only=True).only("title", "created_at")[:4])
    return [
        Panel(
            title=_("Việc sắp đến hạn và thông báo"),
            template="notifications/_home_panel.html",
            context={"upcoming": upcoming, "latest": latest, "unread": selectors.unread_count(user)},
            order=10,
        )
    ]
