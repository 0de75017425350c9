"""An annual report against the cluster's declaration and its earlier reports: each finding with
the message a city officer reads."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from clusterdesk.form.annual import consistency as c
from clusterdesk.form.annual.consistency import check_against
from clusterdesk.form.annual.example import example_report
from clusterdesk.form.example import example_application
from clusterdesk.form.findings import Level

DECLARATION = example_application()


def rules_of(findings) -> list[str]:
    return [f.rule for f in findings]


def test_the_examples_agree_with_the_declaration_and_each_other():
    first, second = example_report(2023), example_report(2024)
    assert check_against(first, DECLARATION) == []
    assert check_against(second, DECLARATION, [first]) == []
    assert check_against(second, DECLARATION, [second, first]) == []  # itself is ignored


def test_a_year_not_after_the_declarations_data_is_an_error():
    report = example_report()
    report.basics.year = 2023
    declaration = example_application()
    declaration.form_version = "2023"
    # The 2023 form's last data year is 2022: 2023 is fine, and no earlier year can be chosen.
    assert check_against(report, declaration) == []
    (finding,) = c._year_order(_with_year(report, 2022), declaration)
    assert finding.level is Level.ERROR
    assert finding.path == "basics.year"
    assert finding.message == (
        "「报告年度」为2022年，申报表的数据截止年度为2022年；年度报告应报告2023年及以后的年度"
    )


def _with_year(report, year):
    # The schema refuses 2022 for this report version; the check still guards other versions.
    clone = report.model_copy(deep=True)
    object.__setattr__(clone.basics, "year", year)
    return clone


def test_the_same_year_twice_is_an_error():
    (finding,) = check_against(example_report(2023), DECLARATION, [example_report(2023)])
    assert (finding.rule, finding.level) == (c.DUPLICATE_YEAR, Level.ERROR)
    assert finding.message == "「报告年度」：2023年度的报告已经提交，同一年度只能报告一次"


def test_a_changed_operator_without_a_major_change_is_a_warning():
    report = example_report()
    report.basics.operator = "宁波北仑模具产业发展有限公司"
    (finding,) = check_against(report, DECLARATION)
    assert (finding.rule, finding.level, finding.path) == (
        c.UNREPORTED_CHANGE,
        Level.WARNING,
        "basics.operator",
    )
    assert finding.message == (
        "「集群运营管理机构」填报为“宁波北仑模具产业发展有限公司”，与申报表的"
        "“宁波北仑模具产业园区管理委员会”不同，但未报告“运营管理机构”重大变更；"
        "请在重大变更情况中填写变更日期、变更前后情况和说明"
    )
    report.changes.any_change = "是"
    report.changes.items = [
        {
            "kind": "运营管理机构",
            "changed_on": "2023-09-01",
            "before": "宁波北仑模具产业园区管理委员会",
            "after": "宁波北仑模具产业发展有限公司",
            "explanation": "园区管委会职能调整，运营管理职能移交国有运营公司。",
        }
    ]
    assert check_against(report, DECLARATION) == []
    # Once reported, the next year's report carries the new operator without a new change.
    later = example_report(2024)
    later.basics.operator = "宁波北仑模具产业发展有限公司"
    assert check_against(later, DECLARATION, [report]) == []


def test_a_changed_area_or_leading_industry_names_both_values():
    report = example_report()
    report.basics.area_km2 = Decimal("48.2")
    report.basics.leading_industry = "模具及汽车零部件"
    findings = {f.path: f.message for f in check_against(report, DECLARATION)}
    assert findings == {
        "basics.leading_industry": (
            "「主导产业」填报为“模具及汽车零部件”，与申报表的“模具”不同，但未报告“主导产业”"
            "重大变更；请在重大变更情况中填写变更日期、变更前后情况和说明"
        ),
        "basics.area_km2": (
            "「集群占地面积（平方公里）」填报为48.20平方公里，与申报表的36.50平方公里不同，"
            "但未报告“集群区域”重大变更；请在重大变更情况中填写变更日期、变更前后情况和说明"
        ),
    }


def test_white_space_and_full_width_forms_are_no_change():
    report = example_report()
    report.basics.operator = "宁波北仑模具产业园区管理委员会 "
    report.basics.leading_industry = "模具"
    assert check_against(report, DECLARATION) == []


def test_the_record_is_the_latest_earlier_report():
    first = example_report(2023)
    first.basics.leading_industry = "精密模具"  # reported (wrongly) without a change in 2023
    second = example_report(2024)
    (finding,) = check_against(second, DECLARATION, [first])
    assert "与2023年度报告的“精密模具”不同" in finding.message


def trajectory(report):
    # Moving the output also moves the leading output's growth: that check has its own test.
    return [f for f in check_against(report, DECLARATION) if f.rule == c.OUTPUT_TRAJECTORY]


def test_an_output_far_off_the_declarations_trajectory_is_a_warning():
    report = example_report()
    report.figures.industry.total_output = Decimal("1365000")  # 万元 typed for 亿元
    (finding,) = trajectory(report)
    assert (finding.rule, finding.level) == (c.OUTPUT_TRAJECTORY, Level.WARNING)
    # 92.40 → 121.80 over 2020–2022 is 14.81% a year; 121.80 × 1.1481 ≈ 139.84 in 2023.
    assert finding.message.startswith(
        "「集群总产值（亿元）」2023年填报 1365000.00 亿元，按申报表2020–2022年产值"
        "（92.40 亿元 → 121.80 亿元，年均增速 14.81%）推算约为 139.84 亿元，高于推算值"
    )
    assert finding.message.endswith("超过 30% 的合理范围，请核实数据口径和单位")
    assert finding.values["projected"] == Decimal("139.84")
    report.figures.industry.total_output = Decimal("90")
    (finding,) = trajectory(report)
    assert "低于推算值 35.64%" in finding.message
    report.figures.industry.total_output = Decimal("100")  # 28.49% below: within the band
    assert trajectory(report) == []


def test_the_trajectory_runs_on_for_later_years():
    report = example_report(2024)
    report.figures.industry.total_output = Decimal("112")  # 2024 ≈ 160.55 projected
    (finding,) = [f for f in check_against(report, DECLARATION) if f.rule == c.OUTPUT_TRAJECTORY]
    assert "推算约为 160.55 亿元，低于推算值 30.24%" in finding.message


def test_sharp_falls_against_the_previous_report_carry_both_figures():
    first, second = example_report(2023), example_report(2024)
    second.figures.industry.specialised_smes = 60  # 76 → 60: −21.05%
    second.figures.digital.industrial_internet = Decimal("30")  # 43.60 → 30.00: −13.6 pp
    second.figures.innovation.patents = 400  # 457 → 400: −12.47%, under the threshold
    findings = [f for f in check_against(second, DECLARATION, [first]) if f.rule == c.SHARP_FALL]
    assert {f.path: f.message for f in findings} == {
        "figures.industry.specialised_smes": (
            "「专精特新中小企业数量」2024年为 60 家，2023年度报告为 76 家，"
            "下降 21.05%（提示阈值 20%），请说明原因"
        ),
        "figures.digital.industrial_internet": (
            "「集群工业互联网平台应用普及率（%）」2024年为 30.00%，2023年度报告为 43.60%，"
            "下降 13.60 个百分点（提示阈值 10 个百分点），请说明原因"
        ),
    }
    assert all(f.level is Level.WARNING for f in findings)
    assert findings[0].values["fall"] == Decimal("21.05")


def test_a_fall_to_none_word_is_a_fall_to_zero():
    first, second = example_report(2023), example_report(2024)
    second.figures.innovation.platforms = "无"
    (finding,) = [f for f in check_against(second, DECLARATION, [first]) if f.rule == c.SHARP_FALL]
    assert finding.message == (
        "「创新平台数量（国家级＋省级＋其他）」2024年为 无，2023年度报告为 7 个，"
        "下降 100.00%（提示阈值 20%），请说明原因"
    )


def test_only_the_latest_earlier_report_is_compared_and_later_ones_are_ignored():
    first, second = example_report(2023), example_report(2024)
    first.figures.industry.enterprises = 9000
    # 2024 is compared with 2023; a 2023 report is not compared with the later 2024 one.
    assert rules_of(check_against(second, DECLARATION, [first])) == [c.SHARP_FALL]
    assert check_against(first, DECLARATION, [second]) == []


def test_a_draft_without_a_year_checks_only_what_it_can():
    report = example_report()
    report.basics.year = None
    report.basics.operator = "别的机构"
    assert check_against(report, DECLARATION, [example_report(2024)]) == []


@given(
    before=st.integers(min_value=1, max_value=10_000),
    factor=st.decimals(min_value="0.81", max_value="3", places=2),
)
def test_a_count_that_holds_or_falls_less_than_a_fifth_is_no_warning(before, factor):
    first, second = example_report(2023), example_report(2024)
    first.figures.industry.high_tech_and_innovative = before
    second.figures.industry.high_tech_and_innovative = int(before * factor + Decimal("0.999"))
    findings = [f for f in check_against(second, DECLARATION, [first]) if f.rule == c.SHARP_FALL]
    assert findings == []


@given(
    before=st.integers(min_value=1, max_value=10_000),
    factor=st.decimals(min_value="0", max_value="0.8", places=2),
)
def test_a_count_that_falls_a_fifth_or_more_is_a_warning(before, factor):
    first, second = example_report(2023), example_report(2024)
    first.figures.industry.high_tech_and_innovative = before
    second.figures.industry.high_tech_and_innovative = int(before * factor)
    (finding,) = [f for f in check_against(second, DECLARATION, [first]) if f.rule == c.SHARP_FALL]
    assert finding.values["previous"] == before
    assert finding.values["fall"] >= Decimal(20)


def test_a_leading_growth_that_the_outputs_do_not_give_is_a_warning():
    first = example_report(2023)
    first.figures.industry.leading_output_growth = Decimal("18.55")  # 2022's rate copied
    (finding,) = check_against(first, DECLARATION)
    assert (finding.rule, finding.level) == (c.LEADING_GROWTH, Level.WARNING)
    assert finding.message == (
        "「集群主导产业产值增速（%）」2023年填报 18.55%，按主导产业产值（申报表 2022年 99.88 亿元"
        " → 2023年 112.34 亿元）计算为 12.48%，相差 6.07 个百分点，超过容差 0.52。"
    )
    second = example_report(2024)
    second.figures.industry.leading_output_growth = Decimal("2")
    (finding,) = check_against(second, DECLARATION, [example_report(2023)])
    assert "按主导产业产值（2023年度报告 2023年 112.34 亿元 → 2024年 126.21 亿元）" in (
        finding.message
    )
    # Without the year before on record (no 2023 report), the 2024 rate is not compared.
    assert check_against(second, DECLARATION) == []
