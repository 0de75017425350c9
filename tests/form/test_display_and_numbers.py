"""One formatter for values (form.display) and one rule for numbers (form.numbers)."""

from datetime import date
from decimal import Decimal

import pytest

from clusterdesk.form.attachment2 import ATTACHMENT2_2023
from clusterdesk.form.criteria import load_profile, unset_thresholds, with_thresholds
from clusterdesk.form.criteria.metrics import METRICS, MetricKind, fmt
from clusterdesk.form.criteria.report import summary_text
from clusterdesk.form.diff import diff_forms, iter_texts
from clusterdesk.form.display import show
from clusterdesk.form.example import example_application
from clusterdesk.form.numbers import NONE_COUNT, NONE_NUMBER, read_number
from clusterdesk.form.rules import check_rules
from clusterdesk.form.schema import Application
from clusterdesk.form.validation import check

# --- display -------------------------------------------------------------------------------


def test_values_are_shown_as_the_form_shows_them():
    assert show({"2020": Decimal("3.12"), "2021": Decimal("3.1"), "2022": None}) == (
        "2020年 3.12；2021年 3.10；2022年 未填写"
    )
    assert show(NONE_NUMBER) == "无"
    assert show(NONE_COUNT) == "无"
    assert show({"2020": NONE_NUMBER}) == "2020年 无"
    assert show(None) == "未填写"
    assert show(True) == "☑ 已勾选"
    assert show(False) == "☐ 未勾选"
    assert show("是", choice=True) == "☑ 是"
    assert show(386) == "386"
    assert show(Decimal("121.805")) == "121.805"  # a third decimal is shown, never rounded away
    assert show(Decimal("40"), integer=True) == "40"
    assert show(Decimal("108.6"), unit="亿元") == "108.60亿元"
    assert show(date(2023, 4, 10)) == "2023年4月10日"


@pytest.mark.parametrize("value", [{"2020": Decimal("3.12")}, None, True, NONE_NUMBER])
def test_no_python_repr_reaches_a_message(value):
    for kind in MetricKind:
        text = fmt(value, kind)
        for repr_word in ("Decimal(", "None", "True", "{'", "NONE_"):
            assert repr_word not in text


def test_a_year_column_summarised_for_the_experts_reads_like_the_form():
    app = example_application()
    years = ("2020", "2021", "2022")
    metric = METRICS["rd_intensity"]
    text = summary_text(metric, metric.read(app, years), years)
    assert text == "集群中小企业近三年研发投入强度（%）：2020年 3.12；2021年 3.35；2022年 3.58"


# --- numbers ---------------------------------------------------------------------------------


def test_none_is_stored_as_the_word_read_as_zero_and_shown_as_none():
    app = Application.model_validate(
        {"part2": {"single_champions": {"2022": "无"}}, "part3": {"rd_staff_share": "无"}}
    )
    assert app.part2.single_champions["2022"] is NONE_COUNT
    assert app.part3.rd_staff_share is NONE_NUMBER
    assert app.part2.single_champions["2022"] + 2 == 2  # counted as 0 where a formula needs it
    dumped = app.model_dump(mode="json")
    assert dumped["part2"]["single_champions"]["2022"] == "无"
    assert dumped["part3"]["rd_staff_share"] == "无"
    assert Application.model_validate(dumped).part3.rd_staff_share is NONE_NUMBER


def test_none_satisfies_the_required_rule_and_has_no_range_to_check():
    app = example_application()
    app.part1.area_km2 = "无"  # the smallest area is 0.01: 无 is no area below it
    app.part2.single_champions = {**app.part2.single_champions, "2022": "无"}
    found = [f for f in check_rules(ATTACHMENT2_2023, app) if f.path.startswith("part1.area")]
    assert found == []


def test_criteria_count_none_as_zero():
    app = example_application()
    app.part2.single_champions = {"2020": 0, "2021": 0, "2022": "无"}
    app.part2.little_giants = {"2020": 0, "2021": 0, "2022": "无"}
    app.part2.specialised_smes = {"2020": 0, "2021": 0, "2022": 0}
    app.part2.high_tech_and_innovative = {"2020": 0, "2021": 0, "2022": "无"}
    report = check(app, load_profile("ningbo-2023")).criteria
    rule = next(r for r in report.aspect("2").rules if r.id == "quality_firms")
    assert rule.status.value == "未达标"


@pytest.mark.parametrize(
    ("typed", "unit", "integer", "value", "why"),
    [
        ("108.6亿元", "亿元", False, Decimal("108.6"), ["去掉单位亿元"]),
        ("36.8%", "%", False, Decimal("36.8"), ["去掉单位%"]),
        ("0.5亿元", "万元", False, Decimal("5000"), ["单位亿元换算为万元"]),
        ("1.2345亿元", "万元", False, Decimal("12345"), ["单位亿元换算为万元"]),
        ("3万元", "亿元", False, Decimal("0.0003"), ["单位万元换算为亿元"]),
        ("1,234", "万元", False, Decimal("1234"), ["去掉千位分隔符"]),
        ("１２０家", "家", True, 120, ["全角数字或符号转换为半角", "去掉单位家"]),
        ("无", "家", True, NONE_COUNT, []),
        ("/", "亿元", False, NONE_NUMBER, ["“/”视为“无”"]),
    ],
)
def test_typed_numbers_are_read_with_what_was_changed(typed, unit, integer, value, why):
    reading = read_number(typed, unit, integer=integer)
    assert reading.ok
    assert reading.value == value
    assert type(reading.value) is type(value)
    assert reading.why == why


def test_what_is_no_number_is_said_so():
    assert not read_number("约120", "家", integer=True).ok
    assert not read_number("1.5", "家", integer=True).ok
    assert read_number("  ").value is None


# --- thresholds a round sets -------------------------------------------------------------------


def test_a_round_sets_only_the_thresholds_its_profile_leaves_unset():
    profile = load_profile("ningbo-2023")
    keys = [t.key for t in unset_thresholds(profile)]
    assert keys == ["4.rd_growth", "4.platforms", "4.standards", "5.industrial_internet"]
    units = {t.key: t.unit for t in unset_thresholds(profile)}
    assert units == {
        "4.rd_growth": "%",
        "4.platforms": "个",
        "4.standards": "项",
        "5.industrial_internet": "%",
    }
    set_ = with_thresholds(profile, {"5.industrial_internet": "45"})
    app = example_application()  # 42.30%
    rule = next(
        r for r in check(app, set_).criteria.aspect("5").rules if r.id == "industrial_internet"
    )
    assert rule.status.value == "未达标"
    unset = next(
        r for r in check(app, profile).criteria.aspect("5").rules if r.id == "industrial_internet"
    )
    assert unset.status.value == "未评估"
    with pytest.raises(ValueError, match="没有可设定的阈值"):
        with_thresholds(profile, {"1.total_output": "10"})  # set by the profile: not the round's


def _internet(result) -> str:
    rules = result.criteria.aspect("5").rules
    return next(r for r in rules if r.id == "industrial_internet").status.value


def test_a_number_longer_than_the_decimal_context_prints_and_is_checked():
    huge = Decimal("1" * 40)  # typed into a box: read_number keeps every digit
    assert show(huge) == "1" * 40 + ".00"
    assert show(Decimal("1" * 30 + ".125")) == "1" * 30 + ".125"
    app = example_application()
    app.part2.total_output = {**app.part2.total_output, "2022": huge}
    found = [f for f in check_rules(ATTACHMENT2_2023, app) if f.path == "part2.total_output.2022"]
    assert found  # the range rule reports it, its message printing the number as typed


def test_the_revision_diff_prints_a_number_longer_than_the_decimal_context():
    app = example_application()
    before = app.model_dump(mode="json")
    app.part2.total_output = {**app.part2.total_output, "2022": Decimal("1" * 40)}
    diff = diff_forms(before, app.model_dump(mode="json"), ATTACHMENT2_2023)
    assert any("1" * 40 in text for text in iter_texts(diff))
