"""The annual report's schema: its boxes, the declaration's labels, limits, two decimals and 无,
run by the shared engine (walk, 填报说明 rules, loading, registry)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clusterdesk.form import registry, rules, validation
from clusterdesk.form.annual.definition import ANNUAL_REPORT_2024
from clusterdesk.form.annual.example import example_report, example_report_data
from clusterdesk.form.annual.schema import (
    MAX_CASES,
    NARRATIVE_CHARS,
    AnnualReport,
    DigitalFigures,
    IndustryFigures,
    InnovationFigures,
    ReportBasics,
)
from clusterdesk.form.display import show
from clusterdesk.form.fields import Kind, form_fields, spec_of
from clusterdesk.form.findings import Level
from clusterdesk.form.loading import ApplicationInputError, application_from_data, label_at
from clusterdesk.form.numbers import NONE_COUNT, NONE_NUMBER
from clusterdesk.form.schema.basics import Basics
from clusterdesk.form.schema.digital import Digital
from clusterdesk.form.schema.industry import LeadingIndustry
from clusterdesk.form.schema.innovation import Innovation
from clusterdesk.form.walk import walk

TODAY = date(2024, 3, 1)
D = ANNUAL_REPORT_2024


def found(report: AnnualReport) -> list:
    return rules.check_rules(D, report, today=TODAY)


def by_path(report: AnnualReport) -> dict[str, list]:
    out: dict[str, list] = {}
    for finding in found(report):
        out.setdefault(finding.path, []).append(finding)
    return out


# --- the schema --------------------------------------------------------------------------------


def test_the_report_is_registered_as_a_form_of_its_own():
    assert registry.definition_for("annual-2024") is D
    assert registry.definition_of(AnnualReport()) is D
    assert registry.definition_for("2023").key == "2023"  # Attachment 2 is still there
    assert D.title == "中小企业特色产业集群年度发展情况报告"
    assert D.page_titles == {
        "basics": "一、基本情况",
        "figures": "二、年度主要指标",
        "work": "三、发展规划实施情况",
        "cases": "四、典型案例",
        "outlook": "五、存在问题和下一步举措",
        "changes": "六、重大变更情况",
    }
    assert D.page_of("figures.green.co2_emissions") == "figures"


def test_the_declarations_indicators_keep_their_label_kind_and_unit():
    pairs = [
        (IndustryFigures, name, LeadingIndustry, name) for name, _ in form_fields(IndustryFigures)
    ] + [
        (InnovationFigures, "patents", Innovation, "patents"),
        (DigitalFigures, "industrial_internet", Digital, "industrial_internet"),
        (DigitalFigures, "cloud_adoption", Digital, "cloud_adoption"),
        (ReportBasics, "area_km2", Basics, "area_km2"),
    ]
    for model, name, declared_model, declared_name in pairs:
        mine, declared = spec_of(model, name), spec_of(declared_model, declared_name)
        assert (mine.label, mine.kind, mine.unit) == (declared.label, declared.kind, declared.unit)
        assert not mine.yearly  # one year per report: no year columns
    # Where the declaration's label says 近三年 the report's names no period.
    assert spec_of(InnovationFigures, "rd_intensity").label == "集群中小企业研发投入强度（%）"
    assert spec_of(InnovationFigures, "rd_spending").label == "研发经费投入（万元）"


def test_an_empty_report_names_every_missing_box_in_chinese():
    findings = by_path(AnnualReport())
    assert findings["basics.year"][0].message == "「报告年度」为必填项，请选择一项（填报说明第2条）"
    output = findings["figures.industry.total_output"][0]
    assert output.message == (
        "「二、年度主要指标·主导产业情况·集群总产值（亿元）」为必填项，应填写数值；"
        "无相关情况时填写“无”（填报说明第2条）"
    )
    assert findings["work.openness"][0].message == (
        "「深化集群开放合作」为必填项；无相关情况时应填写“无”（填报说明第2条）"
    )
    assert findings["cases.items"][0].message == "「典型案例」至少填写1个案例，并提供佐证材料"
    assert {f.level for fs in findings.values() for f in fs} == {Level.ERROR}


def test_round_trip_through_json_keeps_every_value():
    report = example_report(2024)
    data = json.loads(json.dumps(report.model_dump(mode="json"), ensure_ascii=False))
    assert data["figures"]["industry"]["total_output"] == 152.8
    again = AnnualReport.model_validate(data)
    assert again == report
    assert again.model_dump(mode="json") == data
    written = example_report_data(2024)
    for part in ("basics", "figures", "work", "outlook", "changes"):
        assert data[part] == written[part]  # stored exactly as written: 0.3 stays 0.3, 5210 whole


def test_the_walk_visits_the_reports_boxes_without_year_cells():
    paths = [node.path for node in walk(D, AnnualReport())]
    assert paths[:3] == ["basics", "basics.year", "basics.cluster_name"]
    assert "figures.industry.total_output" in paths
    assert not any(path.endswith(".2023") for path in paths)


# --- 无, two decimals, ranges --------------------------------------------------------------------


def test_none_word_is_an_answer_stored_as_none_word_and_counted_zero():
    report = example_report()
    report.figures.innovation.platforms = "无"
    report.figures.green.co2_emissions = "无"
    assert report.figures.innovation.platforms is NONE_COUNT
    assert report.figures.green.co2_emissions is NONE_NUMBER
    assert found(report) == []
    data = report.model_dump(mode="json")
    assert data["figures"]["innovation"]["platforms"] == "无"
    assert data["figures"]["green"]["co2_emissions"] == "无"
    assert show(report.figures.green.co2_emissions) == "无"
    assert AnnualReport.model_validate(data).figures.innovation.platforms == 0


def test_more_than_two_decimals_is_an_error_naming_the_box():
    report = example_report()
    report.figures.industry.total_output = Decimal("136.505")
    (finding,) = found(report)
    assert (finding.path, finding.rule) == ("figures.industry.total_output", rules.DECIMALS)
    assert finding.message.startswith(
        "「二、年度主要指标·主导产业情况·集群总产值（亿元）」为136.505，数据有小数时应保留小数点后2位"
    )
    report.figures.industry.total_output = Decimal("136.500")  # trailing zeros are no precision
    assert found(report) == []


def test_a_share_above_100_is_out_of_range():
    report = example_report()
    report.figures.digital.industrial_internet = Decimal(120)
    (finding,) = found(report)
    assert finding.rule == rules.RANGE
    assert "超出允许范围（0%～100%）" in finding.message


def test_a_count_must_be_whole_when_loaded():
    data = example_report_data()
    data["figures"]["innovation"]["patents"] = 12.5
    with pytest.raises(ApplicationInputError) as refused:
        application_from_data(data, "r.json", D)
    (problem,) = refused.value.problems
    assert problem.startswith("figures.innovation.patents「集群内中小企业有效发明专利拥有量」：")


decimals = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)


@given(share=decimals, output=st.decimals(min_value=0, max_value=100000, places=2))
def test_any_two_decimal_figures_validate_and_survive_json(share, output):
    report = example_report()
    report.figures.industry.leading_output_share = share
    report.figures.industry.total_output = output
    # The trajectory and fall checks are the consistency module's: the rules see only the form.
    assert found(report) == []
    again = AnnualReport.model_validate(json.loads(json.dumps(report.model_dump(mode="json"))))
    assert again.figures.industry.leading_output_share == share
    assert again.figures.industry.total_output == output


@given(st.integers(min_value=1, max_value=9))
def test_any_third_decimal_is_found(digit):
    report = example_report()
    report.figures.green.energy_intensity = Decimal(f"0.13{digit}")
    assert [f.rule for f in found(report)] == [rules.DECIMALS]


# --- character limits and list bounds -----------------------------------------------------------


def test_a_narrative_over_500_characters_is_an_error_white_space_not_counted():
    report = example_report()
    report.outlook.problems = "问" * NARRATIVE_CHARS + "\n  "
    assert found(report) == []
    report.outlook.problems = "问" * (NARRATIVE_CHARS + 1)
    (finding,) = found(report)
    assert finding.message == "「存在问题」共501字，超过500字以内的要求（不计空白字符）"
    assert spec_of(type(report.outlook), "problems").note == "（500字以内）"


def test_a_case_over_its_limits_or_without_evidence_is_an_error():
    report = example_report()
    case = report.cases.items[1]
    case.text = "案" * 501
    del report.evidence["cases.items.1"]
    messages = {f.path: f.message for f in found(report)}
    assert messages == {
        "cases.items.1.text": "「典型案例2·案例内容」共501字，超过500字以内的要求（不计空白字符）",
        "cases.items.1.evidence": "「典型案例2（共享热处理中心降本增效）」需提供佐证材料",
    }


def test_each_case_needs_files_of_its_own():
    # Two files for the first case do not prove the second; nor do files against the list.
    report = example_report()
    files = report.evidence.pop("cases.items.1")
    report.evidence["cases.items.0"] += files
    report.evidence["cases.items"] = files
    messages = {f.path: f.message for f in found(report)}
    assert messages["cases.items.1.evidence"] == (
        "「典型案例2（共享热处理中心降本增效）」需提供佐证材料"
    )
    assert "cases.items.0.evidence" not in messages
    # the list as a whole takes no files: they would be nobody's
    assert messages["cases.items"] == "佐证材料登记在“cases.items”下，但该路径不是申报表的栏目"


def test_files_of_a_case_that_is_gone_are_flagged():
    report = example_report()
    report.cases.items.pop()
    messages = {f.path: f.message for f in found(report)}
    assert messages == {
        "cases.items.1": "佐证材料登记在“cases.items.1”下，但该路径不是申报表的栏目"
    }


def test_lists_are_bounded_and_a_pasted_novel_is_refused():
    data = example_report_data()
    data["cases"]["items"] = data["cases"]["items"][:1] * (MAX_CASES + 1)
    with pytest.raises(ApplicationInputError) as refused:
        application_from_data(data, "r.json", D)
    assert "cases.items「典型案例」：条目过多（11 行，系统上限 10 行）" in refused.value.problems
    data = example_report_data()
    data["outlook"]["measures"] = "措" * 6000
    with pytest.raises(ApplicationInputError) as refused:
        application_from_data(data, "r.json", D)
    assert refused.value.problems == [
        "outlook.measures「下一步举措」：文字过长（6,000 字，系统上限 5,000 字）"
    ]


def test_a_year_outside_the_versions_years_is_refused_in_chinese():
    data = example_report_data()
    data["basics"]["year"] = 2026
    with pytest.raises(ApplicationInputError) as refused:
        application_from_data(data, "r.json", D)
    (problem,) = refused.value.problems
    assert problem.startswith("basics.year「报告年度」：应为以下之一：2023, 2024 or 2025")
    assert label_at(D, ("figures", "green", "co2_emissions")) == "二氧化碳排放量（万吨）"


# --- major changes and extra indicators ---------------------------------------------------------


def test_major_changes_must_agree_with_yes_or_no():
    report = example_report()
    report.changes.any_change = "是"
    (finding,) = found(report)
    assert finding.path == "changes.items"
    assert finding.message == (
        "「本年度是否发生主导产业、集群区域、运营管理机构等重大变更」选择“是”，"
        "须在重大变更清单中逐项填写变更情况"
    )
    report.changes.any_change = "否"
    report.changes.items = [
        {
            "kind": "运营管理机构",
            "changed_on": "2023-07-01",
            "before": "甲",
            "after": "乙",
            "explanation": "机构改革",
        }
    ]
    (finding,) = found(report)
    assert finding.message.endswith("选择“否”，但重大变更清单填写了1项，两者应一致")


def test_a_change_dated_outside_the_year_or_changing_nothing_is_a_warning():
    report = example_report()
    report.changes.any_change = "是"
    report.changes.items = [
        {
            "kind": "集群区域",
            "changed_on": "2022-12-01",
            "before": "36.5平方公里",
            "after": "36.5平方公里",
            "explanation": "说" * 301,
        }
    ]
    messages = {(f.path, f.level): f.message for f in found(report)}
    assert messages == {
        ("changes.items.0.explanation", Level.ERROR): (
            "「重大变更1（集群区域）·变更说明」共301字，超过300字以内的要求（不计空白字符）"
        ),
        ("changes.items.0.after", Level.WARNING): (
            "「重大变更1（集群区域）」变更前后均为“36.5平方公里”，请核实是否发生变更"
        ),
        ("changes.items.0.changed_on", Level.WARNING): (
            "「重大变更1（集群区域）」的变更日期为2022-12-01，不在报告年度2023年内，请核实"
        ),
    }


def test_an_unknown_change_kind_is_refused():
    data = example_report_data()
    data["changes"]["items"] = [
        {"kind": "法人代表", "changed_on": "2023-07-01", "before": "甲", "after": "乙",
         "explanation": "x"}
    ]  # fmt: skip
    with pytest.raises(ApplicationInputError) as refused:
        application_from_data(data, "r.json", D)
    assert (
        "应为以下之一：'主导产业', '集群区域', '运营管理机构' or '其他'"
        in (refused.value.problems[0])
    )


def test_an_extra_indicator_needs_this_years_value():
    report = example_report()
    report.work.extra[0].actual = " "
    (finding,) = found(report)
    assert finding.path == "work.extra.0.actual"
    assert finding.message == (
        "「模具出口交货值·本年度完成值」为必填项；无相关情况时应填写“无”（填报说明第2条）"
    )


def test_a_part_larger_than_the_enterprises_is_a_reviewers_warning():
    report = example_report()
    report.figures.industry.smes = 3000
    (finding,) = validation.validate(report)
    assert finding.level is Level.WARNING
    assert finding.message == (
        "企业数量核对：「集群中小企业数量」填报 3000 家，多于集群企业数量 2035 家。"
    )


def test_the_figures_blocks_are_sections_of_the_form():
    kinds = {name: spec.kind for name, spec in form_fields(type(AnnualReport().figures))}
    assert set(kinds.values()) == {Kind.SECTION}
