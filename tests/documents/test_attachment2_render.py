"""Attachment 2 as .docx: official labels, layout rules (new pages, rows never split), values."""

from __future__ import annotations

import io
from decimal import Decimal

import docx
import pytest
from docx.oxml.ns import qn

from clusterdesk.documents.attachment2_render import render_attachment2
from clusterdesk.form.example import example_application
from clusterdesk.form.schema import PART_TITLES, Application
from tests.labels import normalise, official_labels


@pytest.fixture(scope="module")
def document():
    return docx.Document(io.BytesIO(render_attachment2(example_application())))


def all_text(document) -> str:
    body = document.element.body
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))


def test_every_official_label_is_printed(document):
    text = normalise(all_text(document))
    missing = [label for label in official_labels("attachment-2") if normalise(label) not in text]
    assert missing == []


def test_parts_one_to_seven_start_on_a_new_page(document):
    starts = {
        p.text.strip(): p._p.pPr is not None and p._p.pPr.find(qn("w:pageBreakBefore")) is not None
        for p in document.paragraphs
    }
    for part in ("part1", "part2", "part3", "part4", "part5", "part6", "part7", "part8"):
        assert starts[PART_TITLES[part]], PART_TITLES[part]


def test_no_table_row_may_split_across_pages(document):
    rows = list(document.element.body.iter(qn("w:tr")))
    assert len(rows) > 400  # the 386 patents are listed
    assert all(row.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for row in rows)


def test_a4_and_chinese_fonts(document):
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    fonts = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_values_as_the_form_wants_them(document):
    text = all_text(document)
    assert "108.60" in text  # 2 decimals for amounts
    assert "36.50" in text
    assert "1980" in text
    assert "1980.00" not in text
    assert "386个" in text
    assert "☑第二产业" in text
    assert "□第一产业" in text
    assert "☑是  □否" in text
    assert "数量：3个" in text
    assert "单位负责人（签字）：周建明" in text
    assert "2023年4月10日" in text
    assert "（注：勾选需提供佐证材料）" in text
    assert "None" not in text


def test_a_blank_draft_prints_blanks_not_none():
    document = docx.Document(io.BytesIO(render_attachment2(Application())))
    text = all_text(document)
    assert "None" not in text
    assert "□是  □否" in text
    assert "年    月    日" in text  # date blanks for the signature and the seal


def test_a_third_decimal_is_printed_not_rounded():
    app = example_application()
    app.part2.total_output["2022"] = Decimal("121.805")
    document = docx.Document(io.BytesIO(render_attachment2(app)))
    assert "121.805" in all_text(document)


def test_appendices_list_what_the_form_has_no_box_for(document):
    text = all_text(document)
    for title in ("附：表外填报内容", "附：标准清单", "附：有效发明专利清单", "附：佐证材料目录"):
        assert title in text
    assert "GB/T 12554-2022" in text
    assert "北仑模具产业链图谱.pdf" in text
    assert "单位产值二氧化碳排放量＝" in text
