"""Backup and restore of the full demo, as an operator runs them: `manage.py backup` on a
seeded database, `manage.py restore` into an empty one, on SQLite and on PostgreSQL.

Every table's rows are compared (not only counted), so report values and history rows are
equal; uploaded files are compared byte for byte, including one whose name has accents and
spaces. A tampered archive and a database that already holds data are refused.

The SQLite round trip always runs (its databases are files of its own); the PostgreSQL one
runs where the suite itself runs on PostgreSQL (CI: DATABASE_URL=postgres://…), in scratch
databases beside the test database.
"""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from core import backups

pytestmark = [pytest.mark.slow]

BASE_DIR = Path(settings.BASE_DIR)
ODD_NAME = "Biên bản bàn giao sách (bản ký) – Lạc Sơn.pdf"


def manage(*args, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )
    if check and result.returncode != 0:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def base_env(tmp_path: Path, database_url: str, media: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    env.update(
        DJANGO_DEBUG="1",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media),
        PORTAL_VAR_DIR=str(tmp_path / "var"),
        CELERY_TASK_ALWAYS_EAGER="1",
    )
    return env


def files_of(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def sqlite_tables(path: Path) -> dict[str, tuple[int, str]]:
    db = sqlite3.connect(path)
    try:
        names = [
            r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
        ]
        return {name: _digest(db.execute(f'SELECT * FROM "{name}"').fetchall()) for name in names}  # noqa: S608
    finally:
        db.close()


def pg_tables(dsn: str) -> dict[str, tuple[int, str]]:
    import psycopg2

    db = psycopg2.connect(dsn)
    try:
        with db.cursor() as cur:
            cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            names = [r[0] for r in cur.fetchall()]
            out = {}
            for name in names:
                cur.execute(f'SELECT * FROM "{name}"')  # noqa: S608
                out[name] = _digest(cur.fetchall())
            return out
    finally:
        db.close()


def _text(value) -> str:
    # bytea comes back as a memoryview, whose str() is its address: compare the bytes.
    return bytes(value).hex() if isinstance(value, memoryview | bytes) else str(value)


def _digest(rows) -> tuple[int, str]:
    """(row count, SHA-256 of the rows in a stable order): equal only when the rows are."""
    lines = sorted(repr(tuple(_text(v) for v in row)) for row in rows)
    return len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()


def assert_same_database(source: dict, restored: dict):
    assert set(restored) == set(source)
    different = sorted(name for name in source if source[name] != restored[name])
    assert not different, [(n, source[n][0], restored[n][0]) for n in different]
    # The demo is full: reports with their values, and history rows, are among what was compared.
    assert source["reports_reportvalue"][0] > 100
    assert source["reports_historicalreport"][0] > 10
    assert sum(n for name, (n, _) in source.items() if "historical" in name) > 1000


def seed_and_back_up(tmp_path: Path, env: dict) -> Path:
    manage("migrate", "--noinput", "-v0", env=env)
    manage("seed_demo", env=env)
    media = Path(env["MEDIA_ROOT"])
    odd = media / "programs" / "evidence" / "Hồ sơ gốc" / ODD_NAME
    odd.parent.mkdir(parents=True, exist_ok=True)
    odd.write_bytes(b"%PDF-1.4\n" + os.urandom(2048))
    archive = tmp_path / "backups" / "demo.tar.gz"
    out = manage("backup", "--output", str(archive), env=env).stdout
    assert "Đã sao lưu" in out and archive.is_file()
    return archive


def tampered_copy(archive: Path, target: Path) -> Path:
    """The same archive with one byte of one uploaded file changed (manifest untouched)."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(target, "w:gz", format=tarfile.PAX_FORMAT) as dst:
        changed = False
        for member in src:
            data = src.extractfile(member).read() if member.isfile() else None
            if data and member.name.startswith("media/") and not changed:
                data = bytes([data[0] ^ 0xFF]) + data[1:]
                changed = True
            dst.addfile(member, io.BytesIO(data) if data is not None else None)
    return target


def test_full_demo_round_trip_on_sqlite(tmp_path):
    src_media, dst_media = tmp_path / "media-src", tmp_path / "media-dst"
    src_db, dst_db = tmp_path / "source.sqlite3", tmp_path / "restored.sqlite3"
    src_env = base_env(tmp_path, f"sqlite:///{src_db}", src_media)
    dst_env = base_env(tmp_path, f"sqlite:///{dst_db}", dst_media)
    archive = seed_and_back_up(tmp_path, src_env)
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["vendor"] == "sqlite"
    assert any(item["path"].endswith(ODD_NAME) for item in manifest["media"])

    # A damaged archive is refused before anything is written.
    bad = manage("restore", str(tampered_copy(archive, tmp_path / "bad.tar.gz")), env=dst_env, check=False)
    assert bad.returncode != 0 and "SHA-256" in bad.stderr
    assert not dst_db.exists() or not any(n for n, _ in sqlite_tables(dst_db).values())
    assert not dst_media.exists() or not files_of(dst_media)

    # The operator has already run `migrate` on the new database: it still counts as empty.
    manage("migrate", "--noinput", "-v0", env=dst_env)
    out = manage("restore", str(archive), env=dst_env).stdout
    assert f"Đã khôi phục {len(manifest['tables'])} bảng" in out
    assert_same_database(sqlite_tables(src_db), sqlite_tables(dst_db))
    assert files_of(dst_media) == files_of(src_media)
    assert len(files_of(src_media)) == len(manifest["media"]) >= 5

    # The restored database now holds data: a second restore is refused unless forced.
    again = manage("restore", str(archive), env=dst_env, check=False)
    assert again.returncode != 0 and "--force" in again.stderr
    assert "khớp bản kê" in manage("restore", "--force", str(archive), env=dst_env).stdout


@pytest.fixture
def pg_scratch(db):
    """Two empty PostgreSQL databases beside the test database; dropped afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("the suite runs on SQLite; the PostgreSQL round trip runs in CI (DATABASE_URL=postgres://…)")
    import psycopg2

    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="") + (":" + quote(s["PASSWORD"], safe="") if s.get("PASSWORD") else "")
    server = f"postgresql://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    names = [f"{s['NAME']}_bk_src", f"{s['NAME']}_bk_dst"]
    admin = psycopg2.connect(f"{server}/postgres")
    admin.autocommit = True

    def drop_all():
        with admin.cursor() as cur:
            for name in names:
                cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    drop_all()
    with admin.cursor() as cur:
        for name in names:
            cur.execute(f'CREATE DATABASE "{name}"')
    try:
        yield [f"{server}/{name}" for name in names]
    finally:
        drop_all()
        admin.close()


def test_full_demo_round_trip_on_postgresql(tmp_path, pg_scratch):
    src_url, dst_url = pg_scratch
    src_media, dst_media = tmp_path / "media-src", tmp_path / "media-dst"
    src_env = base_env(tmp_path, src_url.replace("postgresql://", "postgres://"), src_media)
    dst_env = base_env(tmp_path, dst_url.replace("postgresql://", "postgres://"), dst_media)
    archive = seed_and_back_up(tmp_path, src_env)
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        dump = tar.extractfile("database.pgdump").read(5)
    assert manifest["vendor"] == "postgresql"
    assert dump == b"PGDMP"  # pg_dump's custom format

    bad = manage("restore", str(tampered_copy(archive, tmp_path / "bad.tar.gz")), env=dst_env, check=False)
    assert bad.returncode != 0 and "SHA-256" in bad.stderr
    assert pg_tables(dst_url) == {}

    out = manage("restore", str(archive), env=dst_env).stdout
    assert "khớp bản kê" in out
    assert_same_database(pg_tables(src_url), pg_tables(dst_url))
    assert files_of(dst_media) == files_of(src_media)

    again = manage("restore", str(archive), env=dst_env, check=False)
    assert again.returncode != 0 and "--force" in again.stderr


def test_retention_keeps_seven_daily_and_four_weekly(tmp_path, settings):
    """Sixty nights of backups (two on some nights): 7 + 4 remain, the newest of each."""
    import datetime

    from django.utils import timezone

    tz = timezone.get_default_timezone()
    start = datetime.datetime(2026, 10, 1, 2, 30, tzinfo=tz)
    for day in range(60):
        at = start + datetime.timedelta(days=day)
        (tmp_path / backups.backup_filename(at)).write_bytes(b"x")
        if day % 10 == 0:
            (tmp_path / backups.backup_filename(at + datetime.timedelta(hours=3))).write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("not a backup")
    removed = backups.backups_prune(folder=tmp_path, daily=7, weekly=4)
    kept = sorted(p.name for p in tmp_path.iterdir() if backups.backup_time(p))
    assert len(kept) == 11 and len(removed) == 60 + 6 - 11
    assert (tmp_path / "notes.txt").exists()
    last = start + datetime.timedelta(days=59)
    daily = [backups.backup_filename(last - datetime.timedelta(days=d)) for d in range(7)]
    assert set(daily) <= set(kept)
    weekly = sorted(set(kept) - set(daily))
    weeks = {backups.backup_time(tmp_path / n).isocalendar()[:2] for n in weekly}
    assert len(weeks) == 4  # one per week, in four different weeks before the daily ones


def test_nightly_backup_is_scheduled_in_beat():
    from hoabinh_library.celery import _beat_schedule

    entry = _beat_schedule()["backup-nightly"]
    assert entry["task"] == "core.tasks.backup_nightly"
    assert entry["schedule"].hour == {(settings.BACKUP_HOUR - 7) % 24}


def test_the_nightly_task_writes_an_archive_and_applies_the_retention(
    transactional_db, reference_data, tmp_path, settings
):
    import datetime

    from django.utils import timezone

    from core.tasks import backup_nightly

    settings.BACKUP_DIR = tmp_path
    now = timezone.now()
    for day in range(1, 30):  # a month of older nights
        (tmp_path / backups.backup_filename(now - datetime.timedelta(days=day))).write_bytes(b"old")
    written = Path(backup_nightly())
    assert written.parent == tmp_path and written.stat().st_size > 1000
    with tarfile.open(written) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["tables"]["directory_organisation"] > 0
    kept = {p.name for p in tmp_path.iterdir()}
    daily = {backups.backup_filename(now - datetime.timedelta(days=d)) for d in range(7)}
    assert written.name in daily and daily <= kept
    older = kept - daily
    assert 3 <= len(older) <= 4
    assert len({backups.backup_time(tmp_path / n).isocalendar()[:2] for n in older}) == len(older)
