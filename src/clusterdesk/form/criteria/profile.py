"""Criteria profiles: the recognition thresholds of one round, as validated data.

A profile is a TOML file (see ``profiles/national-2022.toml``). Every number in it is the
profile's, never the code's: a threshold left out is *unset* and its rule reports 未评估.
A broken file raises ``ProfileError`` with a Chinese message naming the file and the key.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from .metrics import METRICS, NUMERIC_KINDS, MetricKind

Op = Literal[">=", ">", "<=", "<", "=="]
Scope = Literal["each", "last", "any"]
RuleLevel = Literal["error", "warning"]

SCOPE_ZH = {"each": "每年", "last": "最近一年", "any": "任一年"}


class ProfileError(ValueError):
    """A criteria profile that cannot be used; the message is Chinese and names file and key."""


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _number(value: Any) -> Any:
    # TOML floats go through str, so 13.5 is Decimal("13.5"), not a binary approximation.
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


class Check(_Data):
    """One comparison of a metric with a threshold; a missing threshold is unset."""

    metric: str
    op: Op
    threshold: Decimal | str | None = None
    scope: Scope | None = None
    unset_note: str | None = None  # why the threshold is unset, shown in the 未评估 finding

    _threshold = field_validator("threshold", mode="before")(_number)

    @model_validator(mode="after")
    def _fits_metric(self) -> Check:
        _check_fields(self.metric, self.op, self.threshold, self.scope)
        if self.scope is None and METRICS[self.metric].yearly:
            object.__setattr__(self, "scope", "each")
        return self


def _check_fields(metric: str, op: str, threshold: Any, scope: str | None) -> None:
    if metric not in METRICS:
        raise ValueError(f"未知的指标“{metric}”，可用的指标：{'、'.join(sorted(METRICS))}")
    spec = METRICS[metric]
    if spec.kind == MetricKind.TEXT:
        raise ValueError(f"指标“{metric}”是文字，只能用于 show（专家评议摘要），不能比较")
    if spec.kind == MetricKind.CHOICE:
        if op != "==":
            raise ValueError(f"指标“{metric}”是选项（是/否），比较符只能是 ==")
        if threshold is not None and not isinstance(threshold, str):
            raise ValueError(f'指标“{metric}”是选项，threshold 须为文字，如 "是"')
    elif spec.kind in NUMERIC_KINDS and isinstance(threshold, str):
        raise ValueError(f"指标“{metric}”是数值，threshold 须为数字，而不是“{threshold}”")
    if scope is not None and not spec.yearly:
        raise ValueError(f"指标“{metric}”不是逐年数据，不能设置 scope")


class Rule(_Data):
    """A rule: one check (metric/op/threshold), an any_of group, or a qualitative review."""

    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    level: RuleLevel = "error"  # the level of a miss
    note: str | None = None  # e.g. 原则上, printed after the message
    source: str | None = None
    metric: str | None = None
    op: Op | None = None
    threshold: Decimal | str | None = None
    scope: Scope | None = None
    unset_note: str | None = None
    any_of: list[Check] | None = None
    review: str | None = None  # what the experts judge (需专家评议)
    show: list[str] = Field(default_factory=list)  # metrics summarised for the experts
    _checks: tuple[Check, ...] = PrivateAttr(default=())

    _threshold = field_validator("threshold", mode="before")(_number)

    @model_validator(mode="after")
    def _one_kind(self) -> Rule:
        kinds = [self.metric is not None, self.any_of is not None, self.review is not None]
        if sum(kinds) != 1:
            raise ValueError(
                "规则须且只能有 metric（单项比较）、any_of（满足其一）或 review（专家评议）之一"
            )
        if self.metric is not None and self.op is None:
            raise ValueError("单项比较规则缺少 op（>=、>、<=、<、==）")
        if self.metric is None:
            stray = [
                key
                for key in ("op", "threshold", "scope", "unset_note")
                if getattr(self, key) is not None
            ]
            if stray:
                where = "any_of 的各项" if self.any_of is not None else "单项比较规则"
                raise ValueError(f"{'、'.join(stray)} 只能写在{where}中")
        if self.any_of is not None and len(self.any_of) < 2:
            raise ValueError("any_of 至少需要两项")
        if self.review is None and self.show:
            raise ValueError("show 只用于 review（专家评议）规则")
        if self.review is not None and not self.show:
            raise ValueError("review（专家评议）规则须用 show 列出申报表中相关的指标")
        for name in self.show:
            if name not in METRICS:
                raise ValueError(f"show 中未知的指标“{name}”")
        self._checks = self._build_checks()
        return self

    def _build_checks(self) -> tuple[Check, ...]:
        if self.any_of is not None:
            return tuple(self.any_of)
        if self.metric is None:
            return ()
        check = Check(
            metric=self.metric,
            op=self.op,  # type: ignore[arg-type]
            threshold=self.threshold,
            scope=self.scope,
            unset_note=self.unset_note,
        )
        return (check,)

    @property
    def checks(self) -> tuple[Check, ...]:
        """The comparisons of the rule: one, those of any_of, or none for a review."""
        return self._checks


class Aspect(_Data):
    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    rules: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_rules(self) -> Aspect:
        _unique([rule.id for rule in self.rules], "规则 id")
        return self


class TargetsConfig(_Data):
    """Part 八's rules a–g for the 2025 targets (% values; unset keys skip their rule)."""

    output_growth_min: Decimal | None = None  # a. 产值年均增速不低于 …%
    quality_smes_min_yearly_increase: Decimal | None = None  # b. 优质中小企业数量逐年增加
    rd_growth_min: Decimal | None = None  # c. 研发经费年均增速不低于 …%
    patent_growth_min: Decimal | None = None  # d. 有效发明专利数年均增长不低于 …%
    industrial_internet: Decimal | None = None  # e. 工业互联网普及率达到 …%左右
    co2_reduction: Decimal | None = None  # f. 二氧化碳排放量降低达到 …%左右
    energy_reduction: Decimal | None = None  # g. 单位工业产值能耗下降达到 …%左右
    tolerance: Decimal = Decimal(0)  # 左右: percentage points below the figure still accepted

    _numbers = field_validator("*", mode="before")(_number)

    @field_validator("tolerance")
    @classmethod
    def _non_negative(cls, value: Decimal) -> Decimal:
        if value < 0:
            raise ValueError("tolerance 不能为负数")
        return value


class Profile(_Data):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str = Field(min_length=1)
    source: str = Field(min_length=1)
    notes: str | None = None
    # A template (another province's variant) is offered to copy from, never chosen for a
    # round as it is: its figures are not the city's.
    template: bool = False
    declarations: Aspect | None = None  # the 是 declarations of part 一: a 否 fails
    aspects: list[Aspect] = Field(min_length=1)
    targets: TargetsConfig | None = None

    @model_validator(mode="after")
    def _unique_aspects(self) -> Profile:
        ids = [aspect.id for aspect in self.aspects]
        if self.declarations is not None:
            ids.append(self.declarations.id)
        _unique(ids, "方面 id")
        return self

    @property
    def groups(self) -> tuple[Aspect, ...]:
        """The declarations first, then the aspects, in the file's order."""
        head = (self.declarations,) if self.declarations is not None else ()
        return (*head, *self.aspects)


def _unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ValueError(f"{what}“{item}”重复")
        seen.add(item)


# --- turning pydantic's complaints into Chinese ---------------------------------------------

_ERRORS_ZH = {
    "missing": "缺少此项",
    "extra_forbidden": "不认识的键（拼写有误？）",
    "string_type": "须为文字",
    "list_type": "须为列表",
    "model_type": "须为表（table）",
    "decimal_parsing": "须为数字",
    "decimal_type": "须为数字",
    "string_too_short": "不能为空",
    "too_short": "项数不足",
    "string_pattern_mismatch": "只能用小写字母、数字、- 和 _",
}


def parse_profile(data: dict[str, Any], source: str) -> Profile:
    """Validate loaded TOML data; ``source`` (a file name) is named in every error."""
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        lines = [f"评审标准配置 {source} 有误："]
        for error in exc.errors():
            key = _key(data, error["loc"])
            lines.append(f"  {key}：{_message(error)}")
        raise ProfileError("\n".join(lines)) from None


def _message(error: Any) -> str:
    kind = error["type"]
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"取值须为 {expected}，而不是 {error.get('input')!r}"
    if kind in _ERRORS_ZH:
        return _ERRORS_ZH[kind]
    return f"{error['msg']}（{kind}）"


def _key(data: Any, loc: tuple[Any, ...]) -> str:
    """A readable key: list items by their id where they have one, else 1-based.

    E.g. ``aspects[1].rules[output].threshold``; pydantic's union-branch tags are dropped.
    """
    parts: list[str] = []
    current = data
    for item in loc:
        if isinstance(item, int) and isinstance(current, list) and parts:
            entry = current[item] if item < len(current) else None
            ident = entry.get("id") if isinstance(entry, dict) else None
            parts[-1] += f"[{ident or item + 1}]"
            current = entry
        elif isinstance(item, str) and isinstance(current, dict):
            parts.append(item)
            current = current.get(item)
    return ".".join(parts) or "（顶层）"
