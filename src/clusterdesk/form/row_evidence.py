"""清单s whose rows each carry their own 佐证材料 (典型案例: a title, the story, its files).

A row's files go on the form's evidence register like a box's, under the row's path
(``cases.items.0``): one register, one upload door, one access rule for every file of a form —
a file list inside the row would be a second way in, where a page could name any hash. Rows are
addressed by position, so when such a list changes (a case deleted, moved, renamed, replaced by
an import) the register follows its rows (``follow_rows``): matched on the row's key column
(``ROW_KEY``, the case's title), else on the rest of the row (a renamed case), else on its place;
the files of a row that is gone leave the register (the upload stays, and can be filed again).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, get_args

from pydantic import BaseModel

from .definition import FormDefinition
from .fields import Evidence, Kind, row_key
from .walk import walk


@dataclass(frozen=True, slots=True)
class RowList:
    path: str  # cases.items
    label: str  # 典型案例
    key: str | None  # the row's key column (title)


@cache
def row_lists(definition: FormDefinition) -> tuple[RowList, ...]:
    """The 清单s of the form whose rows carry their own evidence."""
    out = []
    for node in walk(definition, definition.model()):
        if node.spec.kind == Kind.LIST and node.spec.evidence == Evidence.PER_ROW:
            (row,) = get_args(type(node.owner).model_fields[node.name].annotation)
            out.append(RowList(node.path, node.spec.label, row_key(row)))
    return tuple(out)


def row_at(definition: FormDefinition, path: str) -> tuple[RowList, int] | None:
    """The list and row index a register path names (``cases.items.2`` → 典型案例, 2)."""
    head, _, index = path.rpartition(".")
    if not index.isascii() or not index.isdigit() or len(index) > 6:
        return None
    for rows in row_lists(definition):
        if rows.path == head:
            return rows, int(index)
    return None


def row_label(rows: RowList, index: int, row: Any) -> str:
    """A row as messages and lists name it: 典型案例2（共享热处理中心降本增效）."""
    key = _get(row, rows.key) if rows.key else None
    return f"{rows.label}{index + 1}" + (f"（{key}）" if key else "")


def row_items(definition: FormDefinition, form: BaseModel) -> list[tuple[str, str]]:
    """(register path, label) of every row of the form's evidence-carrying lists, in order."""
    parts = {rows.path.split(".")[0] for rows in row_lists(definition)}
    if not parts:
        return []
    data = form.model_dump(mode="json", include=parts)
    return [
        (f"{rows.path}.{index}", row_label(rows, index, row))
        for rows in row_lists(definition)
        for index, row in enumerate(rows_in(data, rows.path))
    ]


def snapshot(definition: FormDefinition, data: dict[str, Any]) -> dict[str, list[Any]]:
    """The rows of each evidence-carrying list, to compare after a change (``follow_rows``)."""
    return {rows.path: copy.deepcopy(rows_in(data, rows.path)) for rows in row_lists(definition)}


def follow_rows(
    definition: FormDefinition, before: dict[str, list[Any]], data: dict[str, Any]
) -> None:
    """Move the register entries of rows (``data["evidence"]``) to where their rows are now."""
    register = data.get("evidence")
    if not isinstance(register, dict):
        return
    for rows in row_lists(definition):
        old, new = before.get(rows.path, []), rows_in(data, rows.path)
        if old == new:
            continue
        moves = _matching(rows, old, new)
        mine = {path: files for path, files in register.items() if _index(rows, path) is not None}
        for path in mine:
            del register[path]
        for path, files in mine.items():
            target = moves.get(_index(rows, path))  # type: ignore[arg-type]
            if target is not None:
                register[f"{rows.path}.{target}"] = files


def _matching(rows: RowList, old: list[Any], new: list[Any]) -> dict[int, int]:
    """Old row index → new row index: the same key (title); else the rest of the row the same
    (a renamed case keeps its text); else, when no row came or went, the same place."""
    out: dict[int, int] = {}
    taken: set[int] = set()

    def pair(same: Callable[[Any, Any], bool]) -> None:
        for i, row in enumerate(old):
            if i in out:
                continue
            for j, other in enumerate(new):
                if j not in taken and same(row, other):
                    out[i] = j
                    taken.add(j)
                    break

    if rows.key:
        key = rows.key
        pair(lambda a, b: _get(a, key) is not None and _get(a, key) == _get(b, key))
        pair(lambda a, b: _rest(a, key) is not None and _rest(a, key) == _rest(b, key))
    if len(old) == len(new):
        for i in range(len(old)):
            if i not in out and i not in taken:
                out[i] = i
                taken.add(i)
    return out


def _rest(row: Any, key: str) -> Any:
    """A row without its key column (None if that leaves nothing to compare)."""
    if not isinstance(row, dict):
        return None
    rest = {name: value for name, value in row.items() if name != key}
    return rest if any(value not in (None, "") for value in rest.values()) else None


def _index(rows: RowList, path: str) -> int | None:
    head, _, index = path.rpartition(".")
    return int(index) if head == rows.path and index.isdigit() else None


def rows_in(data: Any, path: str) -> list[Any]:
    """The rows of the list at ``path`` of a form's JSON (none if it has no such list)."""
    for part in path.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data if isinstance(data, list) else []


def _get(row: Any, name: str) -> Any:
    return row.get(name) if isinstance(row, dict) else getattr(row, name, None)
