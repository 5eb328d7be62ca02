"""Backups of a one-machine site (SQLite and the media folder) and their restore.

An archive is a gzipped tar holding ``db.sqlite3`` (a copy made with SQLite's online
backup API, so the site keeps serving and writing while it is taken), every file of
the media folder under ``media/``, and ``manifest.json``: when it was taken, the
migrations applied in that copy, and each file's size and SHA-256.

Restoring reads nothing from an archive until every member has been checked: only
regular files with the names a backup writes (no ``..``, no absolute paths, no links
or devices), each listed in the manifest with its size and hash. Everything is
written to temporary places first; then the media folder is swapped in by renames and
the database is written through SQLite's backup API into the live file (one
transaction: running workers see the old data or the new, never a mixture). If that
last step fails, the old media folder is put back, so the site is left as it was.

PostgreSQL has tools of its own for this (pg_dump, point-in-time recovery): see the
README. With uploads in object storage the bucket keeps them (turn on its
versioning): archives then hold the database alone.
"""

import datetime
import hashlib
import io
import json
import os
import posixpath
import shutil
import sqlite3
import stat
import tarfile
import tempfile
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages

FORMAT = "wisegeek-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "db.sqlite3"
MEDIA = "media/"
CHUNK = 1024 * 1024
MAX_MANIFEST = 64 * 1024 * 1024  # about 400,000 files' entries


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, for the operator."""


@dataclass
class Archive:
    """An archive whose members and manifest have been checked, still unread."""

    path: Path
    manifest: dict
    files: dict[str, dict] = field(default_factory=dict)  # name -> {"size", "sha256"}

    @property
    def has_media(self) -> bool:
        return self.manifest["media"] == "included"

    @property
    def media_count(self) -> int:
        return sum(name.startswith(MEDIA) for name in self.files)


# --- Where things are ---------------------------------------------------------------


def sqlite_path() -> Path:
    """The site's SQLite file; PostgreSQL is refused with the tools to use instead."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        raise BackupError(
            "The database is not SQLite (DATABASE_URL points at another server). Back up "
            "PostgreSQL with its own tools: pg_dump -Fc for a copy, pg_restore to bring it back, "
            "and WAL archiving (e.g. pgBackRest) for point-in-time recovery; see the README."
        )
    return Path(database["NAME"])


def media_root() -> Path | None:
    """The local media folder, or None when uploads live in object storage."""
    uploads = storages["default"]
    if isinstance(uploads, FileSystemStorage):
        return Path(uploads.location)
    return None


def busy_timeout() -> float:
    return float(settings.DATABASES["default"].get("OPTIONS", {}).get("timeout", 20))


# --- Backing up ---------------------------------------------------------------------


def archive_name(now: datetime.datetime) -> str:
    return f"wisegeek-backup-{now.strftime('%Y-%m-%dT%H%M%SZ')}.tar.gz"


def backup_create(*, folder: Path, now: datetime.datetime | None = None) -> tuple[Path, dict]:
    """Write a dated archive of the database (and the media folder, when local) into
    ``folder``, readable by its owner only; return its path and manifest."""
    database = sqlite_path()
    if not database.is_file():
        raise BackupError(f"There is no database at {database}: nothing to back up (run migrate first).")
    media = media_root()
    if media is not None and folder.resolve().is_relative_to(media.resolve()):
        raise BackupError(
            f"{folder} is inside the media folder, which the site serves to anyone: "
            "choose a folder outside it (BACKUP_DIR)."
        )
    now = now or datetime.datetime.now(datetime.timezone.utc)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = folder / archive_name(now)
    if target.exists():
        raise BackupError(f"{target} already exists: wait a second and run the backup again.")

    staging = Path(tempfile.mkdtemp(prefix=".backup-", dir=folder))
    partial = folder / f".{target.name}.partial"
    try:
        copy = staging / DATABASE
        _snapshot(database, copy)
        migrations = _applied_migrations(copy)
        files = []
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            files.append(_add_file(tar, copy, DATABASE))
            for path, name in _media_files(media):
                files.append(_add_file(tar, path, name))
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "created": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "database": {"engine": "sqlite", "file": DATABASE},
                "media": "included" if media is not None else "object storage",
                "migrations": migrations,
                "files": files,
            }
            data = json.dumps(manifest, indent=1).encode()
            info = _member(MANIFEST, len(data), now.timestamp())
            tar.addfile(info, io.BytesIO(data))
        os.chmod(partial, 0o600)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
    return target, manifest


def _snapshot(source: Path, copy: Path) -> None:
    """A consistent copy of the live database: SQLite's backup API in a single step reads
    one snapshot (in WAL mode writers go on meanwhile) and copies it whole."""
    timeout = busy_timeout()
    live = sqlite3.connect(source, timeout=timeout)
    target = sqlite3.connect(copy)
    try:
        live.backup(target, pages=-1, progress=_give_up_when_busy(timeout))
        # One self-contained file in the archive (the site turns WAL on again itself).
        target.execute("PRAGMA journal_mode=DELETE")
        _check_integrity(target, "The copy of the database")
    except sqlite3.Error as error:
        raise BackupError(f"Could not copy the database {source}: {error}") from error
    finally:
        target.close()
        live.close()


def _give_up_when_busy(timeout: float):
    """A progress callback for ``Connection.backup``, which would otherwise retry a
    locked database for ever: the busy timeout has been waited out once, so stop."""

    def progress(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            raise sqlite3.OperationalError(f"the database stayed locked for {timeout:g} s")

    return progress


def _check_integrity(connection: sqlite3.Connection, what: str) -> None:
    result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        raise BackupError(f"{what} fails SQLite's integrity check: {'; '.join(result[:5])}")


def _applied_migrations(copy: Path) -> list[str]:
    connection = sqlite3.connect(copy)
    try:
        rows = connection.execute("SELECT app, name FROM django_migrations ORDER BY app, name").fetchall()
    except sqlite3.Error:
        rows = []  # a database that was never migrated
    finally:
        connection.close()
    return [f"{app}.{name}" for app, name in rows]


def _media_files(media: Path | None):
    """(path, archive name) of every regular file in the media folder, in a stable order.
    Links and anything else that is not a plain file stay out."""
    if media is None or not media.is_dir():
        return
    for folder, subfolders, names in os.walk(media):
        subfolders.sort()
        for name in sorted(names):
            path = Path(folder, name)
            if stat.S_ISREG(path.lstat().st_mode):
                yield path, MEDIA + path.relative_to(media).as_posix()


def _member(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(mtime), 0o600
    return info


class _Hashing(io.RawIOBase):
    """Reads a file once, for the archive, hashing what it hands over."""

    def __init__(self, file):
        self.file, self.sha256 = file, hashlib.sha256()

    def read(self, size=-1):
        data = self.file.read(size)
        self.sha256.update(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, name: str) -> dict:
    with path.open("rb") as file:
        details = os.fstat(file.fileno())
        reader = _Hashing(file)
        tar.addfile(_member(name, details.st_size, details.st_mtime), reader)
    return {"name": name, "size": details.st_size, "sha256": reader.sha256.hexdigest()}


# --- Reading an archive -------------------------------------------------------------


def archive_open(path: Path) -> Archive:
    """Check an archive's members and manifest without extracting anything."""
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            members = tar.getmembers()
            for member in members:
                _check_member(member)
            names = [member.name for member in members]
            duplicates = sorted(name for name, times in Counter(names).items() if times > 1)
            if duplicates:
                raise BackupError(f"Refused: the archive holds {duplicates[0]} more than once.")
            if MANIFEST not in names:
                raise BackupError("Refused: this is not a WiseGeek backup (no manifest.json).")
            if tar.getmember(MANIFEST).size > MAX_MANIFEST:
                raise BackupError("Refused: the manifest is far larger than any backup's.")
            manifest = _read_manifest(tar.extractfile(MANIFEST))
    except (OSError, EOFError, tarfile.TarError) as error:
        raise BackupError(f"Refused: {path} is not a readable backup archive ({error}).") from error

    files = {entry["name"]: entry for entry in manifest["files"]}
    listed, present = set(files), set(names) - {MANIFEST}
    if listed != present:
        extra, missing = sorted(present - listed), sorted(listed - present)
        problem = f"{extra[0]} is not in its manifest" if extra else f"{missing[0]} is missing"
        raise BackupError(f"Refused: the archive does not match its manifest: {problem}.")
    if DATABASE not in files:
        raise BackupError("Refused: the archive holds no database.")
    if not manifest["media"] == "included" and any(name.startswith(MEDIA) for name in files):
        raise BackupError("Refused: the manifest says the media are not included, yet the archive holds some.")
    return Archive(path=path, manifest=manifest, files=files)


def _check_member(member: tarfile.TarInfo) -> None:
    """Only plain files with the names a backup writes; never a path out of the folder."""
    name = member.name
    if not member.isreg():
        kind = "a link" if member.issym() or member.islnk() else "not a regular file"
        raise BackupError(f"Refused: the archive member {name!r} is {kind}; backups hold plain files only.")
    if (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or posixpath.normpath(name) != name
        or ".." in name.split("/")
    ):
        raise BackupError(f"Refused: the archive member {name!r} has an unsafe path.")
    if name not in (MANIFEST, DATABASE) and not (name.startswith(MEDIA) and len(name) > len(MEDIA)):
        raise BackupError(f"Refused: the archive member {name!r} is not part of a WiseGeek backup.")


def _read_manifest(file) -> dict:
    try:
        manifest = json.loads(file.read(MAX_MANIFEST))
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"Refused: the manifest is not valid JSON ({error}).") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("Refused: this is not a WiseGeek backup (its manifest is of another kind).")
    if manifest.get("version") != VERSION:
        raise BackupError(f"Refused: backup format version {manifest.get('version')!r}; this release reads {VERSION}.")
    try:
        valid = (
            isinstance(manifest["created"], str)
            and manifest["media"] in ("included", "object storage")
            and all(isinstance(name, str) for name in manifest["migrations"])
            and all(
                isinstance(entry["name"], str)
                and isinstance(entry["size"], int) and entry["size"] >= 0
                and isinstance(entry["sha256"], str) and len(entry["sha256"]) == 64
                for entry in manifest["files"]
            )
        )
    except (KeyError, TypeError):
        valid = False
    if not valid:
        raise BackupError("Refused: the manifest is incomplete or malformed.")
    return manifest


def unknown_migrations(archive: Archive, known: set[str]) -> list[str]:
    """Migrations applied in the archive's database that this code does not have."""
    return sorted(set(archive.manifest["migrations"]) - known)


def missing_migrations(archive: Archive, known: set[str]) -> list[str]:
    """Migrations of this code the archive's database has not had (run migrate after)."""
    return sorted(known - set(archive.manifest["migrations"]))


# --- Restoring ----------------------------------------------------------------------


def restore(archive: Archive) -> None:
    """Bring back the archive's database and media folder, or leave the site as it was."""
    database = sqlite_path()
    media = media_root()
    if archive.has_media and media is None:
        raise BackupError(
            "This archive holds a media folder, but uploads are in object storage (S3_BUCKET): "
            "copy its media/ files into the bucket yourself, or restore on a site with local uploads."
        )
    database.parent.mkdir(parents=True, exist_ok=True)
    database_staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=database.parent))
    media_staging = None
    try:
        staged_database = database_staging / DATABASE
        if archive.has_media and media is not None:
            media.parent.mkdir(parents=True, exist_ok=True)
            media_staging = Path(tempfile.mkdtemp(prefix=f".{media.name}-restore-", dir=media.parent))
        with tarfile.open(archive.path, mode="r:gz") as tar:
            for member in tar:  # in the archive's order: one pass through the gzip stream
                _check_member(member)  # again: the file may have changed since it was opened
                if member.name == DATABASE:
                    _extract(tar, member, archive, staged_database)
                elif member.name.startswith(MEDIA) and media_staging:
                    _extract(tar, member, archive, _inside(media_staging, member.name.removeprefix(MEDIA)))
        if media_staging:
            _set_permissions(media_staging)
        connection = sqlite3.connect(staged_database)
        try:
            _check_integrity(connection, "The archive's database")
        finally:
            connection.close()

        previous_media = _swap_in(media_staging, media) if media_staging else None
        try:
            _write_database(staged_database, database)
        except BaseException:
            if media_staging:
                _swap_back(media, previous_media, media_staging)
            raise
        if previous_media:
            shutil.rmtree(previous_media, ignore_errors=True)
    finally:
        shutil.rmtree(database_staging, ignore_errors=True)
        if media_staging:
            shutil.rmtree(media_staging, ignore_errors=True)


def _inside(folder: Path, relative: str) -> Path:
    """``folder/relative``, which the member checks already keep inside ``folder``;
    checked once more here, where a file is about to be written."""
    path = (folder / relative).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise BackupError(f"Refused: {relative!r} would be written outside the media folder.")
    return path


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, archive: Archive, destination: Path) -> None:
    """Copy one member to ``destination``, refusing it unless its size and SHA-256 are
    the manifest's (never reading more than the manifest's size)."""
    name = member.name
    expected = archive.files.get(name)
    if expected is None:
        raise BackupError(f"Refused: {name} is not in the manifest.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    source = tar.extractfile(member)
    digest, size = hashlib.sha256(), 0
    descriptor = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        while chunk := source.read(min(CHUNK, expected["size"] + 1 - size)):
            size += len(chunk)
            if size > expected["size"]:
                break
            digest.update(chunk)
            out.write(chunk)
    if size != expected["size"] or digest.hexdigest() != expected["sha256"]:
        raise BackupError(f"Refused: {name} does not match the size and SHA-256 in the manifest (tampered or damaged).")


def _set_permissions(folder: Path) -> None:
    """Restored uploads get the permissions new uploads get."""
    file_mode = settings.FILE_UPLOAD_PERMISSIONS or 0o644
    folder_mode = settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS or 0o755
    for path in [folder, *folder.rglob("*")]:
        path.chmod(folder_mode if path.is_dir() else file_mode)


def _swap_in(staging: Path, media: Path) -> Path | None:
    """Put the staged folder where the media folder is; return where the old one went."""
    previous = None
    if media.exists():
        previous = media.with_name(f".{media.name}-before-restore-{uuid.uuid4().hex[:8]}")
        os.rename(media, previous)
    try:
        os.rename(staging, media)
    except OSError:
        if previous:
            os.rename(previous, media)
        raise
    return previous


def _swap_back(media: Path, previous: Path | None, staging: Path) -> None:
    os.rename(media, staging)
    if previous:
        os.rename(previous, media)


def _write_database(staged: Path, database: Path) -> None:
    """Write the staged copy into the live database file with SQLite's backup API: one
    transaction, so connections the site holds open see the old rows or the new ones,
    and a failure (the database locked past its busy timeout) changes nothing."""
    timeout = busy_timeout()
    source = sqlite3.connect(staged)
    live = sqlite3.connect(database, timeout=timeout)
    try:
        source.backup(live, pages=-1, progress=_give_up_when_busy(timeout))
    except sqlite3.Error as error:
        raise BackupError(f"Could not write the database {database}: {error}. Nothing was changed.") from error
    finally:
        live.close()
        source.close()
