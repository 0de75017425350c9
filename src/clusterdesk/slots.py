"""Slots for expensive work: at most N at a time per user and overall, across worker processes.

A PDF through LibreOffice or an electronic package takes seconds of CPU; a few of them at once
fill a small server and everyone's pages slow down. ``Slots.acquire`` takes one of the user's
slots and one of the shared ones, or refuses at once with ``SlotsBusy`` (a Chinese message and
a Retry-After): a refused request costs nothing, where a queue would hold a worker.

A slot is a file in a lock directory held with ``fcntl.flock``. The web server may run several
worker processes, and the lock directory is on their common disk, so they share the slots. The
kernel drops a flock when its file is closed, also when the process dies (kill -9, out of
memory): a slot is never left taken, and there are no stale lock files to clean. A flock
belongs to the open file, not to the process, so two threads of one worker exclude each other
too. The lock files stay (empty) and are reused.
"""

from __future__ import annotations

import fcntl
import os
import re
from pathlib import Path
from types import TracebackType

RETRY_AFTER_SECONDS = 10  # a PDF takes a few seconds: by then a slot is likely free


class SlotsBusy(Exception):
    """No slot is free. ``message`` is for the user, ``retry_after`` for the Retry-After header."""

    def __init__(self, message: str, retry_after: int = RETRY_AFTER_SECONDS) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class Lease:
    """The slots taken by one request. ``release()`` (or leaving the ``with`` block) frees
    them; releasing twice is harmless, so every path that may end a request can call it."""

    def __init__(self, descriptors: list[int]) -> None:
        self._descriptors = descriptors

    @property
    def released(self) -> bool:
        return not self._descriptors

    def release(self) -> None:
        while self._descriptors:
            os.close(self._descriptors.pop())  # closing the file drops its flock

    def __del__(self) -> None:
        # A safety net: a response nobody closed (a test that never reads a streamed download)
        # must not keep its slots for the life of the process.
        self.release()

    def __enter__(self) -> Lease:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _error: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.release()


class Slots:
    """``per_user`` slots for each owner and ``total`` for everyone, under ``directory``.
    ``what`` names the work in the messages (e.g. “生成 PDF 或电子版”)."""

    def __init__(self, directory: Path, *, per_user: int, total: int, what: str) -> None:
        self.directory = Path(directory)
        self.per_user = per_user
        self.total = total
        self.what = what

    def acquire(self, owner: str) -> Lease:
        """One of ``owner``'s slots and one shared slot, or ``SlotsBusy`` at once."""
        self.directory.mkdir(parents=True, exist_ok=True)
        key = re.sub(r"[^A-Za-z0-9_-]", "_", owner)[:64]
        mine = self._take(f"user-{key}", self.per_user)
        if mine is None:
            raise SlotsBusy(
                f"您已有 {self.per_user} 个{self.what}的请求正在进行，请等它完成后再试。"
            )
        shared = self._take("total", self.total)
        if shared is None:
            os.close(mine)
            raise SlotsBusy(
                f"服务器正忙：同时{self.what}的请求已达 {self.total} 个的上限，请稍后再试。"
            )
        return Lease([mine, shared])

    def _take(self, prefix: str, count: int) -> int | None:
        """The descriptor of the first free slot file ``<prefix>-<n>.lock``, locked; or None."""
        for number in range(count):
            path = self.directory / f"{prefix}-{number}.lock"
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(descriptor)
                continue
            except BaseException:
                os.close(descriptor)
                raise
            return descriptor
        return None
