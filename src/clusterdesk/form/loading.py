"""Reading an application from JSON, with a Chinese message for every way a file can be wrong.

A file that is not a readable application (not JSON, wrong types, unknown fields) is an
``ApplicationInputError``; whether a readable application is complete and correct is the rules'
business, not this module's. Files come without a round, so they are read as the 2023
Attachment 2 unless the caller names another form.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .attachment2 import ATTACHMENT2_2023
from .definition import FormDefinition
from .fields import form_fields

MAX_FILE_BYTES = 20 * 1024 * 1024  # the largest real application is about 1 MB with its lists
MAX_REPORTED_PROBLEMS = 20

TYPE_MESSAGES = {
    "missing": "缺少此项",
    "extra_forbidden": "不是申报表中的栏目（未知字段）",
    # A number box holds a number or 无 (填报说明 2; form.numbers): the message says both.
    "decimal_parsing": "应为数字；无相关情况时填写“无”",
    "decimal_type": "应为数字；无相关情况时填写“无”",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "finite_number": "应为有限的数字",
    "int_parsing": "应为整数；无相关情况时填写“无”",
    "int_type": "应为整数；无相关情况时填写“无”",
    "int_from_float": "应为整数，不能有小数",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文字",
    "string_too_long": "文字过长",
    "string_too_short": "不能为空",
    "string_pattern_mismatch": "格式不正确",
    "date_parsing": "应为日期，格式如 2023-04-10",
    "date_from_datetime_parsing": "应为日期，格式如 2023-04-10",
    "date_type": "应为日期，格式如 2023-04-10",
    "dict_type": "应为对象（{…}）",
    "model_type": "应为对象（{…}）",
    "model_attributes_type": "应为对象（{…}）",
    "list_type": "应为列表（[…]）",
    "too_long": "条目过多",
    "decimal_max_digits": "数字位数过多",
}


class ApplicationInputError(ValueError):
    """The input is not a readable application; ``problems`` name each path and what is wrong."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []

    def __str__(self) -> str:
        return "\n".join([self.message, *(f"  - {p}" for p in self.problems)])


def load_application(path: str | Path, definition: FormDefinition = ATTACHMENT2_2023) -> BaseModel:
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise ApplicationInputError(f"找不到文件：{name}")
    if not path.is_file():
        raise ApplicationInputError(f"{name} 不是文件")
    if path.stat().st_size > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        raise ApplicationInputError(f"文件 {name} 超过 {limit} MB，不是申报表数据文件")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ApplicationInputError(f"无法读取文件 {name}：{exc.strerror}") from exc
    return parse_application(raw, name, definition)


def parse_application(
    raw: bytes | str, source: str = "输入", definition: FormDefinition = ATTACHMENT2_2023
) -> BaseModel:
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ApplicationInputError(f"文件 {source} 不是 UTF-8 编码的文本") from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ApplicationInputError(
            f"文件 {source} 不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}"
        ) from exc
    return application_from_data(data, source, definition)


def application_from_data(
    data: Any, source: str = "输入", definition: FormDefinition = ATTACHMENT2_2023
) -> BaseModel:
    if not isinstance(data, dict):
        raise ApplicationInputError(f"文件 {source} 的内容应为一个申报表对象（{{…}}）")
    try:
        return definition.model.model_validate(data)
    except ValidationError as exc:
        problems = [describe_error(error, definition) for error in exc.errors()]
        shown = problems[:MAX_REPORTED_PROBLEMS]
        if len(problems) > len(shown):
            shown.append(f"……另有 {len(problems) - len(shown)} 处问题")
        raise ApplicationInputError(
            f"文件 {source} 不是可读取的申报表（{len(problems)} 处问题）：", shown
        ) from exc


def describe_error(error: dict[str, Any], definition: FormDefinition) -> str:
    loc = tuple(str(part) for part in error["loc"])
    path = ".".join(loc) or "（根）"
    label = label_at(definition, loc)
    where = f"{path}「{label}」" if label else path
    return f"{where}：{problem_of(error)}"


def problem_of(error: dict[str, Any]) -> str:
    """What is wrong with the value, in Chinese, without saying where (the caller knows)."""
    what = TYPE_MESSAGES.get(error["type"], error["msg"])
    if error["type"] == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        what = f"应为以下之一：{expected}"
    if error["type"] in ("missing", "extra_forbidden"):
        return what
    if error["type"] in ("string_too_long", "too_long"):
        return _too_long(error)
    return f"{what}，实际为 {_short(error.get('input'))}"


def label_at(definition: FormDefinition, loc: tuple[str, ...]) -> str | None:
    """The official label of the deepest form field along a path, if the path names one."""
    model: type[BaseModel] | None = definition.model
    label = None
    for part in loc:
        if model is None:
            break
        fields = dict(form_fields(model))
        if part not in fields:
            if part not in model.model_fields:
                return None  # not a field of the form: naming the enclosing part would mislead
            annotation = model.model_fields[part].annotation
            model = annotation if _is_model(annotation) else None
            continue
        label = fields[part].label
        annotation = model.model_fields[part].annotation
        model = annotation if _is_model(annotation) else None
    return label


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _too_long(error: dict[str, Any]) -> str:
    """文字过长（2,400,000 字，上限 2,000 字）: the size and the cap, never the value itself."""
    value, cap = error.get("input"), error.get("ctx", {}).get("max_length")
    size = len(value) if isinstance(value, str | list | dict) else None
    unit = "字" if error["type"] == "string_too_long" else "行"
    what = TYPE_MESSAGES[error["type"]]
    if size is None or cap is None:
        return what
    return f"{what}（{size:,} {unit}，系统上限 {cap:,} {unit}）"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else f"“{value}”"
    return text if len(text) <= 40 else text[:37] + "…"
