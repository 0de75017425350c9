"""The growth checks against rates worked out independently of the code under test: by hand,
and from statistics built from chosen rates (so no rate is ever computed from the figures)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from clusterdesk.form.consistency import check_consistency
from clusterdesk.form.findings import Level
from clusterdesk.form.schema import Application

D = Decimal
CENT = D("0.01")


def test_rates_worked_out_by_hand_pass() -> None:
    app = Application()
    # Leading output 200 × 50% = 100, 250 × 60% = 150, 300 × 70% = 210 亿元:
    # 150 / 100 − 1 = 50%, 210 / 150 − 1 = 40%.
    app.part2.total_output = {"2020": D(200), "2021": D(250), "2022": D(300)}
    app.part2.leading_output_share = {"2020": D(50), "2021": D(60), "2022": D(70)}
    app.part2.leading_output_growth = {"2020": D(20), "2021": D(50), "2022": D(40)}
    # (1.2 × 1.5 × 1.4)^(1/3) − 1 = 2.52^(1/3) − 1 = 36.0818…%
    app.part2.leading_output_cagr = D("36.08")
    assert [f for f in check_consistency(app) if f.level == Level.WARNING] == []
    app.part2.leading_output_cagr = D("36.67")  # the arithmetic mean (20 + 50 + 40) / 3
    assert [f.rule for f in check_consistency(app) if f.level == Level.WARNING] == ["leading-cagr"]


# --- the checks never flag exact arithmetic --------------------------------------------------


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _factor(rate: Decimal) -> Decimal:
    return 1 + rate / 100


amounts = st.decimals(min_value=D("0.01"), max_value=D(100_000), places=6)
shares = st.decimals(min_value=D("0.01"), max_value=D(100), places=6)
rates = st.decimals(min_value=D("-99.99"), max_value=D(500), places=6)


@settings(max_examples=300, deadline=None)
@given(
    first_output=amounts,
    leading=st.tuples(shares, shares, shares),
    first_rate=rates,
    rate=rates,
    mean=rates,
)
def test_figures_built_from_their_rates_never_fire(
    first_output: Decimal,
    leading: tuple[Decimal, ...],
    first_rate: Decimal,
    rate: Decimal,
    mean: Decimal,
) -> None:
    """Statistics built from chosen growth rates, then rounded to the form's 2 decimals, pass.

    The rates are the starting point, not computed by the code under test: the outputs follow
    from them by multiplication, and the 2022 rate from the chosen mean rate, because
    (1 + mean)³ = (1 + 2020 rate)(1 + 2021 rate)(1 + 2022 rate).
    """
    years = ("2020", "2021", "2022")
    last_factor = _factor(mean) ** 3 / (_factor(first_rate) * _factor(rate))
    last_rate = (last_factor - 1) * 100
    outputs = (
        first_output,
        first_output * _factor(rate),
        first_output * _factor(rate) * last_factor,
    )
    totals = [output * 100 / share for output, share in zip(outputs, leading, strict=True)]
    app = Application()
    p2 = app.part2
    p2.total_output = {y: _round(t) for y, t in zip(years, totals, strict=True)}
    p2.leading_output_share = {y: _round(s) for y, s in zip(years, leading, strict=True)}
    declared = (first_rate, rate, last_rate)
    p2.leading_output_growth = {y: _round(r) for y, r in zip(years, declared, strict=True)}
    p2.leading_output_cagr = _round(mean)
    fired = [f for f in check_consistency(app) if f.rule in {"leading-growth", "leading-cagr"}]
    assert fired == []
