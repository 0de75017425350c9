"""Changing an application's form: the one door for autosave, imports and evidence.

Edits arrive as field changes, each with the value the editor saw before typing (``original``).
A change is applied when nobody else changed that field meanwhile; when somebody did, it is a
conflict and both values go back to the editor — two tabs or two officers never silently
overwrite each other, yet edits to different fields of the same page merge. Every accepted
save re-validates the whole form through the core schema and stores its canonical JSON.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.db import transaction
from pydantic import ValidationError

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.models import User
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application
from clusterdesk.errors import DomainError
from clusterdesk.form.fields import Kind
from clusterdesk.form.loading import describe_error
from clusterdesk.form.schema import Application as Form
from clusterdesk.form.schema.innovation import CATEGORY_FIELDS, ROLE_FIELDS
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
    paths = set()
    for node in walk(Form()):
        if node.spec.kind != Kind.SECTION or node.year is not None:
            paths.add(node.path)
    # Year cells of a year column are addressed one by one; the standards table by its counts.
    for year in Form().part3.standards:
        paths.discard(f"part3.standards.{year}")
    return frozenset(paths | _standards_cells())


def _standards_cells() -> set[str]:
    return {
        f"part3.standards.{year}.{category}.{role}"
        for year in CURRENT.year_keys
        for category in CATEGORY_FIELDS.values()
        for role in ROLE_FIELDS.values()
    }


def save_changes(application: Application, changes: Iterable[Change], actor: User) -> SaveResult:
    """Apply the changes that do not conflict; report conflicts and values the form refuses."""
    changes = list(changes)
    for change in changes:
        if change.path not in editable_paths():
            raise EditRefused(f"“{change.path}”不是申报表中可填写的栏目。")
    return _locked_update(application, actor, lambda data, result: _merge(data, changes, result))


def _merge(data: dict[str, Any], changes: list[Change], result: SaveResult) -> bool:
    changed = False
    for change in changes:
        theirs = get_path(data, change.path)
        if same(theirs, change.value):
            result.applied.append(change.path)  # already saved, e.g. a retried request
            continue
        if not same(theirs, change.original):
            result.conflicts.append(Conflict(change.path, change.value, theirs))
            continue
        trial = copy.deepcopy(data)
        set_path(trial, change.path, blank_to_none(change.value))
        problem = _refusal_at(trial, change.path)
        if problem:
            result.invalid[change.path] = problem
            continue
        set_path(data, change.path, blank_to_none(change.value))
        result.applied.append(change.path)
        changed = True
    return changed


def _refusal_at(data: dict[str, Any], path: str) -> str | None:
    try:
        Form.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"])
            if where == path or where.startswith(path + "."):
                return describe_error(error)
        return describe_error(exc.errors()[0])
    return None


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
        result = SaveResult(version=current.version)
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


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    current = data
    for part in parents:
        current = current.setdefault(part, {})
    current[last] = value


def blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def same(a: Any, b: Any) -> bool:
    """Equal as the form sees them: "108.60" and 108.6 are the same number, "" is empty."""
    return _canonical(a) == _canonical(b)


def _canonical(value: Any) -> Any:
    value = blank_to_none(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    if isinstance(value, str):
        text = value.strip()
        if _NUMBER.match(text):
            try:
                return Decimal(text)
            except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
                return text
        return text
    return value
