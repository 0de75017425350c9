"""A second form runs through the core: walk, the rules, loading and the registry take the form's
definition, so the toy 年度报告 needs no machinery of its own."""

from __future__ import annotations

from datetime import date

import pytest

from clusterdesk.form import registry, rules, validation
from clusterdesk.form.attachment2 import ATTACHMENT2_2023
from clusterdesk.form.definition import FormDefinition, PageSpec
from clusterdesk.form.findings import Level
from clusterdesk.form.loading import ApplicationInputError, application_from_data, label_at
from clusterdesk.form.walk import walk
from tests.form.second_form import ANNUAL_REPORT, TOY_VERSION, AnnualReport

TODAY = date(2024, 6, 1)


def filled() -> AnnualReport:
    return AnnualReport.model_validate(
        {
            "basics": {"cluster_name": "测试集群", "contact": "张三", "summary": "无"},
            "figures": {"output": {"2022": 10.5, "2023": 12}, "enterprises": 2},
            "members": {"members": [{"name": "甲公司", "staff": 30}, {"name": "乙公司"}]},
        }
    )


@pytest.fixture
def registered():
    registry.register(ANNUAL_REPORT)
    yield ANNUAL_REPORT
    registry.unregister(ANNUAL_REPORT)


def test_walk_gives_the_second_forms_boxes_with_its_own_years():
    paths = [node.path for node in walk(ANNUAL_REPORT, AnnualReport())]
    assert paths == [
        "basics",
        "basics.cluster_name",
        "basics.contact",
        "basics.summary",
        "figures",
        "figures.output",
        "figures.output.2022",
        "figures.output.2023",
        "figures.enterprises",
        "figures.certified",
        "members",
        "members.members",
    ]


def test_a_filled_report_has_no_findings():
    assert rules.check_rules(ANNUAL_REPORT, filled(), today=TODAY) == []


def test_required_boxes_of_the_second_form_are_findings():
    found = rules.check_rules(ANNUAL_REPORT, AnnualReport(), today=TODAY)
    assert {f.rule for f in found} == {rules.REQUIRED}
    assert {f.path for f in found} == {
        "basics.cluster_name",
        "basics.contact",
        "basics.summary",
        "figures.output.2022",
        "figures.output.2023",
        "figures.enterprises",
    }
    name = next(f for f in found if f.path == "basics.cluster_name")
    assert name.label == "集群名称"
    assert name.message == "「集群名称」为必填项；无相关情况时应填写“无”（填报说明第2条）"
    assert name.level is Level.ERROR


def test_the_field_rules_read_the_second_forms_metadata():
    report = filled()
    report.basics.contact = "张" * 21
    report.figures.output = {"2022": 10.555, "2023": 12, "2020": 1}
    report.figures.certified = True  # asks for evidence
    found = {(f.path, f.rule) for f in rules.check_rules(ANNUAL_REPORT, report, today=TODAY)}
    assert found == {
        ("basics.contact", rules.MAX_CHARS),
        ("figures.output.2020", rules.UNKNOWN_YEAR),  # 2020 is no data year of this form
        ("figures.output.2022", rules.DECIMALS),
        ("figures.certified", rules.EVIDENCE),
    }
    report.evidence = {"figures.certified": [{"name": "认证证书.pdf"}], "part2.chain_map": []}
    found = {(f.path, f.rule) for f in rules.check_rules(ANNUAL_REPORT, report, today=TODAY)}
    assert ("figures.certified", rules.EVIDENCE) not in found
    assert ("part2.chain_map", rules.EVIDENCE_PATH) in found  # an Attachment 2 path is no box here


def test_the_second_forms_own_rule_runs_with_the_field_rules():
    report = filled()
    report.figures.enterprises = 1
    (finding,) = rules.check_rules(ANNUAL_REPORT, report, today=TODAY)
    assert (finding.path, finding.rule) == ("figures.enterprises", rules.LIST_COUNT)
    assert finding.values == {"declared": 1, "listed": 2}


def test_validate_finds_the_definition_of_a_registered_form(registered):
    assert registry.definition_of(AnnualReport()) is ANNUAL_REPORT
    assert registry.definition_for("toy-2024") is ANNUAL_REPORT
    assert registry.definition_for("2023") is ATTACHMENT2_2023
    assert {f.path for f in validation.validate(AnnualReport())} >= {"basics.cluster_name"}


def test_an_unregistered_form_is_refused_in_chinese():
    with pytest.raises(registry.UnknownForm, match="申报表版本“toy-2024”不存在"):
        registry.definition_for("toy-2024")
    with pytest.raises(registry.UnknownForm):
        validation.validate(AnnualReport())


def test_a_key_is_registered_once(registered):
    other = FormDefinition("toy-2024", "另一份", AnnualReport, TOY_VERSION, ANNUAL_REPORT.pages)
    with pytest.raises(ValueError, match="already registered"):
        registry.register(other)
    assert registry.register(ANNUAL_REPORT) is ANNUAL_REPORT  # the same one again is fine


def test_labels_and_loading_messages_come_from_the_second_form():
    assert label_at(ANNUAL_REPORT, ("figures", "output", "2022")) == "集群年度总产值（亿元）"
    assert label_at(ANNUAL_REPORT, ("part1", "cluster_name")) is None
    with pytest.raises(ApplicationInputError) as refused:
        application_from_data({"figures": {"enterprises": "很多"}}, "r.json", ANNUAL_REPORT)
    (problem,) = refused.value.problems
    assert problem == (
        "figures.enterprises「重点企业数量」：应为整数；无相关情况时填写“无”，实际为 “很多”"
    )


def test_the_version_stays_what_the_stored_data_says():
    with pytest.raises(ApplicationInputError):
        application_from_data({"form_version": "2023"}, "r.json", ANNUAL_REPORT)
    with pytest.raises(ApplicationInputError):
        application_from_data({"form_version": "toy-2024"}, "a.json", ATTACHMENT2_2023)


def test_pages_say_where_each_box_is_shown():
    assert ANNUAL_REPORT.page_of("figures.output.2022") == "figures"
    assert ANNUAL_REPORT.page_of("members.members") == "figures"
    assert ANNUAL_REPORT.page_of("basics.summary") == "info"
    assert ANNUAL_REPORT.page_of("evidence.figures.certified") is None
    assert ANNUAL_REPORT.page_titles == {"info": "基本信息", "figures": "年度数据与重点企业"}


def test_a_definition_refuses_pages_that_name_no_section():
    with pytest.raises(ValueError, match="names no section"):
        FormDefinition("x", "x", AnnualReport, TOY_VERSION, (PageSpec("basics.contact", "x"),))
    pages = (PageSpec("basics", "一"), PageSpec("again", "二", ("basics",)))
    with pytest.raises(ValueError, match="on two pages"):
        FormDefinition("x", "x", AnnualReport, TOY_VERSION, pages)
