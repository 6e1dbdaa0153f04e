"""Shared fixtures: the real administrative units, the programme's standing organisations
and one named user per role, as in the demo (thuvien, vanphong, gddt_lac_son, …)."""

import pytest
from django.conf import settings as django_settings
from django.dispatch import receiver
from django.test.signals import setting_changed

from directory.models import Organisation, User
from directory.services import reference_organisations_load, school_library_ensure, units_load
from tests.factories import SchoolFactory, UserFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Hòa Bình's administrative units and standing organisations exist in every test."""
    with django_db_blocker.unblock():
        units_load()
        reference_organisations_load()


@pytest.fixture
def reference_data(db):
    """The same data for tests on a flushed database (transactional_db, live_server)."""
    if not Organisation.objects.filter(code="TVT").exists():
        units_load()
        reference_organisations_load()


@receiver(setting_changed)
def _sendfile_root_follows_media_root(setting, value, **kwargs):
    """Tests put uploads in a temporary MEDIA_ROOT; private downloads must look there too,
    as they do in production where SENDFILE_ROOT is MEDIA_ROOT."""
    if setting == "MEDIA_ROOT" and value:
        django_settings.SENDFILE_ROOT = str(value)


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """The throttles count in the cache; every test starts with none used."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def org(code: str) -> Organisation:
    if not Organisation.objects.filter(code="TVT").exists():
        units_load()
        reference_organisations_load()
    return Organisation.objects.get(code=code)


@pytest.fixture
def thuvien(db):
    return UserFactory(
        username="thuvien", full_name="Quách Thị Lan Hương", role=User.Role.FOCAL_OFFICER, organisation=org("TVT")
    )


@pytest.fixture
def vanphong(db):
    return UserFactory(
        username="vanphong", full_name="Nguyễn Minh Tuấn", role=User.Role.FOCAL_OFFICER, organisation=org("VPSGD")
    )


@pytest.fixture
def giamdoc_vhttdl(db):
    return UserFactory(
        username="giamdoc.vhttdl",
        full_name="Bùi Văn Thành",
        role=User.Role.LEADERSHIP,
        organisation=org("SVHTTDL"),
        is_head=True,
    )


@pytest.fixture
def giamdoc_sgddt(db):
    return UserFactory(
        username="giamdoc.sgddt",
        full_name="Đinh Thị Thu Hà",
        role=User.Role.LEADERSHIP,
        organisation=org("SGDDT"),
        is_head=True,
    )


@pytest.fixture
def gddt_lac_son(db):
    """District officer of the Lạc Sơn (157) education office."""
    return UserFactory(username="gddt.lac-son", full_name="Bùi Thị Hằng", organisation=org("GDDT-157"))


@pytest.fixture
def vhtt_lac_son(db):
    return UserFactory(username="vhtt.lac-son", full_name="Đinh Văn Khánh", organisation=org("VHTT-157"))


@pytest.fixture
def gddt_mai_chau(db):
    """District officer of the Mai Châu (156) education office."""
    return UserFactory(username="gddt.mai-chau", full_name="Hà Thị Mai", organisation=org("GDDT-156"))


@pytest.fixture
def lac_son_school(db):
    school = SchoolFactory(name="Trường Tiểu học Vụ Bản", code="TH-157-T1", parent=org("GDDT-157"))
    school_library_ensure(school=school)
    return school


@pytest.fixture
def tv_lac_son(lac_son_school):
    """School librarian of a Lạc Sơn school (tied to the school's library)."""
    library = Organisation.objects.get(parent=lac_son_school, kind=Organisation.Kind.SCHOOL_LIBRARY)
    return UserFactory(
        username="tv.lac-son", full_name="Xa Thị Oanh", role=User.Role.SCHOOL_LIBRARIAN, organisation=library
    )


@pytest.fixture
def outsider(db):
    """A district officer of another district (Mai Châu culture office)."""
    return UserFactory(username="vhtt.mai-chau", full_name="Hà Văn Sơn", organisation=org("VHTT-156"))


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", role=User.Role.SYSADMIN, organisation=None, is_superuser=True)
