"""What a change of the form may name, and the core's answer for one box.

Paths are dotted (``part2.total_output.2021``): every form field and year cell, with a 清单 and
the names of a platform line as a whole. The messages name a box as the officer sees it.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from clusterdesk.form.fields import Kind
from clusterdesk.form.loading import label_at, problem_of
from clusterdesk.form.schema import Application as Form
from clusterdesk.form.schema.innovation import CATEGORY_FIELDS, ROLE_FIELDS, InnovationPlatforms
from clusterdesk.form.versions import CURRENT
from clusterdesk.form.walk import walk


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


def as_stored(path: str, value: Any) -> Any:
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


def valid(data: dict[str, Any]) -> bool:
    try:
        Form.model_validate(data)
    except ValidationError:
        return False
    return True


def refusal_at(data: dict[str, Any], path: str) -> str | None:
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
