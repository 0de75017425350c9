"""附：佐证材料目录: official labels instead of internal paths, columns that fit A4 (item 9)."""

from __future__ import annotations

import hashlib
import io
import re
import subprocess

import pytest
from docx import Document
from docx.shared import Twips

from clusterdesk.documents.appendix import evidence_labels
from clusterdesk.documents.attachment2_parse import parse_attachment2
from clusterdesk.documents.attachment2_render import render_attachment2
from clusterdesk.documents.pdf import convert_to_pdf
from clusterdesk.form.example import example_application

from .helpers import needs_pdf_tools, pdf_pages

INTERNAL_PATH = re.compile(r"\b(part\d|cover|attachment1)\.[a-z_]+|[a-z]+_[a-z_]+")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def with_hashes():
    """The example with every evidence file's SHA-256 and size, as an uploaded form has them."""
    application = example_application()
    for number, files in enumerate(application.evidence.values()):
        for file in files:
            file.sha256 = hashlib.sha256(file.name.encode()).hexdigest()
            file.size = 19_876_543 + number  # 8 digits: the widest a 20 MB file needs
    return application


@pytest.fixture(scope="module")
def application():
    return with_hashes()


@pytest.fixture(scope="module")
def rendered(application) -> bytes:
    return render_attachment2(application)


def evidence_table(data: bytes):
    document = Document(io.BytesIO(data))
    return next(t for t in document.tables if t.rows[0].cells[-2].text == "SHA-256"), document


def test_the_register_names_items_by_part_and_official_label(rendered, application):
    table, _ = evidence_table(rendered)
    assert [cell.text for cell in table.rows[0].cells] == [
        "序号",
        "栏目",
        "文件名",
        "SHA-256",
        "大小（字节）",
    ]
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert len(rows) == sum(len(files) for files in application.evidence.values())
    for row in rows:
        for text in row:
            assert not INTERNAL_PATH.search(text), text
    items = [row[1] for row in rows]
    assert "二、主导产业情况 · 建有产业链上下游产供销一体化协同协作机制" in items
    assert "七、治理和服务水平 · 建立了中小企业合法权益保护机制" in items


def test_labels_are_one_to_one_so_the_import_finds_the_item_again(rendered, application):
    labels = evidence_labels()
    assert len(set(labels.values())) == len(labels)
    assert labels["part1.operator_contact"] != labels["part1.department_contact"]
    assert parse_attachment2(rendered).application.evidence == application.evidence


def test_the_hash_is_whole_in_a_small_fixed_width_font_and_the_table_fits_the_page(rendered):
    table, document = evidence_table(rendered)
    hash_cell = table.rows[1].cells[3]
    assert re.fullmatch(r"[0-9a-f]{64}", hash_cell.text)
    (run,) = hash_cell.paragraphs[0].runs
    assert run.font.size.pt <= 6
    assert run.font.name == "Courier New"
    section = document.sections[-1]
    text_width = section.page_width - section.left_margin - section.right_margin
    grid = table._tbl.tblGrid.findall(f"{W}gridCol")
    assert sum(Twips(int(column.get(f"{W}w"))) for column in grid) <= text_width


@pytest.mark.pdf
@needs_pdf_tools
def test_in_the_pdf_each_hash_is_on_one_line_inside_the_text_width(tmp_path, rendered, application):
    (tmp_path / "a2.docx").write_bytes(rendered)
    (pdf,) = convert_to_pdf([tmp_path / "a2.docx"], tmp_path / "pdf")
    pages = pdf_pages(pdf)
    first = next(n for n, page in enumerate(pages, 1) if "附：佐证材料目录" in page)
    appendix = "\n".join(pages[first - 1 :])
    for files in application.evidence.values():
        for file in files:
            assert file.sha256 in appendix  # on one line: not broken across lines
            assert str(file.size) in appendix
    # Every word of the register lies inside the page's text area (A4: 595.3 pt wide, right
    # margin 2.6 cm), so no column runs off the paper.
    bbox = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(first), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    right_edges = [
        float(x) for x in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"', bbox)
    ]
    assert len(right_edges) > 100
    assert max(right_edges) <= 595.3 - 2.6 / 2.54 * 72


def test_a_form_printed_with_the_old_path_column_still_imports(rendered, application):
    table, document = evidence_table(rendered)
    paths = [path for path, files in application.evidence.items() for _ in files]
    table.rows[0].cells[1].paragraphs[0].runs[0].text = "栏目路径"
    for row, path in zip(table.rows[1:], paths, strict=True):
        row.cells[1].paragraphs[0].runs[0].text = path
    buffer = io.BytesIO()
    document.save(buffer)
    assert parse_attachment2(buffer.getvalue()).application.evidence == application.evidence


def test_an_unknown_item_label_is_reported_not_guessed(rendered):
    table, document = evidence_table(rendered)
    table.rows[1].cells[1].paragraphs[0].runs[0].text = "二、主导产业情况 · 没有这个栏目"
    buffer = io.BytesIO()
    document.save(buffer)
    parsed = parse_attachment2(buffer.getvalue())
    assert "part2.chain_map" not in parsed.application.evidence
    assert any("栏目无法识别" in str(item) for item in parsed.report.interpreted)
