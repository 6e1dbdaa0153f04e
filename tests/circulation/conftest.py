from datetime import date

import pytest
import time_machine

from directory.models import Organisation, User
from directory.services import school_library_ensure
from tests.conftest import org
from tests.factories import SchoolFactory, UserFactory

from .factories import collection_with_items

TODAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-11-25 09:00 +07:00", tick=True):
        yield


@pytest.fixture
def school_library(lac_son_school):
    return Organisation.objects.get(parent=lac_son_school, kind=Organisation.Kind.SCHOOL_LIBRARY)


@pytest.fixture
def other_school_library(db):
    school = SchoolFactory(
        name="Trường THCS Thử nghiệm Mai Châu",
        code="TH-156-T9",
        district=org("GDDT-156").district,
        parent=org("GDDT-156"),
    )
    return school_library_ensure(school=school)


@pytest.fixture
def other_librarian(other_school_library):
    return UserFactory(username="tv.mai-chau", role=User.Role.SCHOOL_LIBRARIAN, organisation=other_school_library)


@pytest.fixture
def collection(db):
    return collection_with_items(3, copies=2)


@pytest.fixture
def ttvh_lac_son(db):
    return UserFactory(username="ttvh.lac-son", organisation=org("TTVH-157"))


@pytest.fixture
def district_collection(db):
    return collection_with_items(2, copies=1, owner=org("TVH-157"))
