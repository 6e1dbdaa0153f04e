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
