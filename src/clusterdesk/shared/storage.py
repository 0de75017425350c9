"""Where the files live: Django's ``STORAGES``, local directories by default, one bucket of
S3-compatible object storage by configuration (``conf.storages_from_env``).

Two stores: ``default`` (MEDIA_ROOT: evidence by SHA-256, the kept 公示 and 通报 PDFs) and
``exports`` (CLUSTERDESK_EXPORT_DIR: finished export files). The helpers here give both kinds
the same guarantees the local directories always had:

* a file appears whole or not at all (``whole_file``, ``StoredFile.write``): locally a hidden
  temporary file renamed into place, in object storage one upload, which the store publishes
  only once complete;
* what is handed out is what was checked (``open_verified``): the SHA-256 is computed over the
  very copy that is then read — the open local file, or a local temporary copy of the object,
  streamed from one GET request into that one copy — so a file changed in the store is
  refused, not served.

Nothing is served from the store's own URLs (no presigned links): every download passes
through a view that checks access first, and the bucket stays private.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages

MEDIA = "default"
EXPORTS = "exports"
CHUNK = 1 << 20
# A verified copy of an object stays in memory up to this size, then spills to a temporary file.
SPOOL_BYTES = 4 << 20


class StoredFileMissing(LookupError):
    """The store has no file under this name."""


class StoredFileIncomplete(StoredFileMissing):
    """The store has a file under this name, but not of the size recorded for it (cut, or
    replaced): there is no whole file to hand out."""


class StoredFileCorrupt(Exception):
    """The stored file no longer has the SHA-256 recorded for it."""


class MediaRootStorage(FileSystemStorage):
    """MEDIA_ROOT, read at each use: a setting changed at run time (a test's) is followed even
    when no signal told the store (Django's own store caches the directory)."""

    setting = "MEDIA_ROOT"

    @property
    def base_location(self) -> str:
        return str(getattr(settings, self.setting))

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


class ExportDirStorage(MediaRootStorage):
    """CLUSTERDESK_EXPORT_DIR, read at each use."""

    setting = "CLUSTERDESK_EXPORT_DIR"


def media_storage() -> Storage:
    return storages[MEDIA]


def export_storage() -> Storage:
    return storages[EXPORTS]


def local_dir(storage: Storage) -> Path | None:
    """The directory of a local store; None for object storage."""
    return Path(storage.location) if isinstance(storage, FileSystemStorage) else None


def describe(storage: Storage) -> str:
    """Where a store keeps its files, for messages to the administrator (no secrets)."""
    directory = local_dir(storage)
    if directory is not None:
        return str(directory)
    bucket = getattr(storage, "bucket_name", "")
    location = getattr(storage, "location", "")
    return f"s3://{bucket}/{location}".rstrip("/")


def _check_name(name: str) -> str:
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name:
        raise ValueError(f"unsafe storage name: {name!r}")
    return name


@contextmanager
def whole_file(storage: Storage, name: str) -> Iterator[Path]:
    """A local path to write; when the block ends without error the file appears in ``storage``
    under ``name``, whole, else nothing does.

    Locally it is a hidden ``.<name>.<random>.part`` beside the target, renamed into place
    (``os.replace`` is atomic within a directory). For object storage it is a temporary file
    on this machine, uploaded once complete: an object is visible only when its upload ends."""
    _check_name(name)
    directory = local_dir(storage)
    if directory is not None:
        target = directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
        os.close(fd)
        try:
            yield Path(temporary)
            os.replace(temporary, target)
        finally:
            Path(temporary).unlink(missing_ok=True)
        return
    with tempfile.TemporaryDirectory(prefix="clusterdesk-upload-") as work:
        temporary = Path(work) / PurePosixPath(name).name
        yield temporary
        with temporary.open("rb") as content:
            saved = storage.save(name, File(content, name=temporary.name))
        if saved != name:  # a store configured to rename rather than overwrite
            raise OSError(f"the store saved {name!r} as {saved!r}")


def open_verified(storage: Storage, name: str, sha256: str, size: int | None = None) -> BinaryIO:
    """The file's content, checked against ``sha256`` (and ``size`` when given); the caller
    closes it.

    ``StoredFileMissing`` when there is no such file, ``StoredFileIncomplete`` when it has
    another size than ``size``, ``StoredFileCorrupt`` when its content has another SHA-256. A
    local file is hashed and then read from the start through the same open file; an object is
    streamed from one GET into a local copy while it is hashed, and the copy is what is read:
    memory up to ``SPOOL_BYTES``, a temporary file beyond."""
    _check_name(name)
    directory = local_dir(storage)
    if directory is not None:
        try:
            source = (directory / name).open("rb")
        except (FileNotFoundError, IsADirectoryError):
            raise StoredFileMissing(name) from None
        if size is not None and os.fstat(source.fileno()).st_size != size:
            source.close()
            raise StoredFileIncomplete(name)
        return _checked(source, source, sha256, name)
    try:
        source, length = _object_stream(storage, name)
    except Exception as exc:
        if is_not_found(exc):
            raise StoredFileMissing(name) from None
        raise
    with contextlib.closing(source):
        if size is not None and length is not None and length != size:
            raise StoredFileIncomplete(name)
        copy = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - returned
        try:
            return _checked(source, copy, sha256, name)
        except StoredFileCorrupt:
            raise
        except Exception as exc:
            if is_not_found(exc):
                raise StoredFileMissing(name) from None
            raise


def _object_stream(storage: Storage, name: str) -> tuple[BinaryIO, int | None]:
    """The object's body as it arrives over the network, and its length: one GET request.

    django-storages' ``storage.open`` would first ask for the object's metadata (HEAD), then
    download the whole object into a temporary file of its own, which ``open_verified`` would
    copy again; here the body goes straight into the one verified copy. A store without a
    bucket (another backend) is read through its own ``open``."""
    bucket = getattr(storage, "bucket", None)
    normalize = getattr(storage, "_normalize_name", None)
    if bucket is None or normalize is None:
        source = storage.open(name, "rb")
        return source, None
    from storages.utils import clean_name  # noqa: PLC0415 - installed with object storage

    response = bucket.Object(normalize(clean_name(name))).get()
    return response["Body"], response.get("ContentLength")


def _checked(source: BinaryIO, copy: BinaryIO, sha256: str, name: str) -> BinaryIO:
    digest = hashlib.sha256()
    try:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            if copy is not source:
                copy.write(chunk)
    except BaseException:
        copy.close()
        raise
    if digest.hexdigest() != sha256:
        copy.close()
        raise StoredFileCorrupt(name)
    copy.seek(0)
    return copy


def is_not_found(exc: BaseException) -> bool:
    """An object store's "no such key" (botocore's ClientError 404), whichever way it is raised."""
    if isinstance(exc, FileNotFoundError):
        return True
    response = getattr(exc, "response", None) or {}
    code = str(response.get("Error", {}).get("Code", ""))
    return code in ("404", "NoSuchKey", "NotFound")


class StoredFile:
    """One file the app keeps under a fixed name (a kept PDF): read it, or write it whole."""

    def __init__(self, storage: Storage, name: str) -> None:
        self.storage = storage
        self.name = _check_name(name)

    def exists(self) -> bool:
        return self.storage.exists(self.name)

    def read(self) -> bytes | None:
        try:
            with self.storage.open(self.name, "rb") as file:
                return file.read()
        except Exception as exc:
            if is_not_found(exc):
                return None
            raise

    def write(self, content: bytes) -> None:
        directory = local_dir(self.storage)
        if directory is None:  # one upload: whole or nothing
            saved = self.storage.save(self.name, ContentFile(content))
            if saved != self.name:
                with contextlib.suppress(Exception):
                    self.storage.delete(saved)
                raise OSError(f"the store saved {self.name!r} as {saved!r}")
            return
        with whole_file(self.storage, self.name) as temporary:
            temporary.write_bytes(content)


def kept_media(name: str) -> StoredFile:
    """A file kept in the media store (``default``), e.g. ``publicity/notice-3.pdf``."""
    return StoredFile(media_storage(), name)
