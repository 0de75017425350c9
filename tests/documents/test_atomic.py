"""Outputs are written whole or not at all."""

from __future__ import annotations

import pytest

from clusterdesk.documents.atomic import atomic_path, write_atomic


def test_the_target_appears_only_when_complete(tmp_path):
    target = tmp_path / "汇总表.docx"
    with atomic_path(target) as temporary:
        temporary.write_bytes(b"half")
        assert not target.exists()
        assert temporary.parent == target.parent
    assert target.read_bytes() == b"half"
    assert [path.name for path in tmp_path.iterdir()] == ["汇总表.docx"]


def test_a_failure_leaves_no_file_and_keeps_the_old_one(tmp_path):
    target = tmp_path / "out.zip"
    target.write_bytes(b"old")

    def fail_halfway() -> None:
        with atomic_path(target) as temporary:
            temporary.write_bytes(b"half written")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail_halfway()
    assert target.read_bytes() == b"old"
    assert [path.name for path in tmp_path.iterdir()] == ["out.zip"]


def test_write_atomic_replaces(tmp_path):
    target = tmp_path / "a.json"
    write_atomic(target, b"1")
    write_atomic(target, b"2")
    assert target.read_bytes() == b"2"
