"""What a change of a form may name, and the core's answer for one box.

Paths are dotted (``part2.total_output.2021``): every form field and year cell, with a 清单 and
a plain list of names (the names of a platform line) as a whole. The messages name a box as the
officer sees it. Everything here takes the form's definition; the answers are cached per form.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from clusterdesk.form.definition import FormDefinition
from clusterdesk.form.fields import Kind, form_fields
from clusterdesk.form.loading import label_at, problem_of
from clusterdesk.form.row_evidence import row_at, row_lists
from clusterdesk.form.walk import Node, cell_model, walk, walk_model


@cache
def editable_paths(definition: FormDefinition) -> frozenset[str]:
    """Paths a change may name: every form field and year cell, lists as a whole."""
    return frozenset(_kinds(definition))


def paths_in_order(definition: FormDefinition) -> tuple[str, ...]:
    """The editable paths in the order the form shows them (for a picker of places)."""
    return tuple(_kinds(definition))


@cache
def _kinds(definition: FormDefinition) -> dict[str, Kind]:
    """Each editable path with the kind of box it names."""
    kinds = {}
    for node in _every_box(definition):
        column = node.spec.yearly and node.year is None  # addressed cell by cell
        # A year cell of a table block (the standards table) is addressed by its boxes.
        table_cell = node.year is not None and node.spec.kind == Kind.SECTION
        if not column and not table_cell and node.spec.kind != Kind.SECTION:
            kinds[node.path] = node.spec.kind
        elif node.spec.kind == Kind.SECTION and isinstance(node.value, BaseModel):
            kinds.update(_plain_lists(node.value, node.path))
    return kinds


def _every_box(definition: FormDefinition):
    """The nodes of an empty form, with the boxes of every year of its table blocks, which an
    empty form leaves out."""
    years = definition.year_keys
    for node in walk(definition, definition.model()):
        yield node
        model = cell_model(type(node.owner), node.name) if node.spec.yearly else None
        if model is not None and node.year is None:
            for year in years:
                cell = Node(f"{node.path}.{year}", node.spec, model(), node.owner, node.name, year)
                yield cell
                yield from walk_model(cell.value, f"{cell.path}.", (), years)


def _plain_lists(block: BaseModel, path: str) -> dict[str, Kind]:
    """Lists of a block that are no box of their own (名称 of a platform line): a plain list of
    names, edited as a whole, one name per line."""
    boxes = dict(form_fields(type(block)))
    return {
        f"{path}.{name}": Kind.LIST
        for name, info in type(block).model_fields.items()
        if name not in boxes and get_origin(info.annotation) is list
    }


def takes_evidence(definition: FormDefinition, path: str) -> bool:
    """Whether files may be filed under ``path``: a box of the form, or a row of a 清单 whose
    rows carry their own files (典型案例N, ``form.row_evidence``)."""
    if row_at(definition, path) is not None:
        return True
    # files against such a list as a whole would prove none of its rows
    lists = {rows.path for rows in row_lists(definition)}
    return path in editable_paths(definition) and path not in lists


def kind_at(definition: FormDefinition, path: str) -> Kind | None:
    return _kinds(definition).get(path)


@cache
def _units(definition: FormDefinition) -> dict[str, str]:
    return {node.path: node.spec.unit for node in _every_box(definition) if node.spec.unit}


def unit_at(definition: FormDefinition, path: str) -> str | None:
    """The unit a box is filled in (亿元, %), for reading a number typed with its unit."""
    return _units(definition).get(path)


def as_stored(definition: FormDefinition, path: str, value: Any) -> Any:
    """A 清单's rows as the store keeps them (the page sends the year "2020", the store 2020).

    Without this, the original a page takes from its own last save differs from the stored rows,
    and every second edit of such a list in one visit is reported as a conflict. A row the core
    refuses stays as sent, for the refusal to name it.
    """
    row_model = _list_rows(definition).get(path)
    if row_model is None or not isinstance(value, list):
        return value
    rows = []
    for row in value:
        try:
            rows.append(row_model.model_validate(row).model_dump(mode="json"))
        except ValidationError:
            rows.append(row)
    return rows


def valid(definition: FormDefinition, data: dict[str, Any]) -> bool:
    try:
        definition.model.model_validate(data)
    except ValidationError:
        return False
    return True


def valid_parts(definition: FormDefinition, data: dict[str, Any], before: dict[str, Any]) -> bool:
    """``valid(definition, data)`` for ``data`` that differs from the valid ``before`` only in
    some parts: the schema checks each field on its own, so only those parts are checked."""
    fields = definition.model.model_fields
    changed = [name for name in data if before.get(name) != data[name]]
    models = [fields[name].annotation if name in fields else None for name in changed]
    if not all(isinstance(model, type) and issubclass(model, BaseModel) for model in models):
        return valid(definition, data)  # a root field that is no part: the whole form
    try:
        for name, model in zip(changed, models, strict=True):
            model.model_validate(data[name])
    except ValidationError:
        return False
    return True


def refusal_at(definition: FormDefinition, data: dict[str, Any], path: str) -> str | None:
    try:
        definition.model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        mine = [
            e
            for e in errors
            if _dotted(e["loc"]) == path or _dotted(e["loc"]).startswith(path + ".")
        ]
        return refusal_message(definition, (mine or errors)[0])
    return None


def _dotted(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


def refusal_message(definition: FormDefinition, error: dict[str, Any]) -> str:
    """A refused value in Chinese, named as the user sees it: 「集群企业数量（2021年）」, 第2行."""
    loc = tuple(str(part) for part in error["loc"])
    label = label_at(definition, loc) or "该栏目"
    where = [f"「{label}」"]
    for part in loc:
        if re.fullmatch(r"\d{4}", part):
            where.append(f"{part}年")
        elif part.isdigit():
            where.append(f"第{int(part) + 1}行")
    column = _column_title(definition, loc)
    if column:
        where.append(f"「{column}」")
    return f"{'·'.join(where)}：{problem_of(error)}"


def _column_title(definition: FormDefinition, loc: tuple[str, ...]) -> str | None:
    """The title of a column of a 清单 row (标准名称, 专利号或证书号 …), if the error is in one."""
    if len(loc) < 2 or not loc[-2].isdigit():
        return None
    model = _list_rows(definition).get(".".join(loc[:-2]))
    info = model.model_fields.get(loc[-1]) if model else None
    return info.title if info else None


@cache
def _list_rows(definition: FormDefinition) -> dict[str, type[BaseModel]]:
    """The row model of each 清单 (standards, patents, the extra targets), by its path."""
    rows = {}
    for node in walk(definition, definition.model()):
        if node.spec.kind == Kind.LIST:
            (row,) = get_args(type(node.owner).model_fields[node.name].annotation)
            rows[node.path] = row
    return rows
