"""The autosave exchange in JSON: reading the changes a page sends, writing what happened."""

from __future__ import annotations

import json
from typing import Any

from clusterdesk.declarations.domain.editing import Change, SaveResult
from clusterdesk.declarations.domain.forms import PageProgress
from clusterdesk.declarations.interfaces.form_page import findings_json
from clusterdesk.form.findings import Finding

MAX_CHANGES = 500  # a pasted patents list is one change; a page has about a hundred boxes


class BadRequest(ValueError):
    """The body is not an autosave request; the message is Chinese, for the status bar."""


def changes_from_body(body: bytes) -> list[Change]:
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadRequest("保存请求不是有效的 JSON") from exc
    changes = payload.get("changes") if isinstance(payload, dict) else None
    if not isinstance(changes, list) or len(changes) > MAX_CHANGES:
        raise BadRequest("保存请求应包含 changes 列表")
    out = []
    for item in changes:
        if not isinstance(item, dict) or not isinstance(item.get("path"), str):
            raise BadRequest("每项修改应包含栏目路径 path")
        out.append(Change(item["path"], item.get("value"), item.get("original")))
    return out


def result_json(
    result: SaveResult, findings: list[Finding], progress: list[PageProgress]
) -> dict[str, Any]:
    return {
        "version": result.version,
        "previous_version": result.previous_version,
        "applied": result.applied,
        "conflicts": [
            {"path": c.path, "yours": c.yours, "theirs": c.theirs} for c in result.conflicts
        ],
        "invalid": result.invalid,
        "findings": findings_json(findings),
        "progress": [progress_json(item) for item in progress],
    }


def progress_json(item: PageProgress) -> dict[str, Any]:
    return {
        "page": item.page,
        "title": item.title,
        "filled": item.filled,
        "required": item.required,
        "errors": item.errors,
        "warnings": item.warnings,
        "percent": item.percent,
        "complete": item.complete,
    }
