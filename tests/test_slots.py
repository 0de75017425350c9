"""Slots for expensive work: per owner, overall, across processes, freed when a process dies."""

from __future__ import annotations

import subprocess
import sys

import pytest

from clusterdesk.slots import Slots, SlotsBusy

HOLD_A_SLOT = """
import fcntl, os, sys
descriptor = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(descriptor, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.read()  # until killed
"""


@pytest.fixture
def slots(tmp_path) -> Slots:
    return Slots(tmp_path / "locks", per_user=1, total=2, what="生成 PDF")


def test_one_slot_per_user(slots):
    with slots.acquire("7"):
        with pytest.raises(SlotsBusy) as busy:
            slots.acquire("7")
        assert busy.value.message == "您已有 1 个生成 PDF的请求正在进行，请等它完成后再试。"
        assert busy.value.retry_after > 0
        slots.acquire("8").release()  # another user is not held up
    slots.acquire("7").release()  # free again once released


def test_the_total_is_shared_by_all_users(slots):
    first, second = slots.acquire("1"), slots.acquire("2")
    with pytest.raises(SlotsBusy, match="服务器正忙：同时生成 PDF的请求已达 2 个的上限"):
        slots.acquire("3")
    # The refused user did not keep their own slot either.
    second.release()
    slots.acquire("3").release()
    first.release()


def test_releasing_twice_is_harmless(slots):
    lease = slots.acquire("1")
    lease.release()
    lease.release()
    assert lease.released


def test_a_slot_held_by_another_process_counts_and_is_freed_when_it_dies(slots):
    slots.directory.mkdir(parents=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_A_SLOT, str(slots.directory / "user-5-0.lock")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(SlotsBusy):
            slots.acquire("5")
    finally:
        holder.kill()  # as kill -9 would: no clean-up runs in the holder
        holder.wait()
    slots.acquire("5").release()


def test_an_owner_cannot_escape_the_lock_directory(slots):
    with slots.acquire("../../etc/passwd"):
        names = sorted(path.name for path in slots.directory.iterdir())
    assert names == ["total-0.lock", "user-______etc_passwd-0.lock"]


def test_a_lease_nobody_released_frees_its_slots_when_it_is_dropped(slots):
    lease = slots.acquire("1")
    del lease  # e.g. a streamed response that was never closed
    slots.acquire("1").release()
