"""Reading a round export back (``manage.py import_round --check``): is the file what
docs/round-export.md says, and does every snapshot still match its SHA-256? Pure: the format's
models and the standard library, as another system would read it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from clusterdesk.api.roundexport.format import FORMAT, VERSION, RoundExport, canonical_json

MAX_SHOWN = 20  # problems listed; the count says how many more

# pydantic's error types as a reader should hear them; others say 取值无效 with pydantic's text.
MESSAGES = {
    "missing": "缺少此项",
    "extra_forbidden": "不是本格式的字段",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "string_type": "应为文字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "literal_error": "应为以下之一：{expected}",
    "string_pattern_mismatch": "格式不正确",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "datetime_from_date_parsing": "应为带时区的时间（ISO 8601）",
    "datetime_parsing": "应为带时区的时间（ISO 8601）",
    "string_too_long": "不能超过 {max_length} 个字符",
}


@dataclass
class Checked:
    problems: list[str] = field(default_factory=list)
    export: RoundExport | None = None
    snapshots: int = 0  # snapshots whose SHA-256 was verified

    @property
    def ok(self) -> bool:
        return not self.problems


def _where(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "文件"


def _message(error: dict[str, Any]) -> str:
    template = MESSAGES.get(error["type"])
    if template is None:
        return f"{_where(error['loc'])}：取值无效（{error['msg']}）"
    try:
        return f"{_where(error['loc'])}：{template.format(**(error.get('ctx') or {}))}"
    except (KeyError, IndexError):
        return f"{_where(error['loc'])}：取值无效"


def check_bytes(raw: bytes) -> Checked:
    """Every problem of ``raw`` as a round export, in Chinese; none when it may be imported."""
    checked = Checked()
    try:
        # UTF-8 as the format says: json.loads would also take UTF-16 and UTF-32 bytes.
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        checked.problems.append("文件不是 UTF-8 编码的文本。")
        return checked
    except json.JSONDecodeError as exc:
        checked.problems.append(f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）。")
        return checked
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        checked.problems.append(f"不是轮次数据交换文件：format 应为“{FORMAT}”。")
        return checked
    if document.get("version") != VERSION:
        checked.problems.append(
            f"格式版本 {document.get('version')!r} 不受支持：本系统读取版本 {VERSION}。"
        )
        return checked
    try:
        export = RoundExport.model_validate(document)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        checked.problems.extend(_message(error) for error in errors[:MAX_SHOWN])
        if len(errors) > MAX_SHOWN:
            checked.problems.append(f"……另有 {len(errors) - MAX_SHOWN} 处问题。")
        return checked
    checked.export = export
    _cross_check(document, export, checked)
    return checked


def _cross_check(document: dict[str, Any], export: RoundExport, checked: Checked) -> None:
    """What the schema cannot say: hashes match, references resolve, ids are unique."""
    phases = {phase.id for phase in export.phases}
    numbers = {publication.document_number for publication in export.publications}
    seen: set[int] = set()
    for index, (raw, record) in enumerate(
        zip(document["applications"], export.applications, strict=True)
    ):
        where = f"applications[{index}]"
        if record.id in seen:
            checked.problems.append(f"{where}.id：申报 id {record.id} 重复。")
        seen.add(record.id)
        if record.submission is not None:
            # The hash of the data as written in the file, not as re-read by the models.
            digest = hashlib.sha256(canonical_json(raw["submission"]["data"])).hexdigest()
            if digest != record.submission.data_sha256:
                checked.problems.append(
                    f"{where}.submission.data：与 data_sha256 不符，文件中的申报表已被改动。"
                )
            else:
                checked.snapshots += 1
        for n, sheet in enumerate(record.score_sheets):
            if sheet.phase_id not in phases:
                checked.problems.append(
                    f"{where}.score_sheets[{n}].phase_id：phases 中没有评审阶段 {sheet.phase_id}。"
                )
        certification = record.certification
        if certification is not None and certification.document_number not in numbers:
            checked.problems.append(
                f"{where}.certification.document_number：publications 中没有文号"
                f"“{certification.document_number}”。"
            )
