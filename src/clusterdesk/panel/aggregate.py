"""Aggregating the experts' totals per application and ranking the applications.

Every figure shown is a Decimal rounded half up to 2 places (the way a panel's 汇总表 is read);
the ranking compares the rounded aggregate, so two applications that print the same figure share
a rank (1, 2, 2, 4).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from statistics import median as _median
from typing import Any

MEAN, MEDIAN, TRIMMED = "mean", "median", "trimmed"
METHODS = {
    MEAN: "算术平均分",
    MEDIAN: "中位数",
    TRIMMED: "去掉一个最高分和一个最低分后的平均分",
}
TWO_PLACES = Decimal("0.01")
TRIMMED_FALLBACK = "评分专家少于 3 人，未去掉最高分和最低分，按算术平均计算。"


def two_places(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def mean(totals: Sequence[Decimal]) -> Decimal:
    return two_places(sum(totals, Decimal(0)) / len(totals))


def median(totals: Sequence[Decimal]) -> Decimal:
    return two_places(Decimal(_median(totals)))


def trimmed_mean(totals: Sequence[Decimal]) -> tuple[Decimal, bool]:
    """去掉一个最高分和一个最低分后的平均分, and whether it could trim (with fewer than 3 totals
    there is nothing left after trimming: the mean stands in and the caller says so)."""
    if len(totals) < 3:
        return mean(totals), False
    ordered = sorted(totals)
    return mean(ordered[1:-1]), True


@dataclass(frozen=True)
class Aggregate:
    count: int
    mean: Decimal
    median: Decimal
    trimmed: Decimal
    trimmed_applied: bool
    spread: Decimal  # highest − lowest total
    disagreement: bool  # spread beyond the margin
    notes: tuple[str, ...] = ()

    def value(self, method: str) -> Decimal:
        return {MEAN: self.mean, MEDIAN: self.median, TRIMMED: self.trimmed}[method]


def aggregate(totals: Sequence[Decimal], margin: Decimal) -> Aggregate | None:
    """The figures of one application from its experts' weighted totals (None without any)."""
    if not totals:
        return None
    totals = [Decimal(total) for total in totals]
    trimmed, applied = trimmed_mean(totals)
    spread = two_places(max(totals) - min(totals))
    return Aggregate(
        count=len(totals),
        mean=mean(totals),
        median=median(totals),
        trimmed=trimmed,
        trimmed_applied=applied,
        spread=spread,
        disagreement=spread > Decimal(margin),
        notes=() if applied else (TRIMMED_FALLBACK,),
    )


@dataclass
class Ranked:
    key: Any  # what the caller ranks (an application id)
    aggregate: Aggregate | None
    value: Decimal | None
    rank: int | None = None  # None: nothing scored yet
    tied: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def rank(items: Iterable[tuple[Any, Aggregate | None]], method: str) -> list[Ranked]:
    """Sorted best first by ``method``; equal figures share a rank and the next rank skips
    (1, 2, 2, 4); applications without any score come last, unranked. Among equals the order
    is the caller's (stable), so the table does not reshuffle between requests."""
    if method not in METHODS:
        raise ValueError(f"unknown aggregate {method!r}")
    rows = [Ranked(key, agg, agg.value(method) if agg else None) for key, agg in items]
    scored = sorted((row for row in rows if row.value is not None), key=lambda r: -r.value)
    counts: dict[Decimal, int] = {}
    for row in scored:
        counts[row.value] = counts.get(row.value, 0) + 1
    previous: Decimal | None = None
    current = 0
    for position, row in enumerate(scored, start=1):
        if row.value != previous:
            current, previous = position, row.value
        row.rank = current
        row.tied = counts[row.value] > 1
    return scored + [row for row in rows if row.value is None]
