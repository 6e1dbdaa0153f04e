"""seed_demo: the demo a newcomer sees, with every account from the README."""

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from directory.models import Organisation, User

DISTRICT_SLUGS = [
    "hoa-binh",
    "da-bac",
    "luong-son",
    "kim-boi",
    "cao-phong",
    "tan-lac",
    "mai-chau",
    "lac-son",
    "yen-thuy",
    "lac-thuy",
]
ACCOUNTS = ["admin", "giamdoc.vhttdl", "giamdoc.sgddt", "thuvien", "vanphong"] + [
    f"{prefix}.{slug}" for slug in DISTRICT_SLUGS for prefix in ("vhtt", "ttvh", "gddt", "tv")
]


def test_seed_demo_refuses_without_debug_or_force(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("seed_demo")
    assert not User.objects.filter(username="thuvien").exists()


def _row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"directory", "programs", "reports", "training", "circulation", "notifications"}
        and not model._meta.label.split(".")[1].startswith("Historical")
    }


@pytest.mark.slow
def test_seed_demo_creates_every_account_and_is_idempotent(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", "--force")
    first = _row_counts()
    call_command("seed_demo", "--force")
    assert _row_counts() == first

    for username in ACCOUNTS:
        request = RequestFactory().post("/accounts/login/")
        user = authenticate(request, username=username, password="hoabinh-demo")
        assert user is not None, username
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="tv.lac-son").organisation.kind == Organisation.Kind.SCHOOL_LIBRARY
    assert User.objects.get(username="gddt.lac-son").organisation.code == "GDDT-157"
    assert User.objects.get(username="gddt.lac-son.truong").is_head
    for district_code in ["148", "150", "152", "153", "154", "155", "156", "157", "158", "159"]:
        schools = Organisation.objects.filter(kind="school", district__code=district_code)
        assert 4 <= schools.count() <= 6
        assert all(s.children.filter(kind="school_library").exists() for s in schools)
