"""Rendered form pages kept per data version, in this process.

A form page's content (its boxes, findings and page list) is a function of the application's
data version and of a few facts about the reader (may they edit, why not, the city's latest
return): the view names them all in the key. Reading a page again — going back and forth between
parts, reloading — then costs no parsing, validating or rendering of the form. A save makes a
new version, so a stored page is never shown for other data; old versions fall out by age.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

MAX_BYTES = 32 << 20  # per process; part 三 with a 400-row list is ~0.1 MB


class _Pages:
    """A least-recently-used store bounded by the size of what it holds."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.pages: OrderedDict[Hashable, str] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: Hashable) -> str | None:
        with self.lock:
            found = self.pages.get(key)
            if found is not None:
                self.pages.move_to_end(key)
            return found

    def put(self, key: Hashable, html: str) -> None:
        if _cost(html) > self.max_bytes // 8:
            return
        with self.lock:
            previous = self.pages.pop(key, None)
            if previous is not None:
                self.size -= _cost(previous)
            self.pages[key] = html
            self.size += _cost(html)
            while self.size > self.max_bytes and self.pages:
                _old, dropped = self.pages.popitem(last=False)
                self.size -= _cost(dropped)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()
            self.size = 0


def _cost(html: str) -> int:
    return len(html) * 2  # roughly the str's own bytes (Chinese text takes two)


_store = _Pages(MAX_BYTES)
get, put, clear = _store.get, _store.put, _store.clear
