"""The evidence register of an application (``data["evidence"]``): adding and removing files,
and the quota. Changes go through the editing door, which locks the row and records who."""

from __future__ import annotations

from typing import Any, Protocol

from django.conf import settings

from clusterdesk.accounts.models import User
from clusterdesk.declarations.domain.editing import (
    MB,
    EditRefused,
    SaveResult,
    locked_update,
)
from clusterdesk.declarations.domain.form_paths import takes_evidence
from clusterdesk.declarations.domain.forms import form_definition
from clusterdesk.declarations.enums import RevisionSource
from clusterdesk.declarations.models import Application
from clusterdesk.form.row_evidence import row_at, rows_in


class Upload(Protocol):
    """What the register needs of an upload record (``clusterdesk.evidence.models.Upload``; the
    evidence app builds on this one, so it is described here rather than imported)."""

    application_id: int
    blob_id: str
    name: str

    @property
    def blob(self) -> Any: ...


def add_evidence(
    application: Application, path: str, upload: Upload, actor: User, *, name: str = ""
) -> int:
    """Register a file given to this application (its ``Upload``) against a field, under
    ``name`` (the name it was given for this field; by default the upload's).

    Taking an ``Upload`` rather than a hash is what keeps a register to files its own unit gave:
    nothing else can add an entry. The evidence quota is checked here, under the row lock, so
    that parallel uploads cannot pass it together.
    """
    definition = form_definition(application)
    if not takes_evidence(definition, path):
        raise EditRefused(f"“{path}”不是申报表中的栏目，不能上传佐证材料。")
    row = row_at(definition, path)
    if upload.application_id != application.pk:
        raise EditRefused(f"“{upload.name}”不是上传到本申报的文件，不能登记。")
    entry = {"name": name or upload.name, "sha256": upload.blob_id, "size": upload.blob.size}

    def add(data: dict[str, Any], result: SaveResult) -> bool:
        if row is not None and row[1] >= len(rows_in(data, row[0].path)):
            # the row was deleted (or never saved) since the page was drawn
            raise EditRefused(
                f"{row[0].label}{row[1] + 1}不存在（可能已删除或尚未保存），未上传。"
                "请刷新页面后再上传佐证材料。"
            )
        files = data.setdefault("evidence", {}).setdefault(path, [])
        if any(item.get("sha256") == entry["sha256"] for item in files):
            return False
        problem = quota_refusal(data, entry)
        if problem:
            raise EditRefused(problem)
        files.append(entry)
        return True

    return locked_update(application, actor, add, source=RevisionSource.EVIDENCE).version


def _registered_sizes(data: dict[str, Any]) -> dict[str, int]:
    return {
        entry["sha256"]: entry.get("size") or 0
        for files in (data.get("evidence") or {}).values()
        for entry in files
        if entry.get("sha256")
    }


def quota_refusal(data: dict[str, Any], entry: dict[str, Any]) -> str | None:
    """Why ``entry`` would take the application's evidence over its quota, or None. A file
    already on the register (by ``sha256``, when known) takes no more space."""
    quota = settings.CLUSTERDESK_EVIDENCE_QUOTA_MB << 20
    sizes = _registered_sizes(data)
    used = sum(sizes.values())
    if entry.get("sha256") in sizes or used + (entry.get("size") or 0) <= quota:
        return None
    return (
        f"“{entry['name']}”未上传：本申报的佐证材料已占用 {used / MB:.1f} MB，"
        f"加上此文件将超过 {quota // MB} MB 的上限。请删除不需要的文件，或压缩后再上传。"
    )


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

    return locked_update(application, actor, remove, source=RevisionSource.EVIDENCE).version
