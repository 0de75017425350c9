"""``manage.py backup`` and ``manage.py restore``: a world with submissions, events, evidence, a
certification and an annual report is backed up, restored into a second, freshly migrated
installation (another database, other storage directories) by the real command in its own
process, and compared row by row and file by file; and every refusal leaves the target as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections

from clusterdesk.backup import database
from clusterdesk.declarations.models import ApplicationEvent, Submission
from clusterdesk.evidence.models import Upload
from clusterdesk.monitoring.models import ClusterReport
from clusterdesk.registry.models import Certification
from clusterdesk.shared.storage import export_storage
from tests.evidence import samples
from tests.monitoring.world import submitted_report
from tests.registry.world import certified_world
from tests.s3 import Bucket

REPO_DIR = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "source" / "media"
    settings.CLUSTERDESK_EXPORT_DIR = tmp_path / "source" / "exports"
    return settings


@pytest.fixture
def world(storage):
    """Two certified clusters with evidence, their submissions and events, an annual report,
    and a finished export file."""
    world = certified_world(evidence=("鄞州产业链图谱.pdf", samples.PDF))
    submitted_report(world.applications[0], world.city)
    export = Path(settings.CLUSTERDESK_EXPORT_DIR) / "7" / "申报材料.zip"
    export.parent.mkdir(parents=True)
    export.write_bytes(samples.zip_bytes({"a.txt": b"export"}))
    return world


def stored_files(*roots: Path) -> dict[str, bytes]:
    found = {}
    for index, root in enumerate(roots):
        for path in sorted(root.rglob("*")):
            if path.is_file():
                found[f"{index}/{path.relative_to(root).as_posix()}"] = path.read_bytes()
    return found


# Every row of every table as the ORM reads it, run in the installation's own process (the test
# process may use its test database only).
ROWS = """
import json, django; django.setup()
from django.core.serializers.json import DjangoJSONEncoder
from clusterdesk.backup.database import backed_up_models
print(json.dumps({
    model._meta.label: list(model._base_manager.order_by("pk").values())
    for model in backed_up_models()
}, cls=DjangoJSONEncoder))
"""


def rows_here() -> dict[str, list[dict]]:
    rows = {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in database.backed_up_models()
    }
    return json.loads(json.dumps(rows, cls=DjangoJSONEncoder))


def run_python(env: dict[str, str], script: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=REPO_DIR, capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def counts(alias: str = "default") -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.using(alias).count()
        for model in database.backed_up_models()
    }


# --- a second installation, restored by the command in its own process ------------------------


@pytest.fixture
def installation(tmp_path):
    """An empty installation beside the test database: its own database (a file on SQLite, a
    database created here on PostgreSQL), migrated, and its own empty storage directories."""
    default = settings.DATABASES["default"]
    if connections["default"].vendor == "sqlite":
        name = str(tmp_path / "target.sqlite3")
        url = f"sqlite:///{name}"
    else:
        name = f"{connections['default'].settings_dict['NAME']}_restore"
        _admin_sql(f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
        url = (
            f"postgres://{default['USER']}:{default['PASSWORD']}@{default['HOST'] or '127.0.0.1'}"
            f":{default['PORT'] or 5432}/{name}"
        )
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CLUSTERDESK_") and key != "DATABASE_URL"
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "clusterdesk.settings",
        "DATABASE_URL": url,
        "CLUSTERDESK_DEBUG": "1",
        "CLUSTERDESK_VAR_DIR": str(tmp_path / "target"),
        "CLUSTERDESK_MEDIA_ROOT": str(tmp_path / "target" / "media"),
        "CLUSTERDESK_EXPORT_DIR": str(tmp_path / "target" / "exports"),
    }
    assert manage(env, "migrate", "-v0").returncode == 0
    yield env
    if connections["default"].vendor != "sqlite":
        _admin_sql(f'DROP DATABASE IF EXISTS "{name}"')


def _admin_sql(*statements: str) -> None:
    default = connections["default"].settings_dict
    with psycopg.connect(
        dbname="postgres",
        user=default["USER"],
        password=default["PASSWORD"] or None,
        host=default["HOST"] or "127.0.0.1",
        port=default["PORT"] or 5432,
        autocommit=True,
    ) as connection:
        for statement in statements:
            connection.execute(statement)


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], env=env, cwd=REPO_DIR, capture_output=True,
        text=True, timeout=300, check=False,
    )  # fmt: skip


def test_a_backup_restores_every_row_and_file_into_an_empty_installation(
    world, installation, tmp_path
):
    Group.objects.create(name="备份前的用户组")
    backup = tmp_path / "nightly.tar.gz"
    call_command("backup", str(backup))
    source_rows = rows_here()
    source_files = stored_files(settings.MEDIA_ROOT, settings.CLUSTERDESK_EXPORT_DIR)

    result = manage(installation, "restore", str(backup))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "行数与文件的 SHA-256 均与清单一致" in result.stdout
    # Every table, row for row, with the same primary keys and values.
    restored = json.loads(run_python(installation, ROWS))
    assert restored == source_rows
    assert len(restored["declarations.Submission"]) == Submission.objects.count() >= 3
    assert len(restored["declarations.ApplicationEvent"]) == ApplicationEvent.objects.count()
    assert len(restored["evidence.Upload"]) == Upload.objects.count() >= 2
    assert len(restored["registry.Certification"]) == Certification.objects.count() >= 2
    assert len(restored["monitoring.ClusterReport"]) == ClusterReport.objects.count() == 1
    # Every file, byte for byte; evidence still under its SHA-256.
    target_media = Path(installation["CLUSTERDESK_MEDIA_ROOT"])
    target_files = stored_files(target_media, Path(installation["CLUSTERDESK_EXPORT_DIR"]))
    assert target_files == source_files
    evidence_file = target_media / "evidence" / samples_sha()[:2] / samples_sha()[2:4]
    assert (evidence_file / samples_sha()).read_bytes() == samples.PDF
    # The snapshots verify, with the command a bureau runs.
    snapshots = manage(installation, "verify_snapshots")
    assert snapshots.returncode == 0, snapshots.stderr
    assert f"已校验 {Submission.objects.count()} 份提交快照，全部一致。" in snapshots.stdout
    # New rows continue after the restored ids (PostgreSQL's sequences were moved on).
    created = run_python(
        installation,
        "import django; django.setup(); from django.contrib.auth.models import Group; "
        "print(Group.objects.create(name='恢复后新建').pk)",
    )
    assert int(created) > Group.objects.order_by("pk").last().pk
    # A second restore into the now filled installation is refused, without a traceback.
    again = manage(installation, "restore", str(backup))
    assert again.returncode == 2
    assert "目标文件目录" in again.stderr
    assert "不为空" in again.stderr
    assert "Traceback" not in again.stderr


def samples_sha() -> str:
    return hashlib.sha256(samples.PDF).hexdigest()


def test_a_restore_that_fails_midway_leaves_the_installation_empty(world, installation, tmp_path):
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    # A manifest edited consistently (so every SHA-256 verifies) with, last, a file for a
    # storage this installation does not have: the restore notices after the rows and the other
    # files went in, and takes everything back out.
    stray = backup / "storage" / "elsewhere" / "x.txt"
    stray.parent.mkdir()
    stray.write_bytes(b"x")
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["files"].append(
        {"path": "storage/elsewhere/x.txt", "size": 1, "sha256": hashlib.sha256(b"x").hexdigest()}
    )
    (backup / "manifest.json").write_text(json.dumps(manifest))

    result = manage(installation, "restore", str(backup))

    assert result.returncode == 2, result.stdout + result.stderr
    assert "storage/elsewhere/x.txt" in result.stderr
    assert "不属于任何存储目录" in result.stderr
    assert "Traceback" not in result.stderr
    assert stored_files(Path(installation["CLUSTERDESK_MEDIA_ROOT"])) == {}
    assert (
        run_python(
            installation,
            "import django; django.setup(); from clusterdesk.backup import database; "
            "print(database.empty_tables_except_installation())",
        ).strip()
        == "None"
    )


# --- refusals, against the test database (which holds data) -----------------------------------


@pytest.fixture
def backup(world, tmp_path):
    path = tmp_path / "backup"
    call_command("backup", str(path))
    return path


def refusal(*args: str) -> str:
    before = counts()
    files = stored_files(settings.MEDIA_ROOT, settings.CLUSTERDESK_EXPORT_DIR)
    with pytest.raises(CommandError) as refused:
        call_command(*args)
    assert refused.value.returncode == 2
    assert counts() == before
    assert stored_files(settings.MEDIA_ROOT, settings.CLUSTERDESK_EXPORT_DIR) == files
    return str(refused.value)


def test_restore_refuses_a_missing_backup(storage, tmp_path):
    message = refusal("restore", str(tmp_path / "无此备份.tar.gz"))

    assert "找不到备份" in message
    assert "无此备份.tar.gz" in message


def test_restore_checks_every_sha256_before_anything_else(backup):
    evidence = next((backup / "storage" / "media" / "evidence").rglob(samples_sha()))
    evidence.write_bytes(samples.PDF.replace(b"%%EOF", b"%%EOX"))

    message = refusal("restore", str(backup))

    assert f"storage/media/evidence/{samples_sha()[:2]}" in message
    assert "SHA-256 不符" in message


def test_restore_refuses_a_tampered_database_dump(backup):
    dump = backup / "database" / "declarations.submission.jsonl"
    dump.write_bytes(dump.read_bytes() + b"\n")  # one byte more: a different SHA-256

    message = refusal("restore", str(backup))

    assert "database/declarations.submission.jsonl" in message
    assert "SHA-256 不符" in message


def test_restore_refuses_a_corrupted_archive(world, tmp_path):
    archive = tmp_path / "nightly.tar.gz"
    call_command("backup", str(archive))
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])

    message = refusal("restore", str(archive))

    assert "nightly.tar.gz" in message
    assert "已损坏" in message


def test_restore_refuses_a_file_the_manifest_does_not_list(backup):
    (backup / "storage" / "media" / "extra.pdf").write_bytes(samples.PDF)

    message = refusal("restore", str(backup))

    assert "清单未列出的文件“storage/media/extra.pdf”" in message


def test_restore_refuses_a_backup_without_its_manifest(backup):
    (backup / "manifest.json").unlink()

    assert "没有清单文件 manifest.json" in refusal("restore", str(backup))


def test_restore_refuses_other_migrations(backup):
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["migrations"]["declarations"].append("9999_from_the_future")
    (backup / "manifest.json").write_text(json.dumps(manifest))

    message = refusal("restore", str(backup))

    assert "迁移状态与备份不同" in message
    assert "declarations.9999_from_the_future" in message


def test_restore_refuses_storage_that_holds_files(backup):
    # The test database holds data too: the files are checked first, so this is the refusal.
    assert "目标文件目录" in refusal("restore", str(backup))


def test_restore_refuses_a_database_that_holds_data(backup, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "empty" / "media"
    settings.CLUSTERDESK_EXPORT_DIR = tmp_path / "empty" / "exports"

    message = refusal("restore", str(backup))

    assert "目标数据库已有数据" in message


def test_backup_never_overwrites(world, tmp_path):
    archive = tmp_path / "nightly.tar.gz"
    archive.write_bytes(b"an older backup")

    assert "已存在" in refusal("backup", str(archive))
    assert archive.read_bytes() == b"an older backup"


def test_backup_into_a_folder_keeps_the_newest(world, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    old = folder / "clusterdesk-backup-20200101-000000.tar.gz"
    old.write_bytes(b"old")

    call_command("backup", str(folder), "--keep", "1")

    (kept,) = folder.iterdir()
    assert kept.name.startswith("clusterdesk-backup-")
    assert kept != old
    with tarfile.open(kept) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    listed = {entry["path"]: entry for entry in manifest["files"]}
    sha = samples_sha()
    entry = listed[f"storage/media/evidence/{sha[:2]}/{sha[2:4]}/{sha}"]
    assert entry == {"path": entry["path"], "size": len(samples.PDF), "sha256": samples_sha()}
    assert manifest["app_version"]
    assert manifest["migrations"]["declarations"]
    rows = {table["model"]: table["rows"] for table in manifest["tables"]}
    assert rows["declarations.submission"] == Submission.objects.count()


def test_the_commands_exit_2_without_a_traceback(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("CLUSTERDESK_")}
    env |= {"CLUSTERDESK_VAR_DIR": str(tmp_path / "var"), "CLUSTERDESK_DEBUG": "1"}

    result = manage(env, "restore", str(tmp_path / "missing"))

    assert result.returncode == 2
    assert "找不到备份" in result.stderr
    assert "Traceback" not in result.stderr
    shutil.rmtree(tmp_path / "var", ignore_errors=True)


def test_a_backup_of_object_storage_restores_into_another_bucket(
    s3_bucket, s3_endpoint, installation, tmp_path
):
    """The same backup with the files in S3-compatible storage (a real server, tests/s3.py):
    every object is in the backup, and the restore puts each into the new installation's own
    bucket, byte for byte."""
    certified_world(evidence=("鄞州产业链图谱.pdf", samples.PDF))
    export_storage().save("7/申报材料.zip", ContentFile(samples.zip_bytes({"a.txt": b"export"})))
    backup = tmp_path / "nightly.tar.gz"
    call_command("backup", str(backup))
    with tarfile.open(backup) as archive:
        names = archive.getnames()
    sha = samples_sha()
    assert f"storage/media/evidence/{sha[:2]}/{sha[2:4]}/{sha}" in names
    assert "storage/exports/7/申报材料.zip" in names

    target = Bucket(s3_endpoint, f"cd-restore-{uuid.uuid4().hex[:12]}")
    target.client().create_bucket(Bucket=target.name)
    env = installation | {"CLUSTERDESK_STORAGE_URL": target.url}
    result = manage(env, "restore", str(backup))

    assert result.returncode == 0, result.stdout + result.stderr
    source = {key: s3_bucket.read(key) for key in s3_bucket.object_keys()}
    restored = {key: target.read(key) for key in target.object_keys()}
    assert restored == source
    assert len(source) >= 2
    # Restoring again into the bucket that now has files is refused, and changes nothing.
    again = manage(env, "restore", str(backup))
    assert again.returncode != 0
    assert {key: target.read(key) for key in target.object_keys()} == source
