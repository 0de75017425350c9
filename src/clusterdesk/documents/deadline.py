"""A time budget for reading one untrusted file: past it, the reading stops with a Chinese message.

The size limits in ``safety`` bound the work of reading a Word file, but the importer's label
search compares every label with every cell of a part, so a file of many small cells costs
more than its size suggests, and the machine may be busy with other work. Rather than run the
reading in a child process (a process per import, pickled results, and a fork from a threaded
web worker), the loops that grow with the file call ``check()``: a clock read, tens of
nanoseconds. No single step between two checks can take long, because every step is bounded
by the size limits (the measurements are in ``clusterdesk.bench_import``).

The budget lives in a context variable, so the loops deep in the readers need no extra
argument, threads of one web worker keep separate budgets, and code run outside a budget (the
renderer's tests, the form pages) pays nothing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from .errors import DocumentInputError


@dataclass(frozen=True)
class Deadline:
    name: str  # the file, for the message
    seconds: float
    ends: float  # time.monotonic() at which the reading stops

    def check(self) -> None:
        if time.monotonic() > self.ends:
            raise DocumentInputError(
                f"文件 {self.name} 内容过于复杂：读取超过 {self.seconds:g} 秒的上限仍未完成，"
                "已停止。请删除多余的表格和段落后再导入"
            )


_current: ContextVar[Deadline | None] = ContextVar("clusterdesk_read_deadline", default=None)


@contextmanager
def time_limit(seconds: float, name: str) -> Iterator[Deadline]:
    """Within the block, ``check()`` raises once ``seconds`` have passed. Nested blocks keep the
    outer (earlier) deadline: the budget is for the whole reading, not for each step."""
    outer = _current.get()
    if outer is not None:
        yield outer
        return
    deadline = Deadline(name, seconds, time.monotonic() + seconds)
    token = _current.set(deadline)
    try:
        yield deadline
    finally:
        _current.reset(token)


def check() -> None:
    """Raise ``DocumentInputError`` if the current reading is past its deadline."""
    deadline = _current.get()
    if deadline is not None:
        deadline.check()
