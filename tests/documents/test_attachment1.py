"""附件1 推荐汇总表: official labels, rows, order, and defused spreadsheet text."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document

from clusterdesk.documents.attachment1 import (
    SummaryHeader,
    defuse,
    established_text,
    render_summary_docx,
    render_summary_xlsx,
    summary_lines,
)
from clusterdesk.form.example import example_application
from tests.labels import normalise, official_labels

from .helpers import docx_text, xlsx_cells

HEADER = SummaryHeader("宁波市北仑区经济和信息化局", "王海峰", "13805741234")


def application(county="北仑区", name="宁波北仑模具中小企业特色产业集群（模具产业）"):
    app = example_application()
    app.cover.county = county
    app.part1.cluster_name = name
    return app


@pytest.mark.parametrize("label", official_labels("attachment-1"))
def test_every_attachment1_label_is_in_the_word_table(label):
    text = normalise(docx_text(render_summary_docx([application()], HEADER)))
    assert normalise(label) in text


@pytest.mark.parametrize("label", official_labels("attachment-1"))
def test_every_attachment1_label_is_in_the_spreadsheet(label):
    cells = xlsx_cells(render_summary_xlsx([application()], HEADER))
    assert any(normalise(label) in normalise(str(cell.value)) for cell in cells)


def test_the_header_lines_are_the_notices():
    text = docx_text(render_summary_docx([application()], HEADER))
    assert "区（县、市）中小企业主管部门：宁波市北仑区经济和信息化局（盖章）" in text
    assert "联系人：王海峰" in text
    assert "手机：13805741234" in text
    assert "集群简介\n（150字以内）" in text


def test_a_row_holds_the_application():
    text = docx_text(render_summary_docx([application()], HEADER))
    app = example_application()
    for value in (
        app.part1.cluster_name,
        app.part1.operator,
        "浙江省宁波市北仑区",
        "模具",
        "2005年06月",
        app.attachment1.summary,
    ):
        assert value in text


def test_a_round_is_numbered_and_grouped_by_county():
    apps = [
        application("象山县", "象山针织集群"),
        application("北仑区", "北仑模具集群"),
        application("海曙区", "海曙服装集群"),
        application("北仑区", "北仑汽配集群"),
    ]
    lines = summary_lines(apps)
    assert [line.number for line in lines] == [1, 2, 3, 4]
    assert [line.cluster_name for line in lines] == [
        "海曙服装集群",
        "北仑模具集群",
        "北仑汽配集群",
        "象山针织集群",
    ]
    cells = xlsx_cells(render_summary_xlsx(apps))
    names = [cell.value for cell in cells if cell.column == 2 and cell.row > 5]
    assert names == [line.cluster_name for line in lines]


def test_the_header_defaults_to_what_the_applications_agree_on():
    apps = [application(), application()]
    assert SummaryHeader.from_applications(apps).department == "宁波市北仑区经济和信息化局"
    apps[1].part1.department = "宁波市海曙区经济和信息化局"
    assert SummaryHeader.from_applications(apps).department == ""


def test_the_word_table_is_landscape_a4():
    section = Document(io.BytesIO(render_summary_docx([application()]))).sections[0]
    assert section.page_width > section.page_height
    assert round(section.page_width.mm) == 297


def test_an_empty_summary_prints_blank_rows_to_fill_by_hand():
    text = docx_text(render_summary_docx([], SummaryHeader()))
    assert "2023年度中小企业特色产业集群推荐汇总表" in text
    assert "区（县、市）中小企业主管部门：（盖章）" in text


@pytest.mark.parametrize(
    ("value", "printed"),
    [("2005-06", "2005年06月"), ("2005-3", "2005年03月"), ("2005", "2005年"), (None, "")],
)
def test_the_founding_date_is_printed_the_chinese_way(value, printed):
    assert established_text(value) == printed


DANGEROUS = ["=1+2", "+SUM(A1:A9)", "-2+3", "@cmd", "\tstart", "\r=x", '=HYPERLINK("http://x")']


@pytest.mark.parametrize("text", DANGEROUS)
def test_defuse_prefixes_a_formula_start_with_an_apostrophe(text):
    assert defuse(text) == "'" + text


@pytest.mark.parametrize("text", ["北仑模具", "2005年06月", "", "a=b"])
def test_defuse_leaves_ordinary_text_alone(text):
    assert defuse(text) == text


def test_no_user_text_becomes_a_formula_in_the_spreadsheet():
    app = application(name="=cmd|' /C calc'!A0")
    app.part1.operator = "+SUM(1,2)"
    app.attachment1.leading_industry = "-1+1"
    app.attachment1.summary = "@SUM(1)"
    header = SummaryHeader(department="=1+1", contact="+1", mobile="-1")
    data = render_summary_xlsx([app], header)
    cells = xlsx_cells(data)
    assert all(cell.data_type != "f" for cell in cells)
    values = {str(cell.value) for cell in cells}
    assert "'=cmd|' /C calc'!A0" in values
    assert "'+SUM(1,2)" in values
    assert "'-1+1" in values
    assert "'@SUM(1)" in values
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet
    assert b"<f " not in sheet


def test_control_characters_do_not_break_the_documents():
    app = application(name="北仑\x0b模具\x00集群")
    assert "北仑模具集群" in docx_text(render_summary_docx([app]))
    assert any(cell.value == "北仑模具集群" for cell in xlsx_cells(render_summary_xlsx([app])))
