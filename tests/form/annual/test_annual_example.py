"""The empty report, the example reports and pre-filling a new report."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from clusterdesk.form import validation
from clusterdesk.form.annual.definition import ANNUAL_REPORT_2024
from clusterdesk.form.annual.example import (
    empty_report,
    example_report,
    example_reports,
    prefill,
)
from clusterdesk.form.annual.metrics import output_growth, target_actuals
from clusterdesk.form.example import example_application
from clusterdesk.form.rules import check_rules


def test_the_example_reports_validate_clean():
    for report in example_reports():
        assert validation.validate(report) == []
        assert check_rules(ANNUAL_REPORT_2024, report, today=date(2025, 3, 1)) == []
    assert [r.basics.year for r in example_reports()] == [2023, 2024]


def test_the_empty_report_has_its_version_and_nothing_else():
    report = empty_report()
    assert report.form_version == "annual-2024"
    assert report.basics.year is None
    assert report.cases.items == []
    assert report.changes.items == []


def test_the_first_report_is_prefilled_from_the_declaration():
    declaration = example_application()
    report = prefill(declaration)
    assert report.basics.year == 2023  # the year after the declaration's 2020–2022
    assert report.basics.cluster_name == "宁波北仑模具中小企业特色产业集群（模具产业）"
    assert report.basics.leading_industry == "模具"
    assert report.basics.operator == "宁波北仑模具产业园区管理委员会"
    assert report.basics.area_km2 == Decimal("36.5")
    assert (report.basics.contact, report.basics.phone) == ("陈立群", "13805740123")
    (extra,) = report.work.extra
    assert (extra.direction, extra.indicator, extra.unit, extra.target, extra.actual) == (
        "其它",
        "模具出口交货值",
        "亿元",
        "26.00",
        None,
    )
    # Nothing of the year is carried: figures, work, cases, changes are left to fill.
    assert report.figures.industry.total_output is None
    assert report.work.industry is None
    assert report.cases.items == []
    assert report.changes.any_change is None


def test_the_next_report_carries_the_previous_reports_basics():
    previous = example_report(2023)
    previous.basics.contact = "李明"
    previous.basics.operator = "宁波北仑模具产业发展有限公司"
    report = prefill(example_application(), previous)
    assert report.basics.year == 2024
    assert (report.basics.contact, report.basics.operator) == (
        "李明",
        "宁波北仑模具产业发展有限公司",
    )
    assert report.figures.industry.total_output is None


def test_after_the_last_year_of_the_plan_no_year_is_proposed():
    report = prefill(
        example_application(),
        example_report(2024).model_copy(
            update={"basics": example_report(2024).basics.model_copy(update={"year": 2025})}
        ),
    )
    assert report.basics.year is None


def test_actuals_of_the_targets_for_monitoring():
    actuals = target_actuals(example_report(2023))
    assert actuals == {
        "output": Decimal("136.5"),
        "quality_smes": Decimal(94),  # 76 + 14 + 4, as the declaration's baseline 83 is read
        "rd_spending": Decimal(42100),
        "patents": Decimal(457),
        "industrial_internet": Decimal("43.6"),
        "co2_emissions": Decimal("41.2"),
        "energy_intensity": Decimal("0.14"),
    }
    assert target_actuals(empty_report())["quality_smes"] is None
    assert output_growth(Decimal("121.8"), Decimal("152.8"), 2) == Decimal("12.01")
    assert output_growth(Decimal(0), Decimal("152.8"), 2) is None
