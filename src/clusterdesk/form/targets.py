"""Part 八's 2025 targets against the notice's rules a–g (备注), with figures from the profile.

Rates compare at the form's precision (two decimals of a percentage point, 填报说明 2): a target
whose compound growth computes to 9.995% and prints as 10.00% meets “不低于10%”. Rules e–g say
左右 (about): a target within the profile's tolerance below the figure passes, one further below is
a warning, never an error. A missing baseline or target is skipped (the required-field rule
reports it); a baseline of 0 where a rate is needed is a warning that the rate cannot be computed.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from .criteria.metrics import as_decimal, fmt_threshold
from .criteria.profile import Profile, TargetsConfig
from .display import number_text
from .fields import spec_of
from .findings import Finding, Level
from .numbers import NoneDecimal
from .schema import Application
from .schema.plan import NumericTarget, Targets
from .walk import version_of

ROOT = "part8.goals.targets"
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
HALF_CENT = Decimal("0.005")


def check_targets(application: Application, profile: Profile) -> list[Finding]:
    config = profile.targets
    if config is None:
        return []
    version = version_of(application)
    ctx = _Context(application.part8.goals.targets, config, version.base_year, version.target_year)
    out: list[Finding] = []
    out += ctx.floor("a", "output_growth", config.output_growth_min, "产值年均增速不低于{}%")
    out += ctx.increase("b", "quality_smes", config.quality_smes_min_yearly_increase)
    out += ctx.growth("c", "rd_spending", config.rd_growth_min, "研发经费年均增速不低于{}%")
    out += ctx.growth("d", "patents", config.patent_growth_min, "有效发明专利数年均增长不低于{}%")
    out += ctx.about("e", "industrial_internet", config.industrial_internet)
    out += ctx.reduction(
        "f", "co2_emissions", config.co2_reduction, "二氧化碳排放量降低达到{}%左右"
    )
    out += ctx.reduction(
        "g", "energy_intensity", config.energy_reduction, "集群单位工业产值能耗下降达到{}%左右"
    )
    return out


def meets_growth(baseline: Decimal, target: Decimal, years: int, minimum: Decimal) -> bool:
    """Whether the compound yearly growth, rounded to two decimals, is at least ``minimum`` %.

    Decided without roots: the rounded rate reaches the minimum exactly when the true rate is at
    least minimum − 0.005, i.e. target/baseline ≥ (1 + (minimum − 0.005)/100)^years — an integer
    power, so exactly 10.00% passes and 9.99% fails.
    """
    factor = (1 + (minimum - HALF_CENT) / HUNDRED) ** years
    return target >= baseline * factor


def compound_rate(baseline: Decimal, target: Decimal, years: int) -> Decimal:
    """Average yearly growth in %: (target/baseline)^(1/years) − 1, to two decimals, for display."""
    ratio = target / baseline
    if not ratio:
        return Decimal(-100).quantize(CENT)
    with localcontext() as context:
        context.prec = 16  # plenty for two decimals of a percentage, and ~10× faster than 28
        root = ratio ** (Decimal(1) / Decimal(years))
        return ((root - 1) * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def reduction_rate(baseline: Decimal, target: Decimal) -> Decimal:
    """The fall from baseline to target in % of the baseline, to two decimals."""
    return ((1 - target / baseline) * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


class _Context:
    def __init__(self, targets: Targets, config: TargetsConfig, base: int, target: int) -> None:
        self.targets = targets
        self.config = config
        self.base = base
        self.target_year = target
        self.years = target - base
        self.baseline_label = spec_of(NumericTarget, "baseline").label
        self.target_label = spec_of(NumericTarget, "target").label

    # --- reading rows --------------------------------------------------------------------

    def row(self, name: str) -> tuple[Decimal | None, Decimal | None]:
        row: NumericTarget = getattr(self.targets, name)
        return as_decimal(row.baseline), as_decimal(row.target)

    def finding(
        self,
        letter: str,
        name: str,
        level: Level,
        message: str,
        values: dict[str, Any],
        *,
        cell: str = "target",
    ) -> Finding:
        indicator = spec_of(Targets, name).label
        label = self.target_label if cell == "target" else self.baseline_label
        return Finding(
            f"{ROOT}.{name}.{cell}",
            f"{indicator}·{label}",
            level,
            f"targets.{letter}",
            f"{indicator}：{message}（备注{letter}）",
            {"rule": letter, **values},
        )

    def unset(self, letter: str, name: str) -> list[Finding]:
        message = "评审标准未设定本项要求的数值，未评估"
        return [self.finding(letter, name, Level.INFO, message, {"required": None})]

    def no_rate(self, letter: str, name: str, baseline: Decimal) -> list[Finding]:
        message = f"{self.baseline_label}为{_pct(baseline)}，无法计算增减幅度，请核实基准值"
        return [
            self.finding(
                letter, name, Level.WARNING, message, {"baseline": baseline}, cell="baseline"
            )
        ]

    # --- the rule kinds --------------------------------------------------------------------

    def floor(self, letter: str, name: str, minimum: Decimal | None, text: str) -> list[Finding]:
        """a. the target is itself a yearly rate that must reach the minimum."""
        _, target = self.row(name)
        if target is None:
            return []
        if minimum is None:
            return self.unset(letter, name)
        if target >= minimum:
            return []
        requirement = text.format(fmt_threshold(minimum))
        message = f"{self.target_label}为{_pct(target)}%，未达到“{requirement}”的要求"
        values = {"target": target, "required": minimum}
        return [self.finding(letter, name, Level.ERROR, message, values)]

    def increase(self, letter: str, name: str, per_year: Decimal | None) -> list[Finding]:
        """b. more quality SMEs every year: above the baseline, by at least per_year a year."""
        baseline, target = self.row(name)
        if baseline is None or target is None:
            return []
        if per_year is None:
            return self.unset(letter, name)
        increase = target - baseline
        needed = per_year * self.years
        values = {"baseline": baseline, "target": target, "increase": increase, "required": needed}
        if increase <= 0:
            message = (
                f"{self.target_label}（{_pct(target)}家）未超过{self.baseline_label}"
                f"（{_pct(baseline)}家），不符合“优质中小企业数量逐年增加”的要求"
            )
            return [self.finding(letter, name, Level.ERROR, message, values)]
        if increase < needed:
            message = (
                f"{self.target_label}比{self.baseline_label}只多{_pct(increase)}家，"
                f"少于{self.years}年逐年增加所需的{_pct(needed)}家，须确保{self.base + 1}—"
                f"{self.target_year}年每年都有增加"
            )
            return [self.finding(letter, name, Level.WARNING, message, values)]
        return []

    def growth(self, letter: str, name: str, minimum: Decimal | None, text: str) -> list[Finding]:
        """c, d. compound yearly growth from the baseline to the target."""
        baseline, target = self.row(name)
        if baseline is None or target is None:
            return []
        if minimum is None:
            return self.unset(letter, name)
        if baseline <= 0 or target < 0:
            return self.no_rate(letter, name, baseline)
        if meets_growth(baseline, target, self.years, minimum):
            return []
        # The root is only taken for the message; it can never print as meeting the minimum.
        rate = min(compound_rate(baseline, target, self.years), minimum - CENT)
        requirement = text.format(fmt_threshold(minimum))
        message = (
            f"{self.target_label}{_pct(target)}较{self.baseline_label}{_pct(baseline)}的"
            f"年均增速为{rate}%，未达到“{requirement}”的要求"
        )
        values = {"baseline": baseline, "target": target, "rate": rate, "required": minimum}
        return [self.finding(letter, name, Level.ERROR, message, values)]

    def about(self, letter: str, name: str, figure: Decimal | None) -> list[Finding]:
        """e. a level to reach, about (左右) the figure."""
        _, target = self.row(name)
        if target is None:
            return []
        if figure is None:
            return self.unset(letter, name)
        floor = figure - self.config.tolerance
        if target >= floor:
            return []
        message = (
            f"{self.target_label}为{_pct(target)}%，低于“工业互联网普及率达到"
            f"{fmt_threshold(figure)}%左右”的要求（允许偏差{fmt_threshold(self.config.tolerance)}"
            f"个百分点，即不低于{fmt_threshold(floor)}%）"
        )
        values = {
            "target": target,
            "required": figure,
            "tolerance": self.config.tolerance,
            "floor": floor,
        }
        return [self.finding(letter, name, Level.WARNING, message, values)]

    def reduction(self, letter: str, name: str, figure: Decimal | None, text: str) -> list[Finding]:
        """f, g. a fall from the baseline of about (左右) the figure, over the whole period."""
        baseline, target = self.row(name)
        if baseline is None or target is None:
            return []
        if figure is None:
            return self.unset(letter, name)
        if baseline <= 0:
            return self.no_rate(letter, name, baseline)
        rate = reduction_rate(baseline, target)
        floor = figure - self.config.tolerance
        if rate >= floor:
            return []
        requirement = text.format(fmt_threshold(figure))
        message = (
            f"{self.target_label}{_pct(target)}较{self.baseline_label}{_pct(baseline)}"
            f"降低{rate}%，未达到“{requirement}”的要求（允许偏差"
            f"{fmt_threshold(self.config.tolerance)}个百分点，即降低不少于{fmt_threshold(floor)}%）"
        )
        values = {
            "baseline": baseline,
            "target": target,
            "rate": rate,
            "required": figure,
            "tolerance": self.config.tolerance,
            "floor": floor,
        }
        return [self.finding(letter, name, Level.WARNING, message, values)]


def _pct(value: Decimal) -> str:
    """A form value as printed: whole numbers whole, others with two decimals, 无 as 无."""
    if isinstance(value, NoneDecimal):
        return number_text(value)
    if value == value.to_integral_value():
        return str(int(value))
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))
