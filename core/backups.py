"""Backup and restore of the whole portal: the database, every uploaded file, a manifest.

One archive (``.tar.gz``) holds

- ``database.pgdump`` (pg_dump's custom format, through django-dbbackup's
  ``PgDumpBinaryConnector``) or ``database.sqlite3`` (SQLite's online backup API, through
  ``SqliteBackupConnector``): both are taken while the portal runs;
- ``media/…``: every file under MEDIA_ROOT, whatever its name;
- ``manifest.json``: the row count of every table, read in the same snapshot as the dump,
  and the SHA-256 and size of every other member.

A restore checks every checksum before it touches anything, refuses a database that holds
data unless forced, restores, then counts the rows of every table again and fails loudly if
one differs from the manifest.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
NAME_PREFIX = "hoabinh-backup-"
NAME_FORMAT = "%Y%m%d-%H%M%S"
# A freshly migrated database already has rows in these tables (the schema's bookkeeping and
# what data migrations create: role groups, default reminder rules); they do not make it
# "not empty".
SCHEMA_TABLES = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "auth_group",
    "auth_group_permissions",
    "notifications_reminderrule",
}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


@dataclass
class RestoreResult:
    tables: int = 0
    rows: int = 0
    files: int = 0
    mismatches: dict[str, tuple[int, int]] = field(default_factory=dict)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def table_counts(cursor=None) -> dict[str, int]:
    """Row count of every table of the default database, by table name."""
    own_cursor = cursor is None
    cursor = cursor or connection.cursor()
    try:
        names = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(name)}")  # noqa: S608 - names from the catalogue
            counts[name] = cursor.fetchone()[0]
        return counts
    finally:
        if own_cursor:
            cursor.close()


def _sqlite_counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        names = [
            row[0]
            for row in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
        ]
        return {name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in sorted(names)}  # noqa: S608
    finally:
        db.close()


def _connector(path: str):
    from dbbackup.db.base import get_connector

    return get_connector(connector_path=path)


def _dump_database(target: Path) -> dict[str, int]:
    """Write the database to `target`; return the row counts of the same snapshot."""
    if connection.vendor == "postgresql":
        connector = _connector("dbbackup.db.postgresql.PgDumpBinaryConnector")
        # Count the rows in a snapshot and have pg_dump read that very snapshot, so that the
        # manifest describes the dump even while people keep working.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = table_counts(cursor)
            connector.dump_suffix = f"--snapshot={snapshot}"
            dump = connector.create_dump()
        with open(target, "wb") as fh:
            shutil.copyfileobj(dump, fh)
        return counts
    if connection.vendor == "sqlite":
        connector = _connector("dbbackup.db.sqlite.SqliteBackupConnector")
        dump = connector.create_dump()
        with open(target, "wb") as fh:
            shutil.copyfileobj(dump, fh)
        return _sqlite_counts(target)
    raise BackupError(_("Chưa hỗ trợ sao lưu cơ sở dữ liệu loại %(vendor)s.") % {"vendor": connection.vendor})


def _media_files() -> list[tuple[Path, str]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    files = []
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                files.append((path, path.relative_to(root).as_posix()))
    return sorted(files, key=lambda item: item[1])


def backup_filename(at: datetime.datetime | None = None) -> str:
    at = timezone.localtime(at or timezone.now())
    return f"{NAME_PREFIX}{at.strftime(NAME_FORMAT)}.tar.gz"


def backup_create(*, output: Path) -> dict:
    """Write one archive to `output` (written beside it, then renamed: never half a file)."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hoabinh-backup-") as tmp:
        ext = "pgdump" if connection.vendor == "postgresql" else "sqlite3"
        db_file = Path(tmp) / f"database.{ext}"
        counts = _dump_database(db_file)
        media = _media_files()
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "vendor": connection.vendor,
            "database": {"name": db_file.name, "sha256": _sha256_file(db_file), "size": db_file.stat().st_size},
            "tables": counts,
            "media": [{"path": rel, "sha256": _sha256_file(path), "size": path.stat().st_size} for path, rel in media],
        }
        partial = output.with_name(output.name + ".part")
        with tarfile.open(partial, "w:gz", format=tarfile.PAX_FORMAT) as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(db_file, arcname=db_file.name)
            for path, rel in media:
                tar.add(path, arcname=MEDIA_PREFIX + rel)
        os.replace(partial, output)
    return manifest


def _safe_media_path(rel: str) -> PurePosixPath:
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(_("Bản sao lưu chứa đường dẫn tệp không hợp lệ: %(path)s") % {"path": rel})
    return path


def _verified_extract(archive: Path, into: Path) -> dict:
    """Extract the archive into `into` and check every part against the manifest."""
    try:
        tar = tarfile.open(archive, "r:*")  # noqa: SIM115 - closed by the `with` below
    except (OSError, tarfile.TarError):
        raise BackupError(_("Không đọc được tệp sao lưu %(file)s.") % {"file": archive})
    with tar:
        try:
            manifest = json.load(tar.extractfile(MANIFEST))
        except (KeyError, ValueError, TypeError):
            raise BackupError(_("Tệp sao lưu không có bản kê (manifest.json) hợp lệ."))
        if manifest.get("format") != FORMAT:
            raise BackupError(_("Tệp sao lưu có định dạng không hỗ trợ."))
        wanted = {manifest["database"]["name"]: manifest["database"]["sha256"]}
        for item in manifest["media"]:
            wanted[MEDIA_PREFIX + str(_safe_media_path(item["path"]))] = item["sha256"]
        seen = set()
        for member in tar:
            if member.name == MANIFEST:
                continue
            if member.name not in wanted or not member.isfile():
                raise BackupError(_("Tệp sao lưu chứa phần không có trong bản kê: %(name)s") % {"name": member.name})
            target = into / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with tar.extractfile(member) as src, open(target, "wb") as dst:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    digest.update(chunk)
                    dst.write(chunk)
            if digest.hexdigest() != wanted[member.name]:
                raise BackupError(
                    _("Mã kiểm tra SHA-256 không khớp: %(name)s. Tệp sao lưu đã bị hỏng.") % {"name": member.name}
                )
            seen.add(member.name)
        missing = sorted(set(wanted) - seen)
        if missing:
            raise BackupError(_("Tệp sao lưu thiếu phần: %(names)s") % {"names": ", ".join(missing[:5])})
    return manifest


def tables_with_data() -> list[str]:
    """Tables holding rows beyond what `migrate` itself writes."""
    return [name for name, n in table_counts().items() if n and name not in SCHEMA_TABLES]


def _restore_database(manifest: dict, db_file: Path) -> None:
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            _("Bản sao lưu của cơ sở dữ liệu %(source)s không khôi phục được vào %(target)s.")
            % {"source": manifest["vendor"], "target": connection.vendor}
        )
    if connection.vendor == "postgresql":
        connection.close()
        connector = _connector("dbbackup.db.postgresql.PgDumpBinaryConnector")
        # --clean --if-exists: objects already there (a migrated or forced database) are replaced.
        connector.restore_suffix = "--no-owner --exit-on-error"
        with open(db_file, "rb") as dump:
            connector.restore_dump(dump)
    else:
        # The online backup API in reverse: the live database's pages are replaced in one step,
        # safe even while another connection has the file open.
        connection.ensure_connection()
        source = sqlite3.connect(db_file)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    connection.close()


def _restore_media(manifest: dict, media_dir: Path) -> int:
    root = Path(settings.MEDIA_ROOT)
    for item in manifest["media"]:
        rel = _safe_media_path(item["path"])
        target = root.joinpath(*rel.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(media_dir.joinpath(*rel.parts), target)
    return len(manifest["media"])


def backup_restore(*, archive: Path, force: bool = False) -> RestoreResult:
    """Verify `archive`, restore it into the default database and MEDIA_ROOT, compare counts."""
    with tempfile.TemporaryDirectory(prefix="hoabinh-restore-") as tmp:
        manifest = _verified_extract(Path(archive), Path(tmp))
        holding = [] if force else tables_with_data()
        if holding:
            raise BackupError(
                _("Cơ sở dữ liệu đích đã có dữ liệu; không khôi phục đè. Dùng --force nếu thật sự muốn thay thế.")
                + " ("
                + ", ".join(holding[:5])
                + ("…" if len(holding) > 5 else "")
                + ")"
            )
        _restore_database(manifest, Path(tmp) / manifest["database"]["name"])
        files = _restore_media(manifest, Path(tmp) / MEDIA_PREFIX.rstrip("/"))
    after = table_counts()
    result = RestoreResult(tables=len(manifest["tables"]), rows=sum(manifest["tables"].values()), files=files)
    for name, expected in manifest["tables"].items():
        if after.get(name) != expected:
            result.mismatches[name] = (expected, after.get(name, -1))
    return result


# --- Nightly backups and retention ----------------------------------------------------------


def backup_time(path: Path) -> datetime.datetime | None:
    name = path.name
    if not (name.startswith(NAME_PREFIX) and name.endswith(".tar.gz")):
        return None
    try:
        naive = datetime.datetime.strptime(name[len(NAME_PREFIX) : -len(".tar.gz")], NAME_FORMAT)
    except ValueError:
        return None
    return timezone.make_aware(naive, timezone.get_default_timezone())


def backups_to_keep(paths: list[Path], *, daily: int, weekly: int) -> set[Path]:
    """The newest backup of each of the `daily` most recent days that have one, and the
    newest of each of the `weekly` most recent ISO weeks before those days."""
    dated = sorted(((backup_time(p), p) for p in paths if backup_time(p)), reverse=True)
    keep: set[Path] = set()
    days: list[datetime.date] = []
    weeks: list[tuple[int, int]] = []
    for at, path in dated:
        day = at.date()
        if day in days:
            continue
        if len(days) < daily:
            days.append(day)
            keep.add(path)
            continue
        week = day.isocalendar()[:2]
        if week in weeks or week in {d.isocalendar()[:2] for d in days}:
            continue
        if len(weeks) < weekly:
            weeks.append(week)
            keep.add(path)
    return keep


def backups_prune(*, folder: Path, daily: int, weekly: int) -> list[Path]:
    """Delete the backups in `folder` that the retention does not keep; return them."""
    paths = [p for p in Path(folder).iterdir() if backup_time(p)]
    keep = backups_to_keep(paths, daily=daily, weekly=weekly)
    removed = sorted(set(paths) - keep)
    for path in removed:
        path.unlink()
    return removed


def backup_nightly(*, now: datetime.datetime | None = None) -> Path:
    """Write tonight's backup into BACKUP_DIR and apply the retention."""
    folder = Path(settings.BACKUP_DIR)
    output = folder / backup_filename(now)
    backup_create(output=output)
    backups_prune(folder=folder, daily=settings.BACKUP_KEEP_DAILY, weekly=settings.BACKUP_KEEP_WEEKLY)
    return output
