"""The 填报说明 rules: each fires where it should, with the right path, label, level and values,
and stays quiet at the boundary."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterdesk.form import rules
from clusterdesk.form.attachment2 import ATTACHMENT2_2023
from clusterdesk.form.findings import Finding, Level
from clusterdesk.form.rules import char_count, check_rules
from clusterdesk.form.schema import Application, EvidenceFile
from clusterdesk.form.schema.green import NOT_INDUSTRIAL
from tests.form.factories import full_application
from tests.form.strategies import applications

TODAY = date(2023, 6, 1)


def run(application: Application, rule: str | None = None) -> list[Finding]:
    found = check_rules(ATTACHMENT2_2023, application, today=TODAY)
    return [finding for finding in found if rule is None or finding.rule == rule]


def one(application: Application, rule: str) -> Finding:
    found = run(application, rule)
    assert len(found) == 1, found
    return found[0]


@pytest.fixture
def app() -> Application:
    application = full_application()
    assert run(application) == [], "the factory must build a clean application"
    return application


# --- the whole ----------------------------------------------------------------------------------


def test_empty_application_only_lacks_required_fields():
    found = check_rules(ATTACHMENT2_2023, Application(), today=TODAY)
    assert {finding.rule for finding in found} == {rules.REQUIRED}
    paths = {finding.path for finding in found}
    # Sections are never required themselves; their boxes are.
    assert not paths & {"cover", "part1", "part2.resource_sharing_work", "part8", "part9"}
    assert {"part2.total_output.2020", "part2.total_output.2022", "part9.accepted"} <= paths
    # A year left out of the standards table leaves each of its boxes empty.
    assert "part3.standards.2021.international.led" in paths
    assert "part9.provincial_opinion" not in paths  # filled by the province, not required
    assert all(finding.level is Level.ERROR for finding in found)


def test_rule_ids_are_stable():
    assert set(rules.RULES) == {
        "required",
        "unknown-year",
        "decimals",
        "max-chars",
        "range",
        "evidence",
        "evidence-path",
        "list-count",
        "date-future",
        "date-format",
        "date-range",
    }


def test_findings_serialise_to_json(app):
    app.part2.leading_output_cagr = Decimal("-100.01")
    app.evidence = {}
    app.part2.chain_cultivation = None
    found = run(app)
    assert {f.rule for f in found} == {rules.RANGE, rules.EVIDENCE, rules.REQUIRED}
    json.dumps([finding.as_json() for finding in found], ensure_ascii=False)


# --- 1. required --------------------------------------------------------------------------------


def test_missing_year_cell_is_required(app):
    app.part2.total_output = {"2020": Decimal(100), "2022": Decimal(121)}
    finding = one(app, rules.REQUIRED)
    assert finding.path == "part2.total_output.2021"
    assert finding.label == "集群总产值（亿元）（2021年）"
    assert finding.level is Level.ERROR
    assert finding.message.startswith("「集群总产值（亿元）（2021年）」为必填项")
    assert "填报说明第2条" in finding.message
    assert finding.values == {"value": None}


@pytest.mark.parametrize("blank", [None, "", "  \n　"])
def test_blank_text_is_required_and_mentions_wu(app, blank):
    app.part2.supply_chain_risk = blank
    finding = one(app, rules.REQUIRED)
    assert finding.path == "part2.supply_chain_risk"
    assert finding.label == "集群供应链风险评估情况"
    assert "无相关情况时应填写“无”" in finding.message


def test_wu_is_a_complete_answer(app):
    app.part2.supply_chain_risk = "无"
    app.part1.department_contact = "无"
    assert run(app) == []


def test_numbers_need_a_number_and_zero_will_do(app):
    app.part3.sme_employees = None
    finding = one(app, rules.REQUIRED)
    assert finding.path == "part3.sme_employees"
    assert "应填写数值" in finding.message
    app.part3.sme_employees = 0
    assert run(app) == []


def test_choice_and_date_are_required(app):
    app.part1.industry_type = None
    app.cover.declared_on = None
    assert [(f.path, f.label) for f in run(app, rules.REQUIRED)] == [
        ("cover.declared_on", "申报时间"),
        ("part1.industry_type", "主导产业所属产业类型"),
    ]


def test_not_industrial_cluster_exempts_the_rate(app):
    app.part5.solid_waste_use = None
    app.part5.solid_waste_above_average = NOT_INDUSTRIAL
    assert run(app) == []
    app.part5.solid_waste_above_average = "否"
    finding = one(app, rules.REQUIRED)
    assert finding.path == "part5.solid_waste_use"
    assert finding.label == "大宗工业固废综合利用率（%）"


def test_declaration_must_be_ticked(app):
    app.part9.accepted = False
    finding = one(app, rules.REQUIRED)
    assert (finding.path, finding.label, finding.values) == (
        "part9.accepted",
        "真实性声明",
        {"value": False},
    )
    assert "须勾选「真实性声明」" in finding.message


def test_unticked_optional_boxes_are_fine(app):
    app.part2.resource_sharing_work.shared_workshops = False
    assert run(app) == []


def test_missing_standards_year_names_its_cells_in_context(app):
    app.part3.standards = {k: v for k, v in app.part3.standards.items() if k != "2020"}
    found = run(app, rules.REQUIRED)
    assert len(found) == 8  # 4 categories × 主持/参与
    first = found[0]
    assert first.path == "part3.standards.2020.international.led"
    assert first.label == "主持数量"
    assert "·2020年·国际·主持数量」为必填项" in first.message


def test_year_outside_the_data_years(app):
    app.part2.total_output = {**app.part2.total_output, "2019": Decimal(90)}
    finding = one(app, rules.UNKNOWN_YEAR)
    assert finding.path == "part2.total_output.2019"
    assert finding.label == "集群总产值（亿元）（2019年）"
    assert finding.values == {"year": "2019", "years": [2020, 2021, 2022]}
    assert "2020–2022年" in finding.message


# --- 2. decimals --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["12.34", "12.3", "12", "12.340", "0.01"])
def test_two_decimals_are_fine(app, value):
    app.part4.cloud_adoption = Decimal(value)
    assert run(app) == []


def test_three_decimals_are_an_error_not_rounded(app):
    app.part2.total_output = {**app.part2.total_output, "2022": Decimal("121.005")}
    finding = one(app, rules.DECIMALS)
    assert finding.path == "part2.total_output.2022"
    assert finding.label == "集群总产值（亿元）（2022年）"
    assert finding.values == {"value": Decimal("121.005")}
    assert "121.005" in finding.message
    assert "保留小数点后2位" in finding.message
    assert app.part2.total_output["2022"] == Decimal("121.005")  # never rounded


# --- 3. text length -----------------------------------------------------------------------------


def test_exactly_the_limit_is_fine(app):
    app.part2.chain_cultivation = "字" * 200
    assert run(app) == []


def test_one_over_the_limit(app):
    app.part2.chain_cultivation = "字" * 201
    finding = one(app, rules.MAX_CHARS)
    assert (finding.path, finding.label) == ("part2.chain_cultivation", "集群产业链培育和招商情况")
    assert finding.values == {"count": 201, "limit": 200}
    assert "共201字，超过200字以内的要求" in finding.message


def test_white_space_is_not_counted(app):
    app.part2.chain_cultivation = " \n".join(["字" * 100, "字" * 100]) + "\t　 "
    assert run(app) == []


def test_attachment1_summary_has_150(app):
    app.attachment1.summary = "字" * 151
    finding = one(app, rules.MAX_CHARS)
    assert finding.path == "attachment1.summary"
    assert finding.values == {"count": 151, "limit": 150}


def test_plan_counts_all_its_text_together(app):
    # Each box is well within 3000; the plan as a whole is not.
    stages = app.part8.goals.stages
    stages.first = stages.second = stages.third = "字" * 900
    assert run(app) == []  # 2700 + the rest of the factory's plan text
    app.part8.goals.targets.extra = [
        {"direction": "其它", "indicator": "出口额", "baseline": "字" * 150, "target": "字" * 150}
    ]
    finding = one(app, rules.MAX_CHARS)
    assert finding.path == "part8"
    assert finding.label == "八、未来三年中小企业特色产业集群发展规划"
    assert finding.values["limit"] == 3000
    assert finding.values["count"] > 3000


@given(st.text(st.sampled_from("字a1，"), max_size=30), st.lists(st.sampled_from(" \n\t　\r")))
def test_char_count_ignores_white_space(text, spaces):
    spread = "".join(char + (spaces.pop() if spaces else "") for char in text)
    assert char_count(spread) == len(text)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(limit_delta=st.integers(-3, 3), padding=st.text(" \n　", max_size=20))
def test_limit_is_judged_on_non_white_space(limit_delta, padding):
    application = full_application()
    application.part6.international = "字" * (200 + limit_delta) + padding
    assert bool(run(application, rules.MAX_CHARS)) == (limit_delta > 0)


# --- 4. ranges ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["-100", "-99.99", "-5.5", "0", "1000"])
def test_growth_may_fall(app, value):
    app.part2.leading_output_cagr = Decimal(value)
    assert run(app) == []


def test_growth_cannot_fall_more_than_everything(app):
    app.part2.leading_output_cagr = Decimal("-100.01")
    finding = one(app, rules.RANGE)
    assert finding.path == "part2.leading_output_cagr"
    assert finding.label == "近三年主导产业产值年均增速（%）"
    assert finding.values == {
        "value": Decimal("-100.01"),
        "min": Decimal(-100),
        "max": Decimal(1000),
    }
    assert "为-100.01%，超出允许范围（-100%～1000%）" in finding.message


@pytest.mark.parametrize(
    ("attribute", "value"),
    [("cloud_adoption", Decimal("100.01")), ("industrial_internet", Decimal(-1))],
)
def test_shares_stay_within_100(app, attribute, value):
    setattr(app.part4, attribute, value)
    assert one(app, rules.RANGE).path == f"part4.{attribute}"
    setattr(app.part4, attribute, Decimal(100))
    assert run(app) == []


def test_counts_and_areas(app):
    app.part6.overseas_branches = -1
    app.part1.area_km2 = Decimal(0)
    assert [f.path for f in run(app, rules.RANGE)] == ["part1.area_km2", "part6.overseas_branches"]


def test_year_cell_out_of_range(app):
    app.part2.sme_output_share = {**app.part2.sme_output_share, "2020": Decimal(101)}
    finding = one(app, rules.RANGE)
    assert (finding.path, finding.label) == (
        "part2.sme_output_share.2020",
        "集群内中小企业产值占集群总产值比例（%）（2020年）",
    )


# --- 5. evidence --------------------------------------------------------------------------------

TICKED = "part2.resource_sharing_work.shared_workshops"


def test_ticked_box_without_evidence(app):
    del app.evidence[TICKED]
    finding = one(app, rules.EVIDENCE)
    assert finding.path == TICKED
    assert finding.label == "建立了共享车间、共享工厂"
    assert finding.values == {"value": True}
    assert finding.message == (
        "已勾选「二、主导产业情况·集群已开展的制造资源共享工作·建立了共享车间、共享工厂」，"
        "需提供佐证材料（注：勾选需提供佐证材料）"
    )


def test_empty_file_list_is_no_evidence(app):
    app.evidence[TICKED] = []
    assert one(app, rules.EVIDENCE).path == TICKED


def test_unticked_box_needs_no_evidence(app):
    app.part2.resource_sharing_work.shared_workshops = False
    del app.evidence[TICKED]
    assert run(app) == []


def test_yes_needs_evidence_no_does_not(app):
    del app.evidence["part2.chain_map"]
    finding = one(app, rules.EVIDENCE)
    assert (finding.path, finding.label) == ("part2.chain_map", "集群是否绘制产业链图谱")
    assert "选择“是”" in finding.message
    app.part2.chain_map = "否"
    assert run(app) == []


def test_positive_count_needs_evidence_zero_does_not(app):
    app.part6.overseas_branches = 3
    finding = one(app, rules.EVIDENCE)
    assert finding.path == "part6.overseas_branches"
    assert finding.values == {"value": 3}
    assert "为3个" in finding.message
    app.evidence["part6.overseas_branches"] = [EvidenceFile(name="境外分支机构.pdf")]
    assert run(app) == []


def test_always_evidence_once_filled_but_not_for_wu(app):
    del app.evidence["part5.carbon_work"]
    finding = one(app, rules.EVIDENCE)
    assert (finding.path, finding.label) == (
        "part5.carbon_work",
        "开展碳达峰碳中和相关宣传、监测等工作情况",
    )
    app.part5.carbon_work = "无"
    assert run(app) == []


def test_evidence_under_a_path_that_is_no_field(app):
    app.evidence["part2.chain_maps"] = [EvidenceFile(name="图谱.pdf")]
    app.evidence["part2.total_output.2021"] = [EvidenceFile(name="统计.pdf")]  # a cell: fine
    finding = one(app, rules.EVIDENCE_PATH)
    assert (finding.path, finding.level, finding.values) == (
        "part2.chain_maps",
        Level.ERROR,
        {"files": 1},
    )


# --- 6. lists -----------------------------------------------------------------------------------


def test_patent_count_must_equal_its_list(app):
    app.part3.patents = 3
    finding = one(app, rules.LIST_COUNT)
    assert (finding.path, finding.label) == ("part3.patents", "集群内中小企业有效发明专利拥有量")
    assert finding.values == {"declared": 3, "listed": 2}
    assert "为3个" in finding.message
    assert "2项" in finding.message


def test_patents_without_a_list(app):
    app.part3.patents_list = []
    finding = one(app, rules.LIST_COUNT)
    assert finding.values == {"declared": 2, "listed": 0}
    assert "需提供清单" in finding.message
    app.part3.patents = 0
    assert run(app) == []


def test_standard_count_must_equal_its_list(app):
    app.part3.standards["2021"].national.led = 2
    finding = one(app, rules.LIST_COUNT)
    assert finding.path == "part3.standards.2021.national.led"
    assert finding.label == "主持数量"
    assert finding.values == {"declared": 2, "listed": 1}
    assert "·2021年·国家·主持数量」为2项" in finding.message


def test_listed_standard_not_counted(app):
    app.part3.standards_list = [
        *app.part3.standards_list,
        {"year": 2022, "category": "团体", "role": "参与", "name": "团体标准"},
    ]
    finding = one(app, rules.LIST_COUNT)
    assert finding.path == "part3.standards.2022.group.joined"
    assert finding.values == {"declared": 0, "listed": 1}


def test_listed_standard_outside_the_data_years(app):
    app.part3.standards_list = [
        *app.part3.standards_list,
        {"year": 2019, "category": "国家", "role": "主持", "name": "旧标准"},
    ]
    finding = one(app, rules.UNKNOWN_YEAR)
    assert finding.path == "part3.standards_list.3.year"
    assert finding.values == {"year": 2019}
    assert "「旧标准」的年度为2019年" in finding.message


# --- 7. dates -----------------------------------------------------------------------------------


def test_dates_in_the_future_are_a_warning(app):
    app.part9.signed_on = date(2023, 6, 2)
    app.cover.declared_on = TODAY  # today itself is fine
    finding = one(app, rules.DATE_FUTURE)
    assert finding.level is Level.WARNING
    assert (finding.path, finding.label) == ("part9.signed_on", "日期")
    assert finding.values == {"value": "2023-06-02", "today": "2023-06-01"}


def test_today_defaults_to_the_real_today(app):
    app.cover.declared_on = date(2999, 1, 1)
    assert [f.rule for f in check_rules(ATTACHMENT2_2023, app)] == [rules.DATE_FUTURE]


@pytest.mark.parametrize("value", ["2005", "2005-03", "2022-12", " 2010 "])
def test_established_year_or_year_month(app, value):
    app.attachment1.established = value
    assert run(app) == []


@pytest.mark.parametrize("value", ["2005-13", "2005年", "05-2005", "2005/03", "无", "2005-3"])
def test_established_badly_written(app, value):
    app.attachment1.established = value
    finding = one(app, rules.DATE_FORMAT)
    assert (finding.path, finding.label, finding.level) == (
        "attachment1.established",
        "集群成立时间",
        Level.ERROR,
    )


def test_established_after_the_reference_year(app):
    app.attachment1.established = "2023-01"
    finding = one(app, rules.DATE_RANGE)
    assert finding.path == "attachment1.established"
    assert finding.values == {"value": "2023-01", "limit": 2022}


# --- generated applications ---------------------------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_generated_valid_applications_pass(data):
    application = data.draw(applications())
    assert check_rules(ATTACHMENT2_2023, application, today=TODAY) == []
