"""Settings come from the environment, strictly; production values pass check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k8$J2pQ!x9vL#m4Rz7Tb&w1Nf6Yc3Hd0Gs5Ae8Uq2Wi9Oo7Pl4Kj1Mn6Bv3Cx0Zy",
    "ALLOWED_HOSTS": "thuvien.hoabinh.gov.vn",
    "SITE_URL": "https://thuvien.hoabinh.gov.vn",
}


def manage(*args, env_overrides: dict, tmp_path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ALLOWED_HOSTS", "SITE_URL"))}
    env.update({"PORTAL_VAR_DIR": str(tmp_path / "var")}, **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", env_overrides=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


@pytest.mark.parametrize("value", ["maybe", "2", "yes please"])
def test_a_bad_boolean_is_an_error_not_a_guess(tmp_path, value):
    result = manage("check", env_overrides={**PRODUCTION, "DJANGO_DEBUG": value}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "is not a boolean" in result.stderr


def test_vietnamese_defaults(settings):
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert [code for code, _ in settings.LANGUAGES] == ["vi", "en"]
    assert settings.AUTH_USER_MODEL == "directory.User"


def test_dates_render_as_dd_mm_yyyy():
    from datetime import date

    from django.template import Context, Template
    from django.utils import translation

    with translation.override("vi"):
        assert Template("{{ d }}").render(Context({"d": date(2026, 3, 8)})) == "08/03/2026"
    with translation.override("en"):
        assert Template("{{ d }}").render(Context({"d": date(2026, 3, 8)})) == "08/03/2026"


@pytest.mark.django_db
def test_postgresql_compiles_no_query_just_in_time():
    """Compiling a query whose estimated cost is a country's took longer than it saved (the
    completeness counts after a save: 35 of 80 ms at 700 districts)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's setting (DATABASE_URL=postgres://…, as in CI); this run uses SQLite")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
