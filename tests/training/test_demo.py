from directory import demo as directory_demo
from directory.models import User
from training import demo
from training.models import Certificate, Course, GuidanceVersion, Nomination, NominationStateChange, StaffMember


def test_demo_is_realistic_and_idempotent(db):
    directory_demo.seed()
    first = demo.seed()
    counts = (
        Course.objects.count(),
        StaffMember.objects.count(),
        Nomination.objects.count(),
        NominationStateChange.objects.count(),
        Certificate.objects.count(),
        GuidanceVersion.objects.count(),
    )
    assert demo.seed() == first
    assert counts == (
        Course.objects.count(),
        StaffMember.objects.count(),
        Nomination.objects.count(),
        NominationStateChange.objects.count(),
        Certificate.objects.count(),
        GuidanceVersion.objects.count(),
    )
    states = set(Nomination.objects.values_list("state", flat=True))
    assert {"requested", "waitlisted", "booked", "declined", "cancelled", "fully_attended", "no_show"} <= states
    assert set(Course.objects.values_list("status", flat=True)) == {"open", "closed", "finished", "cancelled"}
    assert Certificate.objects.filter(revoked_at__isnull=False).count() == 1
    # Every demo librarian is in the registry, linked to their account; every school has staff.
    librarians = User.objects.filter(role="school_librarian")
    assert StaffMember.objects.filter(user__in=librarians).count() == librarians.count()
    from directory.models import Organisation

    schools = Organisation.objects.filter(kind="school", valid_to__isnull=True)
    assert not schools.exclude(pk__in=StaffMember.objects.values("school")).exists()


def test_demo_shows_a_certificate_expiry_reminder_in_the_nominators_inbox(db):
    from core.deadlines import DeadlineKind
    from notifications import demo as notifications_demo
    from notifications.models import Notification, Reminder

    directory_demo.seed()
    demo.seed()
    notifications_demo.seed()
    reminders = Reminder.objects.filter(kind=DeadlineKind.CERTIFICATE_EXPIRY)
    assert reminders.exists()
    reminder = reminders.select_related("recipient").first()
    assert reminder.recipient.username.startswith("gddt.")  # the office that nominated the holder
    assert Notification.objects.filter(reminder__kind=DeadlineKind.CERTIFICATE_EXPIRY).exists()
    expiring = Certificate.objects.filter(course_title__startswith="Tập huấn ngắn hạn", revoked_at__isnull=True)
    from django.utils import timezone

    assert expiring.exists()
    assert all(0 < (c.valid_until - timezone.localdate()).days <= 30 for c in expiring)
