"""Walks a filled form field by field, with each field's path, official label and metadata."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, get_args

from pydantic import BaseModel

from .definition import FormDefinition
from .fields import FieldSpec, Kind, form_fields
from .versions import FORM_VERSIONS, FormVersion


@dataclass(frozen=True, slots=True)
class Node:
    path: str
    spec: FieldSpec
    value: Any
    owner: BaseModel  # the model that holds the field
    name: str
    year: str | None = None  # set for one cell of a year column
    context: tuple[str, ...] = ()  # labels of the enclosing blocks, outermost first

    @property
    def label(self) -> str:
        return f"{self.spec.label}（{self.year}年）" if self.year else self.spec.label

    @property
    def answered(self) -> bool:
        """Whether the box holds an answer: a ticked box, a non-blank text, any value."""
        if self.spec.kind == Kind.TICK:
            return self.value is True
        if isinstance(self.value, str):
            return bool(self.value.strip())
        return self.value is not None

    @property
    def not_applicable(self) -> bool:
        """Exempt from being required, e.g. a rate of a 非工业集群 (``not_applicable_when``)."""
        condition = self.spec.not_applicable_when
        return condition is not None and getattr(self.owner, condition[0], None) == condition[1]

    @property
    def full_label(self) -> str:
        """The label with the blocks it sits in, for messages about nested cells."""
        return "·".join((*self.context, self.label))


def version_of(application: BaseModel) -> FormVersion:
    """The version an Attachment 2 names in its ``form_version`` (its consistency checks and
    criteria read the years from there); the engine takes the years from the definition."""
    return FORM_VERSIONS[application.form_version]  # type: ignore[attr-defined]


def walk(definition: FormDefinition, form: BaseModel) -> Iterator[Node]:
    """Every form field, depth first in the form's order; year columns one cell per data year."""
    yield from walk_model(form, "", (), definition.year_keys)


def walk_top(definition: FormDefinition, form: BaseModel, name: str) -> Iterator[Node]:
    """What ``walk`` yields for one top-level field of the form (a part) and everything in it."""
    yield from walk_model(form, "", (), definition.year_keys, only=name)


def walk_model(
    model: BaseModel,
    prefix: str,
    context: tuple[str, ...],
    years: tuple[str, ...],
    only: str | None = None,
) -> Iterator[Node]:
    for name, spec in form_fields(type(model)):
        if only is not None and name != only:
            continue
        value = getattr(model, name)
        path = f"{prefix}{name}"
        node = Node(path, spec, value, model, name, context=context)
        yield node
        inner = (*context, spec.label)
        if spec.yearly:
            for year in years:
                cell = value.get(year)
                yield Node(f"{path}.{year}", spec, cell, model, name, year, context)
                if isinstance(cell, BaseModel):
                    yield from walk_model(cell, f"{path}.{year}.", (*inner, f"{year}年"), years)
        elif spec.kind == Kind.SECTION and isinstance(value, BaseModel):
            yield from walk_model(value, f"{path}.", inner, years)


@cache
def cell_model(owner: type[BaseModel], name: str) -> type[BaseModel] | None:
    """The model of one year cell of a yearly block (dict[YearKey, Model]), if it is one."""
    args = get_args(owner.model_fields[name].annotation)
    cell = args[-1] if args else None
    return cell if isinstance(cell, type) and issubclass(cell, BaseModel) else None


def resolve(application: BaseModel, path: str) -> Any:
    """The value at a dotted path, or None where the path leads nowhere."""
    current: Any = application
    for part in path.split("."):
        if isinstance(current, BaseModel):
            current = getattr(current, part, None)
        elif isinstance(current, dict):
            current = current.get(part)
        else:
            return None
    return current
