"""Evidence files stored by content: the SHA-256 of a file is its address.

A file uploaded twice (to two items, or by two counties) is stored once; a stored file never
changes, so a register entry keeps pointing at exactly what was uploaded. ``BlobStore`` is the
whole interface the app uses; ``LocalBlobStore`` keeps files under MEDIA_ROOT (the embedded
mode), ``StorageBlobStore`` in any Django storage (S3-compatible object storage with
CLUSTERDESK_STORAGE_URL), at the same relative names, so that a copy of one is the other.
Both check the SHA-256 of every file they hand out.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from django.core.files import File
from django.core.files.storage import Storage

from clusterdesk.shared.storage import (
    StoredFileCorrupt,
    StoredFileMissing,
    local_dir,
    media_storage,
    open_verified,
)

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1 << 16


class BlobMissing(LookupError):
    """No file is stored under this hash."""


class BlobCorrupt(Exception):
    """The stored file no longer has the hash it is stored under."""


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    created: bool  # False when the same content was already stored


class BlobStore(Protocol):
    def put(self, stream: BinaryIO) -> StoredBlob: ...

    def open(self, sha256: str) -> BinaryIO:
        """The content, verified against its hash; the caller closes it."""
        ...

    def exists(self, sha256: str) -> bool: ...


def is_sha256(value: str) -> bool:
    return bool(_SHA256.match(value))


class LocalBlobStore:
    """Files at ``<root>/ab/cd/<sha256>``, written to a temporary file and moved into place,
    so a reader never sees half a file and a crash leaves at most a stray file in ``tmp/``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_of(self, sha256: str) -> Path:
        if not is_sha256(sha256):
            raise BlobMissing(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, stream: BinaryIO) -> StoredBlob:
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir)
        try:
            with os.fdopen(fd, "wb") as out:
                stream.seek(0)
                while chunk := stream.read(_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha256 = digest.hexdigest()
            target = self.path_of(sha256)
            if target.exists():
                return StoredBlob(sha256, size, created=False)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(tmp_name, 0o640)
            # Atomic on one file system; two uploads of the same content write the same bytes.
            os.replace(tmp_name, target)
            return StoredBlob(sha256, size, created=True)
        finally:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)

    def open(self, sha256: str) -> BinaryIO:
        try:
            file = self.path_of(sha256).open("rb")
        except FileNotFoundError:
            raise BlobMissing(sha256) from None
        digest = hashlib.sha256()
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
        if digest.hexdigest() != sha256:
            file.close()
            raise BlobCorrupt(sha256)
        file.seek(0)  # the same open file: what was checked is what is read
        return file

    def exists(self, sha256: str) -> bool:
        try:
            return self.path_of(sha256).is_file()
        except BlobMissing:
            return False


class StorageBlobStore:
    """Files at ``evidence/ab/cd/<sha256>`` in a Django storage (object storage). The content
    is hashed into a local temporary file first and uploaded under its hash in one request,
    which the store publishes only once complete; reading copies the object here while
    hashing it, and hands out that copy only if the hash holds."""

    def __init__(self, storage: Storage, prefix: str = "evidence") -> None:
        self.storage = storage
        self.prefix = prefix

    def name_of(self, sha256: str) -> str:
        if not is_sha256(sha256):
            raise BlobMissing(sha256)
        return f"{self.prefix}/{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def put(self, stream: BinaryIO) -> StoredBlob:
        digest, size = hashlib.sha256(), 0
        with tempfile.TemporaryFile() as spool:
            stream.seek(0)
            while chunk := stream.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                spool.write(chunk)
            sha256 = digest.hexdigest()
            name = self.name_of(sha256)
            if self.storage.exists(name):
                return StoredBlob(sha256, size, created=False)
            spool.seek(0)
            # Two uploads of the same content at once write the same bytes under one name.
            self.storage.save(name, File(spool, name=sha256))
        return StoredBlob(sha256, size, created=True)

    def open(self, sha256: str) -> BinaryIO:
        try:
            return open_verified(self.storage, self.name_of(sha256), sha256)
        except StoredFileMissing:
            raise BlobMissing(sha256) from None
        except StoredFileCorrupt:
            raise BlobCorrupt(sha256) from None

    def exists(self, sha256: str) -> bool:
        try:
            return self.storage.exists(self.name_of(sha256))
        except BlobMissing:
            return False


def default_store() -> BlobStore:
    """The configured store (``STORAGES["default"]``), looked up at each call so that tests can
    point MEDIA_ROOT or STORAGES elsewhere: a local directory keeps its own atomic writes."""
    storage = media_storage()
    directory = local_dir(storage)
    if directory is not None:
        return LocalBlobStore(directory / "evidence")
    return StorageBlobStore(storage)
