"""Targets against actuals (panel.tracking): the path each rule a–g implies, gaps and statuses."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from clusterdesk.form.example import example_application
from clusterdesk.form.numbers import NONE_NUMBER
from clusterdesk.panel.tracking import (
    RULE_BY_KEY,
    Goal,
    PlanTargets,
    Status,
    Thresholds,
    line_chart,
    nth_root,
    plan_from_application,
    status_chart,
    track,
)


def plan(**goals: tuple[str, str]) -> PlanTargets:
    return PlanTargets(2022, 2025, {key: Goal(D(b), D(t)) for key, (b, t) in goals.items()})


def indicator(result, key):
    return next(t for t in result.indicators if t.rule.key == key)


def year(result, key, y):
    return next(c for c in indicator(result, key).years if c.year == y)


# --- a. 产值年均增速不低于10%: the output compounded at the declared rate -------------------------


def test_a_output_compounds_at_the_declared_rate():
    result = track(plan(output=("100", "10")), {2024: {"output": D("114")}}, through=2025)
    path = indicator(result, "output").trajectory
    assert path == {2022: D("100.00"), 2023: D("110.00"), 2024: D("121.00"), 2025: D("133.10")}
    check = year(result, "output", 2024)
    assert check.gap == D("5.79")
    assert check.status is Status.LAGGING
    assert check.reason == "2024年集群总产值 114.00 亿元，低于目标轨迹 121.00 亿元 5.79%"


@pytest.mark.parametrize(
    ("actual", "status"),
    [("115.95", Status.ON_TRACK), ("114.90", Status.LAGGING), ("102", Status.SERIOUS)],
)
def test_a_thresholds_five_and_fifteen_percent_of_the_trajectory(actual, status):
    # Trajectory 121.00: 4.17% behind is 按期, 5.04% 滞后, 15.70% 严重滞后.
    result = track(plan(output=("100", "10")), {2024: {"output": D(actual)}})
    assert year(result, "output", 2024).status is status


def test_a_exactly_at_the_threshold_is_on_track():
    result = track(plan(output=("100", "10")), {2023: {"output": D("104.50")}})  # 5.00% behind
    assert year(result, "output", 2023).gap == D("5.00")
    assert year(result, "output", 2023).status is Status.ON_TRACK


def test_a_without_base_year_output_cannot_be_traced():
    result = track(plan(output=("0", "10")), {2023: {"output": D("50")}})
    output = indicator(result, "output")
    assert output.status is Status.NO_TARGET
    assert output.reason == "2022年集群总产值为0.00，无法按增速推算目标轨迹"


# --- b. 优质中小企业数量逐年增加 ----------------------------------------------------------------


def test_b_linear_path_in_whole_firms_and_every_year_must_increase():
    actuals = {2023: {"quality_smes": D(112)}, 2024: {"quality_smes": D(112)}}
    result = track(plan(quality_smes=("100", "130")), actuals)
    smes = indicator(result, "quality_smes")
    assert smes.trajectory == {2022: 100, 2023: 110, 2024: 120}
    assert year(result, "quality_smes", 2023).status is Status.ON_TRACK
    check = year(result, "quality_smes", 2024)
    assert check.status is Status.SERIOUS  # 6.67% behind the path, but the rule itself is broken
    assert check.reason == (
        "2024年优质中小企业数量 112 家，未比2023年（112 家）增加，不符合“逐年增加”的要求"
    )
    assert smes.status is Status.SERIOUS


def test_b_a_year_not_reported_compares_with_the_last_known_count():
    actuals = {2023: {"quality_smes": D(111)}, 2025: {"quality_smes": D(110)}}
    result = track(plan(quality_smes=("100", "130")), actuals)
    assert year(result, "quality_smes", 2024).status is Status.NOT_REPORTED
    assert "未比2023年（111 家）增加" in year(result, "quality_smes", 2025).reason


def test_b_rounds_the_path_up_to_whole_firms():
    result = track(plan(quality_smes=("100", "101")), {}, through=2025)
    # 100.33 firms cannot be had: 101 is what is on track in 2023.
    assert indicator(result, "quality_smes").trajectory[2023] == 101


# --- c, d. yearly growth: compound from the baseline to the target ---------------------------


def test_c_rd_spending_compounds_between_baseline_and_target():
    actuals = {2023: {"rd_spending": D("1100")}, 2024: {"rd_spending": D("1100")}}
    result = track(plan(rd_spending=("1000", "1331")), actuals, through=2025)
    path = indicator(result, "rd_spending").trajectory
    assert path == {2022: D("1000.00"), 2023: D("1100.00"), 2024: D("1210.00"), 2025: D("1331.00")}
    assert year(result, "rd_spending", 2023).status is Status.ON_TRACK
    check = year(result, "rd_spending", 2024)
    assert (check.gap, check.status) == (D("9.09"), Status.LAGGING)
    assert year(result, "rd_spending", 2025).status is Status.NOT_REPORTED


def test_d_patents_compound_in_whole_patents():
    result = track(plan(patents=("100", "152")), {2023: {"patents": D(115)}}, through=2025)
    # 100 × 1.52^(1/3) = 114.98 and 100 × 1.52^(2/3) = 132.20, rounded up to whole patents.
    assert indicator(result, "patents").trajectory == {2022: 100, 2023: 115, 2024: 133, 2025: 152}
    assert (
        year(result, "patents", 2023).reason == "2023年有效发明专利数量 115 件，达到目标轨迹 115 件"
    )


def test_c_baseline_zero_falls_back_to_a_linear_path():
    result = track(plan(rd_spending=("0", "500")), {2023: {"rd_spending": D("100")}}, through=2025)
    path = indicator(result, "rd_spending").trajectory
    assert path == {2022: D("0.00"), 2023: D("166.67"), 2024: D("333.33"), 2025: D("500.00")}
    check = year(result, "rd_spending", 2023)
    assert (check.gap, check.status) == (D("40.00"), Status.SERIOUS)


# --- e. a level in percentage points: linear ---------------------------------------------------


def test_e_industrial_internet_is_linear():
    actuals = {2023: {"industrial_internet": D("35")}, 2024: {"industrial_internet": D("37")}}
    result = track(plan(industrial_internet=("30", "45")), actuals)
    assert indicator(result, "industrial_internet").trajectory[2024] == D("40.00")
    check = year(result, "industrial_internet", 2024)
    assert (check.gap, check.status) == (D("7.50"), Status.LAGGING)
    assert check.reason == "2024年工业互联网普及率 37.00%，低于目标轨迹 40.00% 7.50%"


# --- f, g. lower is better --------------------------------------------------------------------


def test_f_co2_higher_than_the_path_is_behind():
    actuals = {2023: {"co2_emissions": D("93.60")}, 2024: {"co2_emissions": D("95")}}
    result = track(plan(co2_emissions=("100", "82")), actuals, through=2025)
    path = indicator(result, "co2_emissions").trajectory
    assert path == {2022: D("100.00"), 2023: D("93.60"), 2024: D("87.61"), 2025: D("82.00")}
    assert year(result, "co2_emissions", 2023).status is Status.ON_TRACK
    check = year(result, "co2_emissions", 2024)
    assert (check.gap, check.status) == (D("8.44"), Status.LAGGING)
    assert check.reason == "2024年二氧化碳排放量 95.00 万吨，高于目标轨迹 87.61 万吨 8.44%"


def test_g_energy_below_the_target_already_is_on_track():
    result = track(plan(energy_intensity=("0.50", "0.43")), {2023: {"energy_intensity": D("0.40")}})
    check = year(result, "energy_intensity", 2023)
    assert check.status is Status.ON_TRACK
    assert check.gap < 0  # ahead of the path
    assert check.reason.endswith("达到目标轨迹 0.48 吨标准煤/万元")


def test_a_target_already_met_in_the_first_year():
    result = track(plan(output=("100", "10")), {2023: {"output": D("140")}})
    assert year(result, "output", 2023).status is Status.ON_TRACK
    assert result.status is Status.ON_TRACK


def test_a_path_to_zero_flags_any_remainder():
    result = track(plan(co2_emissions=("10", "0")), {2025: {"co2_emissions": D("1")}})
    check = year(result, "co2_emissions", 2025)
    assert check.trajectory == D("0.00")  # linear: no compound path to 0
    assert (check.gap, check.status) == (None, Status.SERIOUS)
    assert check.reason == "2025年二氧化碳排放量 1.00 万吨，高于目标轨迹 0.00 万吨"


# --- missing data, 无, years ----------------------------------------------------------------------


def test_missing_actuals_are_not_reported_not_lagging():
    result = track(plan(output=("100", "10"), patents=("100", "152")), {}, through=2024)
    assert indicator(result, "output").status is Status.NOT_REPORTED
    assert indicator(result, "output").reason == "2024年未报告集群总产值"
    assert result.status is Status.NOT_REPORTED
    assert result.flags == ()


def test_a_missing_year_is_not_reported_and_the_latest_report_counts():
    actuals = {2023: {"output": D("90")}, 2025: {"output": D("133.10")}}
    result = track(plan(output=("100", "10")), actuals)
    statuses = [c.status for c in indicator(result, "output").years]
    assert statuses == [Status.SERIOUS, Status.NOT_REPORTED, Status.ON_TRACK]
    assert indicator(result, "output").status is Status.ON_TRACK  # recovered


def test_after_the_target_year_the_path_holds_the_target():
    result = track(plan(output=("100", "10")), {2026: {"output": D("133.10")}})
    assert indicator(result, "output").trajectory[2026] == D("133.10")
    assert year(result, "output", 2026).status is Status.ON_TRACK


def test_none_word_counts_as_zero_and_prints_as_none():
    result = track(plan(patents=("10", "20")), {2023: {"patents": NONE_NUMBER}})
    check = year(result, "patents", 2023)
    assert check.status is Status.SERIOUS
    assert check.reason.startswith("2023年有效发明专利数量 无 件，低于目标轨迹 13 件 100.00%")


def test_an_indicator_without_target_is_not_tracked():
    goals = {"output": Goal(D("100"), None)}
    result = track(PlanTargets(2022, 2025, goals), {2023: {"output": D("1")}})
    output = indicator(result, "output")
    assert output.status is Status.NO_TARGET
    assert not output.flagged
    assert result.status is Status.NO_TARGET


# --- thresholds, cluster status, ordering -------------------------------------------------------


def test_thresholds_are_data():
    loose = Thresholds(lagging=D(10), serious=D(20))
    result = track(plan(output=("100", "10")), {2024: {"output": D("114")}}, loose)
    assert year(result, "output", 2024).status is Status.ON_TRACK
    with pytest.raises(ValueError, match="滞后阈值"):
        Thresholds(lagging=D(20), serious=D(10))


def test_cluster_status_is_the_worst_and_the_most_lagging_sorts_first():
    goals = plan(output=("100", "10"), industrial_internet=("30", "45"))

    def cluster(output, internet):
        return track(goals, {2023: {"output": D(output), "industrial_internet": D(internet)}})

    on_track = cluster("110", "35")
    one_lagging = cluster("104", "35")  # 5.45% behind
    lagging_more = cluster("103", "33")  # two indicators behind
    serious = cluster("90", "35")
    assert one_lagging.status is Status.LAGGING
    assert [t.rule.letter for t in lagging_more.flags] == ["a", "e"]
    assert serious.status is Status.SERIOUS
    ranked = sorted([on_track, one_lagging, serious, lagging_more], key=lambda c: c.lag_key)
    assert ranked == [serious, lagging_more, one_lagging, on_track]


def test_plan_from_the_declaration():
    goals = plan_from_application(example_application())
    assert (goals.base_year, goals.target_year) == (2022, 2025)
    assert goals.goals["output"] == Goal(
        D("121.8"), D("12")
    )  # part 二's 2022 output, part 八's rate
    assert goals.goals["co2_emissions"] == Goal(D("43.85"), D("35.8"))
    assert set(goals.goals) == set(RULE_BY_KEY)


# --- chart data for charts.js ---------------------------------------------------------------------


def test_line_chart_data_starts_at_the_baseline_and_prints_values_as_the_form():
    actuals = {2023: {"output": D("128.4")}, 2025: {"output": D("140")}}
    result = track(plan(output=("121.8", "10")), actuals)
    data = line_chart(indicator(result, "output"))
    assert data["title"] == "集群总产值"
    assert data["unit"] == "亿元"
    assert data["categories"] == ["2022", "2023", "2024", "2025"]
    actual, path = data["series"]
    assert actual == {"name": "实际值", "data": ["121.80", "128.40", None, "140.00"]}
    assert path["name"] == "目标轨迹"
    assert path["dashed"] is True
    assert path["data"] == ["121.80", "133.98", "147.38", "162.12"]  # 121.8 × 1.1^k


def test_line_chart_of_counts_is_whole():
    result = track(plan(quality_smes=("100", "130")), {2023: {"quality_smes": D(112)}})
    data = line_chart(indicator(result, "quality_smes"))
    assert data["decimals"] == 0
    assert data["series"][0]["data"] == ["100", "112"]


def test_status_chart_stacks_counts_by_county():
    counts = {
        "海曙区": {Status.ON_TRACK: 3, Status.SERIOUS: 1},
        "北仑区": {Status.ON_TRACK: 1, Status.LAGGING: 1},
    }
    data = status_chart("各区县集群跟踪状态", "区县", counts)
    assert data["categories"] == ["海曙区", "北仑区"]
    assert [(s["name"], s["data"]) for s in data["series"]] == [
        ("按期", [3, 1]),
        ("滞后", [0, 1]),
        ("严重滞后", [1, 0]),
    ]
    assert data["stack"] is True


def test_nth_root_is_exact_to_the_context():
    assert nth_root(D("1.331"), 3) == D("1.1")
    assert nth_root(D(2), 2) ** 2 - 2 < D("1e-26")


def test_no_target_at_all():
    result = track(PlanTargets(2022, 2025, {}), {2023: {"output": D(1)}})
    assert result.status is Status.NO_TARGET
    assert indicator(result, "patents").reason == (
        "有效发明专利数量未设定2022年基准值或2025年目标值，不跟踪"
    )


def test_behind_within_the_threshold_says_so():
    result = track(plan(output=("100", "10")), {2023: {"output": D("107")}})
    check = year(result, "output", 2023)
    assert check.status is Status.ON_TRACK
    assert check.reason == "2023年集群总产值 107.00 亿元，低于目标轨迹 110.00 亿元 2.73%，仍属按期"


def test_the_annual_reports_of_the_example_cluster_are_on_track():
    # form/annual (another part, new) gives the actuals; imported here so that a change there
    # fails this test, not the collection of the whole file.
    from clusterdesk.form.annual.example import example_reports  # noqa: PLC0415
    from clusterdesk.form.annual.metrics import target_actuals  # noqa: PLC0415

    actuals = {report.basics.year: target_actuals(report) for report in example_reports()}
    result = track(plan_from_application(example_application()), actuals)
    assert result.status is Status.ON_TRACK
    assert year(result, "output", 2024).reason == (
        "2024年集群总产值 152.80 亿元，达到目标轨迹 152.79 亿元"
    )
    assert year(result, "quality_smes", 2024).reason == (
        "2024年优质中小企业数量 107 家，低于目标轨迹 108 家 0.93%，仍属按期"
    )
