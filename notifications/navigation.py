from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from core.navigation import Panel

from . import selectors


def home_panels(request):
    """Everyone's next deadlines (as the reminder sweep recorded them) and unread messages:
    three queries whatever the data size."""
    user = request.user
    upcoming = selectors.upcoming_reminders(user, limit=6)
    soon = timezone.now() + timedelta(days=3)
    for reminder in upcoming:
        reminder.soon = reminder.due_at <= soon
    latest = list(selectors.inbox(user, unread_only=True).only("title", "created_at")[:4])
    return [
        Panel(
            title=_("Việc sắp đến hạn và thông báo"),
            template="notifications/_home_panel.html",
            context={"upcoming": upcoming, "latest": latest, "unread": selectors.unread_count(user)},
            order=10,
        )
    ]
