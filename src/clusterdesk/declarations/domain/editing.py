"""Changing an application's form: the one door for autosave, imports and evidence.

Edits arrive as field changes, each with the value the editor saw before typing (``original``).
A change is applied when nobody else changed that field meanwhile; when somebody did, it is a
conflict and both values go back to the editor — two tabs or two officers never silently
overwrite each other, yet edits to different fields of the same page merge. Every accepted
save validates what it changed through the core schema (each part it changed, or the whole
form) and stores the form's canonical JSON.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from pydantic import BaseModel

from clusterdesk.accounts.models import User
from clusterdesk.declarations.domain.form_paths import (
    as_stored,
    kind_at,
    refusal_at,
    unit_at,
    valid_parts,
)
from clusterdesk.declarations.domain.forms import (
    form_definition,
    remember_form,
    remember_previous,
)
from clusterdesk.declarations.domain.values import (
    changed_boxes,
    get_path,
    same,
    stored_value,
    typed_number,
    with_value,
)
from clusterdesk.declarations.enums import RevisionSource
from clusterdesk.declarations.models import Application, Revision
from clusterdesk.declarations.permissions import EDIT
from clusterdesk.errors import DomainError
from clusterdesk.form.definition import FormDefinition
from clusterdesk.form.fields import NUMBER_KINDS
from clusterdesk.form.row_evidence import follow_rows, snapshot
from clusterdesk.shared.jsonparts import WithParts

MB = 1 << 20


def max_form_bytes() -> int:
    """The largest form an application may hold, as JSON. Every text and list already has a hard
    cap in the core; this bounds their sum, which pages that read the application pay for."""
    return settings.CLUSTERDESK_FORM_MAX_KB << 10


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
    # path → what was changed to read a typed number (已按“1086000”保存（单位亿元换算为万元）),
    # shown at the box
    normalised: dict[str, str] = field(default_factory=dict)


def edit_refusal(application: Application, user: User) -> str | None:
    """Why ``user`` may not edit ``application`` now, or None if they may."""
    return EDIT.refusal(user, application)


def save_changes(
    application: Application,
    changes: Iterable[Change],
    actor: User,
    *,
    expected_version: int | None = None,
) -> SaveResult:
    """Apply the changes that do not conflict; report conflicts and values the form refuses.

    A change naming no box of the form is refused on its own (``invalid``), never the whole
    batch: an editor's queue kept across a form update must not block every later save.
    With ``expected_version`` (the API's If-Match), nothing is saved unless the form is still
    that version, checked under the row lock; else ``StaleForm``.
    """
    changes = list(changes)
    definition = form_definition(application)

    def merge(data: dict[str, Any], result: SaveResult) -> bool:
        if expected_version is not None and result.previous_version != expected_version:
            raise StaleForm(
                f"该申报已被修改（现为第 {result.previous_version} 版，请求基于第 "
                f"{expected_version} 版），未保存。请重新读取后再修改。"
            )
        return _merge(definition, data, changes, result)

    return locked_update(application, actor, merge, source=RevisionSource.EDIT)


def _merge(
    definition: FormDefinition, data: dict[str, Any], changes: list[Change], result: SaveResult
) -> bool:
    # One validation for the whole batch: the schema checks each field on its own, so when the
    # batch passes, every change in it does. Only a batch holding a refused value is validated
    # change by change, to keep the others.
    batch = SaveResult(result.version, result.previous_version)
    merged = _apply(definition, data, changes, batch, checked=False)
    if merged is not data and not valid_parts(definition, merged, data):
        batch = SaveResult(result.version, result.previous_version)
        merged = _apply(definition, data, changes, batch, checked=True)
    result.applied, result.conflicts, result.invalid = batch.applied, batch.conflicts, batch.invalid
    result.normalised = batch.normalised
    if merged is data:
        return False
    data.update(merged)
    return True


def _apply(
    definition: FormDefinition,
    data: dict[str, Any],
    changes: list[Change],
    result: SaveResult,
    *,
    checked: bool,
) -> dict[str, Any]:
    """``data`` with the changes that do not conflict (and, if ``checked``, that the schema
    accepts); ``data`` itself when none changes anything. ``data`` is never changed."""
    merged = data
    for change in changes:
        kind = kind_at(definition, change.path)
        if kind is None:
            result.invalid[change.path] = "不是申报表中可填写的栏目，未保存"
            continue
        numeric = kind in NUMBER_KINDS
        if numeric:  # read as the Word import reads a cell: units, separators, 无
            unit = unit_at(definition, change.path)
            value, notes = typed_number(change.value, kind, unit)
            original, _ = typed_number(change.original, kind, unit)
        else:
            value = as_stored(definition, change.path, stored_value(change.value, kind))
            original = as_stored(definition, change.path, stored_value(change.original, kind))
            notes = []
        theirs = get_path(merged, change.path)
        if same(theirs, value, numeric=numeric):
            result.applied.append(change.path)  # already saved, e.g. a retried request
            if notes:
                result.normalised[change.path] = _note(value, notes)
            continue
        if not same(theirs, original, numeric=numeric):
            result.conflicts.append(Conflict(change.path, change.value, theirs))
            continue
        trial = with_value(merged, change.path, value)
        problem = refusal_at(definition, trial, change.path) if checked else None
        if problem:
            result.invalid[change.path] = problem
            continue
        merged = trial
        result.applied.append(change.path)
        if notes:
            result.normalised[change.path] = _note(value, notes)
    return merged


class StaleForm(DomainError):
    """The form changed after the editor saw it (an import previewed against an older version)."""


def _note(stored: Any, notes: list[str]) -> str:
    """What the page notes at a box whose typed number had to be read: 已按“1086000”保存（…）."""
    return f"已按“{stored}”保存（{'；'.join(notes)}）"


def replace_form(
    application: Application,
    form: BaseModel,
    actor: User,
    *,
    expected_version: int | None = None,
    drop_evidence: Iterable[str] = (),
) -> int:
    """Overwrite the whole form (the Word import into a draft), keeping the evidence register.

    The form's own ``evidence`` is ignored: a register names only files given to this
    application, and a document can name any hash (its appendix lists them), so an import lists
    the files it names for the officer to upload instead (see ``county.import_word``). Only the
    register entries in ``drop_evidence`` (the officer chose to remove them) are taken off.
    With ``expected_version``, the form is replaced only if it is still that version (checked
    under the row lock), else ``StaleForm``.
    """
    dropped = set(drop_evidence)

    def replace(data: dict[str, Any], result: SaveResult) -> bool:
        if expected_version is not None and result.previous_version != expected_version:
            raise StaleForm(
                "预览导入后，该申报又被修改（现为第 "
                f"{result.previous_version} 版，预览时为第 {expected_version} 版），未导入。"
                "请重新上传文件，核对新的变更后再确认。"
            )
        evidence = {
            path: files for path, files in data.get("evidence", {}).items() if path not in dropped
        }
        data.clear()
        data.update(form.model_dump(mode="json"))
        data["evidence"] = evidence
        return True

    return locked_update(application, actor, replace, source=RevisionSource.IMPORT).version


def canonical_parts(
    model: type[BaseModel], before: dict[str, Any], data: dict[str, Any]
) -> dict[str, Any] | None:
    """The canonical JSON of each part of ``data`` that differs from ``before`` (the stored,
    canonical form), each validated through its own model; None when the whole form must be
    validated instead: a changed field that is no part, or a part added or dropped.

    The schema checks each part on its own (no rule spans parts), so a form whose other parts
    are the stored ones is valid exactly when its changed parts are: the 50 KB form is neither
    validated nor dumped whole for the one box an autosave changes."""
    fields = model.model_fields
    if set(data) != set(fields) or set(before) != set(fields):
        return None
    parts = {}
    for name, info in fields.items():
        value = data[name]
        if value is before[name] or value == before[name]:
            continue
        part = info.annotation
        if not (isinstance(part, type) and issubclass(part, BaseModel)):
            return None
        parts[name] = part.model_validate(value).model_dump(mode="json")
    return parts


def form_bytes(data: dict[str, Any]) -> int:
    """The size of the form as compact UTF-8 JSON (what ``max_form_bytes`` bounds)."""
    return len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())


def working_copy(model: type[BaseModel], stored: dict[str, Any]) -> dict[str, Any]:
    """What an update changes: the stored form under a new top level, its parts shared, and a
    copy of the evidence register, which updates change in place. Any other part an update
    changes it replaces (``values.with_value`` copies only the dicts along a path), never edits
    in place: the stored parts are what the change is measured against.

    The door stores every form canonically; a form stored otherwise (a new draft's ``{}``) is
    made canonical first, so that updates compare against every field's value."""
    if set(stored) != set(model.model_fields):
        return model.model_validate(stored).model_dump(mode="json")
    data = dict(stored)
    if isinstance(data.get("evidence"), dict):
        data["evidence"] = copy.deepcopy(data["evidence"])
    return data


def locked_update(
    application: Application,
    actor: User,
    update: Callable[[dict[str, Any], SaveResult], bool],
    *,
    source: RevisionSource,
) -> SaveResult:
    """Lock the row, check the editor, let ``update`` change the form, store it canonically and
    record who changed what (a ``Revision``), all in one transaction."""
    # The round's form never changes once it has applications (its form_version is frozen).
    definition = form_definition(application)
    model = definition.model
    form = None
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        problem = edit_refusal(current, actor)
        if problem:
            raise EditRefused(problem)
        before = current.data or {}
        data = working_copy(model, before)
        result = SaveResult(version=current.version, previous_version=current.version)
        rows = snapshot(definition, data)
        if update(data, result):
            follow_rows(definition, rows, data)  # a case's files stay with the case
            # Canonical JSON of the core: numbers as numbers, every field present.
            parts = canonical_parts(model, before, data)
            if parts is None:
                form = model.model_validate(data)
                after = form.model_dump(mode="json")
            else:
                after = before | parts
            size = form_bytes(after)
            if size > max_form_bytes():
                raise EditRefused(
                    f"申报表数据过大（{size / MB:.1f} MB），超过系统上限 "
                    f"{max_form_bytes() / MB:.0f} MB，未保存。请精简过长的文字或清单。"
                )
            previous = (current.version, current.updated_at)
            current.version += 1
            if parts is None:
                current.data = after
                current.save(update_fields=["data", "version", "updated_at"])
            else:  # only the changed parts go to the database, which sets them in place
                current.updated_at = timezone.now()
                written = {"data": WithParts("data", parts)} if parts else {}
                Application.objects.filter(pk=current.pk).update(
                    **written, version=current.version, updated_at=current.updated_at
                )
                current.data = after
            Revision.objects.create(
                application=current,
                version=current.version,
                source=source,
                actor=actor,
                changes=changed_boxes(before, after),
            )
            result.version = current.version
    application.data, application.version = current.data, current.version
    application.updated_at = current.updated_at
    if result.version != result.previous_version:
        # The page that answers this save walks the rules again only over the parts it changed.
        if form is not None:
            remember_form(application, form)
        remember_previous(application, *previous, before)
    return result
