"""The 专家评分表 (Word, PDF) and the 评审汇总表 (Word, Excel) open and say what a reader checks."""

from __future__ import annotations

from pathlib import Path

from clusterdesk.documents.scoresheet import (
    SheetDocument,
    SheetLine,
    SummaryDocument,
    SummaryRow,
    sheet_docx,
    sheet_pdf,
    summary_docx,
    summary_xlsx,
)
from tests.documents.helpers import docx_text, needs_pdf_tools, pdf_pages, xlsx_cells

SHEET = SheetDocument(
    round_name="2023年度",
    phase_name="专家评审（含现场答辩）",
    cluster_name="宁波北仑模具中小企业特色产业集群",
    county="北仑区",
    expert_name="李明",
    expert_organisation="宁波大学",
    expert_title="教授",
    lines=[
        SheetLine("具有较强核心竞争力", "20", "0–10 分", "9", "产值规模大，增速稳定。"),
        SheetLine("具有较强治理和服务能力", "80", "0–10 分", "7.5", ""),
    ],
    total="78.00",
    opinion="推荐认定",
    opinion_reason="",
    status="已提交",
    submitted_at="2023-06-01 10:00",
)
SUMMARY = SummaryDocument(
    round_name="2023年度",
    phases="专家评审（含现场答辩）",
    method="去掉一个最高分和一个最低分后的平均分",
    margin="15",
    expert_columns=3,
    rows=[
        SummaryRow(
            "1（并列）",
            "甲产业集群",
            "北仑区",
            ["90.00", "80.00", "40.00"],
            "70.00",
            "80.00",
            "80.00",
            "50.00",
            "专家意见分歧（极差 50.00 分）",
        ),
        SummaryRow(
            "1（并列）",
            "=乙产业集群",
            "鄞州区",
            ["80.00", "80.00", "80.00"],
            "80.00",
            "80.00",
            "80.00",
            "0.00",
            "",
        ),
    ],
)


def test_the_experts_sheet_in_word():
    text = docx_text(sheet_docx(SHEET))
    for expected in (
        "专家评分表",
        "2023年度 · 专家评审（含现场答辩）",
        "宁波北仑模具中小企业特色产业集群",
        "北仑区",
        "李明",
        "宁波大学",
        "具有较强核心竞争力",
        "产值规模大，增速稳定。",
        "7.5",
        "78.00",
        "总体意见：推荐认定",
        "专家签名：",
        "日期：",
    ):
        assert expected in text, expected


def test_an_anonymous_sheet_names_no_county():
    from dataclasses import replace  # noqa: PLC0415

    text = docx_text(sheet_docx(replace(SHEET, county="")))
    assert "北仑区" not in text
    assert "匿名评审" in text


def test_the_summary_in_word_and_excel():
    text = docx_text(summary_docx(SUMMARY))
    for expected in (
        "评审汇总表",
        "甲产业集群",
        "1（并列）",
        "专家1",
        "专家3",
        "40.00",
        "去极值平均分",
        "专家意见分歧（极差 50.00 分）",
    ):
        assert expected in text, expected
    cells = {cell.value for cell in xlsx_cells(summary_xlsx(SUMMARY))}
    assert "甲产业集群" in cells
    assert 40.0 in cells  # figures stay numbers
    assert "'=乙产业集群" in cells  # never a formula
    note = (
        "排序依据：去掉一个最高分和一个最低分后的平均分；专家意见分歧提示：极差超过 15 分。"
        "各专家得分为加权总分（满分 100 分）。"
    )
    assert note in cells


@needs_pdf_tools
def test_the_experts_sheet_as_pdf(tmp_path: Path):
    path = tmp_path / "sheet.pdf"
    path.write_bytes(sheet_pdf(SHEET))
    text = "".join(pdf_pages(path))
    assert "专家评分表" in text
    assert "78.00" in text
    assert "专家签名" in text
