"""One least-recently-used store for what a process keeps by data version (findings, summaries,
rendered pages): thread-safe, bounded by the total cost of what it holds (one per entry unless
told otherwise). A key names one data version, so a kept value is never stale; old versions
fall out by age."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Generic, TypeVar

V = TypeVar("V")


def _one(_value: object) -> int:
    return 1


class Lru(Generic[V]):
    def __init__(self, limit: int, cost: Callable[[V], int] = _one) -> None:
        self.limit = limit
        self.cost = cost
        self.entries: OrderedDict[Hashable, V] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, key: Hashable) -> bool:
        return key in self.entries

    def get(self, key: Hashable) -> V | None:
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def get_many(self, keys: Iterable[Hashable]) -> dict[Hashable, V]:
        with self.lock:
            found = {key: self.entries[key] for key in keys if key in self.entries}
            for key in found:
                self.entries.move_to_end(key)
            return found

    def put(self, key: Hashable, value: V) -> None:
        self.put_many({key: value})

    def put_many(self, values: Mapping[Hashable, V]) -> None:
        with self.lock:
            for key, value in values.items():
                previous = self.entries.pop(key, None)
                if previous is not None:
                    self.size -= self.cost(previous)
                self.entries[key] = value
                self.size += self.cost(value)
            while self.size > self.limit and self.entries:
                _old, dropped = self.entries.popitem(last=False)
                self.size -= self.cost(dropped)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0
