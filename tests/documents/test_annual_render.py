"""The annual report (年度发展情况报告) as Word and PDF: what a bureau reader checks in it."""

from __future__ import annotations

import io

import pytest
from docx import Document

from clusterdesk.documents.annual_render import HEADER_TEXT, render_annual, report_title
from clusterdesk.documents.draft import DraftMark
from clusterdesk.documents.pdf import convert_to_pdf
from clusterdesk.form.annual.example import EXAMPLE_YEARS, example_report, example_report_data
from clusterdesk.form.annual.schema import PART_TITLES, AnnualReport
from tests.labels import normalise

from .helpers import docx_text, needs_pdf_tools, pdf_pages

TITLE_2023 = "宁波北仑模具中小企业特色产业集群2023年度发展情况报告"


def table_rows(data: bytes) -> list[list[str]]:
    """Every row of every table as its cells' texts (a merged cell repeated, as Word reads it)."""
    document = Document(io.BytesIO(data))
    return [[cell.text for cell in row.cells] for t in document.tables for row in t.rows]


def row_of(rows: list[list[str]], label: str) -> list[str]:
    return next(row for row in rows if row[0] == label)


def headers_of(data: bytes) -> list[str]:
    document = Document(io.BytesIO(data))
    return [
        "".join(p.text for p in header.paragraphs)
        for section in document.sections
        for header in (section.header, section.first_page_header, section.even_page_header)
    ]


def changed_report() -> AnnualReport:
    """The 2023 example with 无 in two boxes, a one-decimal share and a major change."""
    data = example_report_data(2023)
    data["figures"]["industry"]["single_champions"] = "无"
    data["figures"]["innovation"]["rd_spending"] = "无"
    data["figures"]["digital"]["cloud_adoption"] = 72.4
    data["changes"] = {
        "any_change": "是",
        "items": [
            {
                "kind": "运营管理机构",
                "changed_on": "2023-06-30",
                "before": "宁波北仑模具产业园区管理委员会",
                "after": "宁波北仑模具产业发展促进中心",
                "explanation": "根据区机构改革方案，集群运营管理职能整体划转。",
            }
        ],
    }
    return AnnualReport.model_validate(data)


@pytest.fixture(scope="module")
def example_docx() -> bytes:
    return render_annual(example_report(2023))


@pytest.fixture(scope="module")
def changed_docx() -> bytes:
    return render_annual(changed_report())


@pytest.mark.parametrize("year", EXAMPLE_YEARS)
def test_each_example_report_opens_with_its_title_and_all_six_parts_in_order(year):
    data = render_annual(example_report(year))
    paragraphs = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    title = f"宁波北仑模具中小企业特色产业集群{year}年度发展情况报告"
    assert paragraphs[0] == title
    positions = [paragraphs.index(heading) for heading in PART_TITLES.values()]
    assert positions == sorted(positions)
    assert list(PART_TITLES.values())[-1] == "六、重大变更情况"


def test_the_title_keeps_a_gap_for_a_name_and_year_not_filled_yet():
    title = report_title(AnnualReport())
    assert title.endswith("中小企业特色产业集群          年度发展情况报告")
    assert render_annual(AnnualReport())  # an empty report prints (blank boxes, 无 narratives)


def test_basics_table_holds_the_cluster_and_the_year(example_docx):
    rows = table_rows(example_docx)
    assert row_of(rows, "报告年度")[1] == "2023年"
    assert row_of(rows, "集群名称")[1] == "宁波北仑模具中小企业特色产业集群（模具产业）"
    assert row_of(rows, "集群占地面积（平方公里）")[1] == "36.50"


def test_indicator_rows_print_label_unit_and_value_as_the_form_does(example_docx):
    rows = table_rows(example_docx)
    assert row_of(rows, "集群总产值") == ["集群总产值", "亿元", "136.50"]
    assert row_of(rows, "集群企业数量") == ["集群企业数量", "家", "2035"]
    assert row_of(rows, "其中：集群中小企业数量")[2] == "1998"
    assert row_of(rows, "集群内中小企业有效发明专利拥有量（年末数）")[1:] == ["个", "457"]
    assert row_of(rows, "单位产值二氧化碳排放量") == [
        "单位产值二氧化碳排放量",
        "吨二氧化碳/万元",
        "0.34",
    ]
    assert ["指标", "单位", "2023年"] in rows


def test_none_prints_as_none_and_one_decimal_as_two(changed_docx):
    rows = table_rows(changed_docx)
    assert row_of(rows, "制造业单项冠军企业数量")[2] == "无"
    assert row_of(rows, "研发经费投入")[1:] == ["万元", "无"]
    assert row_of(rows, "企业上云比例")[2] == "72.40"
    assert row_of(rows, "集群工业互联网平台应用普及率")[2] == "43.60"


def test_work_cases_and_outlook_are_there_to_read(example_docx):
    text = docx_text(example_docx)
    for line in (
        "（一）提升集群主导产业优势",
        "（六）提升集群治理和服务能力",
        "（一）一体化压铸模具联合攻关",
        "佐证材料：创新联合体协议及验收报告.pdf",
        "（二）共享热处理中心降本增效",
        "（一）存在问题",
        "（二）下一步举措",
    ):
        assert line in text, line
    assert "攻克6000吨级一体化压铸模具随形冷却" in text
    rows = table_rows(example_docx)
    assert row_of(rows, "其它") == ["其它", "模具出口交货值", "亿元", "26.00", "20.40"]


def test_the_change_table_lists_each_change_with_its_date(changed_docx):
    text = docx_text(changed_docx)
    assert "本年度是否发生主导产业、集群区域、运营管理机构等重大变更：☑是  □否" in text
    rows = table_rows(changed_docx)
    assert ["变更类型", "变更日期", "变更前", "变更后", "变更说明"] in rows
    assert row_of(rows, "运营管理机构") == [
        "运营管理机构",
        "2023年6月30日",
        "宁波北仑模具产业园区管理委员会",
        "宁波北仑模具产业发展促进中心",
        "根据区机构改革方案，集群运营管理职能整体划转。",
    ]


def test_no_change_is_ticked_no_and_the_table_says_none(example_docx):
    assert "重大变更：□是  ☑否" in docx_text(example_docx)
    header = table_rows(example_docx).index(
        ["变更类型", "变更日期", "变更前", "变更后", "变更说明"]
    )
    assert set(table_rows(example_docx)[header + 1]) == {"无"}


def test_a_draft_says_so_in_every_page_header_and_under_the_title():
    data = render_annual(example_report(2024), draft=DraftMark(errors=3))
    assert HEADER_TEXT == "草稿 · 不是正式报告"
    document = Document(io.BytesIO(data))
    for section in document.sections:
        assert "".join(p.text for p in section.header.paragraphs) == HEADER_TEXT
    assert "草稿 · 尚有 3 处错误未改正，不是正式报告" in docx_text(data)


def test_the_filed_report_carries_no_draft_mark(example_docx):
    assert not any("草稿" in header for header in headers_of(example_docx))
    assert "草稿" not in docx_text(example_docx)


def test_styles_are_attachment_2s(example_docx):
    document = Document(io.BytesIO(example_docx))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210
    assert round(section.page_height.mm) == 297
    fonts = document.styles.element.xpath("//w:docDefaults//w:rFonts/@w:eastAsia")
    assert fonts == ["仿宋_GB2312"]


@pytest.mark.pdf
@needs_pdf_tools
def test_the_pdf_shows_the_title_and_the_draft_mark_on_every_page(tmp_path):
    source = tmp_path / "年度发展情况报告.docx"
    source.write_bytes(render_annual(changed_report(), draft=DraftMark(errors=0)))
    (made,) = convert_to_pdf([source], tmp_path)
    pages = [normalise(page) for page in pdf_pages(made)]
    assert len(pages) >= 2  # the mark is checked on more than the first page
    assert normalise(TITLE_2023) in pages[0]
    for number, page in enumerate(pages, 1):
        assert normalise(HEADER_TEXT) in page, number
    assert all(normalise(heading) in "".join(pages) for heading in PART_TITLES.values())


@pytest.mark.pdf
@needs_pdf_tools
def test_the_filed_pdf_has_no_draft_mark(tmp_path):
    source = tmp_path / "年度发展情况报告.docx"
    source.write_bytes(render_annual(example_report(2023)))
    (made,) = convert_to_pdf([source], tmp_path)
    pages = pdf_pages(made)
    assert normalise(TITLE_2023) in normalise(pages[0])
    assert not any("草稿" in page for page in pages)


def test_each_case_lists_its_own_files():
    # The first case's files under the first case, the second's under the second; a case with
    # none prints 无 rather than borrowing another's (files filed under the case, not the list).
    data = example_report_data(2023)
    data["evidence"] = {
        "cases.items.1": [
            {"name": "共享热处理中心运营报告.pdf", "sha256": "a" * 64, "size": 10},
            {"name": "余热回收节能量核定.pdf", "sha256": "b" * 64, "size": 10},
        ]
    }
    text = docx_text(render_annual(AnnualReport.model_validate(data)))
    first = text.index("（一）一体化压铸模具联合攻关")
    second = text.index("（二）共享热处理中心降本增效")
    assert text.index("佐证材料：无", first) < second
    assert "佐证材料：共享热处理中心运营报告.pdf、余热回收节能量核定.pdf" in text[second:]
