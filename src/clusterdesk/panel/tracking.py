"""Targets against actuals: part 八's 2025 targets a–g, the path each implies, and who is behind.

A certified cluster declared a baseline (the base year, 2022 on the 2023 form) and a target year
value (2025) for each indicator; each year's annual report brings the actual values. For every
indicator and reported year this module computes the value the target implies for that year (the
*trajectory*), the gap of the actual to it, and a status 按期 / 滞后 / 严重滞后, with the reason in
Chinese as the city's lagging list prints it.

The path each rule implies (decided per rule, because the notice words them differently):

- a. 产值年均增速不低于10%: the target *is* a yearly rate, so the path is the base year's 集群总产值
  (part 二) compounded at the declared rate — ``output × (1 + r)^k``.
- b. 优质中小企业数量逐年增加: the rule is about every year, so (1) a year that does not increase
  on the last known count is 严重滞后 whatever the path says, and (2) the path to the declared
  target is linear (firms are added one by one, not at a rate), rounded up to whole firms.
- c. 研发经费年均增速 / d. 有效发明专利数年均增长: stated as yearly rates, so compound from the
  baseline to the declared target — ``baseline × (target/baseline)^(k/n)``; patents round up.
- e. 工业互联网普及率达到45%左右: a level in percentage points reached by adoption, so linear.
- f. 二氧化碳排放量降低18%左右 / g. 单位工业产值能耗下降13.5%左右: lower is better; compound, the
  way reduction targets over a plan period are split into yearly rates (each year falls by the same
  share of the year before).

A compound path needs a positive baseline and target; otherwise (baseline 0 …) the path is linear.
After the target year the path stays at the target.

The gap is the shortfall in % of the trajectory value (positive = behind; for f, g the actual above
the path), computed on the values as printed (two decimals), so the message and the status agree.
Thresholds are data per round (``Thresholds``): behind by more than ``lagging`` % is 滞后, by more
than ``serious`` % 严重滞后. A missing actual is 未报告 (not lagging); 无 counts as 0 (``numbers``).
An indicator's status is that of its latest reported year (a recovered indicator is no longer
flagged); a cluster's status is the worst of its indicators' (``lag_key`` ranks the most lagging
first). Reasons are built when read, so ranking all certified clusters formats no text.

Use: ``track(plan_from_application(declaration), {year: form.annual.metrics.target_actuals(
report), …}, Thresholds(...))``; ``line_chart`` / ``status_chart`` give the JSON that
``portal/static/portal/charts.js`` draws.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum

from clusterdesk.form.display import number_text
from clusterdesk.form.schema import Application
from clusterdesk.form.walk import version_of

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
ONE = Decimal(1)

# year → indicator key → value (None: not reported), as annual reports provide them.
Actuals = Mapping[int, Mapping[str, Decimal | None]]


class Status(StrEnum):
    ON_TRACK = "按期"
    LAGGING = "滞后"
    SERIOUS = "严重滞后"
    NOT_REPORTED = "未报告"
    NO_TARGET = "未设定目标"


# How bad a status is, for "worst of"; the two without a verdict rank below 按期.
SEVERITY = {
    Status.NO_TARGET: 0,
    Status.NOT_REPORTED: 0,
    Status.ON_TRACK: 1,
    Status.LAGGING: 2,
    Status.SERIOUS: 3,
}
VERDICTS = (Status.ON_TRACK, Status.LAGGING, Status.SERIOUS)


class Shape(StrEnum):
    COMPOUND = "compound"
    LINEAR = "linear"


@dataclass(frozen=True)
class Rule:
    """One of the notice's rules a–g, and how its actual is tracked."""

    letter: str
    key: str  # the indicator's key in actuals (and in part 八's Targets, except a)
    label: str  # the actual's name in messages
    unit: str
    shape: Shape
    decreasing: bool = False  # lower is better (f, g)
    rate_target: bool = False  # the declared target is a yearly rate in % (a)
    every_year: bool = False  # must rise every year (b)
    whole: bool = False  # a count: the path rounds up to whole units


RULES: tuple[Rule, ...] = (
    Rule("a", "output", "集群总产值", "亿元", Shape.COMPOUND, rate_target=True),
    Rule("b", "quality_smes", "优质中小企业数量", "家", Shape.LINEAR, every_year=True, whole=True),
    Rule("c", "rd_spending", "研发经费投入", "万元", Shape.COMPOUND),
    Rule("d", "patents", "有效发明专利数量", "件", Shape.COMPOUND, whole=True),
    Rule("e", "industrial_internet", "工业互联网普及率", "%", Shape.LINEAR),
    Rule("f", "co2_emissions", "二氧化碳排放量", "万吨", Shape.COMPOUND, decreasing=True),
    Rule(
        "g",
        "energy_intensity",
        "单位工业产值能耗",
        "吨标准煤/万元",
        Shape.COMPOUND,
        decreasing=True,
    ),
)
RULE_BY_KEY = {rule.key: rule for rule in RULES}
EMPTY: Mapping[str, Decimal | None] = {}


@dataclass(frozen=True)
class Thresholds:
    """When a gap to the trajectory flags: more than ``lagging`` % behind is 滞后, more than
    ``serious`` % 严重滞后 (percent of the trajectory value). Set per round."""

    lagging: Decimal = Decimal(5)
    serious: Decimal = Decimal(15)

    def __post_init__(self) -> None:
        if not Decimal(0) <= self.lagging <= self.serious:
            raise ValueError("滞后阈值须不小于0且不大于严重滞后阈值")

    def status(self, gap: Decimal) -> Status:
        if gap > self.serious:
            return Status.SERIOUS
        if gap > self.lagging:
            return Status.LAGGING
        return Status.ON_TRACK


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Goal:
    """A declared baseline and target; for rule a the baseline is the base year's 集群总产值 and
    the target the declared yearly growth rate in %."""

    baseline: Decimal | None
    target: Decimal | None


NO_GOAL = Goal(None, None)


@dataclass(frozen=True)
class PlanTargets:
    base_year: int
    target_year: int
    goals: Mapping[str, Goal]


def plan_from_application(application: Application) -> PlanTargets:
    """Part 八's targets of a declaration, with the base year's output from part 二 for rule a."""
    version = version_of(application)
    rows = application.part8.goals.targets
    base_key = str(version.base_year)
    goals = {
        "output": Goal(application.part2.total_output.get(base_key), rows.output_growth.target)
    }
    for rule in RULES[1:]:
        row = getattr(rows, rule.key)
        goals[rule.key] = Goal(row.baseline, row.target)
    return PlanTargets(version.base_year, version.target_year, goals)


@dataclass(frozen=True)
class YearCheck:
    rule: Rule
    year: int
    actual: Decimal | None
    trajectory: Decimal
    gap: Decimal | None  # % of the trajectory behind it (negative: ahead); None if not computable
    status: Status
    # Rule b: the last known count (year, value) this year did not rise above; else None.
    not_above: tuple[int, Decimal] | None = None

    @property
    def reason(self) -> str:
        """Why the status, in Chinese (built on demand: the dashboard ranks every certified
        cluster but prints the reasons of only the few it lists)."""
        rule = self.rule
        if self.actual is None:
            return f"{self.year}年未报告{rule.label}"
        head = f"{self.year}年{rule.label} {_amount(rule, self.actual)}"
        path = f"目标轨迹 {_amount(rule, self.trajectory)}"
        if self.not_above is not None:
            year, value = self.not_above
            return f"{head}，未比{year}年（{_amount(rule, value)}）增加，不符合“逐年增加”的要求"
        if self.gap is None or self.gap <= 0:
            if self.status is Status.ON_TRACK:
                return f"{head}，达到{path}"
            # A path of 0: any remainder is behind, by no finite share.
            return f"{head}，{'高于' if rule.decreasing else '低于'}{path}"
        behind = f"{head}，{'高于' if rule.decreasing else '低于'}{path} {number_text(self.gap)}%"
        return f"{behind}，仍属按期" if self.status is Status.ON_TRACK else behind


@dataclass(frozen=True)
class IndicatorTrack:
    rule: Rule
    baseline: Decimal | None
    target: Decimal | None
    trajectory: Mapping[int, Decimal]  # base year … last year evaluated (empty without a target)
    years: tuple[YearCheck, ...]
    status: Status
    note: str | None = None  # why an indicator is not tracked (未设定目标)

    @property
    def latest(self) -> YearCheck | None:
        """The check the status comes from: the latest reported year, else the latest year."""
        reported = [check for check in self.years if check.status in VERDICTS]
        if reported:
            return reported[-1]
        return self.years[-1] if self.years else None

    @property
    def reason(self) -> str:
        if self.note is not None:
            return self.note
        latest = self.latest
        return latest.reason if latest else f"尚无{self.rule.label}的年度数据"

    @property
    def flagged(self) -> bool:
        return self.status in (Status.LAGGING, Status.SERIOUS)

    @property
    def latest_gap(self) -> Decimal | None:
        latest = self.latest
        return latest.gap if latest else None


@dataclass(frozen=True)
class ClusterTrack:
    indicators: tuple[IndicatorTrack, ...]
    status: Status

    @property
    def flags(self) -> tuple[IndicatorTrack, ...]:
        return tuple(track for track in self.indicators if track.flagged)

    @property
    def lag_key(self) -> tuple[int, int, int, Decimal]:
        """Sort ascending: the most lagging cluster first (worst status, then more 严重滞后,
        then more 滞后, then the largest gap)."""
        serious = sum(track.status is Status.SERIOUS for track in self.indicators)
        lagging = sum(track.status is Status.LAGGING for track in self.indicators)
        gaps = [track.latest_gap for track in self.flags if track.latest_gap is not None]
        return (-SEVERITY[self.status], -serious, -lagging, -max(gaps, default=Decimal(0)))


def track(
    plan: PlanTargets,
    actuals: Actuals,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    *,
    through: int | None = None,
) -> ClusterTrack:
    """Every rule a–g of ``plan`` against ``actuals``, for the years after the base year up to
    ``through`` (default: the last year in ``actuals``; a year without a report is 未报告)."""
    last = through if through is not None else max(actuals, default=plan.base_year)
    years = range(plan.base_year + 1, last + 1)
    # One decimal context for the whole cluster (entering one per indicator showed in profiles
    # of the city-wide dashboard, which tracks every certified cluster on a cold start).
    with localcontext() as context:
        context.prec = 28
        indicators = tuple(_track_rule(rule, plan, actuals, years, thresholds) for rule in RULES)
    return ClusterTrack(indicators, cluster_status([t.status for t in indicators]))


def cluster_status(statuses: list[Status]) -> Status:
    """The worst verdict; without any, 未报告 if something is tracked, else 未设定目标."""
    verdicts = [status for status in statuses if status in VERDICTS]
    if verdicts:
        return max(verdicts, key=SEVERITY.__getitem__)
    if Status.NOT_REPORTED in statuses:
        return Status.NOT_REPORTED
    return Status.NO_TARGET


# --- chart data (portal/static/portal/charts.js reads it from json_script) ---------------------


def line_chart(indicator: IndicatorTrack) -> dict:
    """One indicator's actuals against its trajectory, from the base year (whose actual is the
    declared baseline), with the values as the form prints them; None is a year not reported."""
    rule = indicator.rule
    years = sorted(indicator.trajectory)
    actual = {check.year: check.actual for check in indicator.years}
    if years:
        actual[years[0]] = indicator.baseline
    # Rule a's declared target is a rate, its baseline the base year's output: both are levels
    # in the chart, which shows 集群总产值.
    return {
        "type": "line",
        "title": rule.label,
        "unit": rule.unit,
        "categoryLabel": "年份",
        "categories": [str(year) for year in years],
        "series": [
            {"name": "实际值", "data": [_text(rule, actual.get(year)) for year in years]},
            {
                "name": "目标轨迹",
                "data": [_text(rule, indicator.trajectory[year]) for year in years],
                "dashed": True,
            },
        ],
        "decimals": 0 if rule.whole else 2,
    }


def status_chart(
    title: str, category_label: str, counts: Mapping[str, Mapping[Status, int]]
) -> dict:
    """Clusters by a category (county, industry …) and status, as a stacked bar chart."""
    # 按期 at the bottom of each bar; a status no category has is left out of the legend.
    order = (*VERDICTS, Status.NOT_REPORTED)
    shown = [s for s in order if any(row.get(s) for row in counts.values())] or list(VERDICTS)
    return {
        "type": "bar",
        "title": title,
        "unit": "个",
        "categoryLabel": category_label,
        "categories": list(counts),
        "series": [
            {"name": str(status), "data": [row.get(status, 0) for row in counts.values()]}
            for status in shown
        ],
        "stack": True,
        "decimals": 0,
    }


def _text(rule: Rule, value: Decimal | None) -> str | None:
    return None if value is None else _num(rule, value)


def trajectory(rule: Rule, goal: Goal, span: int, years: range) -> dict[int, Decimal]:
    """The value the target implies for each of ``years`` (``span`` years from the base year to
    the target year), as printed. One root per indicator (the yearly factor), then integer powers:
    the root is the costly step, and the dashboard traces every certified cluster."""
    baseline, target = goal.baseline, goal.target
    if baseline is None or target is None:
        raise ValueError("a trajectory needs both the baseline and the target")
    with localcontext() as context:
        context.prec = 28
        return _trajectory(rule, baseline, target, span, years)


def _trajectory(
    rule: Rule, baseline: Decimal, target: Decimal, span: int, years: range
) -> dict[int, Decimal]:
    # ``trajectory`` without its checks and context (``track`` enters one for all rules).
    base_year = years.start - 1
    out = {base_year: _print(rule, baseline)}
    if rule.rate_target:
        factor: Decimal | None = ONE + target / HUNDRED
    elif rule.shape is Shape.COMPOUND and baseline > 0 and target > 0:
        factor = nth_root(target / baseline, span)
    else:
        factor = None
    step, rounding = (ONE, ROUND_CEILING) if rule.whole else (CENT, ROUND_HALF_UP)
    for year in years:
        k = min(year - base_year, span)  # after the target year the path holds the target
        if factor is None:
            value = baseline + (target - baseline) * k / span
        elif k == span and not rule.rate_target:
            value = target  # exactly the declared target, whatever the root's last digit
        else:
            value = baseline * factor**k
        # A count on track is a whole count: 100.33 firms means 101.
        out[year] = value.quantize(step, rounding=rounding)
    return out


def nth_root(value: Decimal, n: int) -> Decimal:
    """The positive ``n``-th root of a positive ``value``: the float root, then one Newton step in
    Decimal (integer powers only), which doubles its ~16 correct digits to the context's 28.
    Decimal's own fractional power gives the same digits some 50× slower."""
    guess = Decimal(repr(float(value) ** (1.0 / n)))
    return guess - (guess**n - value) / (n * guess ** (n - 1))


def _track_rule(
    rule: Rule, plan: PlanTargets, actuals: Actuals, years: range, thresholds: Thresholds
) -> IndicatorTrack:
    goal = plan.goals.get(rule.key, NO_GOAL)
    span = plan.target_year - plan.base_year
    if goal.baseline is None or goal.target is None or span <= 0:
        reason = f"{rule.label}未设定{plan.base_year}年基准值或{plan.target_year}年目标值，不跟踪"
        return IndicatorTrack(rule, goal.baseline, goal.target, {}, (), Status.NO_TARGET, reason)
    if rule.rate_target and goal.baseline <= 0:
        reason = (
            f"{plan.base_year}年{rule.label}为{_num(rule, goal.baseline)}，无法按增速推算目标轨迹"
        )
        return IndicatorTrack(rule, goal.baseline, goal.target, {}, (), Status.NO_TARGET, reason)
    path = _trajectory(rule, goal.baseline, goal.target, span, years)
    checks: list[YearCheck] = []
    known = (plan.base_year, _print(rule, goal.baseline))  # the last known value, for rule b
    status = Status.NOT_REPORTED  # the latest reported year's
    key = rule.key
    for year in years:
        actual = actuals.get(year, EMPTY).get(key)
        if actual is None:
            checks.append(YearCheck(rule, year, None, path[year], None, Status.NOT_REPORTED))
            continue
        shown = _print(rule, actual)
        check = _check(
            rule,
            year,
            actual=actual,
            shown=shown,
            trajectory=path[year],
            known=known,
            thresholds=thresholds,
        )
        checks.append(check)
        status = check.status
        known = (year, shown)
    return IndicatorTrack(rule, goal.baseline, goal.target, path, tuple(checks), status)


def _check(
    rule: Rule,
    year: int,
    *,
    actual: Decimal,
    shown: Decimal,
    trajectory: Decimal,
    known: tuple[int, Decimal],
    thresholds: Thresholds,
) -> YearCheck:
    """A reported year (``shown``: the actual as printed) against the path."""
    if trajectory == 0:  # behind by any amount is behind by everything: no finite gap
        gap = None
    else:
        behind = shown - trajectory if rule.decreasing else trajectory - shown
        gap = (behind / abs(trajectory) * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
    if rule.every_year and shown <= known[1]:
        return YearCheck(rule, year, actual, trajectory, gap, Status.SERIOUS, known)
    if gap is None:
        behind_path = shown > trajectory if rule.decreasing else shown < trajectory
        status = Status.SERIOUS if behind_path else Status.ON_TRACK
        return YearCheck(rule, year, actual, trajectory, None, status)
    return YearCheck(rule, year, actual, trajectory, gap, thresholds.status(gap))


def _print(rule: Rule, value: Decimal) -> Decimal:
    """The value as the form prints it, as a number (so gaps are those of the printed values)."""
    if type(value) is not Decimal:
        value = Decimal(value)
    return value.quantize(ONE if rule.whole else CENT, rounding=ROUND_HALF_UP)


def _num(rule: Rule, value: Decimal) -> str:
    return number_text(value, integer=rule.whole)


def _amount(rule: Rule, value: Decimal) -> str:
    # “128.40 亿元” but “44.80%”, as the notice writes them.
    number = _num(rule, value)
    return f"{number}{rule.unit}" if rule.unit == "%" else f"{number} {rule.unit}"
