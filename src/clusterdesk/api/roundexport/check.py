"""Reading a round export back (``manage.py import_round --check``): is the file what
docs/round-export.md says, and does every snapshot still match its SHA-256? Versions 1 and 2 are
read (``format.MODELS``); version 2's registry part is checked too (revocations, the renewal
chain, 文号 unique). Pure: the format's models and the standard library, as another system would
read it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from clusterdesk.api.roundexport.format import (
    FORMAT,
    MODELS,
    Certification,
    CertificationLink,
    RoundExport,
    RoundExportV1,
    canonical_json,
    number_key,
)

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
    "string_too_short": "不能为空",
}
READ = "、".join(str(version) for version in MODELS)  # "1、2"


@dataclass
class Checked:
    problems: list[str] = field(default_factory=list)
    export: RoundExportV1 | None = None  # a RoundExport for version 2
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
    version = document.get("version")
    # ``type`` and not ``in``: JSON's true would equal 1.
    if type(version) is not int or version not in MODELS:
        checked.problems.append(
            f"格式版本 {version!r} 不受支持：本系统读取版本 {READ}（见 docs/round-export.md）。"
        )
        return checked
    try:
        export = MODELS[version].model_validate(document)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        checked.problems.extend(_message(error) for error in errors[:MAX_SHOWN])
        if len(errors) > MAX_SHOWN:
            checked.problems.append(f"……另有 {len(errors) - MAX_SHOWN} 处问题。")
        return checked
    checked.export = export
    _cross_check(document, export, checked)
    if isinstance(export, RoundExport):
        _check_registry(export, checked)
    return checked


def _cross_check(document: dict[str, Any], export: RoundExportV1, checked: Checked) -> None:
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


def _check_registry(export: RoundExport, checked: Checked) -> None:
    """Version 2's invariants: a revoked certification has its decision (文号, date) and a
    decision means 已撤销; a renewal names a certification in this file (which names it back)
    or says it is external; no 文号 is used twice among the 认定 and 撤销 documents, compared as
    the registry compares them (brackets, widths, spaces and case do not count)."""
    used: dict[str, tuple[str, str]] = {}  # number_key → (where, the 文号 as written)

    def unique(number: str, where: str) -> None:
        key = number_key(number)
        if key in used:
            first, written = used[key]
            checked.problems.append(
                f"{where}：文号“{number}”与 {first} 的“{written}”重复"
                "（认定和撤销的文号都不能重复，括号、全半角和空格不计）。"
            )
        else:
            used[key] = (where, number)

    for n, publication in enumerate(export.publications):
        unique(publication.document_number, f"publications[{n}].document_number")
    certified = {
        record.id: record.certification
        for record in export.applications
        if record.certification is not None
    }
    for index, record in enumerate(export.applications):
        certification = record.certification
        where = f"applications[{index}].certification"
        if certification is None:
            if record.state == "revoked":
                checked.problems.append(
                    f"applications[{index}].certification：状态为已撤销（revoked）的申报"
                    "须有认定记录及其撤销决定。"
                )
            continue
        revocation = certification.revocation
        if revocation is not None:
            unique(revocation.document_number, f"{where}.revocation.document_number")
            if certification.status != "revoked":
                checked.problems.append(
                    f"{where}.status：有撤销决定的认定，状态应为 revoked（已撤销），"
                    f"文件中为 {certification.status}。"
                )
        elif certification.status == "revoked" or record.state == "revoked":
            checked.problems.append(
                f"{where}.revocation：已撤销的认定须写明撤销决定（撤销文号和决定日期）。"
            )
        if certification.status == "renewed" and certification.renewed_by is None:
            checked.problems.append(
                f"{where}.renewed_by：状态为已复核续期（renewed），须写明续期后的认定。"
            )
        for name, back in (("renews", "renewed_by"), ("renewed_by", "renews")):
            link = getattr(certification, name)
            if link is not None:
                _check_link(
                    f"{where}.{name}",
                    record.id,
                    link,
                    back=back,
                    certified=certified,
                    checked=checked,
                )


def _check_link(
    where: str,
    own_id: int,
    link: CertificationLink,
    *,
    back: str,
    certified: dict[int, Certification],
    checked: Checked,
) -> None:
    target = certified.get(link.application_id)
    same = target is not None and number_key(target.document_number) == number_key(
        link.document_number
    )
    if link.application_id == own_id:
        checked.problems.append(f"{where}：续期关系不能指向本认定自身。")
    elif link.external:
        if same:
            checked.problems.append(
                f"{where}：标为外部（external: true），但本文件中就有申报 {link.application_id}"
                f"的认定“{link.document_number}”。"
            )
    elif not same:
        checked.problems.append(
            f"{where}：本文件中没有申报 {link.application_id} 文号为“{link.document_number}”"
            "的认定；不在本文件中的认定须标为外部（external: true）。"
        )
    else:
        answer = getattr(target, back)
        if answer is None or answer.application_id != own_id or answer.external:
            checked.problems.append(
                f"{where}：申报 {link.application_id} 的认定没有反过来指向本认定（{back}）。"
            )
