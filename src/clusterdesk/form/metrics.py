"""Figures derived from the form's own numbers: pure Decimal arithmetic, no rules, no messages.

Kept apart from the consistency checks so the criteria and the documents can show the same
computed figures. Every function returns None when its inputs cannot give a figure (a missing
value, a zero base) instead of raising: a draft is allowed to be incomplete.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

HUNDRED = Decimal(100)
TEN_THOUSAND = Decimal(10_000)
# Half of the last decimal the form keeps (填报说明 2): the largest error rounding can add.
HALF_STEP = Decimal("0.005")


def leading_outputs(
    total: Mapping[str, Decimal | None],
    share: Mapping[str, Decimal | None],
    years: Iterable[str],
) -> dict[str, Decimal]:
    """主导产业产值 per year (亿元) = 集群总产值 × 主导产业产值占比 / 100, where both are given."""
    out: dict[str, Decimal] = {}
    for year in years:
        t, s = total.get(year), share.get(year)
        if t is not None and s is not None:
            out[year] = t * s / HUNDRED
    return out


def growth(previous: Decimal, current: Decimal) -> Decimal | None:
    """The growth from one year to the next in %; None without a positive base."""
    if previous <= 0:
        return None
    return (current / previous - 1) * HUNDRED


def growth_rounding_bound(
    previous: tuple[Decimal, Decimal], current: tuple[Decimal, Decimal]
) -> Decimal | None:
    """How far (in percentage points) the rounding of two years' (总产值, 占比) pairs to 2
    decimals can move the growth of the leading output computed from them.

    The exact worst case, not a first-order estimate: each input may be off by up to 0.005,
    so the true growth lies between the corners of that box. Negligible for a real cluster
    (≈0.02 pp at 100 亿元 and 80%) but it keeps a small cluster's honest figures from being
    flagged. None when the previous year could be zero (then any growth is possible).
    """
    computed = growth(_output(*previous), _output(*current))
    low0, high0 = _output_range(*previous)
    low1, high1 = _output_range(*current)
    if computed is None or low0 <= 0:
        return None
    return max((high1 / low0 - 1) * HUNDRED - computed, computed - (low1 / high0 - 1) * HUNDRED)


def _output(total: Decimal, share: Decimal) -> Decimal:
    return total * share / HUNDRED


def _output_range(total: Decimal, share: Decimal) -> tuple[Decimal, Decimal]:
    low = _output(max(total - HALF_STEP, Decimal(0)), max(share - HALF_STEP, Decimal(0)))
    return low, _output(total + HALF_STEP, share + HALF_STEP)


def compound_mean(rates: Iterable[Decimal]) -> Decimal | None:
    """The mean yearly rate in % of consecutive rates in %: (∏(1 + r/100))^(1/n) − 1.

    None when a rate is below −100% (impossible; the range rule reports it).
    """
    factors = _factors(rates)
    if factors is None:
        return None
    return (_geometric_mean(factors) - 1) * HUNDRED


def compound_mean_rounding_bound(rates: Iterable[Decimal]) -> Decimal | None:
    """How far (in percentage points) the rounding of the rates to 2 decimals can move their
    compound mean: the exact worst case, as for growth_rounding_bound. Matters only for a
    year that (nearly) halved or worse; otherwise ≈0.005 pp."""
    factors = _factors(rates)
    if factors is None:
        return None
    step = HALF_STEP / HUNDRED
    mean = _geometric_mean(factors)
    high = _geometric_mean([f + step for f in factors])
    low = _geometric_mean([max(f - step, Decimal(0)) for f in factors])
    return max(high - mean, mean - low) * HUNDRED


def _factors(rates: Iterable[Decimal]) -> list[Decimal] | None:
    factors = [1 + rate / HUNDRED for rate in rates]
    if not factors or any(f < 0 for f in factors):
        return None
    return factors


def _geometric_mean(factors: list[Decimal]) -> Decimal:
    product = Decimal(1)
    for factor in factors:
        product *= factor
    # The one float in the module: an n-th root is irrational anyway, a float's 16 digits are
    # far more than a 2-decimal rate needs, and Decimal's correctly rounded fractional power
    # costs ~70 µs — three of them were 70% of a whole application's checks.
    return Decimal(repr(float(product) ** (1 / len(factors))))


def per_10k(count: int, people: int) -> Decimal | None:
    """A count per 10,000 people (件/万人); None without people."""
    if people <= 0:
        return None
    return Decimal(count) * TEN_THOUSAND / Decimal(people)
