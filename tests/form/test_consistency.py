"""The consistency checks: each fires on the inconsistency it is for, and only on that."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from clusterdesk.form.consistency import (
    RATE_TOLERANCE_PP,
    check_consistency,
)
from clusterdesk.form.findings import Finding, Level
from clusterdesk.form.schema import Application

D = Decimal


def consistent() -> Application:
    """An application whose figures agree with each other in every checked way."""
    app = Application()
    p2 = app.part2
    p2.total_output = {"2020": D(100), "2021": D(110), "2022": D(125)}
    p2.leading_output_share = {"2020": D(80), "2021": D(80), "2022": D(80)}
    # Leading output 80 → 88 → 100: +10% and +13.6363…%.
    p2.leading_output_growth = {"2020": D(8), "2021": D(10), "2022": D("13.64")}
    p2.leading_output_cagr = D("10.52")  # (1.08 × 1.10 × 1.1364)^(1/3) − 1 = 10.522…%
    p2.enterprises = {"2020": 500, "2021": 520, "2022": 540}
    p2.smes = {"2020": 480, "2021": 500, "2022": 520}
    p2.specialised_smes = {"2020": 30, "2021": 35, "2022": 40}
    p2.little_giants = {"2020": 3, "2021": 4, "2022": 5}
    p2.single_champions = {"2020": 1, "2021": 1, "2022": 2}
    p2.high_tech_and_innovative = {"2020": 60, "2021": 70, "2022": 80}
    p3 = app.part3
    p3.patents = 1200
    p3.sme_employees = 50_000
    p3.patents_per_10k = D(240)
    p3.platforms.national.count = 1
    p3.platforms.national.names = ["国家某某制造业创新中心"]
    p3.platforms.provincial.count = 2
    p3.platforms.provincial.names = ["省级甲中心", "省级乙中心"]
    p3.platforms.other.count = 0
    p3.platforms.other.names = ["无"]
    app.part4.industrial_internet = D("40.50")
    targets = app.part8.goals.targets
    targets.industrial_internet.baseline = D("40.50")
    targets.patents.baseline = D(1200)
    targets.quality_smes.baseline = D(47)  # 40 + 5 + 2 in 2022
    targets.output_growth.baseline = D(99)  # another measure: never compared
    return app


def only(app: Application, rule: str) -> list[Finding]:
    return [finding for finding in check_consistency(app) if finding.rule == rule]


def warnings_of(app: Application) -> list[Finding]:
    return [finding for finding in check_consistency(app) if finding.level == Level.WARNING]


def test_consistent_application_has_no_warnings() -> None:
    findings = check_consistency(consistent())
    assert [(f.rule, f.level) for f in findings] == [("leading-output", Level.INFO)]


def test_empty_application_has_no_findings() -> None:
    assert check_consistency(Application()) == []


def test_findings_serialise_to_json() -> None:
    app = consistent()
    app.part2.leading_output_growth = {"2020": D(8), "2021": D(20), "2022": D(-5)}
    app.part3.platforms.national.count = 3
    findings = check_consistency(app)
    assert len(findings) > 3
    json.dumps([finding.as_json() for finding in findings], ensure_ascii=False)


# --- leading-output -------------------------------------------------------------------------


def test_leading_output_lists_computed_values_per_year() -> None:
    [finding] = only(consistent(), "leading-output")
    assert finding.path == "part2.leading_output_share"
    assert finding.level == Level.INFO
    assert finding.label == "集群主导产业产值占集群总产值比例（%）"
    assert finding.values == {"leading_output": {"2020": D(80), "2021": D(88), "2022": D(100)}}
    assert "2021年 88.00 亿元" in finding.message


def test_leading_output_skips_years_without_inputs() -> None:
    app = Application()
    app.part2.total_output = {"2020": D(50), "2021": D(60)}
    app.part2.leading_output_share = {"2021": D("50.5")}
    [finding] = only(app, "leading-output")
    assert finding.values == {"leading_output": {"2021": D("30.3")}}


# --- leading-growth -------------------------------------------------------------------------


def test_leading_growth_fires_with_path_and_values() -> None:
    app = consistent()
    app.part2.leading_output_growth = {"2020": D(8), "2021": D(12), "2022": D("13.64")}
    app.part2.leading_output_cagr = None  # keep this test to one rule
    [finding] = only(app, "leading-growth")
    assert finding.path == "part2.leading_output_growth.2021"
    assert finding.level == Level.WARNING
    assert finding.label == "集群主导产业产值增速（%）（2021年）"
    assert finding.values["year"] == "2021"
    assert finding.values["declared"] == D(12)
    assert finding.values["computed"] == D(10)
    assert finding.values["difference"] == D(2)
    assert finding.values["previous_output"] == D(80)
    assert finding.values["output"] == D(88)
    assert RATE_TOLERANCE_PP < finding.values["tolerance"] < RATE_TOLERANCE_PP + D("0.05")
    assert finding.message.startswith("主导产业产值增速核对：")
    assert "填报 12.00%" in finding.message
    assert "计算为 10.00%" in finding.message


def test_leading_growth_within_tolerance_does_not_fire() -> None:
    app = consistent()
    # 10% computed; 0.5 pp plus ≈0.024 pp for the rounding of 100 亿元 / 80%.
    for declared in ("10.52", "9.48"):
        app.part2.leading_output_growth = {"2020": D(8), "2021": D(declared), "2022": D("13.64")}
        assert only(app, "leading-growth") == []
    for declared in ("10.53", "9.47"):
        app.part2.leading_output_growth = {"2020": D(8), "2021": D(declared), "2022": D("13.64")}
        assert [f.path for f in only(app, "leading-growth")] == ["part2.leading_output_growth.2021"]


def test_leading_growth_negative() -> None:
    app = consistent()
    app.part2.total_output = {"2020": D(100), "2021": D(90), "2022": D(81)}
    app.part2.leading_output_share = {"2020": D(80), "2021": D(80), "2022": D(80)}
    app.part2.leading_output_growth = {"2020": D(8), "2021": D(-10), "2022": D(-10)}
    app.part2.leading_output_cagr = None
    assert only(app, "leading-growth") == []
    app.part2.leading_output_growth = {"2020": D(8), "2021": D(10), "2022": D(-10)}  # sign lost
    [finding] = only(app, "leading-growth")
    assert finding.path == "part2.leading_output_growth.2021"
    assert finding.values["computed"] == D(-10)
    assert finding.values["difference"] == D(20)
    assert "计算为 -10.00%" in finding.message


def test_leading_growth_never_checks_the_first_year() -> None:
    app = consistent()
    app.part2.leading_output_growth = {"2020": D(500), "2021": D(10), "2022": D("13.64")}
    assert only(app, "leading-growth") == []


def test_leading_growth_skips_missing_and_zero_bases() -> None:
    app = consistent()
    app.part2.leading_output_share = {"2020": D(0), "2021": D(80)}  # 2020: nothing; 2022: missing
    app.part2.leading_output_growth = {"2020": D(8), "2021": D(50), "2022": D(50)}
    assert only(app, "leading-growth") == []
    app.part2.leading_output_growth = {}
    assert only(app, "leading-growth") == []


def test_leading_growth_allows_for_rounding_of_tiny_figures() -> None:
    app = Application()
    # 0.01 亿元 at 1.00% may really be 0.0149… at 1.0049…%: the growth cannot be pinned down.
    app.part2.total_output = {"2020": D("0.01"), "2021": D("0.02")}
    app.part2.leading_output_share = {"2020": D(1), "2021": D(1)}
    app.part2.leading_output_growth = {"2021": D(60)}  # 100% computed from the rounded figures
    assert only(app, "leading-growth") == []


# --- leading-cagr ---------------------------------------------------------------------------


def test_leading_cagr_fires_with_values() -> None:
    app = consistent()
    app.part2.leading_output_cagr = D("10.52") + 1  # e.g. the arithmetic mean or a typo
    [finding] = only(app, "leading-cagr")
    assert finding.path == "part2.leading_output_cagr"
    assert finding.level == Level.WARNING
    assert finding.label == "近三年主导产业产值年均增速（%）"
    assert finding.values["declared"] == D("11.52")
    assert finding.values["computed"] == D("10.5221")
    assert finding.values["rates"] == {"2020": D(8), "2021": D(10), "2022": D("13.64")}
    assert "复合计算为 10.52%" in finding.message


def test_leading_cagr_boundary() -> None:
    app = consistent()
    for declared, fires in (("11.02", False), ("10.03", False), ("11.03", True), ("10.01", True)):
        app.part2.leading_output_cagr = D(declared)
        assert bool(only(app, "leading-cagr")) is fires, declared


def test_leading_cagr_negative_rates() -> None:
    app = Application()
    app.part2.leading_output_growth = {"2020": D(-10), "2021": D(-20), "2022": D(5)}
    # 0.9 × 0.8 × 1.05 = 0.756, cube root 0.91098… → −8.90%
    app.part2.leading_output_cagr = D("-8.90")
    assert only(app, "leading-cagr") == []
    app.part2.leading_output_cagr = D("-8.33")  # the arithmetic mean
    [finding] = only(app, "leading-cagr")
    assert finding.values["computed"] == D("-8.9023")


def test_leading_cagr_skips_when_a_rate_is_missing() -> None:
    app = consistent()
    app.part2.leading_output_growth = {"2021": D(10), "2022": D("13.64")}
    app.part2.leading_output_cagr = D(50)
    assert only(app, "leading-cagr") == []


def test_leading_cagr_total_loss() -> None:
    app = Application()
    app.part2.leading_output_growth = {"2020": D(-100), "2021": D(10), "2022": D(10)}
    app.part2.leading_output_cagr = D(-100)
    assert only(app, "leading-cagr") == []


# --- sme-count ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("smes", "集群中小企业数量"),
        ("specialised_smes", "专精特新中小企业数量"),
        ("little_giants", "专精特新“小巨人”企业数量"),
        ("single_champions", "制造业单项冠军企业数量"),
        ("high_tech_and_innovative", "国家级高新技术企业和创新型中小企业数量"),
    ],
)
def test_sme_count_fires_per_field_and_year(name: str, label: str) -> None:
    app = consistent()
    counts = dict(getattr(app.part2, name))
    counts["2021"] = 521
    setattr(app.part2, name, counts)
    [finding] = only(app, "sme-count")
    assert finding.path == f"part2.{name}.2021"
    assert finding.level == Level.WARNING
    assert finding.label == f"{label}（2021年）"
    assert finding.values == {"year": "2021", "count": 521, "enterprises": 520}
    assert "521 家" in finding.message
    assert "520 家" in finding.message


def test_sme_count_equal_is_consistent_and_missing_is_skipped() -> None:
    app = consistent()
    app.part2.smes = {"2020": 500, "2021": 520, "2022": 9999}
    app.part2.enterprises = {"2020": 500, "2021": 520}
    assert only(app, "sme-count") == []


# --- patents-per-10k ------------------------------------------------------------------------


def test_patents_per_10k_fires_with_values() -> None:
    app = consistent()
    app.part3.patents_per_10k = D(24)  # per thousand instead of per ten thousand
    [finding] = only(app, "patents-per-10k")
    assert finding.path == "part3.patents_per_10k"
    assert finding.level == Level.WARNING
    assert finding.label == "集群每万人有效发明专利拥有量"
    assert finding.values["declared"] == D(24)
    assert finding.values["computed"] == D(240)
    assert finding.values["tolerance"] == D("2.4")
    assert finding.values["patents"] == 1200
    assert finding.values["sme_employees"] == 50_000
    assert "计算为 240.00 件/万人" in finding.message


@pytest.mark.parametrize(
    ("patents", "people", "declared", "fires"),
    [
        (1200, 50_000, "242.40", False),  # 1% of 240
        (1200, 50_000, "237.60", False),
        (1200, 50_000, "242.41", True),
        (1, 50_000, "0.21", False),  # 0.2 computed: the absolute 0.01 is the larger
        (1, 50_000, "0.22", True),
        (0, 50_000, "0", False),
        (5, 0, "3", False),  # no people: nothing to compute
    ],
)
def test_patents_per_10k_tolerance(patents: int, people: int, declared: str, fires: bool) -> None:
    app = consistent()
    app.part3.patents, app.part3.sme_employees = patents, people
    app.part3.patents_per_10k = D(declared)
    app.part8.goals.targets.patents.baseline = None
    assert bool(only(app, "patents-per-10k")) is fires


# --- platform-names -------------------------------------------------------------------------


def test_platform_names_fires_with_values() -> None:
    app = consistent()
    app.part3.platforms.provincial.count = 3
    [finding] = only(app, "platform-names")
    assert finding.path == "part3.platforms.provincial.count"
    assert finding.level == Level.WARNING
    assert finding.label == "省级制造业创新中心或省级创新平台名称及数量"
    assert finding.values == {
        "declared": 3,
        "names_count": 2,
        "names": ["省级甲中心", "省级乙中心"],
    }
    assert "填报数量 3 个，列出名称 2 个" in finding.message


def test_platform_names_none_word_counts_as_zero() -> None:
    app = consistent()
    app.part3.platforms.other.count = 1  # but named 无
    [finding] = only(app, "platform-names")
    assert finding.path == "part3.platforms.other.count"
    assert finding.values["names_count"] == 0


def test_platform_names_count_without_names_and_skips() -> None:
    app = consistent()
    app.part3.platforms.national.names = []
    [finding] = only(app, "platform-names")
    assert finding.values == {"declared": 1, "names_count": 0, "names": []}
    app.part3.platforms.national.count = None  # missing: the required rule's business
    app.part3.platforms.other.count = 0
    app.part3.platforms.other.names = []
    assert only(app, "platform-names") == []


# --- target-baseline ------------------------------------------------------------------------


def test_target_baseline_industrial_internet() -> None:
    app = consistent()
    app.part8.goals.targets.industrial_internet.baseline = D(41)  # within 0.5 pp
    assert only(app, "target-baseline") == []
    app.part8.goals.targets.industrial_internet.baseline = D("41.01")
    [finding] = only(app, "target-baseline")
    assert finding.path == "part8.goals.targets.industrial_internet.baseline"
    assert finding.level == Level.WARNING
    assert finding.label == "工业互联网普及率"
    assert finding.values["declared"] == D("41.01")
    assert finding.values["form_value"] == D("40.50")
    assert "基准值 41.01%" in finding.message
    assert "集群工业互联网平台应用普及率（%）为 40.50%" in finding.message


def test_target_baseline_patents() -> None:
    app = consistent()
    app.part8.goals.targets.patents.baseline = D(1199)
    [finding] = only(app, "target-baseline")
    assert finding.path == "part8.goals.targets.patents.baseline"
    assert finding.values["form_value"] == 1200
    assert "基准值 1199件" in finding.message


def test_target_baseline_quality_smes_softer_message() -> None:
    app = consistent()
    app.part8.goals.targets.quality_smes.baseline = D(40)  # only the 专精特新 counted
    [finding] = only(app, "target-baseline")
    assert finding.path == "part8.goals.targets.quality_smes.baseline"
    assert finding.level == Level.WARNING
    assert finding.values["declared"] == D(40)
    assert finding.values["form_value"] == 47
    assert "基准值与表内2022年数据不一致，请核对口径" in finding.message


def test_target_baseline_skips_missing_values_and_output_growth() -> None:
    app = consistent()
    app.part2.single_champions = {"2020": 1, "2021": 1}  # no 2022 count: no sum
    app.part8.goals.targets.quality_smes.baseline = D(1)
    app.part4.industrial_internet = None
    app.part8.goals.targets.industrial_internet.baseline = D(99)
    app.part8.goals.targets.patents.baseline = None
    app.part8.goals.targets.output_growth.baseline = D(-50)
    assert only(app, "target-baseline") == []
