"""Backups that restore: `manage.py backup` and `manage.py restore`, run as an operator
runs them (subprocesses), on a throw-away SQLite site with the demo content, comments,
subscribers, images with their files and history rows.

These tests make their own SQLite site whatever database the rest of the suite uses,
so they run in the SQLite pass only: the PostgreSQL pass would repeat them unchanged.
"""

import hashlib
import io
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from core import backups
from tests.liveserver import ROOT, LiveSite

pytestmark = pytest.mark.sqlite

POPULATE = """
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from articles.models import Article, Comment
from images.services import library_add
from newsletter.models import Subscriber

articles = list(Article.objects.order_by("pk")[:3])
for n, article in enumerate(articles):
    first = Comment.objects.create(article=article, name=f"Reader {n}", email=f"reader{n}@example.com",
                                   body=f"Comment {n} on {article.slug}", status="approved")
    Comment.objects.create(article=article, parent=first, name="Replier", email="replier@example.com",
                           body="A reply", status="pending")
for n in range(5):
    Subscriber.objects.create(email=f"subscriber{n}@example.com", status="active")
article = articles[0]
article.summary = "A summary changed once, so history holds two versions."
article.save()
name = default_storage.save("library/2026/11/extra.png", ContentFile(open("static/img/logo.png", "rb").read()))
library_add(name=name, alt_text="An extra image")
"""

CHANGE = """
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from articles.models import Article, Comment
from images.models import Image
from newsletter.models import Subscriber

Comment.objects.order_by("pk").first().delete()
Subscriber.objects.filter(email="subscriber0@example.com").delete()
Subscriber.objects.create(email="after-the-backup@example.com", status="active")
article = Article.objects.order_by("pk").last()
article.title = "A title written after the backup"
article.save()
image = Image.objects.get(name__startswith="library/")
default_storage.delete(image.name)
image.delete()
default_storage.save("library/2026/11/new-after-backup.png", ContentFile(b"not in the backup"))
"""

# Pairs of rows written in one transaction each: a copy made at one point in time holds
# both rows of every pair written before it and none of the others.
WRITER = """
from pathlib import Path
from django.db import transaction
from articles.models import Article, Comment
from newsletter.models import Subscriber

article = Article.objects.order_by("pk").first()
stop = Path(STOP_FILE)
number = 0
while not stop.exists():
    number += 1
    with transaction.atomic():
        Subscriber.objects.create(email=f"writer{number}@example.com", status="active")
        Comment.objects.create(article=article, name=f"writer{number}", email="writer@example.com", body="x")
"""


def table_rows(database: Path) -> dict[str, list]:
    """Every table's rows (and the schema itself), in a stable order."""
    connection = sqlite3.connect(database)
    try:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        rows = {table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
                for table in tables}
        rows["sqlite_master"] = sorted(connection.execute("SELECT * FROM sqlite_master").fetchall(), key=repr)
        return rows
    finally:
        connection.close()


def media_files(media: Path) -> dict[str, bytes]:
    return {path.relative_to(media).as_posix(): path.read_bytes() for path in media.rglob("*") if path.is_file()}


def count(database: Path, sql: str) -> int:
    connection = sqlite3.connect(database, timeout=20)
    try:
        return connection.execute(sql).fetchone()[0]
    finally:
        connection.close()


class Site:
    """A throw-away site in its own VAR_DIR."""

    def __init__(self, var_dir: Path, **env: str):
        self.live = LiveSite(var_dir, LOG_LEVEL="WARNING", **env)
        self.var_dir = var_dir
        self.database = var_dir / "db.sqlite3"
        self.media = var_dir / "media"

    def manage(self, *args: str) -> str:
        return self.live.manage(*args)

    def run(self, *args: str, input: str | None = None, **env: str) -> subprocess.CompletedProcess:
        """``manage.py <args>`` whatever its exit code."""
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**self.live.env, **env},
                              input=input, capture_output=True, text=True, timeout=300)

    def shell(self, code: str) -> None:
        self.manage("shell", "--no-imports", "-c", code)

    def state(self) -> tuple[dict, dict]:
        return table_rows(self.database), media_files(self.media)

    def backup(self, folder: Path) -> Path:
        output = self.manage("backup", str(folder))
        return Path(re.search(r" to (\S+\.tar\.gz) ", output).group(1))


@pytest.fixture(scope="module")
def populated_site(tmp_path_factory) -> Path:
    """The VAR_DIR of a site with content of every kind, made once per module."""
    var_dir = tmp_path_factory.mktemp("populated") / "var"
    site = Site(var_dir)
    site.manage("migrate", "--noinput")
    site.manage("load_demo")
    site.shell(POPULATE)
    return var_dir


@pytest.fixture
def site(populated_site, tmp_path) -> Site:
    var_dir = tmp_path / "var"
    shutil.copytree(populated_site, var_dir)
    return Site(var_dir)


@pytest.fixture(scope="module")
def archive(populated_site, tmp_path_factory) -> Path:
    """A backup of the populated site, which every test's copy starts as."""
    return Site(populated_site).backup(tmp_path_factory.mktemp("backups"))


def test_a_restore_brings_back_every_row_and_every_media_file_byte_for_byte(site, tmp_path):
    rows, media = site.state()
    for table in ("articles_article", "articles_comment", "newsletter_subscriber", "images_image",
                  "articles_historicalarticle"):
        assert rows[table], f"the populated site has no rows in {table}"
    assert any(name.startswith("library/") for name in media) and any(name.startswith("articles/") for name in media)

    archive = site.backup(tmp_path / "backups")
    assert re.fullmatch(r"wisegeek-backup-\d{4}-\d\d-\d\dT\d{6}Z\.tar\.gz", archive.name)
    assert archive.stat().st_mode & 0o777 == 0o600

    site.shell(CHANGE)
    assert site.state() != (rows, media)
    # A worker of the running site, with its connection open through the restore.
    worker = sqlite3.connect(site.database)
    try:
        output = site.manage("restore", "--noinput", str(archive))
        assert "media file(s) from the backup of" in output
        assert worker.execute("SELECT count(*) FROM newsletter_subscriber WHERE email LIKE 'after-the-backup%'").fetchone() == (0,)
    finally:
        worker.close()

    restored_rows, restored_media = site.state()
    assert restored_rows.keys() == rows.keys()
    for table in rows:
        assert restored_rows[table] == rows[table], f"{table} differs after the restore"
    assert restored_media == media
    assert count(site.database, "PRAGMA journal_mode") == "wal"  # the site's own mode, still


def test_the_manifest_lists_the_time_migrations_and_every_file_with_its_size_and_hash(site, archive):
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        contents = {member.name: tar.extractfile(member).read() for member in tar if member.name != "manifest.json"}
    assert manifest["created"].endswith("Z")
    assert "articles.0001_initial" in manifest["migrations"]
    assert manifest["media"] == "included"
    assert {entry["name"] for entry in manifest["files"]} == set(contents)
    for entry in manifest["files"]:
        assert entry["size"] == len(contents[entry["name"]])
        assert entry["sha256"] == hashlib.sha256(contents[entry["name"]]).hexdigest()
    assert {f"media/{name}" for name in media_files(site.media)} == set(contents) - {"db.sqlite3"}


def test_the_backup_folder_defaults_to_var_dir_backups(site):
    output = site.manage("backup")
    assert f" to {site.var_dir / 'backups'}/wisegeek-backup-" in output


def test_a_backup_taken_while_another_process_writes_is_one_point_in_time(site, tmp_path):
    # A reader mid-request, as a running site always has: until it ends, SQLite cannot move
    # what the writer commits from the write-ahead log into the database file, so a copy
    # of that file alone would miss every row below.
    reader = sqlite3.connect(site.database, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM newsletter_subscriber").fetchone()
    stop = tmp_path / "stop-writing"
    writer = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", WRITER.replace("STOP_FILE", repr(str(stop)))],
        cwd=ROOT, env=site.live.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    writer_rows = "SELECT count(*) FROM newsletter_subscriber WHERE email LIKE 'writer%'"
    try:
        for _ in range(600):  # the writer is writing before the backup starts (at most a minute)
            if writer.poll() is not None or count(site.database, writer_rows) >= 20:
                break
            time.sleep(0.1)
        assert writer.poll() is None, writer.stdout.read()
        before = count(site.database, writer_rows)
        archive = site.backup(tmp_path / "backups")
        after = count(site.database, writer_rows)
    finally:
        stop.touch()
        output, _ = writer.communicate(timeout=120)
        reader.close()
    assert writer.returncode == 0, output
    assert before < after, "the writer wrote nothing while the backup ran"

    copy = tmp_path / "copy.sqlite3"
    with tarfile.open(archive) as tar:
        copy.write_bytes(tar.extractfile("db.sqlite3").read())
    assert count(copy, "PRAGMA integrity_check") == "ok"
    subscribers = count(copy, writer_rows)
    comments = count(copy, "SELECT count(*) FROM articles_comment WHERE name LIKE 'writer%'")
    assert before <= subscribers <= after
    assert comments == subscribers  # both rows of every pair, or neither
    newest = count(copy, "SELECT max(CAST(substr(email, 7, instr(email, '@') - 7) AS INTEGER)) "
                         "FROM newsletter_subscriber WHERE email LIKE 'writer%'")
    assert newest == subscribers  # writes 1..n, none missing: a prefix of the writer's history


def rewrite(archive: Path, target: Path, *, replace=None, add=(), manifest_change=None, relist=False) -> Path:
    """A copy of ``archive`` with members replaced (name -> bytes), members added
    (TarInfo, bytes) and the manifest changed; ``relist`` lists added regular files in
    the manifest with their true hashes, so only the member checks can stop them."""
    replace = replace or {}
    with tarfile.open(archive) as tar:
        members = [(member, tar.extractfile(member).read()) for member in tar]
    manifest = json.loads(dict((m.name, data) for m, data in members)["manifest.json"])
    for entry in manifest["files"]:
        if entry["name"] in replace and relist:
            entry.update(size=len(replace[entry["name"]]), sha256=hashlib.sha256(replace[entry["name"]]).hexdigest())
    if relist:
        manifest["files"] += [{"name": info.name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                              for info, data in add]
    if manifest_change:
        manifest_change(manifest)
    with tarfile.open(target, "w:gz") as out:
        for member, data in members:
            if member.name == "manifest.json":
                continue
            data = replace.get(member.name, data)
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
        for info, data in add:
            info.size = len(data) if info.isreg() else 0
            out.addfile(info, io.BytesIO(data) if info.isreg() else None)
        text = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(text)
        out.addfile(info, io.BytesIO(text))
    return target


def member(name: str, kind: bytes = tarfile.REGTYPE, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, link
    return info


def first_media_name(archive: Path) -> str:
    with tarfile.open(archive) as tar:
        return next(m.name for m in tar if m.name.startswith("media/"))


@pytest.mark.parametrize("tampering", ["media file", "database", "file not in the manifest", "file missing"])
def test_a_tampered_archive_is_refused_and_the_site_left_as_it_was(site, archive, tmp_path, tampering):
    if tampering == "media file":
        bad = rewrite(archive, tmp_path / "bad.tar.gz", replace={first_media_name(archive): b"swapped bytes"})
    elif tampering == "database":
        database = sqlite3.connect(tmp_path / "other.sqlite3")
        database.execute("CREATE TABLE t (x)")
        database.commit()
        database.close()
        bad = rewrite(archive, tmp_path / "bad.tar.gz", replace={"db.sqlite3": (tmp_path / "other.sqlite3").read_bytes()})
    elif tampering == "file not in the manifest":
        bad = rewrite(archive, tmp_path / "bad.tar.gz", add=[(member("media/extra.html"), b"<script>1</script>")])
    else:
        bad = rewrite(archive, tmp_path / "bad.tar.gz", manifest_change=lambda m: m["files"].append(
            {"name": "media/gone.jpg", "size": 3, "sha256": "0" * 64}))
    site.shell(CHANGE)  # the site has moved on since the backup: a refused restore keeps that
    before = site.state()

    result = site.run("restore", "--noinput", str(bad))

    assert result.returncode == 1
    assert "Refused" in result.stderr and "Traceback" not in result.stderr
    assert site.state() == before


HOSTILE_MEMBERS = [
    member("../escaped.txt"),
    member("media/../../escaped.txt"),
    member("/tmp/escaped.txt"),
    member("media/link.jpg", tarfile.SYMTYPE, "/etc/passwd"),
    member("media/hard.jpg", tarfile.LNKTYPE, "db.sqlite3"),
    member("media/device", tarfile.CHRTYPE),
    member("media/fifo", tarfile.FIFOTYPE),
    member("media/folder", tarfile.DIRTYPE),
]


@pytest.mark.parametrize("hostile", HOSTILE_MEMBERS, ids=lambda info: info.name)
def test_members_that_could_write_outside_or_are_not_plain_files_are_refused_before_anything_is_read(
        archive, tmp_path, hostile):
    bad = rewrite(archive, tmp_path / "bad.tar.gz", add=[(hostile, b"escaped")], relist=True)

    with pytest.raises(backups.BackupError, match=re.escape(f"Refused: the archive member '{hostile.name}'")):
        backups.archive_open(bad)


def test_restore_never_extracts_a_path_traversal_member(site, archive, tmp_path):
    bad = rewrite(archive, tmp_path / "bad.tar.gz", add=[(member("media/../../escaped.txt"), b"escaped")], relist=True)
    before = site.state()

    result = site.run("restore", "--noinput", str(bad))

    assert result.returncode == 1
    assert "Refused: the archive member 'media/../../escaped.txt' has an unsafe path." in result.stderr
    assert site.state() == before
    assert not list(tmp_path.parent.rglob("escaped.txt"))


def test_an_archive_that_is_not_a_backup_is_refused(tmp_path):
    not_gzip = tmp_path / "not-gzip.tar.gz"
    not_gzip.write_bytes(b"PK\x03\x04 a zip file, or anything else")
    no_manifest = tmp_path / "no-manifest.tar.gz"
    with tarfile.open(no_manifest, "w:gz") as tar:
        info = member("db.sqlite3")
        info.size = 4
        tar.addfile(info, io.BytesIO(b"data"))

    with pytest.raises(backups.BackupError, match="is not a readable backup archive"):
        backups.archive_open(not_gzip)
    with pytest.raises(backups.BackupError, match=re.escape("not a WiseGeek backup (no manifest.json)")):
        backups.archive_open(no_manifest)


@pytest.mark.parametrize("kind", ["another manifest", "newer migrations"])
def test_a_backup_of_another_kind_or_from_a_newer_release_is_refused(site, archive, tmp_path, kind):
    bad = tmp_path / "foreign.tar.gz"
    if kind == "another manifest":
        rewrite(archive, bad, manifest_change=lambda m: m.update(format="someone-elses-backup"))
        expected = "its manifest is of another kind"
    else:
        rewrite(archive, bad, manifest_change=lambda m: m["migrations"].append("articles.9999_from_the_future"))
        expected = "migrations this release does not have (articles.9999_from_the_future)"
    before = site.state()

    result = site.run("restore", "--noinput", str(bad))

    assert result.returncode == 1
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert site.state() == before


def test_restore_asks_first_and_changes_nothing_unless_told_yes(site, archive):
    site.shell(CHANGE)
    before = site.state()

    result = site.run("restore", str(archive), input="no\n")

    assert "Anything written since then will be lost" in result.stdout
    assert result.returncode == 1 and "Restore cancelled; nothing was changed." in result.stderr
    assert site.state() == before


def test_a_restore_that_fails_at_the_last_step_leaves_the_database_and_media_as_they_were(site, archive):
    site.shell(CHANGE)
    before = site.state()
    holder = sqlite3.connect(site.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock past the busy timeout
    try:
        result = site.run("restore", "--noinput", str(archive), SQLITE_BUSY_TIMEOUT="1")
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    assert result.returncode == 1
    assert "locked" in result.stderr and "Nothing was changed" in result.stderr
    assert site.state() == before
    assert sorted(p.name for p in site.var_dir.iterdir() if p.name.startswith(".")) == []  # no staging left


def test_postgresql_is_refused_with_the_tools_to_use(site, tmp_path):
    elsewhere = {"DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing"}

    backup = site.run("backup", str(tmp_path), **elsewhere)
    restore = site.run("restore", "--noinput", str(tmp_path / "any.tar.gz"), **elsewhere)

    for result in (backup, restore):
        assert result.returncode == 1
        assert "pg_dump -Fc" in result.stderr and "pg_restore" in result.stderr
        assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == [site.var_dir]


def test_with_uploads_in_object_storage_the_archive_holds_the_database_only(site, tmp_path):
    bucket = {"S3_BUCKET": "wisegeek-media", "S3_ENDPOINT_URL": "http://127.0.0.1:9", "S3_REGION": "us-east-1"}

    result = site.run("backup", str(tmp_path / "backups"), **bucket)

    assert result.returncode == 0, result.stderr
    assert "versioning" in result.stdout and "the database only" in result.stdout
    archive = next((tmp_path / "backups").glob("*.tar.gz"))
    with tarfile.open(archive) as tar:
        assert sorted(tar.getnames()) == ["db.sqlite3", "manifest.json"]
        assert json.load(tar.extractfile("manifest.json"))["media"] == "object storage"

    # Restored on a site with local uploads, it leaves the media folder alone.
    site.shell(CHANGE)
    rows_then, media_now = table_rows(site.database), media_files(site.media)
    output = site.manage("restore", "--noinput", str(archive))
    assert "The archive holds no media" in output
    assert media_files(site.media) == media_now
    assert table_rows(site.database) != rows_then


def test_a_backup_folder_inside_the_media_folder_is_refused(site):
    """The site serves the media folder to anyone: an archive there would be public."""
    result = site.run("backup", str(site.media / "backups"))

    assert result.returncode == 1
    assert "is inside the media folder, which the site serves to anyone" in result.stderr
    assert not (site.media / "backups").exists()
