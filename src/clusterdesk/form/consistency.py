"""Consistency checks: the sums a reviewer does with a calculator on a filled Attachment 2.

Each check compares a declared figure with what the form's own figures imply and reports a
WARNING carrying both (and INFO for computed figures worth showing). A check whose inputs are
missing is skipped silently: the required rule reports missing values, and a half-filled draft
should not drown in follow-on warnings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from pydantic import BaseModel

from . import metrics
from .display import number_text
from .fields import spec_of
from .findings import Finding, Level
from .numbers import NoneDecimal
from .schema import NONE_WORD, Application
from .schema.digital import Digital
from .schema.industry import LeadingIndustry
from .schema.innovation import Innovation, InnovationPlatforms, Platforms
from .schema.plan import Targets
from .walk import version_of

# Rates are filled rounded to 2 decimals, often from unrounded statistics or from a growth the
# statistics bureau published; 0.5 percentage points absorbs that and still catches a rate
# copied from the wrong row or year. The growth and mean-growth checks widen it by the most
# that the 2-decimal rounding of their inputs can move the computed rate (metrics.*_bound):
# nothing worth mentioning for a real cluster, but tiny figures would otherwise be flagged.
RATE_TOLERANCE_PP = Decimal("0.5")
# A ratio such as 件/万人 depends on two rounded or period-end counts: 1% of its value, but
# never less than one unit of the last kept decimal (0.01) so that tiny ratios are not flagged.
RATIO_TOLERANCE_REL = Decimal("0.01")
RATIO_TOLERANCE_ABS = Decimal("0.01")
# Values are stored with 4 decimals so they show why a warning fired that the 2-decimal
# message cannot (10.504 vs 10.00 is over 0.5 pp; both print as 10.50 / 10.00).
STORED = Decimal("0.0001")

TITLES = {
    "leading-output": "主导产业产值测算",
    "leading-growth": "主导产业产值增速核对",
    "leading-cagr": "主导产业产值年均增速核对",
    "sme-count": "企业数量核对",
    "patents-per-10k": "每万人有效发明专利拥有量核对",
    "platform-names": "创新平台数量与名称核对",
    "target-baseline": "发展目标基准值核对",
}

Check = Callable[[Application, tuple[str, ...]], Iterator[Finding]]


def check_consistency(application: Application) -> list[Finding]:
    """All consistency findings of an application, in the form's order."""
    years = version_of(application).year_keys
    return [finding for check in CHECKS for finding in check(application, years)]


# --- helpers ---------------------------------------------------------------------------------


def _label(model: type[BaseModel], name: str, year: str | None = None) -> str:
    label = spec_of(model, name).label
    return f"{label}（{year}年）" if year else label  # as walk.Node.label prints a year cell


def _f(value: Decimal | int) -> str:
    """Numbers in messages: counts as they are, measures with the form's 2 decimals, 无 as 无
    (``display.number_text``); computed figures rounded to the 2 decimals they are shown with."""
    if isinstance(value, Decimal) and value.is_finite() and not isinstance(value, NoneDecimal):
        value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return number_text(value)


def _q(value: Decimal) -> Decimal:
    return value.quantize(STORED)


def _warn(rule: str, path: str, label: str, message: str, **values: object) -> Finding:
    return Finding(path, label, Level.WARNING, rule, f"{TITLES[rule]}：{message}", values)


# --- 二、主导产业情况 --------------------------------------------------------------------------


def _leading_output(app: Application, years: tuple[str, ...]) -> Iterator[Finding]:
    p2 = app.part2
    outputs = metrics.leading_outputs(p2.total_output, p2.leading_output_share, years)
    if not outputs:
        return
    listed = "；".join(f"{year}年 {_f(value)} 亿元" for year, value in outputs.items())
    yield Finding(
        "part2.leading_output_share",
        _label(LeadingIndustry, "leading_output_share"),
        Level.INFO,
        "leading-output",
        f"{TITLES['leading-output']}：集群总产值 × 主导产业产值占比 = {listed}。",
        {"leading_output": {year: _q(value) for year, value in outputs.items()}},
    )


def _leading_growth(app: Application, years: tuple[str, ...]) -> Iterator[Finding]:
    p2 = app.part2
    outputs = metrics.leading_outputs(p2.total_output, p2.leading_output_share, years)
    for previous, year in pairwise(years):
        declared = p2.leading_output_growth.get(year)
        if declared is None or previous not in outputs or year not in outputs:
            continue
        computed = metrics.growth(outputs[previous], outputs[year])
        bound = metrics.growth_rounding_bound(
            (p2.total_output[previous], p2.leading_output_share[previous]),  # type: ignore[arg-type]
            (p2.total_output[year], p2.leading_output_share[year]),  # type: ignore[arg-type]
        )
        if computed is None or bound is None:  # no leading output the year before: no growth
            continue
        tolerance = RATE_TOLERANCE_PP + bound
        difference = abs(declared - computed)
        if difference <= tolerance:
            continue
        yield _warn(
            "leading-growth",
            f"part2.leading_output_growth.{year}",
            _label(LeadingIndustry, "leading_output_growth", year),
            f"{year}年填报 {_f(declared)}%，按主导产业产值（{previous}年 "
            f"{_f(outputs[previous])} 亿元 → {year}年 {_f(outputs[year])} 亿元）计算为 "
            f"{_f(computed)}%，相差 {_f(difference)} 个百分点，超过容差 {_f(tolerance)}。",
            year=year,
            declared=declared,
            computed=_q(computed),
            difference=_q(difference),
            tolerance=_q(tolerance),
            previous_output=_q(outputs[previous]),
            output=_q(outputs[year]),
        )


def _leading_cagr(app: Application, years: tuple[str, ...]) -> Iterator[Finding]:
    p2 = app.part2
    declared = p2.leading_output_cagr
    rates = [p2.leading_output_growth.get(year) for year in years]
    if declared is None or any(rate is None for rate in rates):
        return
    computed = metrics.compound_mean(rates)  # type: ignore[arg-type]
    bound = metrics.compound_mean_rounding_bound(rates)  # type: ignore[arg-type]
    if computed is None or bound is None:
        return
    tolerance = RATE_TOLERANCE_PP + bound
    difference = abs(declared - computed)
    if difference <= tolerance:
        return
    listed = "、".join(f"{_f(rate)}%" for rate in rates)  # type: ignore[arg-type]
    yield _warn(
        "leading-cagr",
        "part2.leading_output_cagr",
        _label(LeadingIndustry, "leading_output_cagr"),
        f"填报 {_f(declared)}%，按{years[0]}–{years[-1]}年各年主导产业产值增速（{listed}）"
        f"复合计算为 {_f(computed)}%，相差 {_f(difference)} 个百分点，超过容差 {_f(tolerance)}。",
        declared=declared,
        computed=_q(computed),
        difference=_q(difference),
        tolerance=_q(tolerance),
        rates=dict(zip(years, rates, strict=True)),
    )


# The counts the form lists under 集群企业数量; each is a part of the cluster's enterprises.
ENTERPRISE_PARTS = (
    "smes",
    "specialised_smes",
    "little_giants",
    "single_champions",
    "high_tech_and_innovative",
)


def _sme_count(app: Application, years: tuple[str, ...]) -> Iterator[Finding]:
    p2 = app.part2
    whole = _label(LeadingIndustry, "enterprises")
    for name in ENTERPRISE_PARTS:
        counts: dict[str, int | None] = getattr(p2, name)
        for year in years:
            count, enterprises = counts.get(year), p2.enterprises.get(year)
            if count is None or enterprises is None or count <= enterprises:
                continue
            label = _label(LeadingIndustry, name, year)
            yield _warn(
                "sme-count",
                f"part2.{name}.{year}",
                label,
                f"{label}填报 {count} 家，多于同年{whole} {enterprises} 家。",
                year=year,
                count=count,
                enterprises=enterprises,
            )


# --- 三、创新能力情况 --------------------------------------------------------------------------


def _patents_per_10k(app: Application, years: tuple[str, ...]) -> Iterator[Finding]:
    p3 = app.part3
    declared, patents, people = p3.patents_per_10k, p3.patents, p3.sme_employees
    if declared is None or patents is None or people is None:
        return
    computed = metrics.per_10k(patents, people)
    if computed is None:
        return
    tolerance = max(computed * RATIO_TOLERANCE_REL, RATIO_TOLERANCE_ABS)
    difference = abs(declared - computed)
    if difference <= tolerance:
        return
    yield _warn(
        "patents-per-10k",
        "part3.patents_per_10k",
        _label(Innovation, "patents_per_10k"),
        f"填报 {_f(declared)} 件/万人，按有效发明专利拥有量 {patents} 个 ÷ 中小企业从业人员 "
        f"{people} 人 × 10000 计算为 {_f(computed)} 件/万人，相差 {_f(difference)}，"
        f"超过容差 {_f(tolerance)}。",
        declared=declared,
        computed=_q(computed),
        difference=_q(difference),
        tolerance=_q(tolerance),
        patents=patents,
        sme_employees=people,
    )


def _named(platforms: Platforms) -> list[str]:
    # 无 is the official answer when nothing applies (填报说明 2): it names no platform.
    return [name for name in platforms.names if name.strip() not in ("", NONE_WORD)]


def _platform_names(app: Application, years: tuple[str, ...]) -> Iterator[Finding]:
    for line in ("national", "provincial", "other"):
        platforms: Platforms = getattr(app.part3.platforms, line)
        if platforms.count is None:
            continue
        names = _named(platforms)
        if len(names) == platforms.count:
            continue
        label = _label(InnovationPlatforms, line)
        yield _warn(
            "platform-names",
            f"part3.platforms.{line}.count",
            label,
            f"{label}填报数量 {platforms.count} 个，列出名称 {len(names)} 个。",
            declared=platforms.count,
            names_count=len(names),
            names=names,
        )


# --- 八、发展规划 -----------------------------------------------------------------------------


# 优质中小企业 read as part 二's 专精特新 + 小巨人 + 单项冠军; a county may count it otherwise
# (小巨人 are also 专精特新), hence the softer message.
QUALITY_PARTS = ("specialised_smes", "little_giants", "single_champions")


def _target_baseline(app: Application, years: tuple[str, ...]) -> Iterator[Finding]:
    # 集群产值年均增速 is the whole cluster's output growth while part 二 states the leading
    # industry's: not the same measure, so not compared.
    base = years[-1]  # the baselines are of the last data year (FormVersion.base_year)
    quality = [getattr(app.part2, name).get(base) for name in QUALITY_PARTS]
    # (indicator, the form's own figure, where the form states it, tolerance, what to tell)
    checks: tuple[tuple[str, Decimal | int | None, str, Decimal, str], ...] = (
        ("industrial_internet", app.part4.industrial_internet,
         _label(Digital, "industrial_internet"), RATE_TOLERANCE_PP,
         f"相差超过容差 {_f(RATE_TOLERANCE_PP)} 个百分点。"),
        ("patents", app.part3.patents, _label(Innovation, "patents"), Decimal(0),
         "两者不一致（表内为集群内中小企业口径），请核对。"),
        ("quality_smes", None if None in quality else sum(quality),  # type: ignore[arg-type]
         f"{base}年专精特新中小企业、专精特新“小巨人”企业、制造业单项冠军企业数量合计",
         Decimal(0), f"基准值与表内{base}年数据不一致，请核对口径。"),
    )  # fmt: skip
    for indicator, form_value, source, tolerance, note in checks:
        baseline = getattr(app.part8.goals.targets, indicator).baseline
        if baseline is None or form_value is None:
            continue
        difference = abs(baseline - form_value)
        if difference <= tolerance:
            continue
        spec = spec_of(Targets, indicator)
        unit = spec.unit or ""
        # A count's baseline is a number of the table; print it as the count it is.
        shown = int(baseline) if isinstance(form_value, int) and baseline % 1 == 0 else baseline
        yield _warn(
            "target-baseline",
            f"part8.goals.targets.{indicator}.baseline",
            spec.label,
            f"{spec.label}基准值 {_f(shown)}{unit}，表内{source}为 {_f(form_value)}{unit}；{note}",
            declared=baseline,
            form_value=form_value,
            difference=difference,
            tolerance=tolerance,
        )


CHECKS: tuple[Check, ...] = (
    _leading_output,
    _leading_growth,
    _leading_cagr,
    _sme_count,
    _patents_per_10k,
    _platform_names,
    _target_baseline,
)
