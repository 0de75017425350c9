"""What evaluating a profile gives: statuses per check, rule and aspect, and their findings."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from ..display import EMPTY, show
from ..fields import json_number
from ..findings import Finding, Level
from .metrics import Metric, MetricKind, Years, fmt, fmt_threshold
from .profile import Aspect, Check, Profile, Rule

OP_ZH = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}


class Status(StrEnum):
    PASS = "达标"
    FAIL = "未达标"
    UNSET = "未评估"  # no threshold in the profile, or data missing
    REVIEW = "需专家评议"


def combine(statuses: list[Status]) -> Status:
    """An aspect's (or the report's) status from its parts: a miss beats 未评估 beats 评议."""
    for status in (Status.FAIL, Status.UNSET, Status.REVIEW):
        if status in statuses:
            return status
    return Status.PASS


@dataclass(frozen=True, slots=True)
class CheckResult:
    check: Check
    metric: Metric
    status: Status
    values: dict[str | None, Any]  # year -> value; the key None for a single value
    failing: tuple[str | None, ...] = ()
    missing: tuple[str | None, ...] = ()

    @property
    def unset(self) -> bool:
        return self.check.threshold is None

    def as_json(self, years: Years) -> dict[str, Any]:
        return {
            "metric": self.metric.name,
            "label": self.metric.label_for(years),
            "path": self.metric.path_for(years),
            "op": self.check.op,
            "threshold": _json(self.check.threshold),
            "scope": self.check.scope,
            "values": _json(_plain(self.values)),
            "status": self.status.value,
        }

    def requirement(self) -> str:
        """E.g. ≥40, or “是” for a choice."""
        threshold = fmt_threshold(self.check.threshold)  # type: ignore[arg-type]
        if self.metric.kind == MetricKind.CHOICE:
            return threshold
        return f"{OP_ZH[self.check.op]}{threshold}"

    def miss(self, value: Any) -> str:
        """How a value misses: 为35.20，未达到≥40的标准 / 填报为“否”，须为“是”."""
        if self.metric.kind == MetricKind.CHOICE:
            return f"填报为{fmt(value, self.metric.kind)}，须为{self.requirement()}"
        return f"为{fmt(value, self.metric.kind)}，未达到{self.requirement()}的标准"


@dataclass(frozen=True, slots=True)
class RuleResult:
    rule: Rule
    status: Status
    checks: tuple[CheckResult, ...] = ()
    shown: tuple[tuple[Metric, Any], ...] = ()  # for a review: what the form shows

    @property
    def id(self) -> str:
        return self.rule.id

    def as_json(self, years: Years) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.rule.id,
            "title": self.rule.title,
            "level": self.rule.level,
            "status": self.status.value,
            "checks": [check.as_json(years) for check in self.checks],
        }
        if self.rule.review is not None:
            data["review"] = self.rule.review
            data["shown"] = {metric.name: _json(value) for metric, value in self.shown}
        return data


@dataclass(frozen=True, slots=True)
class AspectResult:
    aspect: Aspect
    status: Status
    rules: tuple[RuleResult, ...]

    @property
    def id(self) -> str:
        return self.aspect.id

    @property
    def title(self) -> str:
        return self.aspect.title

    def as_json(self, years: Years) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status.value,
            "warned": self.warned,
            "rules": [rule.as_json(years) for rule in self.rules],
        }

    @property
    def warned(self) -> bool:
        """A rule with level warning missed (the aspect still counts as met)."""
        return any(r.status == Status.FAIL and r.rule.level == "warning" for r in self.rules)


@dataclass(frozen=True, slots=True)
class CriteriaReport:
    profile: Profile
    years: Years
    groups: tuple[AspectResult, ...]  # the declarations (if any) first, then the aspects

    @property
    def status(self) -> Status:
        return combine([group.status for group in self.groups])

    @property
    def declarations(self) -> AspectResult | None:
        if self.profile.declarations is None:
            return None
        return self.groups[0]

    @property
    def aspects(self) -> tuple[AspectResult, ...]:
        return self.groups[1:] if self.profile.declarations is not None else self.groups

    def aspect(self, aspect_id: str) -> AspectResult:
        for group in self.groups:
            if group.id == aspect_id:
                return group
        raise KeyError(aspect_id)

    def as_json(self) -> list[dict[str, Any]]:
        """The declarations and the aspects with their rules, statuses and values, for JSON."""
        return [group.as_json(self.years) for group in self.groups]

    def findings(self) -> list[Finding]:
        out: list[Finding] = []
        for group in self.groups:
            for result in group.rules:
                out.extend(_rule_findings(self, group.aspect, result))
        return out


# --- findings --------------------------------------------------------------------------------


def _rule_findings(report: CriteriaReport, aspect: Aspect, result: RuleResult) -> list[Finding]:
    rule = result.rule
    rule_id = f"criteria.{aspect.id}.{rule.id}"
    base = {"profile": report.profile.id, "aspect": aspect.id, "status": result.status.value}
    years = report.years
    if rule.review is not None:
        return [_review(report, aspect, result, rule_id, base)]
    if rule.any_of is not None:
        if result.status == Status.PASS:
            return []
        return [_any_of(report, aspect, result, rule_id, base)]
    check = result.checks[0]
    metric = check.metric
    head = f"{aspect.title}：{rule.title}"
    if check.unset:
        note = f"（{check.check.unset_note}）" if check.check.unset_note else ""
        message = (
            f"{head}——评审标准“{report.profile.name}”未设定阈值，未评估{note}；"
            f"{_values_text(check, years)}"
        )
        values = {**base, "values": _plain(check.values), "threshold": None}
        return [
            Finding(
                metric.path_for(years),
                metric.label_for(years),
                Level.INFO,
                rule_id,
                message,
                values,
            )
        ]
    out = []
    level = Level.ERROR if rule.level == "error" else Level.WARNING
    values = {**base, "op": check.check.op, "threshold": check.check.threshold}
    if check.check.scope == "any" and check.status == Status.FAIL:
        listed = "、".join(f"{y}年{fmt(v, metric.kind)}" for y, v in check.values.items())
        message = (
            f"{aspect.title}：{metric.label_for(years)}为{listed}，"
            f"均未达到{check.requirement()}的标准（任一年达到即可）"
        )
        out.append(
            Finding(
                metric.path_for(years),
                metric.label_for(years),
                level,
                rule_id,
                message + _note(rule),
                {**values, "values": _plain(check.values)},
            )
        )
        return out
    # Under scope any, a weak year is no miss while another year is still missing.
    failing = () if check.check.scope == "any" else check.failing
    for year in failing:
        value = check.values[year]
        message = f"{aspect.title}：{metric.label_for(years, year)}{check.miss(value)}"
        out.append(
            Finding(
                metric.path_for(years, year),
                metric.label_for(years, year),
                level,
                rule_id,
                message + _note(rule),
                {**values, "value": value, "year": year},
            )
        )
    for year in check.missing:
        label = metric.label_for(years, year)
        message = f"{aspect.title}：{label}数据缺失，无法评估"
        if rule.title != metric.label:
            message += f"（{rule.title}）"
        out.append(
            Finding(
                metric.path_for(years, year),
                metric.label_for(years, year),
                Level.INFO,
                rule_id,
                message,
                {**values, "value": None, "year": year},
            )
        )
    return out


def _any_of(
    report: CriteriaReport, aspect: Aspect, result: RuleResult, rule_id: str, base: dict[str, Any]
) -> Finding:
    years = report.years
    parts = []
    for check in result.checks:
        label = check.metric.label_for(years)
        if check.unset:
            parts.append(f"{label}：评审标准未设定阈值")
        elif check.missing and check.status != Status.FAIL:
            parts.append(f"{label}：数据缺失，无法评估")
        else:
            shown = "、".join(fmt(v, check.metric.kind) for v in check.values.values())
            parts.append(f"{label}为{shown}，未达到{check.requirement()}")
    first = result.checks[0].metric
    rule = result.rule
    if result.status == Status.FAIL:
        level = Level.ERROR if rule.level == "error" else Level.WARNING
        joined = "；".join(parts)
        message = f"{aspect.title}：{rule.title}未达标——{joined}（满足其一即可）{_note(rule)}"
    else:
        level = Level.INFO
        message = f"{aspect.title}：{rule.title}未评估——{'；'.join(parts)}（满足其一即可）"
    values = {
        **base,
        "checks": [
            {
                "metric": c.check.metric,
                "op": c.check.op,
                "threshold": c.check.threshold,
                "values": _plain(c.values),
                "status": c.status.value,
            }
            for c in result.checks
        ],
    }
    return Finding(first.path_for(years), first.label_for(years), level, rule_id, message, values)


def _review(
    report: CriteriaReport, aspect: Aspect, result: RuleResult, rule_id: str, base: dict[str, Any]
) -> Finding:
    years = report.years
    shown = "；".join(summary_text(metric, value, years) for metric, value in result.shown)
    message = f"{aspect.title}：需专家评议——{result.rule.review}。申报表显示：{shown}"
    first = result.shown[0][0]
    values = {**base, "shown": {m.name: _plain_value(v) for m, v in result.shown}}
    return Finding(
        first.path_for(years), first.label_for(years), Level.INFO, rule_id, message, values
    )


def summary_text(metric: Metric, value: Any, years: Years) -> str:
    """What the form says about a metric, for the experts: 集群…（%）：2020年 3.12；2021年 …."""
    label = metric.label_for(years)
    if metric.kind == MetricKind.TICKS:
        return f"{label}勾选{fmt(value, metric.kind)}/{metric.total}项"
    if metric.kind == MetricKind.TEXT:
        text = str(value) if value else "（未填写）"
        return f"{label}：{text if len(text) <= 40 else text[:40] + '…'}"
    if isinstance(value, dict):
        listed = "；".join(f"{y}年 {_shown(v, metric)}" for y, v in value.items())
        return f"{label}：{listed}"
    return f"{label}：{_shown(value, metric)}"


def _shown(value: Any, metric: Metric) -> str:
    """A value in a summary as the form shows it: 未填写, 无, 3.12, ☑ 是."""
    if value is None:
        return EMPTY
    if metric.kind == MetricKind.CHOICE:
        return show(value, choice=True)
    return fmt(value, metric.kind)


def _values_text(check: CheckResult, years: Years) -> str:
    if list(check.values) == [None]:
        return f"填报值：{_shown(check.values[None], check.metric)}"
    return "填报值：" + "；".join(
        f"{y}年 {_shown(v, check.metric)}" for y, v in check.values.items()
    )


def _note(rule: Rule) -> str:
    return f"（{rule.note}）" if rule.note else ""


def _plain(values: dict[str | None, Any]) -> Any:
    if list(values) == [None]:
        return values[None]
    return dict(values)


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return json_number(value)
    if isinstance(value, dict):
        return {str(key): _json(item) for key, item in value.items()}
    return value


def _plain_value(value: Any) -> Any:
    return dict(value) if isinstance(value, dict) else value


__all__ = ["AspectResult", "CheckResult", "CriteriaReport", "RuleResult", "Status"]
