"""Two versions of a stored form side by side: what changed, field by field, as the city reads it.

The city compares any two snapshots of an application (the returned one and the resubmission,
two revisions): each changed box with its official place (二、主导产业情况 · 集群总产值（亿元） ·
2021年) and both values as the form prints them (``display.show``), a 清单's rows added, removed
and changed (matched on the column the schema marks as the row's key, ``fields.ROW_KEY``: a patent
inserted at the top is one row added, not 386 rows changed), and the evidence files added and
removed per box. The boxes the city commented on are marked, and each comment says whether
anything under it changed.

It reads the stored JSON (``Application.data``, ``Submission.data``) without validating it: a
snapshot of an old draft may not validate, and its changes must still be shown. Only the
subtrees that differ are taken apart (a dict comparison in C), so a diff costs little more than
the changes it finds.
"""

from __future__ import annotations

import typing
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel

from .definition import FormDefinition
from .display import EMPTY, show
from .fields import Kind, form_fields, row_key
from .places import inner_model, part_of, place, stored_text
from .walk import cell_model

CHANGED = "修改"
ADDED = "新增"
CLEARED = "清空"
REMOVED = "删除"  # a row of a 清单 or an evidence file that is gone

FIELD = "field"  # one box, or one year's cell of a year column
LIST = "list"  # a 清单 (or the names of a block): its rows
EVIDENCE = "evidence"  # the files registered for one box

EVIDENCE_ROOT = "evidence"  # the register at the form's root, keyed by the path of the box
WHOLE = "整份申报"  # what a comment on the application as a whole ("") is about


@dataclass(frozen=True, slots=True)
class Cell:
    """One changed column of a 清单 row."""

    column: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Row:
    """A row of a 清单 added, removed or changed; ``label`` names it by its key or its place."""

    label: str
    kind: str  # 新增 / 删除 / 修改
    old: str  # the row in one line, "" where it did not exist
    new: str
    cells: tuple[Cell, ...] = ()


@dataclass(frozen=True, slots=True)
class FileRef:
    """An evidence file as registered: its name and the SHA-256 that identifies its content."""

    name: str
    sha256: str | None = None
    size: int | None = None

    @property
    def shown(self) -> str:
        return f"{self.name}（SHA-256 {self.sha256[:12]}…）" if self.sha256 else self.name


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of the diff: a box, a 清单 or a box's evidence files."""

    shape: str  # FIELD, LIST or EVIDENCE
    path: str  # the box's path; an evidence entry's is ``evidence.<box path>``
    place: str  # 二、主导产业情况 · 集群总产值（亿元） · 2021年
    kind: str  # 修改 / 新增 / 清空
    old: str
    new: str
    commented: bool = False
    added: tuple[Row, ...] = ()
    removed: tuple[Row, ...] = ()
    changed: tuple[Row, ...] = ()
    files_added: tuple[FileRef, ...] = ()
    files_removed: tuple[FileRef, ...] = ()

    @property
    def subject(self) -> str:
        """The box the entry is about (an evidence entry is about the box its files prove)."""
        return _subject(self.path, self.shape)


@dataclass(frozen=True, slots=True)
class PartDiff:
    """The changes on one page of the form (a part), in the form's order."""

    key: str  # the page's key; "" for what is on no page
    title: str
    changes: tuple[Change, ...]


@dataclass(frozen=True, slots=True)
class CommentCheck:
    """Whether anything under a comment's path changed: the comment may have been addressed."""

    path: str  # a field, a part (``part3``) or the application as a whole ("")
    place: str
    addressed: bool
    changes: tuple[str, ...]  # the paths of the entries under it


@dataclass(frozen=True, slots=True)
class FormDiff:
    parts: tuple[PartDiff, ...]
    comments: tuple[CommentCheck, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.parts

    @property
    def changes(self) -> tuple[Change, ...]:
        return tuple(change for part in self.parts for change in part.changes)

    def __len__(self) -> int:
        return sum(len(part.changes) for part in self.parts)


def diff_forms(
    old: dict[str, Any],
    new: dict[str, Any],
    definition: FormDefinition,
    *,
    commented: Iterable[str] = (),
) -> FormDiff:
    """What changed from ``old`` to ``new`` (stored form data), grouped by page in form order."""
    comments = tuple(dict.fromkeys(commented))
    differ = _Differ(definition)
    old, new = old if isinstance(old, dict) else {}, new if isinstance(new, dict) else {}
    if old != new:
        differ.model(definition.model, old, new, "")
        differ.evidence(old.get(EVIDENCE_ROOT), new.get(EVIDENCE_ROOT))
    order = _order(definition)
    pages = {page.key: index for index, page in enumerate(definition.pages)}
    grouped: dict[str, list[tuple[tuple[int, int, int], Change]]] = {}
    for seq, found in enumerate(differ.changes):
        subject = found.subject
        marked = any(_covers(definition, comment, subject) for comment in comments if comment)
        change = _marked(found) if marked else found
        key = (_position(order, subject), change.shape == EVIDENCE, seq)
        grouped.setdefault(definition.page_of(subject) or "", []).append((key, change))
    titles = definition.page_titles
    parts = tuple(
        PartDiff(
            page,
            titles.get(page) or part_of(definition, entries[0][1].subject),
            tuple(change for _, change in sorted(entries, key=lambda entry: entry[0])),
        )
        for page, entries in sorted(grouped.items(), key=lambda item: pages.get(item[0], 1 << 30))
    )
    return FormDiff(parts, _comment_checks(definition, comments, differ.changes))


# --- the walk over both versions -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Slot:
    """A field of a model as the diff reads it."""

    name: str
    label: str
    kind: Kind | None
    shape: str  # section, yearly, yearly-section, rows, values, scalar
    sub: type[BaseModel] | None = None


@cache
def _slots(model: type[BaseModel], root: bool) -> tuple[_Slot, ...]:
    specs = dict(form_fields(model))
    slots = []
    for name, info in model.model_fields.items():
        if root and name == EVIDENCE_ROOT:
            continue  # the register is compared box by box (``_Differ.evidence``)
        spec = specs.get(name)
        label = (spec.label if spec else None) or info.title or name
        sub = inner_model(info.annotation)
        is_list = typing.get_origin(info.annotation) is list or (
            spec is not None and spec.kind == Kind.LIST
        )
        if spec is not None and spec.yearly:
            cell = cell_model(model, name)
            shape = "yearly-section" if cell is not None else "yearly"
            slots.append(_Slot(name, label, spec.kind, shape, cell))
        elif is_list:
            slots.append(_Slot(name, label, None, "rows" if sub else "values", sub))
        elif sub is not None:
            slots.append(_Slot(name, label, Kind.SECTION, "section", sub))
        else:
            slots.append(_Slot(name, label, spec.kind if spec else None, "scalar"))
    return tuple(slots)


class _Differ:
    def __init__(self, definition: FormDefinition) -> None:
        self.definition = definition
        self.changes: list[Change] = []

    def model(self, model: type[BaseModel], old: Any, new: Any, prefix: str) -> None:
        old, new = _dict(old), _dict(new)
        for slot in _slots(model, not prefix):
            a, b = old.get(slot.name), new.get(slot.name)
            if a == b:
                continue
            path = f"{prefix}{slot.name}"
            if slot.shape == "section" and slot.sub is not None:
                self.model(slot.sub, a, b, f"{path}.")
            elif slot.shape in ("yearly", "yearly-section"):
                a, b = _dict(a), _dict(b)
                for year in self._years(a, b):
                    if a.get(year) == b.get(year):
                        continue
                    if slot.sub is not None:
                        self.model(slot.sub, a.get(year), b.get(year), f"{path}.{year}.")
                    else:
                        self.scalar(f"{path}.{year}", slot.kind, a.get(year), b.get(year))
            elif slot.shape == "rows" and slot.sub is not None:
                self.rows(path, slot.sub, _list(a), _list(b))
            elif slot.shape == "values":
                self.values(path, _list(a), _list(b))
            else:
                self.scalar(path, slot.kind, a, b)

    def _years(self, a: dict[str, Any], b: dict[str, Any]) -> list[str]:
        years = list(self.definition.year_keys)
        return years + sorted((set(a) | set(b)) - set(years))

    def scalar(self, path: str, kind: Kind | None, a: Any, b: Any) -> None:
        old, new = stored_text(a, kind), stored_text(b, kind)
        if old == new or (_blank(a, kind) and _blank(b, kind)):
            return  # 108.6 and "108.60" are the same number; None and "" the same blank
        kind_word = _kind(_blank(a, kind), _blank(b, kind))
        self.changes.append(Change(FIELD, path, self._place(path), kind_word, old, new))

    def rows(self, path: str, model: type[BaseModel], old: list[Any], new: list[Any]) -> None:
        columns = _columns(model)
        key = row_key(model)
        key_title = dict(columns).get(key, "") if key else ""
        pairs, added, removed = _match(old, new, key)
        changed = []
        for i, j in pairs:
            a, b = _dict(old[i]), _dict(new[j])
            if a == b:
                continue
            cells = tuple(
                Cell(title, _cell(a.get(name)), _cell(b.get(name)))
                for name, title in columns
                if _cell(a.get(name)) != _cell(b.get(name))
            )
            if cells:
                label = _row_label(b, key, key_title, j)
                changed.append(
                    Row(label, CHANGED, _row_text(a, columns), _row_text(b, columns), cells)
                )
        rows_added = tuple(
            Row(_row_label(_dict(new[j]), key, key_title, j), ADDED, "", _row_text(new[j], columns))
            for j in added
        )
        rows_removed = tuple(
            Row(
                _row_label(_dict(old[i]), key, key_title, i),
                REMOVED,
                _row_text(old[i], columns),
                "",
            )
            for i in removed
        )
        if rows_added or rows_removed or changed:
            self._list_change(
                path, old, new, added=rows_added, removed=rows_removed, changed=tuple(changed)
            )

    def values(self, path: str, old: list[Any], new: list[Any]) -> None:
        """A list of names (the platforms of a block): names added and removed."""
        gone = Counter(_cell(item) for item in old) - Counter(_cell(item) for item in new)
        came = Counter(_cell(item) for item in new) - Counter(_cell(item) for item in old)
        removed = tuple(Row(name, REMOVED, name, "") for name in gone.elements())
        added = tuple(Row(name, ADDED, "", name) for name in came.elements())
        if added or removed:
            self._list_change(path, old, new, added=added, removed=removed)

    def _list_change(
        self,
        path: str,
        old: list[Any],
        new: list[Any],
        *,
        added: tuple[Row, ...],
        removed: tuple[Row, ...],
        changed: tuple[Row, ...] = (),
    ) -> None:
        kind_word = _kind(not old, not new)
        change = Change(
            LIST, path, self._place(path), kind_word, _count(old), _count(new),
            added=added, removed=removed, changed=changed,
        )  # fmt: skip
        self.changes.append(change)

    def evidence(self, old: Any, new: Any) -> None:
        """Files added and removed per box, by SHA-256 and name (a file swapped is both)."""
        old, new = _dict(old), _dict(new)
        if old == new:
            return
        for box in list(new) + [box for box in old if box not in new]:
            a, b = _files(old.get(box)), _files(new.get(box))
            if Counter(a) == Counter(b):
                continue
            removed = _pick(a, Counter(a) - Counter(b))
            added = _pick(b, Counter(b) - Counter(a))
            self.changes.append(
                Change(
                    EVIDENCE,
                    f"{EVIDENCE_ROOT}.{box}",
                    f"{self._place(box)} · 佐证材料",
                    _kind(not a, not b),
                    _names(a),
                    _names(b),
                    files_added=added,
                    files_removed=removed,
                )
            )

    def _place(self, path: str) -> str:
        return place(self.definition, path)


# --- helpers -------------------------------------------------------------------------------


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _blank(value: Any, kind: Kind | None) -> bool:
    if value is None or value in ([], {}):
        return True
    if isinstance(value, str):
        return not value.strip()
    return kind == Kind.TICK and value is False


def _kind(old_blank: bool, new_blank: bool) -> str:
    if old_blank and not new_blank:
        return ADDED
    if new_blank and not old_blank:
        return CLEARED
    return CHANGED


def _count(rows: list[Any]) -> str:
    """A 清单 in short (its rows are listed apart): 386 行; a list of names: the names."""
    if rows and all(not isinstance(row, dict) for row in rows):
        return show([_cell(row) for row in rows])
    return f"{len(rows)} 行" if rows else show([])


@cache
def _columns(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """(field, official column title) of a 清单 row, in the form's order."""
    return tuple((name, info.title or name) for name, info in model.model_fields.items())


def _cell(value: Any) -> str:
    return show(value.strip() if isinstance(value, str) else value)


def _row_text(row: Any, columns: tuple[tuple[str, str], ...]) -> str:
    """A row in one line: 类型 发明专利；名称 一种…；专利号或证书号 ZL…"""
    row = _dict(row)
    cells = [(title, row.get(name)) for name, title in columns]
    return "；".join(f"{title} {_cell(value)}" for title, value in cells if not _blank(value, None))


def _row_label(row: dict[str, Any], key: str | None, key_title: str, index: int) -> str:
    value = row.get(key) if key else None
    return f"{key_title} {_cell(value)}" if _norm(value) else f"第{index + 1}行"


def _norm(value: Any) -> str:
    """A row key as compared: "ZL 2015 1000001.0" is "ZL20151000001.0"."""
    return "".join(str(value).split()) if value is not None else ""


def _match(
    old: list[Any], new: list[Any], key: str | None
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pairs of (old, new) row indexes that are one row, then new rows added and old removed.

    Rows with a key are matched on it (the n-th row with a key to the n-th with the same key);
    rows without one, and every row of a 清单 that has no key column, by position among them.
    """
    keyed: dict[tuple[str, int], int] = {}
    loose_old: list[int] = []
    seen: Counter[str] = Counter()
    for i, row in enumerate(old):
        value = _norm(_dict(row).get(key)) if key else ""
        if value:
            keyed[(value, seen[value])] = i
            seen[value] += 1
        else:
            loose_old.append(i)
    pairs: list[tuple[int, int]] = []
    added: list[int] = []
    loose_new: list[int] = []
    seen.clear()
    for j, row in enumerate(new):
        value = _norm(_dict(row).get(key)) if key else ""
        if not value:
            loose_new.append(j)
            continue
        i = keyed.pop((value, seen[value]), None)
        seen[value] += 1
        if i is None:
            added.append(j)
        else:
            pairs.append((i, j))
    pairs += zip(loose_old, loose_new, strict=False)
    added += loose_new[len(loose_old) :]
    removed = sorted([*keyed.values(), *loose_old[len(loose_new) :]])
    return sorted(pairs, key=lambda pair: pair[1]), sorted(added), removed


def _files(value: Any) -> list[FileRef]:
    files = []
    for entry in _list(value):
        item = _dict(entry)
        name = item.get("name")
        if name:
            files.append(FileRef(str(name), item.get("sha256"), item.get("size")))
    return files


def _pick(files: list[FileRef], wanted: Counter[FileRef]) -> tuple[FileRef, ...]:
    """The files counted in ``wanted``, in the register's order."""
    picked = []
    for file in files:
        if wanted[file] > 0:
            wanted[file] -= 1
            picked.append(file)
    return tuple(picked)


def _names(files: list[FileRef]) -> str:
    return "、".join(file.name for file in files) or show([])


def _subject(path: str, shape: str) -> str:
    return path.removeprefix(f"{EVIDENCE_ROOT}.") if shape == EVIDENCE else path


def _marked(change: Change) -> Change:
    return Change(
        change.shape, change.path, change.place, change.kind, change.old, change.new, True,
        change.added, change.removed, change.changed, change.files_added, change.files_removed,
    )  # fmt: skip


def _covers(definition: FormDefinition, comment: str, subject: str) -> bool:
    """Whether a comment at ``comment`` is about the box at ``subject``."""
    if not comment or subject == comment or subject.startswith(f"{comment}."):
        return True
    if comment.startswith(f"{EVIDENCE_ROOT}."):  # a comment on a box's files
        return _covers(definition, comment.removeprefix(f"{EVIDENCE_ROOT}."), subject)
    # A page that is not itself a section (the second form's 年度数据与重点企业) covers its boxes.
    return comment in definition.page_titles and definition.page_of(subject) == comment


def _comment_checks(
    definition: FormDefinition, comments: tuple[str, ...], changes: list[Change]
) -> tuple[CommentCheck, ...]:
    checks = []
    for comment in comments:
        under = tuple(c.path for c in changes if _covers(definition, comment, c.subject))
        checks.append(
            CommentCheck(comment, _comment_place(definition, comment), bool(under), under)
        )
    return tuple(checks)


def _comment_place(definition: FormDefinition, comment: str) -> str:
    if not comment:
        return WHOLE
    titles = definition.page_titles
    top = comment.split(".", 1)[0]
    if comment in titles and top not in dict(form_fields(definition.model)):
        return titles[comment]
    if top == EVIDENCE_ROOT and "." in comment:
        return f"{place(definition, comment.split('.', 1)[1])} · 佐证材料"
    return place(definition, comment)


@cache
def _order(definition: FormDefinition) -> dict[str, int]:
    """Every box path of the form (years left out) → its position in the form."""
    order: dict[str, int] = {}

    def visit(model: type[BaseModel], prefix: str) -> None:
        for slot in _slots(model, not prefix):
            path = f"{prefix}{slot.name}"
            order.setdefault(path, len(order))
            if slot.sub is not None and slot.shape in ("section", "yearly-section"):
                visit(slot.sub, f"{path}.")

    visit(definition.model, "")
    return order


def _position(order: dict[str, int], path: str) -> int:
    parts = [part for part in path.split(".") if not (part.isdigit() and len(part) == 4)]
    while parts:
        index = order.get(".".join(parts))
        if index is not None:
            return index
        parts.pop()
    return len(order)


def iter_texts(diff: FormDiff) -> Iterator[str]:
    """Every text the diff shows a person (for tests and exports): places, values, rows, files."""
    for part in diff.parts:
        yield part.title
        for change in part.changes:
            yield from (change.place, change.kind, change.old, change.new)
            for row in (*change.added, *change.removed, *change.changed):
                yield from (row.label, row.kind, row.old, row.new)
                for cell in row.cells:
                    yield from (cell.column, cell.old, cell.new)
            for file in (*change.files_added, *change.files_removed):
                yield file.shown
    for check in diff.comments:
        yield check.place


__all__ = [
    "ADDED",
    "CHANGED",
    "CLEARED",
    "EMPTY",
    "REMOVED",
    "Cell",
    "Change",
    "CommentCheck",
    "FileRef",
    "FormDiff",
    "PartDiff",
    "Row",
    "diff_forms",
    "iter_texts",
]
