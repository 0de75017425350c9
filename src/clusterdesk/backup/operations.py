"""``backup`` and ``restore``: the database and every stored file, checked by SHA-256.

A restore goes only into an empty installation (migrated, no rows but those ``migrate`` writes,
no stored files) with exactly the backup's migrations, and only after every file of the backup
has been checked against its manifest: a refused restore has changed nothing. The rows go in
one transaction; the files go into place inside it, and are removed again if anything fails.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.metadata
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.core.files import File
from django.core.files.storage import Storage
from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from clusterdesk.backup import archive, database
from clusterdesk.backup.archive import BackupError
from clusterdesk.declarations.domain.integrity import check_all
from clusterdesk.shared.storage import (
    StoredFileCorrupt,
    StoredFileMissing,
    describe,
    is_not_found,
    local_dir,
    open_verified,
)

NAME_PREFIX = "clusterdesk-backup-"
COPY_CHUNK = 1 << 20
EMPTY_ONLY = "恢复只能在新建的空安装中进行（已运行 migrate、尚未录入数据、文件目录为空）。"


def app_version() -> str:
    try:
        return importlib.metadata.version("clusterdesk")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


@dataclass
class BackupResult:
    path: Path
    rows: int
    files: int
    bytes: int
    removed: list[Path] = field(default_factory=list)


def target_path(given: Path, now: dt.datetime | None = None) -> Path:
    """An existing directory gets a new dated archive inside it; any other path is the target."""
    if given.is_dir():
        stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
        return given / f"{NAME_PREFIX}{stamp}.tar.gz"
    return given


def make_backup(given: Path, keep: int | None = None) -> BackupResult:
    target = target_path(given)
    if target.exists() or target.is_symlink():
        raise BackupError(f"备份目标“{target}”已存在：请指定新的文件名或目录，旧备份不会被覆盖。")
    if not target.parent.is_dir():
        raise BackupError(f"备份目标所在的目录“{target.parent}”不存在。")
    writer = archive.open_writer(target)
    try:
        manifest = _write(writer, target)
        writer.finish(manifest)
    except BaseException:
        writer.abort()
        raise
    removed = prune(target.parent, keep, target) if keep and given.is_dir() else []
    files = [entry for entry in writer.entries if entry["path"].startswith(archive.STORAGE_DIR)]
    return BackupResult(
        path=target,
        rows=sum(table["rows"] for table in manifest["tables"]),
        files=len(files),
        bytes=sum(entry["size"] for entry in files),
        removed=removed,
    )


def _write(writer: archive.Writer, target: Path) -> dict[str, Any]:
    connection = connections["default"]
    tables = []
    with tempfile.TemporaryDirectory(prefix=".clusterdesk-dump-", dir=target.parent) as folder:
        # The database first, from one moment; files only ever get added after it (evidence is
        # stored before its row is written), so every file a row names is there to copy.
        with database.consistent_view() as alias:
            migrations = database.applied_migrations(alias)
            for model in database.backed_up_models():
                name = f"{archive.DATABASE_DIR}/{model._meta.label_lower}.jsonl"
                dump = Path(folder) / name
                dump.parent.mkdir(parents=True, exist_ok=True)
                with dump.open("w", encoding="utf-8") as out:
                    rows = database.dump_table(model, alias, out)
                tables.append(
                    {
                        "model": model._meta.label_lower,
                        "table": model._meta.db_table,
                        "columns": [column.attname for column in database.columns(model)],
                        "rows": rows,
                        "path": name,
                    }
                )
        for table in tables:
            writer.add(table["path"], Path(folder) / table["path"], move=True)
        for root_name, store in archive.stores().items():
            root = local_dir(store)
            if root is None:
                _add_objects(writer, root_name, store, Path(folder))
                continue
            for relative, path in archive.stored_files(root):
                try:
                    writer.add(f"{archive.STORAGE_DIR}/{root_name}/{relative}", path)
                except FileNotFoundError:
                    continue  # an expired export removed meanwhile: no row names it any more
    return {
        "format": archive.FORMAT,
        "format_version": archive.FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "app_version": app_version(),
        "database_vendor": connection.vendor,
        "migrations": migrations,
        "tables": tables,
    }


def _add_objects(writer: archive.Writer, root_name: str, store: Storage, folder: Path) -> None:
    """The files of an object store, each copied to ``folder`` and moved into the backup."""
    copy = folder / "object.copy"
    for name in archive.object_names(store):
        try:
            with store.open(name, "rb") as source, copy.open("wb") as out:
                shutil.copyfileobj(source, out, COPY_CHUNK)
        except Exception as exc:
            if is_not_found(exc):
                continue  # an expired export removed meanwhile
            raise
        writer.add(f"{archive.STORAGE_DIR}/{root_name}/{name}", copy, move=True)


def prune(folder: Path, keep: int, newest: Path) -> list[Path]:
    """Remove all but the ``keep`` newest dated backups in ``folder`` (never ``newest``)."""
    dated = sorted(
        path
        for path in folder.iterdir()
        if path.name.startswith(NAME_PREFIX) and path.name.endswith(archive.ARCHIVE_SUFFIXES)
    )
    removed = [path for path in dated[: max(0, len(dated) - keep)] if path != newest]
    for path in removed:
        path.unlink()
    return removed


# --- restore ----------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    rows: int
    files: int
    snapshots: int
    snapshot_mismatches: int
    manifest: dict[str, Any]


def restore_backup(source: Path, report: Callable[[str], None] = lambda _: None) -> RestoreResult:
    if not source.exists():
        raise BackupError(f"找不到备份“{source}”：请检查路径。")
    stores = archive.stores()
    with _unpacked(source, stores) as (root, extracted):
        report("正在校验备份中每个文件的 SHA-256……")
        manifest = archive.read_manifest(root, source)
        archive.verify_files(root, manifest, source)
        tables = _tables_of(manifest, source)
        _check_target(manifest, stores)
        report("校验通过，正在写入数据库和文件……")
        return _load(root, extracted, manifest, tables, stores)


@contextmanager
def _unpacked(source: Path, stores: dict[str, Storage]) -> Iterator[tuple[Path, bool]]:
    """The backup's tree: the directory itself, or an archive unpacked next to the storage (so
    its files can be moved into place rather than copied; with object storage, in the temporary
    directory); (root, whether it was unpacked)."""
    if source.is_dir():
        yield source, False
        return
    if not archive.is_archive_name(source) and not tarfile.is_tarfile(source):
        raise BackupError(f"“{source}”既不是备份目录，也不是备份归档（.tar、.tar.gz）。")
    media = local_dir(stores["media"])
    parent = media.parent if media is not None else Path(tempfile.gettempdir())
    parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".clusterdesk-restore-", dir=parent))
    try:
        archive.unpack(source, folder)
        yield folder, True
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _tables_of(manifest: dict[str, Any], source: Path) -> list[tuple[Any, dict[str, Any]]]:
    listed = {entry["path"] for entry in manifest["files"]}
    tables = []
    for table in manifest["tables"]:
        try:
            model = apps.get_model(table["model"])
            path, rows, names = table["path"], table["rows"], table["columns"]
        except (KeyError, TypeError, LookupError, ValueError) as exc:
            raise BackupError(f"备份“{source}”的清单中有无法识别的数据表：{exc}") from None
        if path not in listed or not isinstance(rows, int) or not isinstance(names, list):
            raise BackupError(f"备份“{source}”的清单中数据表 {table['model']} 的记录不完整。")
        tables.append((model, table))
    missing = {m._meta.label_lower for m in database.backed_up_models()} - {
        t["model"] for _, t in tables
    }
    if missing:
        raise BackupError(
            f"备份“{source}”缺少数据表：{', '.join(sorted(missing))}（备份与本程序的版本不同）。"
        )
    return tables


def _check_target(manifest: dict[str, Any], stores: dict[str, Storage]) -> None:
    try:
        applied = database.applied_migrations()
    except DatabaseError as exc:
        raise BackupError(f"无法读取目标数据库，请检查 DATABASE_URL：{exc}") from exc
    if not applied:
        raise BackupError("目标数据库尚未建表：请先运行“python manage.py migrate”，再恢复。")
    if applied != manifest["migrations"]:
        raise BackupError(
            "目标数据库的迁移状态与备份不同："
            + _migration_difference(manifest["migrations"], applied)
            + "。请使用与备份时相同版本的程序，运行 migrate 后再恢复。"
        )
    for name, store in stores.items():
        root = local_dir(store)
        if archive.has_files(root) if root else next(archive.object_names(store), None):
            raise BackupError(f"目标文件目录“{describe(store)}”（{name}）不为空。{EMPTY_ONLY}")
    try:
        found = database.empty_tables_except_installation()
    except DatabaseError as exc:
        raise BackupError(f"无法读取目标数据库，请检查 DATABASE_URL：{exc}") from exc
    if found is not None:
        table, count = found
        raise BackupError(f"目标数据库已有数据（数据表 {table} 有 {count} 行）。{EMPTY_ONLY}")


def _migration_difference(backup: dict[str, list[str]], target: dict[str, list[str]]) -> str:
    def flat(state: dict[str, list[str]]) -> set[str]:
        return {f"{app}.{name}" for app, names in state.items() for name in names}

    only_backup = sorted(flat(backup) - flat(target))
    only_target = sorted(flat(target) - flat(backup))
    parts = []
    if only_backup:
        parts.append("备份有而目标没有 " + "、".join(only_backup[:5]))
    if only_target:
        parts.append("目标有而备份没有 " + "、".join(only_target[:5]))
    return "；".join(parts) or "格式不同"


def _load(
    root: Path,
    extracted: bool,
    manifest: dict[str, Any],
    tables: list[tuple[Any, dict[str, Any]]],
    stores: dict[str, Storage],
) -> RestoreResult:
    placed: list[Callable[[], None]] = []  # how to take each placed file away again
    try:
        with transaction.atomic():
            database.clear_installation_rows()
            loaded = []
            for model, table in tables:
                with (root / table["path"]).open(encoding="utf-8") as lines:
                    try:
                        count = database.load_table(model, table["columns"], lines)
                    except database.DumpFormatError as exc:
                        raise BackupError(f"备份中的“{table['path']}”无法恢复：{exc}") from exc
                if count != table["rows"]:
                    raise BackupError(
                        f"备份中的“{table['path']}”有 {count} 行，清单记录为 {table['rows']} 行。"
                    )
                loaded.append(model)
            database.reset_sequences(loaded)
            files = _place_files(root, extracted, manifest, stores, placed)
            for model, table in tables:  # what went in is what the backup holds
                if database.row_count(model) != table["rows"]:
                    raise BackupError(f"恢复后数据表 {table['table']} 的行数与备份不符。")
            snapshots, mismatches = _check_snapshots()
    except BaseException:
        for remove in placed:
            with contextlib.suppress(Exception):
                remove()
        raise
    return RestoreResult(
        rows=sum(table["rows"] for _, table in tables),
        files=files,
        snapshots=snapshots,
        snapshot_mismatches=mismatches,
        manifest=manifest,
    )


def _place_files(
    root: Path,
    extracted: bool,
    manifest: dict[str, Any],
    stores: dict[str, Storage],
    placed: list[Callable[[], None]],
) -> int:
    count = 0
    for entry in manifest["files"]:
        parts = entry["path"].split("/", 2)
        if parts[0] != archive.STORAGE_DIR:
            continue
        if len(parts) != 3 or parts[1] not in stores:
            raise BackupError(f"备份中的文件“{entry['path']}”不属于任何存储目录。")
        store = stores[parts[1]]
        directory = local_dir(store)
        if directory is None:
            _place_object(root / entry["path"], store, parts[2], entry, placed)
            count += 1
            continue
        target = directory / parts[2]
        target.parent.mkdir(parents=True, exist_ok=True)
        placed.append(partial(target.unlink, missing_ok=True))
        if extracted:
            shutil.move(root / entry["path"], target)
            size = target.stat().st_size
            sha256 = entry["sha256"]  # verified before, and a rename does not change it
        else:
            shutil.copyfile(root / entry["path"], target)
            size, sha256 = archive.sha256_of(target)
        if (size, sha256) != (entry["size"], entry["sha256"]):
            raise BackupError(f"文件“{target}”写入后与备份不符，恢复已撤销。")
        os.chmod(target, 0o640)
        count += 1
    return count


def _place_object(
    source: Path, store: Storage, name: str, entry: dict[str, Any], placed: list
) -> None:
    """Upload one file of the backup into an object store, then read it back to check it."""
    with source.open("rb") as content:
        saved = store.save(name, File(content, name=PurePosixPath(name).name))
    placed.append(partial(store.delete, saved))
    try:
        with open_verified(store, saved, entry["sha256"]) as check:
            size = check.seek(0, os.SEEK_END)
    except (StoredFileMissing, StoredFileCorrupt):
        size = -1
    if saved != name or size != entry["size"]:
        raise BackupError(f"文件“{describe(store)}/{name}”写入后与备份不符，恢复已撤销。")


def _check_snapshots() -> tuple[int, int]:
    checked = mismatches = 0
    for result in check_all():
        checked += 1
        mismatches += not result.ok
    return checked, mismatches
