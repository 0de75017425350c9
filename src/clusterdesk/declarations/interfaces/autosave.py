"""The autosave exchange: reading the changes a page sends, answering what happened.

The answer is JSON: what became of each change (applied, conflict, invalid), which the page's
queue needs, and ``html``, the parts of the page that the save changed (findings, progress) as
rendered by the server, which the page swaps in by id and does not interpret.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any, NamedTuple

from clusterdesk.declarations.domain.editing import Change, SaveResult

MAX_CHANGES = 500  # a pasted patents list is one change; a page has about a hundred boxes
# {"changes": [{"value": [{"name": ...}]}]}: a list's rows are the deepest a page sends (5).
# Anything far deeper is not from the page, and would exhaust the recursion of every function
# that walks the value afterwards (copying, comparing, storing).
MAX_DEPTH = 12


class BadRequest(ValueError):
    """The body is not an autosave request; the message is Chinese, for the status bar."""


class SaveRequest(NamedTuple):
    changes: list[Change]
    page: str | None  # the page that sent them, whose parts the answer renders


def request_from_body(body: bytes, pages: Collection[str]) -> SaveRequest:
    try:
        payload = json.loads(
            body.decode("utf-8"), parse_constant=_refuse_constant, parse_float=_finite_float
        )
    except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError, a 5,000-digit number
        raise BadRequest("保存请求不是有效的 JSON") from exc
    except RecursionError as exc:  # thousands of nested brackets: the parser gives up first
        raise BadRequest("保存请求的数据层级过深") from exc
    if _deeper_than(payload, MAX_DEPTH):
        raise BadRequest("保存请求的数据层级过深")
    changes = payload.get("changes") if isinstance(payload, dict) else None
    if not isinstance(changes, list) or len(changes) > MAX_CHANGES:
        raise BadRequest("保存请求应包含 changes 列表")
    out = []
    for item in changes:
        if not isinstance(item, dict) or not isinstance(item.get("path"), str):
            raise BadRequest("每项修改应包含栏目路径 path")
        out.append(Change(item["path"], item.get("value"), item.get("original")))
    page = payload.get("page")
    if page is not None and (not isinstance(page, str) or page not in pages):
        raise BadRequest("保存请求中的页面 page 不是申报表的一页")
    return SaveRequest(out, page)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN, Infinity: Python accepts them, JSON does not


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):  # 1e999
        raise ValueError("number out of range")
    return value


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether lists and objects nest more than ``limit`` levels (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if not isinstance(item, dict | list):
            continue
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children)
    return False


def result_json(result: SaveResult, html: str) -> dict[str, Any]:
    return {
        "version": result.version,
        "previous_version": result.previous_version,
        "applied": result.applied,
        "conflicts": [
            {"path": c.path, "yours": c.yours, "theirs": c.theirs} for c in result.conflicts
        ],
        "invalid": result.invalid,
        # What was changed to read a typed number (去掉单位亿元 …): the page notes it at the box.
        "normalised": result.normalised,
        "html": html,
    }
