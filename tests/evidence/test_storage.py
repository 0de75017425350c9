import hashlib
import io
import os

import pytest

from clusterdesk.shared.blobstore import BlobCorrupt, BlobMissing, LocalBlobStore, default_store

CONTENT = "宁波模具产业集群佐证材料".encode() * 1000
SHA = hashlib.sha256(CONTENT).hexdigest()


def test_a_file_is_stored_under_its_hash(store):
    stored = store.put(io.BytesIO(CONTENT))
    assert (stored.sha256, stored.size, stored.created) == (SHA, len(CONTENT), True)
    path = store.root / SHA[:2] / SHA[2:4] / SHA
    assert path.read_bytes() == CONTENT
    assert store.exists(SHA)


def test_the_same_content_is_stored_once(store):
    first = store.put(io.BytesIO(CONTENT))
    second = store.put(io.BytesIO(CONTENT))
    assert first.sha256 == second.sha256
    assert second.created is False
    assert [p for p in store.root.rglob("*") if p.is_file()] == [store.path_of(SHA)]


def test_reading_back_checks_the_hash(store):
    store.put(io.BytesIO(CONTENT))
    with store.open(SHA) as file:
        assert file.read() == CONTENT
    store.path_of(SHA).write_bytes(b"tampered")
    with pytest.raises(BlobCorrupt):
        store.open(SHA)


def test_missing_and_malformed_hashes(store):
    with pytest.raises(BlobMissing):
        store.open("0" * 64)
    with pytest.raises(BlobMissing):
        store.open("../../etc/passwd")
    assert not store.exists("../" + SHA)


def test_a_failed_write_leaves_no_file(store, monkeypatch):
    def broken_replace(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        store.put(io.BytesIO(CONTENT))
    assert not store.exists(SHA)
    assert list((store.root / "tmp").iterdir()) == []


def test_the_file_appears_whole_through_an_atomic_rename(store, monkeypatch):
    seen = []
    real_replace = os.replace

    def watching_replace(source, target):
        with open(source, "rb") as file:
            seen.append((os.path.dirname(source), file.read() == CONTENT))
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", watching_replace)
    store.put(io.BytesIO(CONTENT))
    assert seen == [(str(store.root / "tmp"), True)]


def test_the_default_store_lives_under_media_root(media_root):
    store = default_store()
    assert isinstance(store, LocalBlobStore)
    assert store.root == media_root / "evidence"
