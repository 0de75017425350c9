"""The 填报说明 rules: what every complete application must satisfy, read off the field metadata.

One pass of walk() visits every field and every year cell; each node is checked against its own
FieldSpec (required, kind, max_chars, evidence, not_applicable_when), so a new field of the form
is covered by declaring it, not by writing a rule for it. Only what the form itself makes special
is named here: the two 清单 with their counts, and the 集群成立时间 of Attachment 1.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, get_args

from pydantic import BaseModel

from .fields import NUMBER_KINDS, RANGES, TEXT_KINDS, Evidence, Kind, spec_of
from .findings import Finding, Level
from .schema import NONE_WORD, Application
from .schema.innovation import CATEGORY_FIELDS, ROLE_FIELDS, Innovation, StandardRoleCounts
from .versions import FormVersion
from .walk import Node, version_of, walk, walk_model

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
_YEAR_MONTH = re.compile(r"^(\d{4})(?:-(\d{2}))?$")
_CENT = -2  # exponent of 0.01: 填报说明 2 keeps two decimals
_ESTABLISHED = "attachment1.established"
# Enum members looked up once: attribute access on an Enum class is slow in the per-node loop.
_SECTION, _TICK, _DATE = Kind.SECTION, Kind.TICK, Kind.DATE
_NO_EVIDENCE = Evidence.NONE


def char_count(text: str) -> int:
    """Characters as the form counts them (200字以内): white space is not a 字."""
    return len(_WHITE_SPACE.sub("", text))


def check_rules(application: Application, *, today: date | None = None) -> list[Finding]:
    """Every breach of the 填报说明 rules: field by field in the form's order, then the rules that
    join fields (集群成立时间, the 清单 counts, evidence filed under unknown paths)."""
    checker = _Checker(application, version_of(application), today or date.today())
    paths: set[str] = set()
    for node in walk(application):
        paths.add(node.path)
        checker.node(node)
    checker.established()
    checker.lists()
    checker.evidence_paths(paths)
    return checker.out


def _where(node: Node) -> str:
    # A tick or a table cell means little without its block; a top-level field speaks for itself.
    return node.full_label if len(node.context) > 1 else node.label


def _show(value: Any, unit: str | None = None) -> str:
    text = f"{value:f}" if isinstance(value, Decimal) else str(value)
    return f"{text}{unit}" if unit else text


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@cache
def _cell_model(owner: type[BaseModel], name: str) -> type[BaseModel] | None:
    """The model of one year cell of a yearly block (dict[YearKey, Model]), if it is one."""
    args = get_args(owner.model_fields[name].annotation)
    cell = args[-1] if args else None
    return cell if isinstance(cell, type) and issubclass(cell, BaseModel) else None


class _Checker:
    def __init__(self, application: Application, version: FormVersion, today: date) -> None:
        self.application = application
        self.version = version
        self.years = frozenset(version.year_keys)
        self.today = today
        self.evidence = application.evidence
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
                f"「{_where(node)}」为{value.isoformat()}，晚于今天（{self.today.isoformat()}）",
                Level.WARNING,
                value=value.isoformat(),
                today=self.today.isoformat(),
            )
        if spec.evidence is not _NO_EVIDENCE:
            self.needs_evidence(node, value)

    def required(self, node: Node) -> None:
        kind = node.spec.kind
        where = _where(node)
        if kind in TEXT_KINDS:
            message = f"「{where}」为必填项；无相关情况时应填写“{NONE_WORD}”（填报说明第2条）"
        elif kind in NUMBER_KINDS:
            message = f"「{where}」为必填项，应填写数值；无相关情况时应填写0（填报说明第2条）"
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
                        f"「{_where(node)}」填有{key}年的数据，本轮申报的数据年度为"
                        f"{self._year_span()}",
                        {"year": key, "years": list(self.version.data_years)},
                    )
                )

    def missing_cell(self, node: Node) -> None:
        """A year of a table block left out entirely: each of its boxes is missing."""
        model = _cell_model(type(node.owner), node.name)
        if model is None:
            return
        context = (*node.context, node.spec.label, f"{node.year}年")
        years = self.version.year_keys
        for inner in walk_model(model(), f"{node.path}.", context, years):
            self.node(inner)

    def number(self, node: Node, value: Decimal | int) -> None:
        unit = node.spec.unit
        if isinstance(value, Decimal):
            if not value.is_finite():
                self.add(node, RANGE, f"「{_where(node)}」不是有效数值", value=str(value))
                return
            # Trailing zeros are no extra precision (1.500 = 1.50); anything finer is, and is
            # an error rather than something to round quietly.
            if value.as_tuple().exponent < _CENT and value.normalize().as_tuple().exponent < _CENT:
                self.add(
                    node,
                    DECIMALS,
                    f"「{_where(node)}」为{_show(value)}，数据有小数时应保留小数点后2位"
                    "（填报说明第2条），请核实后填写，系统不作四舍五入",
                    value=value,
                )
        low, high = RANGES[node.spec.kind]
        if not low <= value <= high:
            self.add(
                node,
                RANGE,
                f"「{_where(node)}」为{_show(value, unit)}，超出允许范围"
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
                f"「{_where(node)}」共{count}字，超过{limit}字以内的要求（不计空白字符）",
                count=count,
                limit=limit,
            )

    def needs_evidence(self, node: Node, value: Any) -> None:
        if evidence_needed(node.spec.evidence, value) and not self.evidence.get(node.path):
            self.add(node, EVIDENCE, _evidence_message(node, value), value=value)

    # --- what the form makes special -----------------------------------------------------------

    def established(self) -> None:
        """集群成立时间 is free text on the form, but it must read as a year or a year-month."""
        value = self.application.attachment1.established
        if _is_blank(value):
            return  # the required rule has said so
        label = spec_of(type(self.application.attachment1), "established").label
        match = _YEAR_MONTH.match(value.strip())
        if match is None or (match[2] is not None and not 1 <= int(match[2]) <= 12):
            message = f"「{label}」应填写年份或年月（如 2005 或 2005-03），现为“{value}”"
            self._finding(_ESTABLISHED, label, DATE_FORMAT, message, value=value)
            return
        limit = self.version.reference_date.year
        if int(match[1]) > limit:
            message = (
                f"「{label}」为{value.strip()}，"
                f"晚于本轮申报的数据截止年度{limit}年（填报说明第6条）"
            )
            self._finding(_ESTABLISHED, label, DATE_RANGE, message, value=value, limit=limit)

    def lists(self) -> None:
        """The counts that the form says need a 清单 (需提供清单) must agree with their lists."""
        innovation = self.application.part3
        declared = innovation.patents
        if declared is not None and declared != len(innovation.patents_list):
            label = spec_of(Innovation, "patents").label
            listed = len(innovation.patents_list)
            list_label = spec_of(Innovation, "patents_list").label
            message = (
                f"「{label}」为{declared}个，需提供清单（{list_label}为空）"
                if listed == 0
                else f"「{label}」为{declared}个，{list_label}列出{listed}项，两者应一致"
            )
            self._finding(
                "part3.patents", label, LIST_COUNT, message, declared=declared, listed=listed
            )
        self.standards(innovation)

    def standards(self, innovation: Innovation) -> None:
        list_label = spec_of(Innovation, "standards_list").label
        listed: Counter[tuple[str, str, str]] = Counter()
        for index, item in enumerate(innovation.standards_list):
            year = str(item.year)
            listed[year, item.category, item.role] += 1
            if year not in self.years:
                message = (
                    f"{list_label}第{index + 1}项「{item.name}」的年度为{year}年，"
                    f"不在本轮申报的数据年度（{self._year_span()}）内"
                )
                path = f"part3.standards_list.{index}.year"
                self._finding(path, list_label, UNKNOWN_YEAR, message, year=item.year)
        table = spec_of(Innovation, "standards").label
        for year in self.version.year_keys:
            cell = innovation.standards.get(year)
            if cell is None:
                continue  # the required rule reports the missing boxes
            for category, category_field in CATEGORY_FIELDS.items():
                counts = getattr(cell, category_field)
                for role, role_field in ROLE_FIELDS.items():
                    declared = getattr(counts, role_field)
                    found = listed[year, category, role]
                    if declared is None or declared == found:
                        continue
                    label = spec_of(StandardRoleCounts, role_field).label
                    where = f"{table}·{year}年·{category}·{label}"
                    message = (
                        f"「{where}」为{declared}项，{list_label}中{year}年{category}标准"
                        f"（{role}）有{found}项，两者应一致"
                        + ("（需提供清单）" if found == 0 else "")
                    )
                    path = f"part3.standards.{year}.{category_field}.{role_field}"
                    self._finding(path, label, LIST_COUNT, message, declared=declared, listed=found)

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

    def _year_span(self) -> str:
        years = self.version.data_years
        return f"{years[0]}–{years[-1]}年"


def evidence_needed(kind: Evidence, value: Any) -> bool:
    """Whether a field holding ``value`` asks for 佐证材料 (the rule, and the page's upload)."""
    if kind is Evidence.IF_TICKED:
        return value is True
    if kind is Evidence.IF_YES:
        return value == "是"
    if kind is Evidence.IF_POSITIVE:
        return isinstance(value, int | Decimal) and value > 0
    if kind is Evidence.ALWAYS:  # once there is something to prove: 无 proves nothing
        return not (isinstance(value, str) and value.strip() == NONE_WORD)
    return False


def _evidence_message(node: Node, value: Any) -> str:
    kind = node.spec.evidence
    where = _where(node)
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
