"""The 2025 targets of part 八 against rules a–g, with the figures from the profile."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clusterdesk.form.criteria import load_profile, loads_profile
from clusterdesk.form.findings import Level
from clusterdesk.form.schema import Application
from clusterdesk.form.targets import check_targets, compound_rate, meets_growth

NATIONAL = load_profile("national-2022")


def _app(name: str, baseline: str | None, target: str | None) -> Application:
    app = Application()
    row = getattr(app.part8.goals.targets, name)
    row.baseline = None if baseline is None else Decimal(baseline)
    row.target = None if target is None else Decimal(target)
    return app


def _findings(name: str, baseline: str | None, target: str | None, profile=NATIONAL):
    return check_targets(_app(name, baseline, target), profile)


def _level(name: str, baseline: str | None, target: str | None, profile=NATIONAL):
    findings = _findings(name, baseline, target, profile)
    assert len(findings) <= 1
    return findings[0].level if findings else None


def test_an_empty_plan_has_no_findings():
    assert check_targets(Application(), NATIONAL) == []


# --- a. 产值年均增速不低于10% ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "level"), [("10", None), ("15", None), ("9.99", Level.ERROR), ("-2", Level.ERROR)]
)
def test_a_output_growth(target, level):
    assert _level("output_growth", "12", target) == level


def test_a_finding_names_the_rule_and_values():
    [finding] = _findings("output_growth", None, "9.99")
    assert finding.rule == "targets.a"
    assert finding.path == "part8.goals.targets.output_growth.target"
    assert finding.label == "集群产值年均增速·2025年目标值"
    assert finding.message == (
        "集群产值年均增速：2025年目标值为9.99%，未达到“产值年均增速不低于10%”的要求（备注a）"
    )
    assert finding.values == {
        "rule": "a",
        "target": Decimal("9.99"),
        "required": Decimal(10),
    }


# --- b. 优质中小企业数量逐年增加 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "target", "level"),
    [
        ("10", "13", None),  # one more every year
        ("0", "3", None),
        ("10", "20", None),
        ("10", "12", Level.WARNING),  # more, but not one more each of three years
        ("10", "11", Level.WARNING),
        ("10", "10", Level.ERROR),  # no increase
        ("10", "9", Level.ERROR),
    ],
)
def test_b_quality_smes(baseline, target, level):
    assert _level("quality_smes", baseline, target) == level


def test_b_warning_says_each_year_must_increase():
    [finding] = _findings("quality_smes", "10", "12")
    assert finding.rule == "targets.b"
    assert "每年都有增加" in finding.message
    assert finding.values["increase"] == 2
    assert finding.values["required"] == 3


# --- c. 研发经费年均增速不低于10% -----------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "target", "level"),
    [
        ("1000", "1331", None),  # exactly 10.00%
        ("1000", "1500", None),
        ("1000000", "1330637.2", Level.ERROR),  # 9.99%
        ("1000", "1330", Level.ERROR),
        ("1000", "0", Level.ERROR),
    ],
)
def test_c_rd_spending(baseline, target, level):
    assert _level("rd_spending", baseline, target) == level


def test_c_finding_carries_the_rate_and_the_requirement():
    [finding] = _findings("rd_spending", "1000000", "1330637.2")
    assert finding.rule == "targets.c"
    assert finding.level == Level.ERROR
    assert finding.values["rate"] == Decimal("9.99")
    assert finding.values["required"] == 10
    assert "年均增速为9.99%" in finding.message
    assert "研发经费年均增速不低于10%" in finding.message


def test_c_a_rate_that_prints_as_the_minimum_meets_it():
    # 9.995% rounds to 10.00% at the form's two decimals: it is accepted, and never shown as
    # a miss of 10% while printing 10.00%.
    baseline = Decimal(1000)
    target = (baseline * Decimal("1.09995") ** 3).quantize(Decimal("0.01"))
    assert compound_rate(baseline, target, 3) == Decimal("10.00")
    assert _level("rd_spending", str(baseline), str(target)) is None


@pytest.mark.parametrize("baseline", ["0", "-5"])
def test_c_zero_baseline_cannot_give_a_rate(baseline):
    [finding] = _findings("rd_spending", baseline, "100")
    assert finding.level == Level.WARNING
    assert finding.path == "part8.goals.targets.rd_spending.baseline"
    assert "无法计算" in finding.message


@pytest.mark.parametrize(("baseline", "target"), [(None, "100"), ("100", None), (None, None)])
def test_missing_values_are_left_to_the_required_rule(baseline, target):
    for name in ("quality_smes", "rd_spending", "patents", "co2_emissions", "energy_intensity"):
        assert _findings(name, baseline, target) == []


# --- d. 有效发明专利数年均增长不低于15% -------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "target", "level"),
    [
        ("100", "152.0875", None),  # 1.15³ exactly
        ("200", "305", None),
        ("100", "152", Level.ERROR),  # 14.97%
        ("100", "150", Level.ERROR),
    ],
)
def test_d_patents(baseline, target, level):
    assert _level("patents", baseline, target) == level


def test_d_finding():
    [finding] = _findings("patents", "100", "150")
    assert finding.rule == "targets.d"
    assert finding.values["rate"] == Decimal("14.47")
    assert finding.values["required"] == 15


def test_d_zero_baseline():
    [finding] = _findings("patents", "0", "10")
    assert finding.level == Level.WARNING


# --- e. 工业互联网普及率达到45%左右 ---------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "level"),
    [("45", None), ("60", None), ("43", None), ("43.01", None), ("42.99", Level.WARNING)],
)
def test_e_industrial_internet_about_45(target, level):
    assert _level("industrial_internet", "30", target) == level


def test_e_finding_states_the_tolerance():
    [finding] = _findings("industrial_internet", "30", "40")
    assert finding.rule == "targets.e"
    assert "45%左右" in finding.message
    assert "允许偏差2个百分点" in finding.message
    assert finding.values["floor"] == 43


def _with_tolerance(tolerance: str):
    text = """
id = "t"
name = "t"
source = "t"
[[aspects]]
id = "1"
title = "t"
[[aspects.rules]]
id = "r"
title = "t"
metric = "area_km2"
op = "<="
[targets]
industrial_internet = 45
co2_reduction = 18
""" + (f"tolerance = {tolerance}\n" if tolerance else "")
    return loads_profile(text, "t.toml")


def test_the_tolerance_is_the_profiles():
    strict = _with_tolerance("0")
    assert _level("industrial_internet", "30", "44.99", strict) == Level.WARNING
    assert _level("industrial_internet", "30", "45", strict) is None
    loose = _with_tolerance("5")
    assert _level("industrial_internet", "30", "40", loose) is None


def test_unset_target_rules_are_reported_not_judged():
    profile = _with_tolerance("")  # only e and f set
    [finding] = _findings("rd_spending", "100", "101", profile)
    assert finding.level == Level.INFO
    assert "未评估" in finding.message


def test_a_profile_without_targets_checks_none():
    text = 'id = "t"\nname = "t"\nsource = "t"\n[[aspects]]\nid = "1"\ntitle = "t"\n'
    text += '[[aspects.rules]]\nid = "r"\ntitle = "t"\nmetric = "area_km2"\nop = "<="\n'
    profile = loads_profile(text, "t.toml")
    assert check_targets(_app("output_growth", None, "1"), profile) == []


# --- f. 二氧化碳排放量降低达到18%左右 -------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "target", "level"),
    [
        ("100", "82", None),  # 18%
        ("100", "70", None),
        ("100", "84", None),  # 16%: within 2 points
        ("100", "84.01", Level.WARNING),  # 15.99%
        ("100", "120", Level.WARNING),  # a rise
    ],
)
def test_f_co2_reduction(baseline, target, level):
    assert _level("co2_emissions", baseline, target) == level


def test_f_finding_and_zero_baseline():
    [finding] = _findings("co2_emissions", "100", "90")
    assert finding.rule == "targets.f"
    assert finding.values["rate"] == Decimal("10.00")
    assert finding.values["required"] == 18
    assert "二氧化碳排放量降低达到18%左右" in finding.message
    [zero] = _findings("co2_emissions", "0", "0")
    assert zero.level == Level.WARNING
    assert "无法计算" in zero.message


# --- g. 单位工业产值能耗下降达到13.5%左右 ---------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "target", "level"),
    [
        ("1", "0.865", None),  # 13.5%
        ("100", "88.5", None),  # 11.5%: the edge of the 2-point tolerance
        ("100", "88.51", Level.WARNING),  # 11.49%
        ("0.5", "0.45", Level.WARNING),  # 10%
    ],
)
def test_g_energy_intensity(baseline, target, level):
    assert _level("energy_intensity", baseline, target) == level


def test_g_finding():
    [finding] = _findings("energy_intensity", "0.5", "0.45")
    assert finding.rule == "targets.g"
    assert finding.level == Level.WARNING
    assert finding.values["required"] == Decimal("13.5")
    assert finding.values["rate"] == Decimal("10.00")


# --- properties ---------------------------------------------------------------------------


@given(
    baseline=st.decimals(min_value=1, max_value=1_000_000, places=2),
    percent=st.integers(min_value=0, max_value=60),
)
def test_a_target_grown_at_exactly_the_rate_meets_it(baseline, percent):
    rate = Decimal(percent)
    target = baseline * (1 + rate / 100) ** 3
    assert meets_growth(baseline, target, 3, rate)
    assert compound_rate(baseline, target, 3) == rate
    lower = baseline * (1 + (rate - Decimal("0.01")) / 100) ** 3
    assert not meets_growth(baseline, lower, 3, rate)
