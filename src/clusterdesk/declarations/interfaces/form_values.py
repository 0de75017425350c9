"""Values of the schema as the web form shows them, and what a field's annotation offers."""

from __future__ import annotations

import types
from datetime import date
from decimal import Decimal
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from clusterdesk.form.numbers import NONE_WORD, NoneCount, NoneDecimal

# --- values and annotations -------------------------------------------------------------------


def shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, NoneDecimal | NoneCount):
        return NONE_WORD  # 无 in a number box shows 无, never 0 (form.numbers)
    if isinstance(value, Decimal):
        # 数据有小数时，保留小数点后2位: 92.4 is shown as 92.40 (a pad, never a rounding; a third
        # decimal stays as typed so that its error shows).
        if value != value.to_integral_value() and value.as_tuple().exponent == -1:
            value = value.quantize(Decimal("0.01"))
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def annotation_of(owner: BaseModel, name: str) -> Any:
    return type(owner).model_fields[name].annotation


def options_of(annotation: Any) -> tuple[str, ...]:
    """The printed options of a choice: the values of its Literal, Optional or not."""
    if get_origin(annotation) is Literal:
        return tuple(get_args(annotation))
    if get_origin(annotation) in (Union, types.UnionType):
        for arm in get_args(annotation):
            options = options_of(arm)
            if options:
                return options
    return ()


def list_column(key: str, annotation: Any, title: str | None) -> dict[str, Any]:
    options = options_of(annotation)
    bare = set(get_args(annotation)) or {annotation}
    widget = "select" if options else "number" if int in bare else "text"
    return {"key": key, "title": title or key, "widget": widget, "options": options}
