"""A draft's Attachment 2 says so on every page; the filed form does not (issue 9, item 7)."""

from __future__ import annotations

import io

import pytest
from docx import Document

from clusterdesk.documents.attachment2_parse import parse_attachment2
from clusterdesk.documents.attachment2_render import render_attachment2
from clusterdesk.documents.draft import DraftMark
from clusterdesk.documents.pdf import convert_to_pdf
from clusterdesk.form.example import example_application

from .helpers import docx_text, needs_pdf_tools, pdf_pages


def headers_of(data: bytes) -> list[str]:
    """The text of every header of every section (default, first page, even pages)."""
    document = Document(io.BytesIO(data))
    texts = []
    for section in document.sections:
        for header in (section.header, section.first_page_header, section.even_page_header):
            texts.append("".join(p.text for p in header.paragraphs))
    return texts


@pytest.fixture(scope="module")
def draft_docx() -> bytes:
    return render_attachment2(example_application(), draft=DraftMark(errors=7))


@pytest.fixture(scope="module")
def final_docx() -> bytes:
    return render_attachment2(example_application())


def test_every_section_of_a_draft_has_the_mark_in_its_page_header(draft_docx):
    document = Document(io.BytesIO(draft_docx))
    assert document.sections  # the mark is checked in each, however many there are
    for section in document.sections:
        assert not section.header.is_linked_to_previous
        assert "草稿" in "".join(p.text for p in section.header.paragraphs)
        if section.different_first_page_header_footer:
            assert "草稿" in "".join(p.text for p in section.first_page_header.paragraphs)


def test_the_cover_of_a_draft_counts_the_open_errors(draft_docx):
    cover = [p.text for p in Document(io.BytesIO(draft_docx)).paragraphs[:6]]
    assert "草稿 · 尚有 7 处错误未改正，不是正式申报材料" in cover


def test_a_draft_without_errors_still_says_it_is_not_the_filed_form():
    data = render_attachment2(example_application(), draft=DraftMark(errors=0))
    assert "草稿 · 暂无未改正的错误，尚未提交，不是正式申报材料" in docx_text(data)
    assert "草稿" in headers_of(data)[0]


def test_the_filed_form_carries_no_draft_mark(final_docx):
    assert not any("草稿" in text for text in headers_of(final_docx))
    assert "草稿" not in docx_text(final_docx)


def test_the_mark_is_not_read_back_as_data(draft_docx, final_docx):
    assert parse_attachment2(draft_docx).application == parse_attachment2(final_docx).application


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory, draft_docx, final_docx):
    work = tmp_path_factory.mktemp("draft-mark")
    (work / "draft.docx").write_bytes(draft_docx)
    (work / "final.docx").write_bytes(final_docx)
    draft, final = convert_to_pdf([work / "draft.docx", work / "final.docx"], work / "pdf")
    return pdf_pages(draft), pdf_pages(final)


@pytest.mark.pdf
@needs_pdf_tools
def test_every_page_of_a_draft_pdf_says_draft(pdfs):
    draft, _ = pdfs
    assert len(draft) > 30
    unmarked = [number for number, page in enumerate(draft, 1) if "草稿" not in page]
    assert unmarked == []
    assert "尚有 7 处错误未改正" in draft[0]


@pytest.mark.pdf
@needs_pdf_tools
def test_no_page_of_the_filed_pdf_says_draft(pdfs):
    _, final = pdfs
    assert len(final) > 30
    assert [number for number, page in enumerate(final, 1) if "草稿" in page] == []
