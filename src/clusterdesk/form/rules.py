"""The 填报说明 rules: what every complete form must satisfy, read off the field metadata.

One pass of walk() visits every field and every year cell; each node is checked against its own
FieldSpec (required, kind, max_chars, evidence, not_applicable_when), so a new field of a form is
covered by declaring it, not by writing a rule for it. What a form itself makes special (for
Attachment 2 the two 清单 with their counts and the 集群成立时间) is in its definition's
``rules`` (``schema/checks.py``), run here between the field pass and the evidence paths.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from .definition import FormDefinition
from .display import number_text
from .fields import NONE_WORD, NUMBER_KINDS, RANGES, TEXT_KINDS, Evidence, Kind, form_fields
from .findings import Finding, Level
from .numbers import NoneCount, NoneDecimal
from .walk import Node, cell_model, walk_model, walk_top

# Stable rule ids: the web form, the CLI and stored findings key on these.
REQUIRED = "required"
UNKNOWN_YEAR = "unknown-year"
DECIMALS = "decimals"
MAX_CHARS = "max-chars"
RANGE = "range"
EVIDENCE = "evidence"
EVIDENCE_PATH = "evidence-path"
LIST_COUNT = "list-count"
DATE_FUTURE = "date-future"
DATE_FORMAT = "date-format"
DATE_RANGE = "date-range"

RULES: dict[str, str] = {
    REQUIRED: "必填项不得空缺",
    UNKNOWN_YEAR: "年度须为本轮申报的数据年度",
    DECIMALS: "数据保留小数点后2位",
    MAX_CHARS: "字数限制",
    RANGE: "数值范围",
    EVIDENCE: "需提供佐证材料",
    EVIDENCE_PATH: "佐证材料须对应申报表栏目",
    LIST_COUNT: "数量与清单一致",
    DATE_FUTURE: "日期不晚于今天",
    DATE_FORMAT: "日期格式",
    DATE_RANGE: "日期不晚于数据截止年度",
}

_WHITE_SPACE = re.compile(r"\s")
DECIMAL_PLACES = 2  # 填报说明 2: numbers keep two decimals (the web page previews it)
DECIMALS_NOTE = (
    f"数据有小数时应保留小数点后{DECIMAL_PLACES}位（填报说明第2条），请核实后填写，系统不作四舍五入"
)
_CENT = -DECIMAL_PLACES  # exponent of 0.01
YES = "是"  # the option of □是 □否 that asks for 佐证材料 (如涉及，需提供佐证材料)
# Enum members looked up once: attribute access on an Enum class is slow in the per-node loop.
_SECTION, _TICK, _DATE = Kind.SECTION, Kind.TICK, Kind.DATE
_NO_EVIDENCE = Evidence.NONE
_PER_ROW = Evidence.PER_ROW


def char_count(text: str) -> int:
    """Characters as the form counts them (200字以内): white space is not a 字."""
    return len(_WHITE_SPACE.sub("", text))


@dataclass(frozen=True, slots=True)
class FieldPass:
    """The field-by-field findings of one top-level field of the form (a part) and its paths.

    A part's findings depend only on that part's values, the evidence filed under its paths and
    the day (date rules): a caller that knows a part did not change may hand its previous pass
    back (``check_rules(reuse=...)``) instead of walking it again — autosave re-walks only the
    parts an edit touched.
    """

    findings: tuple[Finding, ...]
    # The keys of the evidence register that name a box of this part: only those are asked
    # about (``evidence_paths``), and keeping every path of a 400-row list would cost memory.
    filed: frozenset[str]
    # Required boxes and how many of them hold an answer (a page's progress), counted on the
    # same walk so that no page walks the form twice.
    required: int = 0
    answered: int = 0


def field_passes(
    definition: FormDefinition,
    form: BaseModel,
    *,
    today: date | None = None,
    reuse: Mapping[str, FieldPass] | None = None,
) -> dict[str, FieldPass]:
    """Each top-level field's pass, in the form's order; those in ``reuse`` are taken as given."""
    reuse = reuse or {}
    checker = _Checker(definition, form, today or date.today())
    passes: dict[str, FieldPass] = {}
    for name, _spec in form_fields(type(form)):
        if name in reuse:
            passes[name] = reuse[name]
            continue
        checker.out = []
        paths = set()
        required = answered = 0
        for node in walk_top(definition, form, name):
            if node.spec.evidence is _PER_ROW and isinstance(node.value, list):
                # each row's files are filed under the row, none under the list (row_evidence)
                paths.update(f"{node.path}.{index}" for index in range(len(node.value)))
            else:
                paths.add(node.path)
            checker.node(node)
            if counts_as_required(node):
                required += 1
                answered += node.answered
        filed = frozenset(key for key in checker.evidence if key in paths)
        passes[name] = FieldPass(tuple(checker.out), filed, required, answered)
    return passes


def check_rules(
    definition: FormDefinition,
    form: BaseModel,
    *,
    today: date | None = None,
    passes: Mapping[str, FieldPass] | None = None,
) -> list[Finding]:
    """Every breach of the 填报说明 rules: field by field in the form's order, then the rules the
    form makes special (its definition's ``rules``), then evidence filed under unknown paths.
    ``passes``: the field-by-field part already done (``field_passes``)."""
    if passes is None:
        passes = field_passes(definition, form, today=today)
    checker = _Checker(definition, form, today or date.today())
    paths: set[str] = set()
    for done in passes.values():
        checker.out.extend(done.findings)
        paths.update(done.filed)
    for rule in definition.rules:
        checker.out.extend(rule(definition, form))
    checker.evidence_paths(paths)
    return checker.out


def counts_as_required(node: Node) -> bool:
    """Whether ``node`` is a box the form must have filled (progress counts these)."""
    spec = node.spec
    if not spec.required or spec.kind is _SECTION or node.not_applicable:
        return False
    # A year column counts once per year cell, not for the column as a whole.
    return node.year is not None or not spec.yearly


def box_name(node: Node) -> str:
    """A box as messages name it: a tick or a table cell with its block, a top-level field alone."""
    return node.full_label if len(node.context) > 1 else node.label


def year_span(definition: FormDefinition) -> str:
    years = definition.version.data_years
    return f"{years[0]}–{years[-1]}年"


def _show(value: Any, unit: str | None = None) -> str:
    """A value in a rule's message exactly as typed (108.605 stays 108.605 for the decimals
    rule; 无 as 无)."""
    if isinstance(value, NoneDecimal | NoneCount):
        return number_text(value)
    text = f"{value:f}" if isinstance(value, Decimal) else str(value)
    return f"{text}{unit}" if unit else text


class _Checker:
    def __init__(self, definition: FormDefinition, form: BaseModel, today: date) -> None:
        self.definition = definition
        self.years = frozenset(definition.year_keys)
        self.today = today
        self.evidence: dict[str, Any] = getattr(form, "evidence", None) or {}
        self.out: list[Finding] = []

    def add(self, node: Node, rule: str, message: str, level: Level = Level.ERROR, **values: Any):
        self.out.append(Finding(node.path, node.label, level, rule, message, values))

    # --- one node -----------------------------------------------------------------------------

    def node(self, node: Node) -> None:
        spec = node.spec
        value = node.value
        kind = spec.kind
        if spec.yearly and node.year is None:
            self.year_keys(node)  # the column as a whole; its cells come as nodes of their own
            return
        if kind is _SECTION:
            if spec.max_chars is not None:
                self.max_chars(node, subtree_chars(value))
            elif node.year is not None and value is None:
                self.missing_cell(node)
            return
        if kind is _TICK:  # the most frequent node: one box of a 勾选 group
            if spec.required and value is not True:
                self.required(node)
        elif value is None or (isinstance(value, str) and not value.strip()):
            if spec.required and not node.not_applicable:
                self.required(node)
            return
        elif kind in TEXT_KINDS:
            if spec.max_chars is not None:
                self.max_chars(node, char_count(value))
        elif kind in NUMBER_KINDS:
            self.number(node, value)
        elif kind is _DATE and isinstance(value, date) and value > self.today:
            self.add(
                node,
                DATE_FUTURE,
                f"「{box_name(node)}」为{value.isoformat()}，晚于今天（{self.today.isoformat()}）",
                Level.WARNING,
                value=value.isoformat(),
                today=self.today.isoformat(),
            )
        if spec.evidence is not _NO_EVIDENCE:
            self.needs_evidence(node, value)

    def required(self, node: Node) -> None:
        kind = node.spec.kind
        where = box_name(node)
        if kind in TEXT_KINDS:
            message = f"「{where}」为必填项；无相关情况时应填写“{NONE_WORD}”（填报说明第2条）"
        elif kind in NUMBER_KINDS:
            message = (
                f"「{where}」为必填项，应填写数值；无相关情况时填写“{NONE_WORD}”（填报说明第2条）"
            )
        elif kind is Kind.CHOICE:
            message = f"「{where}」为必填项，请选择一项（填报说明第2条）"
        elif kind is _TICK:
            message = f"须勾选「{where}」，承诺申请材料真实、合法"
        else:
            message = f"「{where}」为必填项（填报说明第2条）"
        self.add(node, REQUIRED, message, value=node.value)

    def year_keys(self, node: Node) -> None:
        for key in node.value:
            if key not in self.years:
                self.out.append(
                    Finding(
                        f"{node.path}.{key}",
                        f"{node.spec.label}（{key}年）",
                        Level.ERROR,
                        UNKNOWN_YEAR,
                        f"「{box_name(node)}」填有{key}年的数据，本轮申报的数据年度为"
                        f"{year_span(self.definition)}",
                        {"year": key, "years": list(self.definition.version.data_years)},
                    )
                )

    def missing_cell(self, node: Node) -> None:
        """A year of a table block left out entirely: each of its boxes is missing."""
        model = cell_model(type(node.owner), node.name)
        if model is None:
            return
        context = (*node.context, node.spec.label, f"{node.year}年")
        years = self.definition.year_keys
        for inner in walk_model(model(), f"{node.path}.", context, years):
            self.node(inner)

    def number(self, node: Node, value: Decimal | int) -> None:
        if isinstance(value, NoneDecimal | NoneCount):
            return  # 无 is an answer with no digits and no range to check (numbers.py)
        unit = node.spec.unit
        if isinstance(value, Decimal):
            if not value.is_finite():
                self.add(node, RANGE, f"「{box_name(node)}」不是有效数值", value=str(value))
                return
            # Trailing zeros are no extra precision (1.500 = 1.50); anything finer is, and is
            # an error rather than something to round quietly.
            if value.as_tuple().exponent < _CENT and value.normalize().as_tuple().exponent < _CENT:
                self.add(
                    node,
                    DECIMALS,
                    f"「{box_name(node)}」为{_show(value)}，{DECIMALS_NOTE}",
                    value=value,
                )
        low, high = RANGES[node.spec.kind]
        if not low <= value <= high:
            self.add(
                node,
                RANGE,
                f"「{box_name(node)}」为{_show(value, unit)}，超出允许范围"
                f"（{_show(low, unit)}～{_show(high, unit)}）",
                value=value,
                min=low,
                max=high,
            )

    def max_chars(self, node: Node, count: int) -> None:
        limit = node.spec.max_chars
        if limit is not None and count > limit:
            self.add(
                node,
                MAX_CHARS,
                f"「{box_name(node)}」共{count}字，超过{limit}字以内的要求（不计空白字符）",
                count=count,
                limit=limit,
            )

    def needs_evidence(self, node: Node, value: Any) -> None:
        if evidence_needed(node.spec.evidence, value) and not self.evidence.get(node.path):
            self.add(node, EVIDENCE, _evidence_message(node, value), value=value)

    # --- the evidence register ------------------------------------------------------------------

    def evidence_paths(self, paths: set[str]) -> None:
        """Files filed under a path that is no box of the form would never be seen by anyone."""
        for key in self.evidence:
            if key not in paths:
                message = f"佐证材料登记在“{key}”下，但该路径不是申报表的栏目"
                self._finding(
                    key, "佐证材料", EVIDENCE_PATH, message, files=len(self.evidence[key])
                )

    def _finding(self, path: str, label: str, rule: str, message: str, **values: Any) -> None:
        self.out.append(Finding(path, label, Level.ERROR, rule, message, values))


def evidence_needed(kind: Evidence, value: Any) -> bool:
    """Whether a field holding ``value`` asks for 佐证材料 (the rule, and the page's upload)."""
    if kind is Evidence.IF_TICKED:
        return value is True
    if kind is Evidence.IF_YES:
        return value == YES
    if kind is Evidence.IF_POSITIVE:
        return isinstance(value, int | Decimal) and value > 0
    if kind is Evidence.ALWAYS:  # once there is something to prove: 无 proves nothing
        return not (isinstance(value, str) and value.strip() == NONE_WORD)
    return False


def _evidence_message(node: Node, value: Any) -> str:
    kind = node.spec.evidence
    where = box_name(node)
    if kind is Evidence.IF_TICKED:
        return f"已勾选「{where}」，需提供佐证材料（注：勾选需提供佐证材料）"
    if kind is Evidence.IF_YES:
        return f"「{where}」选择“是”，需提供佐证材料（如涉及，需提供佐证材料）"
    if kind is Evidence.IF_POSITIVE:
        return f"「{where}」为{_show(value, node.spec.unit)}，需提供相关佐证材料"
    return f"「{where}」已填写，需提供相关佐证材料"


def subtree_chars(value: Any) -> int:
    """All the text of a block, as counted for its limit (part 八: 3000字 for the whole plan)."""
    if isinstance(value, str):
        return char_count(value)
    if isinstance(value, BaseModel):
        return sum(subtree_chars(getattr(value, name)) for name in type(value).model_fields)
    if isinstance(value, list | tuple):
        return sum(subtree_chars(item) for item in value)
    if isinstance(value, dict):
        return sum(subtree_chars(item) for item in value.values())
    return 0
