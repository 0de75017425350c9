"""A backup on disk: a directory, or the same tree in a tar archive (``.tar``, ``.tar.gz``).

    manifest.json                     what is in the backup, with every file's size and SHA-256
    database/<app>.<model>.jsonl      one file per table (clusterdesk.backup.database)
    storage/media/…                   the media store (MEDIA_ROOT, or <prefix>/media/ in the
                                      bucket): evidence by SHA-256, kept 公示/通报 PDFs
    storage/exports/…                 the exports store (CLUSTERDESK_EXPORT_DIR, or
                                      <prefix>/exports/): finished export files

The stores are the configured ones (``shared.storage``): local directories, or S3-compatible
object storage, whose objects are copied here through the same store API. The layout inside
the backup is the same for both, so a backup of one restores into the other.

Writers put everything under a temporary name beside the target and rename it into place when
complete, so an interrupted backup never looks like a finished one.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from django.core.files.storage import Storage

from clusterdesk.shared.storage import export_storage, media_storage

FORMAT = "clusterdesk-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_DIR = "database"
STORAGE_DIR = "storage"
ARCHIVE_SUFFIXES = (".tar", ".tar.gz", ".tgz")
_CHUNK = 1 << 20


class BackupError(Exception):
    """A backup cannot be written or read; the message (Chinese) names the file."""


def stores() -> dict[str, Storage]:
    """The stores whose files a backup holds, by their name inside the backup."""
    return {"media": media_storage(), "exports": export_storage()}


def object_names(store: Storage, folder: str = "") -> Iterator[str]:
    """Every file of an object store (names relative to it), sorted, without transient ones."""
    dirs, files = store.listdir(folder)
    for name in sorted(files):
        path = f"{folder}/{name}" if folder else name
        if not _transient(PurePosixPath(path)):
            yield path
    for name in sorted(dirs):
        yield from object_names(store, f"{folder}/{name}" if folder else name)


def _transient(relative: PurePosixPath) -> bool:
    # Half-written files: the evidence store's tmp/ and documents.atomic's hidden .part files.
    name = relative.name
    if name.startswith(".") and name.endswith(".part"):
        return True
    return relative.parts[:2] == ("evidence", "tmp")


def stored_files(root: Path) -> Iterator[tuple[PurePosixPath, Path]]:
    """(path relative to ``root``, absolute path) of every regular file, sorted; no symlinks."""
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file():
                continue
            relative = PurePosixPath(path.relative_to(root).as_posix())
            if not _transient(relative):
                yield relative, path


def has_files(root: Path) -> bool:
    return any(path.is_file() for path in root.rglob("*")) if root.is_dir() else False


def is_archive_name(path: Path) -> bool:
    return path.name.endswith(ARCHIVE_SUFFIXES)


def sha256_of(path: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


class _Hashing(io.RawIOBase):
    """Reads a file and hashes what it hands out (tar reads each member exactly once)."""

    def __init__(self, file: BinaryIO) -> None:
        self.file = file
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


class Writer:
    """Collects members and their sizes and SHA-256s; ``finish`` adds the manifest."""

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []

    def add(self, name: str, source: Path, *, move: bool = False) -> None:
        raise NotImplementedError

    def finish(self, manifest: dict[str, Any]) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        raise NotImplementedError

    def _manifest_bytes(self, manifest: dict[str, Any]) -> bytes:
        manifest = {**manifest, "files": self.entries}
        return json.dumps(manifest, ensure_ascii=False, indent=1).encode()


class DirectoryWriter(Writer):
    def __init__(self, target: Path) -> None:
        super().__init__()
        self.target = target
        self.partial = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))

    def add(self, name: str, source: Path, *, move: bool = False) -> None:
        destination = self.partial / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        if move:
            os.replace(source, destination)
            size, sha256 = sha256_of(destination)
        else:
            with source.open("rb") as file, destination.open("xb") as out:
                reader = _Hashing(file)
                shutil.copyfileobj(reader, out, _CHUNK)
            size, sha256 = reader.size, reader.digest.hexdigest()
        self.entries.append({"path": name, "size": size, "sha256": sha256})

    def finish(self, manifest: dict[str, Any]) -> None:
        (self.partial / MANIFEST).write_bytes(self._manifest_bytes(manifest))
        os.chmod(self.partial, 0o750)
        os.replace(self.partial, self.target)

    def abort(self) -> None:
        shutil.rmtree(self.partial, ignore_errors=True)


class ArchiveWriter(Writer):
    def __init__(self, target: Path) -> None:
        super().__init__()
        self.target = target
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        os.close(fd)
        self.partial = Path(name)
        compressed = target.name.endswith((".gz", ".tgz"))
        # Level 6: evidence (PDFs, photos) hardly compresses; the JSON of the database does.
        options = {"mode": "w:gz", "compresslevel": 6} if compressed else {"mode": "w"}
        self.tar = tarfile.open(self.partial, **options)  # noqa: SIM115 - closed by finish/abort

    def add(self, name: str, source: Path, *, move: bool = False) -> None:
        info = tarfile.TarInfo(name)
        with source.open("rb") as file:
            info.size = os.fstat(file.fileno()).st_size
            info.mtime = int(os.fstat(file.fileno()).st_mtime)
            info.mode = 0o640
            reader = _Hashing(file)
            self.tar.addfile(info, reader)
        if reader.size != info.size:  # the file changed while it was read
            raise BackupError(f"文件“{source}”在备份过程中被改动，请重新备份。")
        self.entries.append({"path": name, "size": info.size, "sha256": reader.digest.hexdigest()})
        if move:
            source.unlink()

    def finish(self, manifest: dict[str, Any]) -> None:
        data = self._manifest_bytes(manifest)
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mode = 0o640
        self.tar.addfile(info, io.BytesIO(data))
        self.tar.close()
        with self.partial.open("rb") as file:
            os.fsync(file.fileno())
        os.replace(self.partial, self.target)

    def abort(self) -> None:
        with contextlib.suppress(OSError, tarfile.TarError):
            self.tar.close()
        self.partial.unlink(missing_ok=True)


def open_writer(target: Path) -> Writer:
    return ArchiveWriter(target) if is_archive_name(target) else DirectoryWriter(target)


# --- reading ----------------------------------------------------------------------------------


def unpack(archive: Path, into: Path) -> None:
    """Extract ``archive`` into ``into``: regular files and folders only, nothing outside it."""
    try:
        with tarfile.open(archive, "r:*") as tar:
            for member in tar:
                if not (member.isfile() or member.isdir()):
                    raise BackupError(
                        f"备份归档“{archive}”中的“{member.name}”不是普通文件，不予恢复。"
                    )
                safe_member_path(member.name, archive)
                tar.extract(member, into, filter="data")
    except BackupError:
        raise
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(f"备份归档“{archive}”已损坏或不是有效的备份：{exc}") from exc


def safe_member_path(name: str, backup: Path) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or "\\" in name:
        raise BackupError(f"备份“{backup}”中的路径“{name}”不安全，不予恢复。")
    return path


def read_manifest(root: Path, backup: Path) -> dict[str, Any]:
    path = root / MANIFEST
    if not path.is_file():
        raise BackupError(f"备份“{backup}”中没有清单文件 {MANIFEST}，不是完整的备份。")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"备份“{backup}”的清单文件 {MANIFEST} 已损坏：{exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"备份“{backup}”的清单文件 {MANIFEST} 不是本系统的备份清单。")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"备份“{backup}”的格式版本为 {manifest.get('format_version')!r}，"
            f"本程序只能恢复版本 {FORMAT_VERSION}。"
        )
    for key, kind in (("files", list), ("tables", list), ("migrations", dict)):
        if not isinstance(manifest.get(key), kind):
            raise BackupError(f"备份“{backup}”的清单文件 {MANIFEST} 缺少“{key}”。")
    return manifest


def verify_files(root: Path, manifest: dict[str, Any], backup: Path) -> None:
    """Every listed file is there with its size and SHA-256, and nothing unlisted is."""
    listed: set[str] = set()
    for entry in manifest["files"]:
        try:
            name, size, sha256 = entry["path"], entry["size"], entry["sha256"]
        except (KeyError, TypeError):
            raise BackupError(f"备份“{backup}”的清单中有一项不完整：{entry!r}") from None
        safe_member_path(name, backup)
        listed.add(name)
        path = root / name
        if not path.is_file():
            raise BackupError(f"备份“{backup}”缺少清单中的文件“{name}”。")
        actual_size, actual_sha256 = sha256_of(path)
        if (actual_size, actual_sha256) != (size, sha256):
            raise BackupError(
                f"备份“{backup}”中的文件“{name}”与清单记录的 SHA-256 不符"
                f"（记录 {sha256}，实际 {actual_sha256}）：文件已损坏或被改动，不予恢复。"
            )
    for folder, _dirs, files in os.walk(root):
        for file_name in files:
            name = (Path(folder) / file_name).relative_to(root).as_posix()
            if name != MANIFEST and name not in listed:
                raise BackupError(f"备份“{backup}”中有清单未列出的文件“{name}”，不予恢复。")
