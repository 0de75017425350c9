"""The annual report's own rules: its lists (typical cases, major changes, extra indicators).

The field-by-field 填报说明 rules (required, 无, two decimals, ranges, character limits of the
boxes) come from the shared engine (``form.rules``) reading the schema's metadata. The rows of a
list are not boxes the engine walks, so their limits and needs are checked here, with the same
rule ids and the same wording as the engine's messages.
"""

from __future__ import annotations

from typing import Any

from ..definition import FormDefinition
from ..fields import spec_of
from ..findings import Finding, Level
from ..rules import EVIDENCE, MAX_CHARS, REQUIRED, char_count
from .schema import (
    CASE_EVIDENCE_TITLE,
    CHANGE_CHARS,
    NARRATIVE_CHARS,
    SHORT_CHARS,
    AnnualReport,
    Case,
    ExtraActual,
    IndustryFigures,
    MajorChange,
)

CHANGE_LIST = "annual.change-list"  # 是/否 and the list of changes disagree
CHANGE_SAME = "annual.change-same"  # a change whose before and after are the same
CHANGE_DATE = "annual.change-date"  # a change dated outside the reported year
SME_COUNT = "annual.sme-count"  # a part of the enterprises larger than the whole

YES, NO = "是", "否"


def _title(model: type[Any], name: str) -> str:
    return model.model_fields[name].title or name


def _limit(path: str, label: str, text: str, limit: int) -> list[Finding]:
    count = char_count(text)
    if count <= limit:
        return []
    message = f"「{label}」共{count}字，超过{limit}字以内的要求（不计空白字符）"
    return [Finding(path, label, Level.ERROR, MAX_CHARS, message, {"count": count, "limit": limit})]


def case_rules(definition: FormDefinition, report: AnnualReport) -> list[Finding]:
    """At least one typical case; each within its limits and with its own 佐证材料 (filed under
    the case, ``cases.items.N``: files of another case or of the list do not count)."""
    cases = report.cases.items
    if not cases:
        message = "「典型案例」至少填写1个案例，并提供佐证材料"
        return [Finding("cases.items", "典型案例", Level.ERROR, REQUIRED, message, {})]
    out: list[Finding] = []
    for index, case in enumerate(cases):
        where = f"典型案例{index + 1}"
        path = f"cases.items.{index}"
        title_label = f"{where}·{_title(Case, 'title')}"
        out += _limit(f"{path}.title", title_label, case.title, SHORT_CHARS)
        out += _limit(f"{path}.text", f"{where}·{_title(Case, 'text')}", case.text, NARRATIVE_CHARS)
        if not report.evidence.get(path):  # the case's own files (form.row_evidence)
            label = f"{where}·{CASE_EVIDENCE_TITLE}"
            message = f"「{where}（{case.title}）」需提供佐证材料"
            out.append(Finding(f"{path}.evidence", label, Level.ERROR, EVIDENCE, message, {}))
    return out


def change_rules(definition: FormDefinition, report: AnnualReport) -> list[Finding]:
    """是 needs the changes listed, 否 none; each change within its limits, dated in the year."""
    changes = report.changes
    label = "本年度是否发生主导产业、集群区域、运营管理机构等重大变更"
    out: list[Finding] = []
    if changes.any_change == YES and not changes.items:
        message = f"「{label}」选择“是”，须在重大变更清单中逐项填写变更情况"
        out.append(Finding("changes.items", "重大变更清单", Level.ERROR, CHANGE_LIST, message, {}))
    if changes.any_change == NO and changes.items:
        message = f"「{label}」选择“否”，但重大变更清单填写了{len(changes.items)}项，两者应一致"
        values = {"listed": len(changes.items)}
        out.append(Finding("changes.any_change", label, Level.ERROR, CHANGE_LIST, message, values))
    year = report.basics.year
    for index, change in enumerate(changes.items):
        out += _change(index, change, year)
    return out


def _change(index: int, change: MajorChange, year: int | None) -> list[Finding]:
    where = f"重大变更{index + 1}（{change.kind}）"
    path = f"changes.items.{index}"
    out: list[Finding] = []
    for name, limit in (("before", SHORT_CHARS), ("after", SHORT_CHARS)):
        label = f"{where}·{_title(MajorChange, name)}"
        out += _limit(f"{path}.{name}", label, getattr(change, name), limit)
    label = f"{where}·{_title(MajorChange, 'explanation')}"
    out += _limit(f"{path}.explanation", label, change.explanation, CHANGE_CHARS)
    if change.before.strip() == change.after.strip():
        message = f"「{where}」变更前后均为“{change.after}”，请核实是否发生变更"
        out.append(
            Finding(f"{path}.after", f"{where}·变更后", Level.WARNING, CHANGE_SAME, message, {})
        )
    if year is not None and change.changed_on.year != year:
        day = change.changed_on.isoformat()
        message = f"「{where}」的变更日期为{day}，不在报告年度{year}年内，请核实"
        values = {"date": day, "year": year}
        label = f"{where}·变更日期"
        out.append(
            Finding(f"{path}.changed_on", label, Level.WARNING, CHANGE_DATE, message, values)
        )
    return out


def extra_rules(definition: FormDefinition, report: AnnualReport) -> list[Finding]:
    """Each indicator the plan added needs this year's value (无 when nothing applies)."""
    out = []
    label = _title(ExtraActual, "actual")
    for index, row in enumerate(report.work.extra):
        if row.actual is None or not row.actual.strip():
            message = (
                f"「{row.indicator}·{label}」为必填项；无相关情况时应填写“无”（填报说明第2条）"
            )
            path, where = f"work.extra.{index}.actual", f"{row.indicator}·{label}"
            out.append(Finding(path, where, Level.ERROR, REQUIRED, message, {}))
    return out


# The counts listed under 集群企业数量 (its parts), as in Attachment 2's consistency checks.
ENTERPRISE_PARTS = (
    "smes",
    "specialised_smes",
    "little_giants",
    "single_champions",
    "high_tech_and_innovative",
)


def sme_count(definition: FormDefinition, report: AnnualReport) -> list[Finding]:
    """A reviewer's sum: no part of the cluster's enterprises outnumbers them (warning)."""
    figures = report.figures.industry
    whole = figures.enterprises
    if whole is None:
        return []
    whole_label = spec_of(IndustryFigures, "enterprises").label
    out = []
    for name in ENTERPRISE_PARTS:
        count = getattr(figures, name)
        if count is None or count <= whole:
            continue
        label = spec_of(IndustryFigures, name).label
        message = f"企业数量核对：「{label}」填报 {count} 家，多于{whole_label} {whole} 家。"
        values = {"count": count, "enterprises": whole}
        out.append(
            Finding(f"figures.industry.{name}", label, Level.WARNING, SME_COUNT, message, values)
        )
    return out
