"""The Word import on the official template as counties fill it (issue 9, item 3).

Measured on our own county-filled templates (tests/documents/county_templates.py, built from the
notice's layout with python-docx, not with the project's renderer): ≥ 99% of the values on the
form come back, per template.
"""

from __future__ import annotations

import io

import docx
import pytest

from clusterdesk.documents.attachment2_parse import parse_attachment2
from clusterdesk.form.example import example_application

from .county_templates import WORD, Habits, fill, recovered, templates

GOAL = 0.99


@pytest.fixture(scope="module")
def filled():
    return [(template, parse_attachment2(template.data)) for template in templates()]


def test_each_county_template_gives_back_at_least_99_percent(filled):
    figures = []
    for template, result in filled:
        ok, total, missed = recovered(template.application, result.application)
        figures.append(f"{template.name}: {ok}/{total}")
        assert total > 190  # the measure counts every value the official form has a box for
        assert ok / total >= GOAL, (template.name, missed)
    print("\n".join(figures))


def test_part_eight_is_read_from_the_one_box_with_its_nested_targets_table(filled):
    template, result = filled[0]
    part8 = result.application.part8
    want = template.application.part8
    assert part8.overview == want.overview  # the notice's guidance under the heading is dropped
    assert part8.problems == want.problems  # under “3、 存在的问题”, numbered as in the notice
    assert part8.safeguards == want.safeguards
    assert part8.goals.stages.third == want.goals.stages.third
    assert part8.goals.targets == want.goals.targets


def test_the_box_really_is_one_cell_holding_the_targets_table():
    document = docx.Document(io.BytesIO(fill(example_application(), WORD)))
    box = next(t for t in document.tables if "三年总体目标" in t.cell(0, 0).text)
    assert len(box.rows) == 1
    assert len(box.columns) == 1
    (nested,) = box.cell(0, 0).tables
    assert [c.text for c in nested.rows[0].cells] == [
        "方向",
        "指标",
        "2022年基准值",
        "2025年目标值",
    ]


def test_a_count_typed_into_the_cell_with_its_hint_is_read_and_the_hint_reported(filled):
    _template, result = filled[0]
    assert result.application.part3.patents == 386
    assert result.application.part6.overseas_branches == 14
    changes = [i for i in result.report.interpreted if i.path == "part3.patents"]
    assert [i.why for i in changes] == ["去掉模板提示文字“（需提供清单）”"]
    assert changes[0].place.startswith("三、创新能力情况 · 集群内中小企业有效发明专利拥有量")


def test_hints_are_never_appended_to_a_text_and_full_width_punctuation_stays(filled):
    for template, result in filled:
        work = result.application.part5.carbon_work
        assert work == template.application.part5.carbon_work, template.name
        assert "需提供" not in work
        assert "，" in work
        assert "。" in work
        for path, value in (
            ("overview", result.application.part8.overview),
            ("key_tasks", result.application.part8.key_tasks),
        ):
            assert value == getattr(template.application.part8, path)


def test_a_value_in_a_cell_merged_across_years_goes_to_each_year_marked_to_check(filled):
    _template, result = filled[2]
    assert result.application.part2.single_champions == {"2020": 3, "2021": 3, "2022": 3}
    assert set(result.application.part3.rd_growth) == {"2020", "2021", "2022"}
    to_check = {item.place for item in result.report.to_check}
    assert to_check >= {
        f"二、主导产业情况 · 制造业单项冠军企业数量 · {year}年" for year in ("2020", "2021", "2022")
    }
    assert "需核对" in result.report_text()
    # where the officer typed each year, nothing is to be checked
    assert filled[0][1].report.to_check == []


def test_the_declaration_is_never_ticked_by_an_import(filled):
    for template, result in filled:
        assert result.application.part9.accepted is False, template.name
    template, wps = filled[1]
    assert template.habits.tick_declaration  # ☑ typed before the declaration in Word
    whys = [i.why for i in wps.report.interpreted if i.path == "part9.accepted"]
    assert whys
    assert "不勾选" in whys[0]


def test_the_report_names_fields_by_part_and_label_and_shows_values_as_written(filled):
    _, result = filled[1]  # WPS: full-width digits, units typed, √ ticks
    text = result.report_text()
    assert "二、主导产业情况 · 集群总产值（亿元） · 2021年" in text
    assert "part2." not in text
    assert "True" not in text
    assert "None" not in text
    choice = next(i for i in result.report.interpreted if i.path == "part1.not_prohibited")
    assert choice.shown == "☑ 是"
    tick = next(i for i in result.report.interpreted if i.path.startswith("part2.resource_sharing"))
    assert tick.shown == "☑ 已勾选"


def test_platform_names_keep_their_full_width_punctuation():
    app = example_application()
    app.part3.platforms.other.names = ["宁波市模具行业公共技术服务平台（北仑）：检测分中心"]
    result = parse_attachment2(fill(app, WORD))
    assert result.application.part3.platforms.other.names == app.part3.platforms.other.names


def test_part_eight_is_read_when_its_box_is_a_cell_beside_a_label():
    app = example_application()
    result = parse_attachment2(fill(app, Habits(plan_beside_label=True)))
    assert result.application.part8 == app.part8
