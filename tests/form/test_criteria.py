"""Criteria profiles as data, and the engine that evaluates an application against them."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from clusterdesk.form.criteria import (
    METRICS,
    ProfileError,
    Status,
    evaluate,
    list_profiles,
    load_profile,
    loads_profile,
)
from clusterdesk.form.findings import Level
from clusterdesk.form.schema import Application

NATIONAL = "national-2022"


def qualifying() -> Application:
    """An application that meets every measurable rule of the national profile."""
    app = Application()
    app.part1.not_prohibited = "是"
    app.part1.no_major_incidents = "是"
    app.part1.no_violations = "是"
    app.part1.area_km2 = Decimal("80")
    app.part2.total_output = {"2020": "40", "2021": "44", "2022": "48.40"}
    app.part2.sme_output_share = {"2020": "70.01", "2021": "75", "2022": "80"}
    app.part2.leading_output_share = {"2020": "71", "2021": "72", "2022": "73"}
    app.part2.leading_output_cagr = Decimal("10.01")
    app.part2.single_champions = {"2020": 0, "2021": 0, "2022": 1}
    app.part2.little_giants = {"2020": 0, "2021": 0, "2022": 0}
    app.part2.specialised_smes = {"2020": 1, "2021": 2, "2022": 3}
    app.part2.high_tech_and_innovative = {"2020": 1, "2021": 2, "2022": 3}
    app.part3.rd_growth = {"2020": "8", "2021": "9", "2022": "10"}
    app.part4.industrial_internet = Decimal("12")
    app.part4.software_rising = "是"
    return app


def findings_for(app: Application, rule: str, profile: str = NATIONAL):
    report = evaluate(app, load_profile(profile))
    return [f for f in report.findings() if f.rule == rule]


def rule_status(app: Application, aspect: str, rule: str, profile=None) -> Status:
    report = evaluate(app, profile or load_profile(NATIONAL))
    return next(r for r in report.aspect(aspect).rules if r.id == rule).status


def test_qualifying_application_meets_every_measurable_rule():
    report = evaluate(qualifying(), load_profile(NATIONAL))
    assert report.declarations is not None
    assert report.declarations.status == Status.PASS
    assert report.aspect("2").status == Status.PASS
    # Aspect 1 also carries a review item (pillar industry), so it goes to the experts.
    assert report.aspect("1").status == Status.REVIEW
    assert all(r.status == Status.PASS for r in report.aspect("1").rules if r.rule.review is None)
    # Thresholds the national profile leaves unset keep aspects 4 and 5 at 未评估.
    assert report.aspect("4").status == Status.UNSET
    assert report.aspect("5").status == Status.UNSET
    assert {report.aspect(a).status for a in "3678"} == {Status.REVIEW}
    assert report.status == Status.UNSET
    assert not [f for f in report.findings() if f.level != Level.INFO]


# --- the national profile -------------------------------------------------------------------


def test_national_profile_loads_with_eight_aspects_and_three_declarations():
    profile = load_profile(NATIONAL)
    assert profile.id == NATIONAL
    assert [a.title for a in profile.aspects] == [
        "具有较强核心竞争力",
        "优质中小企业梯度培育成效显著",
        "产业链供应链协作高效",
        "具有较强协同创新能力",
        "数字化转型效果明显",
        "具有较高绿色化发展水平",
        "积极参与产业开放合作",
        "具有较强治理和服务能力",
    ]
    assert profile.declarations is not None
    assert [r.metric for r in profile.declarations.rules] == [
        "not_prohibited",
        "no_major_incidents",
        "no_violations",
    ]
    assert all(r.threshold == "是" and r.level == "error" for r in profile.declarations.rules)


def _thresholds(profile_id: str) -> dict[str, object]:
    profile = load_profile(profile_id)
    return {
        check.metric: check.threshold
        for aspect in profile.groups
        for rule in aspect.rules
        for check in rule.checks
    }


def test_national_profile_has_exactly_the_published_thresholds():
    assert _thresholds(NATIONAL) == {
        "not_prohibited": "是",
        "no_major_incidents": "是",
        "no_violations": "是",
        "area_km2": Decimal(100),
        "total_output": Decimal(40),
        "sme_output_share": Decimal(70),
        "leading_output_share": Decimal(70),
        "leading_output_cagr": Decimal(10),
        "quality_firms_top": Decimal(1),
        "quality_firms_broad": Decimal(10),
        # Not confirmed nationally: unset, never invented.
        "rd_growth": None,
        "industrial_internet": None,
        "platform_count": None,
        "standards_count": None,
        "software_rising": "是",
    }


def test_national_profile_rule_shapes():
    profile = load_profile(NATIONAL)
    rules = {r.id: r for a in profile.aspects for r in a.rules}
    assert rules["area"].level == "warning"
    assert rules["total_output"].scope == "each"
    assert rules["total_output"].op == ">="
    assert rules["sme_output_share"].op == ">"
    assert rules["quality_firms"].any_of is not None
    assert all(rules[r].review for r in ("cooperation", "green", "openness", "governance"))


def test_national_targets_are_data():
    targets = load_profile(NATIONAL).targets
    assert targets is not None
    assert (
        targets.output_growth_min,
        targets.rd_growth_min,
        targets.patent_growth_min,
        targets.industrial_internet,
        targets.co2_reduction,
        targets.energy_reduction,
    ) == (10, 10, 15, 45, 18, Decimal("13.5"))
    assert targets.tolerance == 2


def test_yunnan_variant_uses_the_same_format_with_its_own_figures():
    thresholds = _thresholds("yunnan-2023")
    assert thresholds["total_output"] == 10
    assert thresholds["sme_output_share"] == 50
    assert thresholds["leading_output_share"] == 60
    assert thresholds["leading_output_cagr"] == 3
    assert thresholds["quality_firms_broad"] == 3
    assert thresholds["rd_growth"] == 5
    assert thresholds["industrial_internet"] == 10


def test_list_profiles_finds_the_packaged_profiles():
    ids = [p.id for p in list_profiles()]
    assert ids == sorted(ids)
    assert {NATIONAL, "ningbo-2023", "yunnan-2023"} <= set(ids)


def test_the_ningbo_profile_applies_the_national_thresholds_and_invents_none():
    # The city has published no figures of its own: every threshold (and every unset one) and
    # every 2025 target figure is the national profile's.
    assert _thresholds("ningbo-2023") == _thresholds(NATIONAL)
    assert load_profile("ningbo-2023").targets == load_profile(NATIONAL).targets
    assert "国家标准" in load_profile("ningbo-2023").name


def test_other_provinces_are_templates_only():
    assert load_profile("yunnan-2023").template
    assert not load_profile("ningbo-2023").template
    assert not load_profile(NATIONAL).template


def test_profiles_are_cached():
    assert load_profile(NATIONAL) is load_profile(NATIONAL)


def test_a_profile_loads_from_a_path_and_reloads_after_an_edit(tmp_path: Path):
    path = tmp_path / "city-2024.toml"
    path.write_text(_profile_text(threshold="threshold = 30", profile_id="city-2024"), "utf-8")
    assert _only_check(load_profile(path)).threshold == 30
    assert load_profile(str(path)) is load_profile(path)
    path.write_text(_profile_text(threshold="threshold = 35.5", profile_id="city-2024"), "utf-8")
    assert _only_check(load_profile(path)).threshold == Decimal("35.5")


def _only_check(profile):
    return profile.aspects[0].rules[0].checks[0]


# --- a small profile for the rule kinds -------------------------------------------------------


def _profile_text(
    *,
    metric: str = "total_output",
    op: str = ">=",
    threshold: str = "threshold = 40",
    extra: str = "",
    profile_id: str = "test",
) -> str:
    return f"""
id = "{profile_id}"
name = "测试标准"
source = "测试"

[[aspects]]
id = "1"
title = "具有较强核心竞争力"

[[aspects.rules]]
id = "r"
title = "测试规则"
metric = "{metric}"
op = "{op}"
{threshold}
{extra}
"""


def _profile(**kwargs):
    return loads_profile(_profile_text(**kwargs), "test.toml")


def _outputs(*values: str) -> Application:
    app = Application()
    app.part2.total_output = dict(zip(("2020", "2021", "2022"), values, strict=True))
    return app


# --- each / last / any ----------------------------------------------------------------------


def test_each_year_scope_catches_one_weak_year():
    app = qualifying()
    app.part2.total_output = {"2020": "45", "2021": "35.2", "2022": "50"}
    report = evaluate(app, load_profile(NATIONAL))
    assert report.aspect("1").status == Status.FAIL
    assert report.status == Status.FAIL
    [finding] = [f for f in report.findings() if f.rule == "criteria.1.total_output"]
    assert finding.level == Level.ERROR
    assert finding.path == "part2.total_output.2021"
    assert finding.label == "集群总产值（亿元）（2021年）"
    assert finding.message == (
        "具有较强核心竞争力：集群总产值（亿元）（2021年）为35.20，未达到≥40的标准"
    )
    assert finding.values["value"] == Decimal("35.2")
    assert finding.values["threshold"] == 40
    assert finding.values["year"] == "2021"


def test_each_year_scope_passes_at_the_boundary():
    assert rule_status(_outputs("40", "40", "40"), "1", "r", _profile()) == Status.PASS
    assert rule_status(_outputs("40", "39.99", "40"), "1", "r", _profile()) == Status.FAIL


def test_strict_comparison_fails_at_the_threshold():
    app = qualifying()
    app.part2.sme_output_share = {"2020": "70", "2021": "75", "2022": "80"}
    assert rule_status(app, "1", "sme_output_share") == Status.FAIL
    [finding] = findings_for(app, "criteria.1.sme_output_share")
    assert finding.path == "part2.sme_output_share.2020"
    assert "未达到>70的标准" in finding.message


def test_last_scope_reads_only_the_last_year():
    profile = _profile(extra='scope = "last"')
    assert rule_status(_outputs("1", "1", "40"), "1", "r", profile) == Status.PASS
    assert rule_status(_outputs("50", "50", "39"), "1", "r", profile) == Status.FAIL


def test_any_scope_passes_on_one_good_year():
    profile = _profile(extra='scope = "any"')
    assert rule_status(_outputs("1", "40", "1"), "1", "r", profile) == Status.PASS
    assert rule_status(_outputs("1", "2", "3"), "1", "r", profile) == Status.FAIL
    report = evaluate(_outputs("1", "2", "3"), profile)
    [finding] = report.findings()
    assert finding.path == "part2.total_output"
    assert "任一年" in finding.message


def test_any_scope_with_a_missing_year_cannot_tell():
    profile = _profile(extra='scope = "any"')
    app = _outputs("1", "2", "3")
    app.part2.total_output = {"2020": "1", "2021": "2"}
    assert rule_status(app, "1", "r", profile) == Status.UNSET
    [finding] = evaluate(app, profile).findings()
    assert finding.level == Level.INFO
    assert finding.path == "part2.total_output.2022"


def test_floats_set_cell_by_cell_are_read_as_written():
    app = Application()
    app.part2.total_output["2020"] = 40.0  # item assignment skips validation: a float
    app.part2.total_output["2021"] = 39.99
    app.part2.total_output["2022"] = 40
    [finding] = evaluate(app, _profile()).findings()
    assert finding.values["value"] == Decimal("39.99")


# --- any_of -------------------------------------------------------------------------------


def _quality(top: int | None, specialised: int | None, high_tech: int | None) -> Application:
    app = qualifying()
    app.part2.single_champions = {"2022": top}
    app.part2.little_giants = {"2022": 0}
    app.part2.specialised_smes = {"2022": specialised}
    app.part2.high_tech_and_innovative = {"2022": high_tech}
    return app


@pytest.mark.parametrize(
    ("top", "specialised", "high_tech", "status"),
    [
        (1, 0, 0, Status.PASS),  # a 单项冠军 alone
        (0, 6, 4, Status.PASS),  # ten 专精特新 + 创新型/高新技术 alone
        (0, 5, 4, Status.FAIL),  # neither branch
        (None, 5, 4, Status.UNSET),  # one branch missing, the other fails: cannot tell
        (None, 6, 4, Status.PASS),  # one branch missing, the other passes
    ],
)
def test_any_of_passes_on_either_branch(top, specialised, high_tech, status):
    assert rule_status(_quality(top, specialised, high_tech), "2", "quality_firms") == status


def test_any_of_miss_names_both_branches():
    [finding] = findings_for(_quality(0, 5, 4), "criteria.2.quality_firms")
    assert finding.level == Level.ERROR
    assert finding.path == "part2.single_champions.2022"
    assert "为0，未达到≥1" in finding.message
    assert "为9，未达到≥10" in finding.message
    assert "满足其一即可" in finding.message


def test_little_giants_count_towards_the_top_branch():
    app = _quality(0, 0, 0)
    app.part2.little_giants = {"2022": 1}
    assert rule_status(app, "2", "quality_firms") == Status.PASS


# --- unset thresholds -------------------------------------------------------------------------


@pytest.mark.parametrize("growth", ["-50", "0", "5", "99"])
def test_unset_threshold_is_never_pass_or_fail(growth):
    app = qualifying()
    app.part3.rd_growth = {"2020": growth, "2021": growth, "2022": growth}
    assert rule_status(app, "4", "rd_growth") == Status.UNSET
    [finding] = findings_for(app, "criteria.4.rd_growth")
    assert finding.level == Level.INFO
    assert finding.path == "part3.rd_growth"
    assert "未设定阈值，未评估" in finding.message
    assert finding.values["threshold"] is None


def test_unset_industrial_internet_reports_the_value_it_did_not_judge():
    app = qualifying()
    app.part4.industrial_internet = Decimal("3")
    [finding] = findings_for(app, "criteria.5.industrial_internet")
    assert finding.level == Level.INFO
    assert "未评估" in finding.message
    assert "3.00" in finding.message


def test_the_same_rule_with_a_threshold_judges():
    app = qualifying()
    app.part3.rd_growth = {"2020": "8", "2021": "4", "2022": "10"}
    assert rule_status(app, "4", "rd_growth", load_profile("yunnan-2023")) == Status.FAIL
    [finding] = findings_for(app, "criteria.4.rd_growth", "yunnan-2023")
    assert finding.path == "part3.rd_growth.2021"
    assert finding.level == Level.ERROR


# --- declarations ---------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["not_prohibited", "no_major_incidents", "no_violations"])
def test_a_no_declaration_is_a_hard_failure(field):
    app = qualifying()
    setattr(app.part1, field, "否")
    report = evaluate(app, load_profile(NATIONAL))
    assert report.declarations is not None
    assert report.declarations.status == Status.FAIL
    assert report.status == Status.FAIL
    [finding] = [f for f in report.findings() if f.rule == f"criteria.declarations.{field}"]
    assert finding.level == Level.ERROR
    assert finding.path == f"part1.{field}"
    assert "填报为“否”，须为“是”" in finding.message


def test_a_missing_declaration_is_data_missing():
    app = qualifying()
    app.part1.no_violations = None
    [finding] = findings_for(app, "criteria.declarations.no_violations")
    assert finding.level == Level.INFO
    assert "数据缺失，无法评估" in finding.message


# --- warning rules, missing data, reviews ---------------------------------------------------


def test_a_warning_rule_warns_without_failing_the_aspect():
    app = qualifying()
    app.part1.area_km2 = Decimal("100.01")
    report = evaluate(app, load_profile(NATIONAL))
    aspect = report.aspect("1")
    assert next(r for r in aspect.rules if r.id == "area").status == Status.FAIL
    assert aspect.status == Status.REVIEW
    assert aspect.warned
    [finding] = [f for f in report.findings() if f.rule == "criteria.1.area"]
    assert finding.level == Level.WARNING
    assert finding.label == "集群占地面积（平方公里）"
    assert "原则上" in finding.message


def test_area_at_the_limit_passes():
    app = qualifying()
    app.part1.area_km2 = Decimal(100)
    assert rule_status(app, "1", "area") == Status.PASS


def test_missing_data_is_reported_not_judged():
    app = qualifying()
    app.part2.total_output = {"2020": "45", "2022": "50"}
    assert rule_status(app, "1", "total_output") == Status.UNSET
    [finding] = findings_for(app, "criteria.1.total_output")
    assert finding.level == Level.INFO
    assert finding.path == "part2.total_output.2021"
    assert finding.message.endswith("数据缺失，无法评估（近三年集群总产值每年均不低于40亿元）")


def test_a_miss_outweighs_missing_data():
    app = qualifying()
    app.part2.total_output = {"2020": "30", "2022": "50"}
    assert rule_status(app, "1", "total_output") == Status.FAIL
    levels = sorted(f.level.value for f in findings_for(app, "criteria.1.total_output"))
    assert levels == ["error", "info"]


def test_scalar_metric_fires_and_does_not():
    app = qualifying()
    app.part2.leading_output_cagr = Decimal(10)
    [finding] = findings_for(app, "criteria.1.leading_output_cagr")
    assert finding.path == "part2.leading_output_cagr"
    assert finding.label == "近三年主导产业产值年均增速（%）"
    assert finding.message == (
        "具有较强核心竞争力：近三年主导产业产值年均增速（%）为10.00，未达到>10的标准"
    )


def test_choice_rule_on_software_rising():
    app = qualifying()
    app.part4.software_rising = "否"
    assert rule_status(app, "5", "software_rising") == Status.FAIL
    app.part4.software_rising = "是"
    assert rule_status(app, "5", "software_rising") == Status.PASS


def test_qualitative_aspects_go_to_the_experts_with_what_the_form_shows():
    app = qualifying()
    app.part2.resource_sharing_work.integrated_mechanism = True
    app.part2.resource_sharing_work.shared_workshops = True
    app.part2.chain_map = "是"
    assert rule_status(app, "3", "cooperation") == Status.REVIEW
    [finding] = findings_for(app, "criteria.3.cooperation")
    assert finding.level == Level.INFO
    assert finding.path == "part2.resource_sharing_work"
    assert finding.label == "集群已开展的制造资源共享工作"
    assert "需专家评议" in finding.message
    assert "集群已开展的制造资源共享工作勾选2/4项" in finding.message
    assert "集群是否绘制产业链图谱：☑ 是" in finding.message  # as the form shows a choice
    assert finding.values["shown"]["resource_sharing_work"] == 2


def test_tick_counts_can_also_be_compared():
    profile = _profile(metric="governance_work", threshold="threshold = 2")
    app = Application()
    app.part7.governance_work.promotion_body = True
    assert rule_status(app, "1", "r", profile) == Status.FAIL
    app.part7.governance_work.rights_protection = True
    assert rule_status(app, "1", "r", profile) == Status.PASS


def test_derived_counts():
    app = qualifying()
    app.part3.platforms.national.count = 1
    app.part3.platforms.other.count = 2
    readings = {m: METRICS[m].read(app, ("2020", "2021", "2022")) for m in METRICS}
    assert readings["platform_count"] == 3
    assert readings["standards_count"] is None
    assert readings["quality_firms_top"] == 1
    assert readings["quality_firms_broad"] == 6


# --- broken profiles --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        (_profile_text(threshold='threshold = "forty"'), "aspects[1].rules[r]", "须为数字"),
        (_profile_text(metric="output"), "aspects[1].rules[r]", "未知的指标“output”"),
        (_profile_text(op="=>"), "aspects[1].rules[r].op", "取值须为"),
        (_profile_text(extra="treshold = 3"), "aspects[1].rules[r].treshold", "不认识的键"),
        (_profile_text(extra='level = "fatal"'), "aspects[1].rules[r].level", "取值须为"),
        (_profile_text(extra='scope = "last"', metric="area_km2"), "aspects[1].rules[r]", "scope"),
        (
            _profile_text(metric="software_rising", threshold="threshold = 1"),
            "aspects[1].rules[r]",
            "比较符只能是 ==",
        ),
        (_profile_text().replace('name = "测试标准"\n', ""), "name", "缺少此项"),
    ],
)
def test_a_broken_profile_names_the_file_and_the_key(tmp_path: Path, text, key, words):
    path = tmp_path / "test.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    message = str(caught.value)
    assert "test.toml" in message
    assert key in message
    assert words in message


def test_invalid_toml_names_the_file(tmp_path: Path):
    path = tmp_path / "bad.toml"
    path.write_text('id = "bad"\nname = \n', "utf-8")
    with pytest.raises(ProfileError, match=r"bad\.toml 不是有效的 TOML"):
        load_profile(path)


def test_the_id_must_match_the_file_name(tmp_path: Path):
    path = tmp_path / "ningbo-2024.toml"
    path.write_text(_profile_text(profile_id="national-2022"), "utf-8")
    with pytest.raises(ProfileError, match="须与文件名“ningbo-2024”一致"):
        load_profile(path)


def test_an_unknown_profile_id_lists_the_known_ones():
    with pytest.raises(ProfileError, match="national-2022"):
        load_profile("ningbo-2099")


def test_a_missing_file_is_a_profile_error(tmp_path: Path):
    with pytest.raises(ProfileError, match="无法读取"):
        load_profile(tmp_path / "nowhere.toml")


def test_a_review_rule_needs_something_to_show():
    text = _profile_text().replace('metric = "total_output"\nop = ">="\nthreshold = 40', "")
    text += 'review = "评议"\n'
    with pytest.raises(ProfileError, match="show"):
        loads_profile(text, "review.toml")


def test_duplicate_rule_ids_are_refused():
    text = _profile_text() + '\n[[aspects.rules]]\nid = "r"\ntitle = "又一条"\n'
    text += 'metric = "area_km2"\nop = "<="\nthreshold = 100\n'
    with pytest.raises(ProfileError, match="规则 id“r”重复"):
        loads_profile(text, "dup.toml")


def test_any_of_needs_two_checks():
    text = _profile_text().replace(
        'metric = "total_output"\nop = ">="\nthreshold = 40',
        'any_of = [{ metric = "area_km2", op = "<=", threshold = 1 }]',
    )
    with pytest.raises(ProfileError, match="any_of 至少需要两项"):
        loads_profile(text, "any.toml")


def test_the_report_serialises_to_json():
    report = evaluate(qualifying(), load_profile(NATIONAL))
    data = json.loads(json.dumps(report.as_json(), ensure_ascii=False))
    assert [group["id"] for group in data] == ["declarations", *"12345678"]
    core = data[1]
    assert core["title"] == "具有较强核心竞争力"
    output = next(rule for rule in core["rules"] if rule["id"] == "total_output")
    assert output["status"] == "达标"
    assert output["checks"][0]["values"] == {"2020": 40, "2021": 44, "2022": 48.4}
    assert output["checks"][0]["threshold"] == 40
    rd = next(rule for rule in data[4]["rules"] if rule["id"] == "rd_growth")
    assert rd["status"] == "未评估"
    assert rd["checks"][0]["threshold"] is None


def test_comparison_keys_beside_any_of_are_refused():
    text = _profile_text().replace(
        'metric = "total_output"\nop = ">="\nthreshold = 40',
        'threshold = 3\nany_of = [{ metric = "area_km2", op = "<=", threshold = 1 },'
        ' { metric = "area_km2", op = "<=", threshold = 2 }]',
    )
    with pytest.raises(ProfileError, match="threshold 只能写在any_of 的各项中"):
        loads_profile(text, "any.toml")
