import datetime as dt

from django.utils import timezone

from training import services
from training.models import Course
from training.selectors import report_figures

from .factories import CourseFactory, SessionFactory, StaffFactory, org, school_in


def test_gd06_counts_district_staff_who_completed_library_skills(gddt_lac_son, thuvien):
    today = timezone.localdate()
    course = CourseFactory(capacity=0)
    session = SessionFactory(course=course, date=today - dt.timedelta(days=1))
    lac_son = [StaffFactory(school=school_in("157")) for _ in range(3)]
    people = [services.nomination_create(course=course, staff=s, by=gddt_lac_son) for s in lac_son]
    for n in people:
        services.nomination_approve(nomination=n, by=thuvien)
    for n in people[:2]:
        services.attendance_mark(session=session, nomination=n, present=True, by=thuvien)
    services.course_finish(course=course, by=thuvien)
    start, end = today - dt.timedelta(days=30), today + dt.timedelta(days=1)
    assert report_figures(organisation=org("GDDT-157"), start=start, end=end) == {"GD06": 2}
    assert report_figures(organisation=org("GDDT-156"), start=start, end=end) == {"GD06": 0}
    assert report_figures(organisation=org("GDDT-157"), start=start - dt.timedelta(days=365), end=start) == {"GD06": 0}


def test_vh06_vh07_count_extracurricular_sessions_at_district_libraries(db, django_assert_max_num_queries):
    today = timezone.localdate()
    course = CourseFactory(kind=Course.Kind.EXTRACURRICULAR, organiser=org("TVH-157"))
    library = org("TVH-157")
    SessionFactory(course=course, venue=library, date=today - dt.timedelta(days=5), pupil_count=40)
    SessionFactory(course=course, venue=library, date=today - dt.timedelta(days=3), pupil_count=35)
    SessionFactory(course=course, venue=org("TVT"), date=today - dt.timedelta(days=3), pupil_count=99)
    cancelled = CourseFactory(kind=Course.Kind.EXTRACURRICULAR, status=Course.Status.CANCELLED)
    SessionFactory(course=cancelled, venue=library, date=today - dt.timedelta(days=2), pupil_count=50)
    start, end = today - dt.timedelta(days=30), today
    office = org("VHTT-157")
    with django_assert_max_num_queries(1):
        figures = report_figures(organisation=office, start=start, end=end)
    assert figures == {"VH06": 2, "VH07": 75}
    assert report_figures(organisation=org("TTVH-157"), start=start, end=end) == {"VH06": 2, "VH07": 75}
    assert report_figures(organisation=org("VHTT-156"), start=start, end=end) == {"VH06": 0, "VH07": 0}
    assert report_figures(organisation=org("TVT"), start=start, end=end) == {}
