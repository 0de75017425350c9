"""The application as an expert reads it: every part of the form, read-only, box by box, with
the evidence filed at each box; the pre-check and consistency warnings (the same reading the
city's desk shows, ``intake.domain.reading``).

When the round anonymises the county (``ReviewSettings.anonymise_county``), the boxes that
name the county unit (封面, the 主管部门 and its contact, part 九's signatures) and the
Attachment 1 row are left out; what remains is the cluster's own description.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from clusterdesk.declarations.domain.forms import form_definition, form_of
from clusterdesk.declarations.models import Application
from clusterdesk.evidence.domain.register import register_of
from clusterdesk.form.display import show
from clusterdesk.form.fields import Kind, form_fields
from clusterdesk.form.walk import walk
from clusterdesk.review.models import ReviewSettings

# Boxes that name the county unit or its people; hidden under 匿名评审.
COUNTY_PATHS = ("cover", "part1.department", "part9")
HIDDEN = "（匿名评审，已隐去）"
MAX_LIST_ROWS = 500
SHA256 = re.compile("[0-9a-f]{64}")  # the form's longest 清单 (patents) stays well under this


@dataclass(frozen=True)
class Box:
    path: str
    label: str
    depth: int
    heading: bool
    text: str
    rows: list[list[str]] = field(default_factory=list)  # a 清单's rows
    columns: list[str] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class PartView:
    key: str
    title: str
    boxes: list[Box]


@dataclass(frozen=True)
class Material:
    """Material beside the application on the expert's page (e.g. a 复核's annual reports): a
    table whose rows may link to a read-only page reached through the expert's assignment."""

    title: str
    note: str
    columns: list[str]
    rows: list[tuple[list[str], str]]  # (cells, url or "")


# Apps above add material (registered in their AppConfig.ready): each is called with the
# assignment and returns a Material, or None where it has nothing for it.
MATERIAL_FROM_ABOVE: list[Callable[[Any], Material | None]] = []


def material_for(assignment: Any) -> list[Material]:
    found = (hook(assignment) for hook in MATERIAL_FROM_ABOVE)
    return [material for material in found if material is not None]


def anonymised(round_) -> bool:
    """Whether the round's review hides the county (read only: no settings row is created)."""
    return bool(
        ReviewSettings.objects.filter(round=round_)
        .values_list("anonymise_county", flat=True)
        .first()
    )


def hidden_path(path: str, anonymise: bool) -> bool:
    return anonymise and any(path == p or path.startswith(p + ".") for p in COUNTY_PATHS)


def application_parts(application: Application, anonymise: bool) -> list[PartView]:
    definition = form_definition(application)
    form = form_of(application)
    register = register_of(application)
    titles = definition.page_titles
    parts: dict[str, PartView] = {}
    for node in walk(definition, form):
        page = definition.page_of(node.path) or ""
        part = parts.setdefault(page, PartView(page, titles.get(page, "其他"), []))
        hidden = hidden_path(node.path, anonymise)
        files = [] if hidden else _files(register.get(node.path))
        depth = len(node.context)
        if node.spec.kind == Kind.SECTION:
            if depth:  # the part's own title is the part heading
                part.boxes.append(Box(node.path, node.label, depth, True, "", files=files))
            continue
        if node.spec.kind == Kind.LIST:
            rows, columns = ([], []) if hidden else _list_rows(node.value)
            text = HIDDEN if hidden else ("" if rows else "无")
            part.boxes.append(Box(node.path, node.label, depth, False, text, rows, columns, files))
            continue
        integer = node.spec.kind == Kind.COUNT
        text = HIDDEN if hidden else show(node.value, integer=integer, unit=node.spec.unit)
        part.boxes.append(Box(node.path, node.label, depth, False, text, files=files))
    return list(parts.values())


def _files(entries: Any) -> list[dict[str, Any]]:
    """The register's entries at a box, each with a ``sha256`` only if it names a stored file's
    hash (a register may also hold names without a file, e.g. the example's)."""
    files = []
    for entry in entries or []:
        if not isinstance(entry, dict):
            continue
        sha = entry.get("sha256")
        valid = isinstance(sha, str) and SHA256.fullmatch(sha) is not None
        files.append(
            {"name": str(entry.get("name") or "（未命名文件）"), "sha256": sha if valid else ""}
        )
    return files


def _list_rows(value: Any) -> tuple[list[list[str]], list[str]]:
    if not value:
        return [], []
    first = value[0]
    specs = form_fields(type(first))
    columns = [spec.label for _name, spec in specs]
    rows = [
        [show(getattr(row, name), integer=spec.kind == Kind.COUNT) for name, spec in specs]
        for row in value[:MAX_LIST_ROWS]
    ]
    return rows, columns
