"""What notifications provides to the shell through its AppConfig (core.registry): the bell's
count on every page, the e-mail health check, and the user's own calendar feed."""

from django.utils import timezone

from notifications import selectors, services
from notifications.models import CalendarFeed, Delivery, Notification


def test_shell_context_counts_unread_items_of_the_user_only(thuvien, gddt_lac_son):
    Notification.objects.create(user=thuvien, title="Một")
    Notification.objects.create(user=thuvien, title="Hai", read_at=timezone.now())
    Notification.objects.create(user=gddt_lac_son, title="Ba")
    assert selectors.shell_context(thuvien) == {"unread_notifications": 1}


def test_email_status_counts_waiting_and_failed_deliveries(thuvien):
    assert selectors.email_status() == {"ok": True, "waiting": 0, "failing": 0}
    for status in ("pending", "sending", "failed", "sent"):
        item = Notification.objects.create(user=thuvien, title=status)
        Delivery.objects.create(
            user=thuvien, channel="email", notification=item, status=status, next_attempt_at=timezone.now()
        )
    assert selectors.email_status() == {"ok": False, "waiting": 2, "failing": 1}


def test_calendar_feed_is_the_users_own(thuvien, gddt_lac_son):
    assert selectors.calendar_feed_of(thuvien) is None
    services.calendar_feed_regenerate(user=thuvien, by=thuvien)
    assert selectors.calendar_feed_of(thuvien) == CalendarFeed.objects.get(user=thuvien)
    assert selectors.calendar_feed_of(gddt_lac_son) is None
