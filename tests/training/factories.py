import datetime as dt

import factory
from django.utils import timezone

from directory.models import Organisation
from directory.services import school_library_ensure
from tests.factories import SchoolFactory, district
from training.models import Course, Session, StaffMember


def org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Tập huấn nghiệp vụ thư viện trường học đợt {n}")
    kind = Course.Kind.LIBRARY_SKILLS
    organiser = factory.LazyFunction(lambda: org("TVT"))
    audience = "Nhân viên thư viện trường học"
    capacity = 2
    nomination_deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=10))
    status = Course.Status.OPEN


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    course = factory.SubFactory(CourseFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=20))
    start_time = dt.time(8, 0)
    end_time = dt.time(11, 30)
    place = "Hội trường Thư viện tỉnh Hòa Bình"
    trainer = "ThS. Đinh Thị Hồng Nhung"


def school_in(district_code: str, **kwargs) -> Organisation:
    office = org(f"GDDT-{district_code}")
    school = SchoolFactory(district=district(district_code), parent=office, **kwargs)
    school_library_ensure(school=school)
    return school


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    full_name = factory.Sequence(lambda n: f"Nguyễn Thị Thư {n}")
    school = factory.LazyFunction(lambda: school_in("157"))
    employment = StaffMember.Employment.PART_TIME
    qualification = StaffMember.Qualification.OTHER
    phone = "0912 345 678"
