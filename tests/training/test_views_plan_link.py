from django.urls import reverse

from tests.programs.factories import ActivityFactory, PlanFactory
from training.models import Course

from .factories import CourseFactory, SessionFactory


def test_course_is_linked_to_the_plan_activity_it_fulfils(client, thuvien):
    activity = ActivityFactory(
        plan=PlanFactory(created_by=thuvien), title="Tập huấn nghiệp vụ thư viện cho nhân viên thư viện trường học"
    )
    course = CourseFactory()
    SessionFactory(course=course)
    client.force_login(thuvien)
    form = client.get(reverse("training:course-edit", args=[course.pk])).content.decode()
    assert activity.title in form
    data = {
        "title": course.title,
        "kind": course.kind,
        "capacity": "2",
        "completion_rule": "all",
        "plan_activity": activity.pk,
    }
    assert client.post(reverse("training:course-edit", args=[course.pk]), data).status_code == 302
    assert Course.objects.get(pk=course.pk).plan_activity == activity
    detail = client.get(reverse("training:course-detail", args=[course.pk])).content.decode()
    assert reverse("programs:activity-detail", args=[activity.pk]) in detail
    assert list(activity.training_courses.all()) == [course]
