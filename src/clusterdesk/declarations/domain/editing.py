"""Changing an application's form: the one door for autosave, imports and evidence.

Edits arrive as field changes, each with the value the editor saw before typing (``original``).
A change is applied when nobody else changed that field meanwhile; when somebody did, it is a
conflict and both values go back to the editor — two tabs or two officers never silently
overwrite each other, yet edits to different fields of the same page merge. Every accepted
save re-validates the whole form through the core schema and stores its canonical JSON.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, get_args

from django.db import transaction
from pydantic import BaseModel, ValidationError

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.models import User
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application
from clusterdesk.errors import DomainError
from clusterdesk.form.fields import NUMBER_KINDS, Kind
from clusterdesk.form.loading import label_at, problem_of
from clusterdesk.form.schema import Application as Form
from clusterdesk.form.schema.innovation import CATEGORY_FIELDS, ROLE_FIELDS, InnovationPlatforms
from clusterdesk.form.versions import CURRENT
from clusterdesk.form.walk import walk

EDITABLE_STATES = frozenset({ApplicationState.DRAFT, ApplicationState.RETURNED})


class EditRefused(DomainError):
    """The application may not be changed by this user now; ``message`` says why."""


@dataclass(frozen=True)
class Change:
    path: str
    value: Any
    original: Any = None


@dataclass(frozen=True)
class Conflict:
    path: str
    yours: Any
    theirs: Any


@dataclass
class SaveResult:
    version: int
    # The version found in the database before this save: when it differs from the version the
    # editor loaded, somebody else saved meanwhile (the editor may want to reload).
    previous_version: int = 0
    applied: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    invalid: dict[str, str] = field(default_factory=dict)  # path → Chinese message


def edit_refusal(application: Application, user: User) -> str | None:
    """Why ``user`` may not edit ``application`` now, or None if they may."""
    if not user.is_active:
        return "您的账户已停用。"
    if user.role != Role.COUNTY_OFFICER or user.organisation_id != application.organisation_id:
        return "只有本单位的区县经信部门可以修改该申报。"
    if application.state not in EDITABLE_STATES:
        state = ApplicationState(application.state).label
        return f"申报当前为“{state}”，不能修改；被退回后方可修改。"
    return None


@cache
def editable_paths() -> frozenset[str]:
    """Paths a change may name: every form field and year cell, lists as a whole."""
    return frozenset(_kinds())


@cache
def _kinds() -> dict[str, Kind]:
    """Each editable path with the kind of box it names."""
    kinds = {}
    for node in walk(Form()):
        column = node.spec.yearly and node.year is None  # addressed cell by cell
        if not column and (node.spec.kind != Kind.SECTION or node.year is not None):
            kinds[node.path] = node.spec.kind
    # The standards table is addressed by its count cells, not by its year columns.
    for year in CURRENT.year_keys:
        kinds.pop(f"part3.standards.{year}", None)
        for category in CATEGORY_FIELDS.values():
            for role in ROLE_FIELDS.values():
                kinds[f"part3.standards.{year}.{category}.{role}"] = Kind.COUNT
    # 名称 of a platform line: a plain list of names, edited one name per line.
    for name in InnovationPlatforms.model_fields:
        kinds[f"part3.platforms.{name}.names"] = Kind.LIST
    return kinds


def kind_at(path: str) -> Kind | None:
    return _kinds().get(path)


def save_changes(application: Application, changes: Iterable[Change], actor: User) -> SaveResult:
    """Apply the changes that do not conflict; report conflicts and values the form refuses.

    A change naming no box of the form is refused on its own (``invalid``), never the whole
    batch: an editor's queue kept across a form update must not block every later save.
    """
    changes = list(changes)
    return _locked_update(application, actor, lambda data, result: _merge(data, changes, result))


def _merge(data: dict[str, Any], changes: list[Change], result: SaveResult) -> bool:
    # One validation for the whole batch: the schema checks each field on its own, so when the
    # batch passes, every change in it does. Only a batch holding a refused value is validated
    # change by change, to keep the others.
    batch = SaveResult(result.version, result.previous_version)
    merged = _apply(data, changes, batch, checked=False)
    if merged is not data and not _valid(merged):
        batch = SaveResult(result.version, result.previous_version)
        merged = _apply(data, changes, batch, checked=True)
    result.applied, result.conflicts, result.invalid = batch.applied, batch.conflicts, batch.invalid
    if merged is data:
        return False
    data.update(merged)
    return True


def _apply(
    data: dict[str, Any], changes: list[Change], result: SaveResult, *, checked: bool
) -> dict[str, Any]:
    """``data`` with the changes that do not conflict (and, if ``checked``, that the schema
    accepts); ``data`` itself when none changes anything. ``data`` is never changed."""
    merged = data
    for change in changes:
        kind = kind_at(change.path)
        if kind is None:
            result.invalid[change.path] = "不是申报表中可填写的栏目，未保存"
            continue
        numeric = kind in NUMBER_KINDS
        value = _as_stored(change.path, stored_value(change.value, kind))
        original = _as_stored(change.path, stored_value(change.original, kind))
        theirs = get_path(merged, change.path)
        if same(theirs, value, numeric=numeric):
            result.applied.append(change.path)  # already saved, e.g. a retried request
            continue
        if not same(theirs, original, numeric=numeric):
            result.conflicts.append(Conflict(change.path, change.value, theirs))
            continue
        trial = with_value(merged, change.path, value)
        problem = _refusal_at(trial, change.path) if checked else None
        if problem:
            result.invalid[change.path] = problem
            continue
        merged = trial
        result.applied.append(change.path)
    return merged


def _as_stored(path: str, value: Any) -> Any:
    """A 清单's rows as the store keeps them (the page sends the year "2020", the store 2020).

    Without this, the original a page takes from its own last save differs from the stored rows,
    and every second edit of such a list in one visit is reported as a conflict. A row the core
    refuses stays as sent, for the refusal to name it.
    """
    row_model = _list_rows().get(path)
    if row_model is None or not isinstance(value, list):
        return value
    rows = []
    for row in value:
        try:
            rows.append(row_model.model_validate(row).model_dump(mode="json"))
        except ValidationError:
            rows.append(row)
    return rows


def with_value(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``data`` with ``value`` at ``path``; only the dicts along the path are copied,
    the rest is shared (so neither copy may be changed in place)."""
    *parents, last = path.split(".")
    top = current = dict(data)
    for part in parents:
        child = current.get(part)
        child = dict(child) if isinstance(child, dict) else {}
        current[part] = child
        current = child
    current[last] = value
    return top


def _valid(data: dict[str, Any]) -> bool:
    try:
        Form.model_validate(data)
    except ValidationError:
        return False
    return True


def _refusal_at(data: dict[str, Any], path: str) -> str | None:
    try:
        Form.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        mine = [
            e
            for e in errors
            if _dotted(e["loc"]) == path or _dotted(e["loc"]).startswith(path + ".")
        ]
        return refusal_message((mine or errors)[0])
    return None


def _dotted(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


def refusal_message(error: dict[str, Any]) -> str:
    """A refused value in Chinese, named as the user sees it: 「集群企业数量（2021年）」, 第2行."""
    loc = tuple(str(part) for part in error["loc"])
    label = label_at(loc) or "该栏目"
    where = [f"「{label}」"]
    for part in loc:
        if re.fullmatch(r"\d{4}", part):
            where.append(f"{part}年")
        elif part.isdigit():
            where.append(f"第{int(part) + 1}行")
    column = _column_title(loc)
    if column:
        where.append(f"「{column}」")
    return f"{'·'.join(where)}：{problem_of(error)}"


def _column_title(loc: tuple[str, ...]) -> str | None:
    """The title of a column of a 清单 row (标准名称, 专利号或证书号 …), if the error is in one."""
    if len(loc) < 2 or not loc[-2].isdigit():
        return None
    model = _list_rows().get(".".join(loc[:-2]))
    info = model.model_fields.get(loc[-1]) if model else None
    return info.title if info else None


@cache
def _list_rows() -> dict[str, type[BaseModel]]:
    """The row model of each 清单 (standards, patents, the extra targets), by its path."""
    rows = {}
    for node in walk(Form()):
        if node.spec.kind == Kind.LIST:
            (row,) = get_args(type(node.owner).model_fields[node.name].annotation)
            rows[node.path] = row
    return rows


def add_evidence(application: Application, path: str, file: dict[str, Any], actor: User) -> int:
    """Register an evidence file (already stored by its SHA-256) against a field."""
    if path not in editable_paths():
        raise EditRefused(f"“{path}”不是申报表中的栏目，不能上传佐证材料。")

    def add(data: dict[str, Any], result: SaveResult) -> bool:
        files = data.setdefault("evidence", {}).setdefault(path, [])
        if any(item.get("sha256") == file.get("sha256") for item in files):
            return False
        files.append(file)
        return True

    return _locked_update(application, actor, add).version


def remove_evidence(application: Application, path: str, sha256: str, actor: User) -> int:
    def remove(data: dict[str, Any], result: SaveResult) -> bool:
        files = data.get("evidence", {}).get(path, [])
        kept = [item for item in files if item.get("sha256") != sha256]
        if len(kept) == len(files):
            return False
        if kept:
            data["evidence"][path] = kept
        else:
            del data["evidence"][path]
        return True

    return _locked_update(application, actor, remove).version


def replace_form(application: Application, form: Form, actor: User) -> int:
    """Overwrite the whole form (the Word import into a draft)."""

    def replace(data: dict[str, Any], result: SaveResult) -> bool:
        evidence = data.get("evidence", {})
        data.clear()
        data.update(form.model_dump(mode="json"))
        data["evidence"] = evidence | data.get("evidence", {})
        return True

    return _locked_update(application, actor, replace).version


def _locked_update(
    application: Application,
    actor: User,
    update: Callable[[dict[str, Any], SaveResult], bool],
) -> SaveResult:
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        problem = edit_refusal(current, actor)
        if problem:
            raise EditRefused(problem)
        data = Form.model_validate(current.data or {}).model_dump(mode="json")
        result = SaveResult(version=current.version, previous_version=current.version)
        if update(data, result):
            # Canonical JSON of the core: numbers as numbers, every field present.
            current.data = Form.model_validate(data).model_dump(mode="json")
            current.version += 1
            current.save(update_fields=["data", "version", "updated_at"])
            result.version = current.version
    application.data, application.version = current.data, current.version
    application.updated_at = current.updated_at
    return result


# --- paths and values ---------------------------------------------------------------------


def get_path(data: dict[str, Any], path: str) -> Any:
    current: Any = data
    for part in path.split("."):
        if not isinstance(current, dict):
            return None
        current = current.get(part)
    return current


def blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


# Thousands separators and full-width forms typed into a number box: "1，234．５" is 1234.5.
_SEPARATORS = re.compile(r"[,\s]")


def stored_value(value: Any, kind: Kind) -> Any:
    """The value as the form stores it: blanks are empty, typed numbers lose their separators.

    Digits are never rounded or cut: "1.234" stays "1.234" for the decimals rule to report.
    """
    value = blank_to_none(value)
    if kind in NUMBER_KINDS and isinstance(value, str):
        return _SEPARATORS.sub("", unicodedata.normalize("NFKC", value))
    if kind == Kind.LIST and isinstance(value, list):
        return [_blanks_to_none(item) for item in value]
    return value


def _blanks_to_none(row: Any) -> Any:
    if isinstance(row, dict):
        return {key: blank_to_none(item) for key, item in row.items()}
    return blank_to_none(row)


_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def same(a: Any, b: Any, *, numeric: bool = True) -> bool:
    """Equal as the form sees them: "108.60" and 108.6 are the same number, "" is empty.

    Text is compared as text (``numeric=False``): the phone number "0574" is not "574".
    """
    return _canonical(a, numeric) == _canonical(b, numeric)


def _canonical(value: Any, numeric: bool) -> Any:
    value = blank_to_none(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    if isinstance(value, str):
        text = value.strip()
        if numeric and _NUMBER.match(text):
            try:
                return Decimal(text)
            except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
                return text
        return text
    if isinstance(value, list | tuple):
        return [_canonical(item, numeric) for item in value]
    if isinstance(value, dict):
        # A row sent without its empty columns is the row stored with them as null.
        pairs = ((str(key), _canonical(item, numeric)) for key, item in value.items())
        return {key: item for key, item in pairs if item is not None}
    return value
