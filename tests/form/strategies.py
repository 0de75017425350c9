"""Hypothesis strategies for valid applications, derived from the schema's field metadata.

Nothing here names a field of the form except the three places where the form links fields to
one another (a count and its 清单, the standards table and its 清单, the plan's 3000字 limit):
new fields get generated without touching this file.
"""

from __future__ import annotations

import typing
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel

from clusterdesk.form.attachment2 import ATTACHMENT2_2023
from clusterdesk.form.fields import RANGES, Evidence, FieldSpec, Kind, form_fields
from clusterdesk.form.schema import Application
from clusterdesk.form.schema.innovation import CATEGORY_FIELDS, ROLE_FIELDS
from clusterdesk.form.versions import FORM_2023
from clusterdesk.form.walk import walk

# Letters a filler types: CJK, ASCII, full-width punctuation; white space only inside the text.
_ALPHABET = st.sampled_from(
    list("集群产业模具汽车创新数字化绿色中小企业服务平台开放合作治理宁波北仑")
    + list("abcXYZ0123456789，。；：（）%-、“”")
)
_SPACE = st.sampled_from([" ", "\n", "　"])
# Plan texts share one 3000字 limit across some 16 boxes, so no generated text exceeds this.
_MAX_TEXT = 150
_PATENT_MAX = 12


def _text(max_chars: int | None) -> st.SearchStrategy[str]:
    limit = min(max_chars or _MAX_TEXT, _MAX_TEXT)
    word = st.text(_ALPHABET, min_size=1, max_size=max(1, limit // 3))
    return (
        st.lists(word, min_size=1, max_size=3)
        .flatmap(lambda words: _SPACE.map(lambda sep: sep.join(words)))
        .filter(lambda text: len("".join(text.split())) <= limit)
    )


def _number(kind: Kind) -> st.SearchStrategy[Any]:
    low, high = RANGES[kind]
    if kind == Kind.COUNT:
        return st.integers(int(low), min(int(high), 100_000))
    return st.decimals(low, min(high, Decimal(1_000_000)), places=2, allow_nan=False)


def _options(model: type[BaseModel], name: str) -> list[Any]:
    annotation = model.model_fields[name].annotation
    for arg in typing.get_args(annotation) or (annotation,):
        if typing.get_origin(arg) is typing.Literal:
            return list(typing.get_args(arg))
    raise TypeError(f"{model.__name__}.{name} has no options")


def _value(model: type[BaseModel], name: str, spec: FieldSpec) -> st.SearchStrategy[Any]:
    if spec.kind == Kind.SECTION:
        return _model(_inner_model(model, name))
    if spec.kind in (Kind.TEXT, Kind.NARRATIVE):
        return _text(spec.max_chars)
    if spec.kind == Kind.CHOICE:
        return st.sampled_from(_options(model, name))
    if spec.kind == Kind.TICK:
        return st.just(True) if spec.required else st.booleans()
    if spec.kind == Kind.DATE:
        return st.dates(date(2023, 1, 1), date(2023, 4, 14))
    if spec.kind == Kind.LIST:
        return st.just([])
    annotation = model.model_fields[name].annotation
    kind = Kind.COUNT if int in typing.get_args(annotation) else spec.kind
    return _number(kind)


def _inner_model(model: type[BaseModel], name: str) -> type[BaseModel]:
    annotation = model.model_fields[name].annotation
    if typing.get_origin(annotation) is dict:
        annotation = typing.get_args(annotation)[1]
    return annotation  # type: ignore[return-value]


def _model(model: type[BaseModel]) -> st.SearchStrategy[dict[str, Any]]:
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for name, spec in form_fields(model):
        value = _value(model, name, spec)
        if spec.yearly:
            value = st.fixed_dictionaries(dict.fromkeys(FORM_2023.year_keys, value))
        fields[name] = value
    return st.fixed_dictionaries(fields)


@st.composite
def applications(draw: st.DrawFn) -> Application:
    data = draw(_model(Application))
    data["attachment1"]["established"] = str(draw(st.integers(1980, FORM_2023.base_year)))
    _list_standards(data)
    patents = draw(st.integers(0, _PATENT_MAX))
    data["part3"]["patents"] = patents
    data["part3"]["patents_list"] = [{"title": f"一种模具{i}"} for i in range(patents)]
    application = Application.model_validate(data)
    application.evidence = {
        node.path: [{"name": f"{node.spec.label[:20]}.pdf"}]
        for node in walk(ATTACHMENT2_2023, application)
        if node.spec.evidence != Evidence.NONE and node.year is None
    }
    return application


def _list_standards(data: dict[str, Any]) -> None:
    """A 清单 row for every standard the table counts (kept small to stay fast)."""
    rows = []
    for year, table in data["part3"]["standards"].items():
        for category, category_field in CATEGORY_FIELDS.items():
            for role, role_field in ROLE_FIELDS.items():
                count = table[category_field][role_field] % 3
                table[category_field][role_field] = count
                rows += [
                    {"year": int(year), "category": category, "role": role, "name": f"标准{i}"}
                    for i in range(count)
                ]
    data["part3"]["standards_list"] = rows
