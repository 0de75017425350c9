"""Rendered form pages kept per data version, in this process.

A form page's content (its boxes, findings and page list) is a function of the application's
data version and of a few facts about the reader (may they edit, why not, the city's latest
return): the view names them all in the key. Reading a page again — going back and forth between
parts, reloading — then costs no parsing, validating or rendering of the form. A save makes a
new version, so a stored page is never shown for other data; old versions fall out by age.
"""

from __future__ import annotations

from collections.abc import Hashable

from clusterdesk.declarations.domain.lru import Lru

MAX_BYTES = 32 << 20  # per process; part 三 with a 400-row list is ~0.1 MB


class _Pages(Lru[str]):
    """The process's ``Lru`` bounded by the size of the pages it holds; a page larger than an
    eighth of it is not kept."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(max_bytes, cost=_cost)

    @property
    def max_bytes(self) -> int:
        return self.limit

    @property
    def pages(self) -> dict:
        return self.entries

    def put(self, key: Hashable, html: str) -> None:
        if _cost(html) <= self.max_bytes // 8:
            super().put(key, html)


def _cost(html: str) -> int:
    return len(html) * 2  # roughly the str's own bytes (Chinese text takes two)


_store = _Pages(MAX_BYTES)
get, put, clear = _store.get, _store.put, _store.clear
