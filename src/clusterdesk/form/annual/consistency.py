"""An annual report against the cluster's declaration and its earlier reports.

What a city officer checks with the declaration and last year's report beside the new one:

- the year: after the declaration's last data year (error), not reported twice (error);
- the cluster's identity: a leading industry, area or operator that differs from the one on
  record (the latest earlier report's, else the declaration's) with no major change of that kind
  reported this year or earlier (warning: 重大变更未报告 is a ground for revocation);
- the output against the declaration's trajectory: the declaration's compound yearly growth of
  集群总产值 over its data years, carried forward to the reported year; an output more than
  ``TRAJECTORY_BAND`` away from that projection is a warning with both figures;
- 集群主导产业产值增速 against the leading output (总产值 × 占比) of the year before, read from
  the previous year's report or, for the first year, the declaration's last data year — the
  declaration's own check with its tolerance (``form.consistency.RATE_TOLERANCE_PP``);
- sharp falls against the previous report: an amount or count down by ``FALL_RATIO`` or more, a
  share down by ``FALL_POINTS`` percentage points or more (warning with both figures).

The checks read values as the form keeps them: 无 counts 0 (``form.numbers``); a check whose
inputs are missing is skipped (the required rule reports missing values).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from pydantic import BaseModel

from .. import metrics
from ..consistency import RATE_TOLERANCE_PP
from ..display import number_text
from ..fields import Kind, spec_of
from ..findings import Finding, Level
from ..numbers import NoneCount, NoneDecimal
from ..schema import Application
from ..walk import version_of
from .schema import (
    DigitalFigures,
    IndustryFigures,
    InnovationFigures,
    ReportBasics,
)

YEAR_ORDER = "annual.year-order"
DUPLICATE_YEAR = "annual.duplicate-year"
UNREPORTED_CHANGE = "annual.unreported-change"
OUTPUT_TRAJECTORY = "annual.output-trajectory"
SHARP_FALL = "annual.sharp-fall"
LEADING_GROWTH = "annual.leading-growth"

# An output more than 30% above or below the declaration's trajectory: a cluster's output moves
# a few percent a year off its trend; 30% is a unit error (万元 for 亿元), a changed boundary or a
# figure of another cluster, which is what a reviewer wants to ask about.
TRAJECTORY_BAND = Decimal("0.30")
# A fall of a fifth in one year of an amount or a count, or of 10 percentage points of a share.
FALL_RATIO = Decimal("0.20")
FALL_POINTS = Decimal(10)
CENT = Decimal("0.01")

# The figures compared with the previous report: (block, model, name).
FALL_FIGURES: tuple[tuple[str, type[BaseModel], str], ...] = (
    ("industry", IndustryFigures, "total_output"),
    ("industry", IndustryFigures, "sme_output_share"),
    ("industry", IndustryFigures, "leading_output_share"),
    ("industry", IndustryFigures, "enterprises"),
    ("industry", IndustryFigures, "smes"),
    ("industry", IndustryFigures, "specialised_smes"),
    ("industry", IndustryFigures, "little_giants"),
    ("industry", IndustryFigures, "single_champions"),
    ("industry", IndustryFigures, "high_tech_and_innovative"),
    ("innovation", InnovationFigures, "rd_spending"),
    ("innovation", InnovationFigures, "patents"),
    ("innovation", InnovationFigures, "platforms"),
    ("digital", DigitalFigures, "industrial_internet"),
    ("digital", DigitalFigures, "cloud_adoption"),
)

# The identity of the cluster on record: (report field, change kind, declaration reader).
IDENTITY: tuple[tuple[str, str], ...] = (
    ("leading_industry", "主导产业"),
    ("area_km2", "集群区域"),
    ("operator", "运营管理机构"),
)


def check_against(
    report: Any, declaration: Application, earlier: Iterable[Any] = ()
) -> list[Finding]:
    """Every finding of ``report`` (an ``AnnualReport``) against the cluster's declaration and its
    earlier reports (any order; the report itself, if among them, is ignored)."""
    others = [other for other in earlier if other is not report]
    year = report.basics.year
    out = _year_order(report, declaration) + _duplicates(report, others)
    if year is None:
        return out
    before = sorted(
        (o for o in others if o.basics.year is not None and o.basics.year < year),
        key=lambda o: o.basics.year,
    )
    out += _identity(report, declaration, before)
    out += _trajectory(report, declaration)
    out += _leading_growth(report, declaration, before)
    if before:
        out += _falls(report, before[-1])
    return out


# --- the year ------------------------------------------------------------------------------------


def _year_label() -> str:
    return spec_of(ReportBasics, "year").label


def _year_order(report: Any, declaration: Application) -> list[Finding]:
    year = report.basics.year
    version = version_of(declaration)
    if year is None or year > version.base_year:
        return []
    message = (
        f"「{_year_label()}」为{year}年，申报表的数据截止年度为{version.base_year}年；"
        f"年度报告应报告{version.base_year + 1}年及以后的年度"
    )
    values = {"year": year, "base_year": version.base_year}
    return [Finding("basics.year", _year_label(), Level.ERROR, YEAR_ORDER, message, values)]


def _duplicates(report: Any, others: Sequence[Any]) -> list[Finding]:
    year = report.basics.year
    if year is None or not any(other.basics.year == year for other in others):
        return []
    message = f"「{_year_label()}」：{year}年度的报告已经提交，同一年度只能报告一次"
    return [
        Finding("basics.year", _year_label(), Level.ERROR, DUPLICATE_YEAR, message, {"year": year})
    ]


# --- the cluster's identity -----------------------------------------------------------------------


def _declared(declaration: Application, name: str) -> Any:
    if name == "leading_industry":
        return declaration.attachment1.leading_industry
    return getattr(declaration.part1, name)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return _norm(a) == _norm(b)
    return a == b


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _shown(value: Any, unit: str | None) -> str:
    if isinstance(value, Decimal | int):
        return f"{number_text(value)}{unit or ''}"
    return f"“{value}”"


def _identity(report: Any, declaration: Application, before: Sequence[Any]) -> list[Finding]:
    out = []
    for name, kind in IDENTITY:
        current = getattr(report.basics, name)
        if current is None or (isinstance(current, str) and not current.strip()):
            continue
        # On record: the latest earlier report that states it, else the declaration.
        recorded, source = _declared(declaration, name), "申报表"
        for other in reversed(before):
            value = getattr(other.basics, name)
            if value is not None:
                recorded, source = value, f"{other.basics.year}年度报告"
                break
        if recorded is None or _same(current, recorded):
            continue
        reports = [report, *before]
        if any(change.kind == kind for other in reports for change in other.changes.items):
            continue
        spec = spec_of(ReportBasics, name)
        message = (
            f"「{spec.label}」填报为{_shown(current, spec.unit)}，与{source}的"
            f"{_shown(recorded, spec.unit)}不同，但未报告“{kind}”重大变更；"
            f"请在重大变更情况中填写变更日期、变更前后情况和说明"
        )
        values = {"reported": current, "recorded": recorded, "source": source, "kind": kind}
        out.append(
            Finding(f"basics.{name}", spec.label, Level.WARNING, UNREPORTED_CHANGE, message, values)
        )
    return out


# --- the output against the declaration's trajectory ----------------------------------------------


def _trajectory(report: Any, declaration: Application) -> list[Finding]:
    actual = report.figures.industry.total_output
    version = version_of(declaration)
    outputs = declaration.part2.total_output
    first, last = version.year_keys[0], version.year_keys[-1]
    start, base = outputs.get(first), outputs.get(last)
    if actual is None or isinstance(actual, NoneDecimal) or not start or not base:
        return []
    span = int(last) - int(first)
    ahead = report.basics.year - int(last)
    with localcontext() as context:
        context.prec = 16
        growth = (base / start) ** (Decimal(1) / Decimal(span)) - 1 if span else Decimal(0)
        projected = base * (1 + growth) ** ahead
    ratio = actual / projected
    if abs(ratio - 1) <= TRAJECTORY_BAND:
        return []
    spec = spec_of(IndustryFigures, "total_output")
    rate = (growth * 100).quantize(CENT, rounding=ROUND_HALF_UP)
    deviation = ((ratio - 1) * 100).quantize(CENT, rounding=ROUND_HALF_UP)
    direction = "高于" if ratio > 1 else "低于"
    message = (
        f"「{spec.label}」{report.basics.year}年填报 {number_text(actual)} 亿元，"
        f"按申报表{first}–{last}年产值（{number_text(start)} 亿元 → {number_text(base)} 亿元，"
        f"年均增速 {rate}%）推算约为 {_q2(projected)} 亿元，{direction}推算值 "
        f"{abs(deviation)}%，超过 {int(TRAJECTORY_BAND * 100)}% 的合理范围，请核实数据口径和单位"
    )
    values = {
        "actual": actual,
        "projected": projected.quantize(CENT, rounding=ROUND_HALF_UP),
        "growth": rate,
        "deviation": deviation,
        "band": TRAJECTORY_BAND,
    }
    path = "figures.industry.total_output"
    return [Finding(path, spec.label, Level.WARNING, OUTPUT_TRAJECTORY, message, values)]


def _q2(value: Decimal) -> str:
    return number_text(value.quantize(CENT, rounding=ROUND_HALF_UP))


# --- 主导产业产值增速 against the year before ---------------------------------------------


def _year_before(
    report: Any, declaration: Application, before: Sequence[Any]
) -> tuple[Decimal, Decimal, str] | None:
    """(总产值, 主导产业占比, source) of the year before the reported one, if on record."""
    year = report.basics.year
    for other in before:
        if other.basics.year == year - 1:
            figures = other.figures.industry
            pair = (figures.total_output, figures.leading_output_share)
            return (*pair, f"{year - 1}年度报告") if None not in pair else None
    key = str(year - 1)
    if version_of(declaration).year_keys[-1] != key:
        return None
    total = declaration.part2.total_output.get(key)
    share = declaration.part2.leading_output_share.get(key)
    return (total, share, "申报表") if total is not None and share is not None else None


def _leading_growth(report: Any, declaration: Application, before: Sequence[Any]) -> list[Finding]:
    figures = report.figures.industry
    declared, total, share = (
        figures.leading_output_growth,
        figures.total_output,
        figures.leading_output_share,
    )
    previous = _year_before(report, declaration, before)
    if previous is None or None in (declared, total, share) or isinstance(declared, NoneDecimal):
        return []
    last_total, last_share, source = previous
    last_output, output = last_total * last_share / 100, total * share / 100
    computed = metrics.growth(last_output, output)
    bound = metrics.growth_rounding_bound((last_total, last_share), (total, share))
    if computed is None or bound is None:
        return []
    tolerance = RATE_TOLERANCE_PP + bound
    difference = abs(declared - computed)
    if difference <= tolerance:
        return []
    year = report.basics.year
    spec = spec_of(IndustryFigures, "leading_output_growth")
    message = (
        f"「{spec.label}」{year}年填报 {number_text(declared)}%，按主导产业产值（{source} "
        f"{year - 1}年 {_q2(last_output)} 亿元 → {year}年 {_q2(output)} 亿元）计算为 "
        f"{_q2(computed)}%，相差 {_q2(difference)} 个百分点，超过容差 {_q2(tolerance)}。"
    )
    values = {
        "declared": declared,
        "computed": computed.quantize(CENT, rounding=ROUND_HALF_UP),
        "difference": difference.quantize(CENT, rounding=ROUND_HALF_UP),
        "tolerance": tolerance.quantize(CENT, rounding=ROUND_HALF_UP),
        "source": source,
    }
    path = "figures.industry.leading_output_growth"
    return [Finding(path, spec.label, Level.WARNING, LEADING_GROWTH, message, values)]


# --- sharp falls against the previous report ------------------------------------------------------


def _falls(report: Any, previous: Any) -> list[Finding]:
    out = []
    year, last = report.basics.year, previous.basics.year
    for block, model, name in FALL_FIGURES:
        now = getattr(getattr(report.figures, block), name)
        then = getattr(getattr(previous.figures, block), name)
        if now is None or then is None or then <= 0 or now >= then:
            continue
        spec = spec_of(model, name)
        unit = spec.unit or ""
        shown_now, shown_then = _figure(now, unit), _figure(then, unit)
        if spec.kind is Kind.SHARE:
            points = Decimal(then) - Decimal(now)
            if points < FALL_POINTS:
                continue
            how = f"下降 {number_text(points)} 个百分点（提示阈值 {FALL_POINTS} 个百分点）"
            values = {"now": now, "previous": then, "points": points}
        else:
            fall = (Decimal(then) - Decimal(now)) / Decimal(then)
            if fall < FALL_RATIO:
                continue
            percent = (fall * 100).quantize(CENT, rounding=ROUND_HALF_UP)
            how = f"下降 {percent}%（提示阈值 {int(FALL_RATIO * 100)}%）"
            values = {"now": now, "previous": then, "fall": percent}
        message = (
            f"「{spec.label}」{year}年为 {shown_now}，{last}年度报告为 {shown_then}，{how}，"
            f"请说明原因"
        )
        values.update(year=year, previous_year=last)
        path = f"figures.{block}.{name}"
        out.append(Finding(path, spec.label, Level.WARNING, SHARP_FALL, message, values))
    return out


def _figure(value: Decimal | int, unit: str) -> str:
    if isinstance(value, NoneDecimal | NoneCount):
        return number_text(value)
    text = number_text(value)
    if unit in ("%",):
        return f"{text}%"
    return f"{text} {unit}" if unit else text
