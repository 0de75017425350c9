"""The 认定名单 and the 择优推荐 documents, rendered from plain data and opened."""

from __future__ import annotations

import io

import docx
from openpyxl import load_workbook

from clusterdesk.documents.certified_list import (
    CertifiedLine,
    Letter,
    RecommendedLine,
    render_certified_docx,
    render_certified_xlsx,
    render_letter_docx,
    render_recommended_xlsx,
)

LINE = CertifiedLine(
    name='=HYPERLINK("http://x")模具产业集群',
    county="北仑区",
    leading_industry="模具",
    industry_type="第二产业",
    round_name="2023年度",
    document_number="甬经信中小〔2023〕12号",
    valid_from="2023年4月20日",
    valid_until="2026年4月19日",
    status="有效",
)


def test_the_list_in_excel_keeps_a_formula_as_text():
    sheet = load_workbook(io.BytesIO(render_certified_xlsx([LINE], "认定名单"))).active
    assert sheet["A1"].value == "认定名单"
    assert sheet["B3"].value == '\'=HYPERLINK("http://x")模具产业集群'
    assert sheet["B3"].data_type == "s"
    assert sheet["J3"].value == "有效"


def test_an_empty_list_in_word_says_none():
    document = docx.Document(io.BytesIO(render_certified_docx([], "认定名单")))
    assert "（共 0 个）" in [p.text for p in document.paragraphs]
    assert document.tables[0].rows[1].cells[0].text == "无"


def test_the_letter_lists_each_cluster_with_its_reason():
    letter = Letter(2023, "浙江省经济和信息化厅", "宁波市经济和信息化局", "2023年6月30日")
    document = docx.Document(
        io.BytesIO(render_letter_docx(letter, [RecommendedLine(LINE, "产业链完整")]))
    )
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.startswith("关于推荐2023年度中小企业特色产业集群的函")
    assert "择优遴选出1个集群" in text
    assert "推荐理由：产业链完整" in text
    sheet = load_workbook(
        io.BytesIO(render_recommended_xlsx(2023, [RecommendedLine(LINE, "产业链完整")]))
    ).active
    assert sheet["G3"].value == "产业链完整"
