"""A 年度发展情况报告 read back from Word: the rendered one whole, a hand-filled one as typed."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from docx import Document

from clusterdesk.documents.annual_parse import parse_annual
from clusterdesk.documents.annual_render import render_annual
from clusterdesk.documents.draft import DraftMark
from clusterdesk.documents.errors import DocumentInputError
from clusterdesk.form.annual.example import EXAMPLE_YEARS, example_report
from clusterdesk.form.annual.schema import AnnualReport
from clusterdesk.form.numbers import NONE_COUNT

from .test_annual_render import changed_report


def dumped(report: AnnualReport) -> dict:
    return report.model_dump(mode="json")


@pytest.mark.parametrize("year", EXAMPLE_YEARS)
def test_an_example_report_reads_back_as_it_was_written(year):
    report = example_report(year)
    result = parse_annual(render_annual(report))
    assert dumped(result.report) == dumped(report)
    assert not result.log.not_found
    assert not result.log.interpreted


def test_none_two_decimals_and_a_change_read_back_and_a_draft_mark_changes_nothing():
    report = changed_report()
    result = parse_annual(render_annual(report, draft=DraftMark(errors=2)))
    assert dumped(result.report) == dumped(report)
    assert result.report.figures.industry.single_champions == 0
    assert dumped(result.report)["figures"]["industry"]["single_champions"] == "无"


def test_an_empty_report_reads_back_empty():
    result = parse_annual(render_annual(AnnualReport()))
    assert dumped(result.report) == dumped(AnnualReport())


def hand_filled() -> bytes:
    """A report typed in Word by a county officer: own tables, units and full-width digits in
    cells, / for 无, √ for ☑, 1、 and (1) numbering, a date with dots."""
    document = Document()
    add = document.add_paragraph
    add("宁波北仑模具中小企业特色产业集群2023年度发展情况报告")
    add("一、基本情况")
    table = document.add_table(rows=0, cols=2)
    for label, value in (
        ("报告年度", "2023年度"),
        ("集群名称", "宁波北仑模具中小企业特色产业集群（模具产业）"),
        ("集群运营管理机构", "宁波北仑模具产业园区管理委员会"),
        ("集群占地面积（平方公里）", "３６.５"),
    ):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    add("二、年度主要指标")
    table = document.add_table(rows=0, cols=2)
    for label, value in (
        ("集群总产值（亿元）", "136.5亿元"),
        ("集群企业数量", "2,035"),
        ("制造业单项冠军企业数量", "/"),
        ("工业软件应用率稳步提升", "√是 □否"),
    ):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    add("三、发展规划实施情况")
    add("1、提升集群主导产业优势")
    add("实施强链补链工程。")
    add("新增专精特新中小企业9家。")
    add("2、激发集群创新活力")
    add("组建创新联合体。")
    add("四、典型案例")
    add("(1)一体化压铸模具联合攻关")
    add("联合6家中小企业攻克随形冷却技术。")
    add("佐证材料：协议.pdf；验收报告.pdf")
    add("五、存在问题和下一步举措")
    add("存在问题")
    add("高端模具钢依赖进口。")
    add("下一步举措")
    add("推进国产替代验证。")
    add("六、重大变更情况")
    add("本年度是否发生主导产业、集群区域、运营管理机构等重大变更：√是 □否")
    table = document.add_table(rows=3, cols=5)
    rows = (
        ("变更日期", "变更类型", "变更前", "变更后", "变更说明"),  # columns in another order
        ("2023.6.30", "运营管理机构", "园区管委会", "产业发展促进中心", "机构改革划转。"),
        ("六月底", "集群区域", "36.5平方公里", "40平方公里", "扩区。"),
    )
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_hand_filled_report_reads_as_typed_with_each_interpretation_listed():
    result = parse_annual(hand_filled())
    report, log = result.report, result.log
    assert report.basics.year == 2023
    assert report.basics.area_km2 == Decimal("36.5")
    assert report.figures.industry.total_output == Decimal("136.5")
    assert report.figures.industry.enterprises == 2035
    assert report.figures.industry.single_champions == NONE_COUNT
    assert report.figures.digital.software_rising == "是"
    assert report.work.industry == "实施强链补链工程。\n新增专精特新中小企业9家。"
    assert report.work.innovation == "组建创新联合体。"
    (case,) = report.cases.items
    assert case.title == "一体化压铸模具联合攻关"
    # the case's files, named only, under the case (the import lists them to upload)
    names = [file.name for file in report.evidence["cases.items.0"]]
    assert names == ["协议.pdf", "验收报告.pdf"]
    assert all(file.sha256 is None for file in report.evidence["cases.items.0"])
    assert report.outlook.measures == "推进国产替代验证。"
    assert report.changes.any_change == "是"
    (change,) = report.changes.items  # the row without a readable date is not imported
    assert (change.kind, change.changed_on.isoformat()) == ("运营管理机构", "2023-06-30")
    text = log.text()
    # The boxes left out are named where the officer finds them in the report …
    assert "  - 二、年度主要指标 · 主导产业情况 · 集群内中小企业产值占集群总产值比例（%）" in text
    assert "  - 三、发展规划实施情况 · 推进集群数字化升级" in text
    # … and every interpretation, the refused row included, with the reason.
    for line in (
        "集群总产值（亿元）：“136.5亿元” → 136.50（去掉单位亿元）",
        "制造业单项冠军企业数量：“/” → 无",
        "重大变更清单：“2023.6.30” → 2023年6月30日",
        "实际为 “六月底”",
    ):
        assert line in text, line
    assert "经解释 9 项" in text


def test_a_document_that_is_not_a_report_is_refused_in_chinese():
    document = Document()
    document.add_paragraph("会议纪要")
    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(DocumentInputError, match="不是《中小企业特色产业集群年度发展情况报告》"):
        parse_annual(buffer.getvalue())
