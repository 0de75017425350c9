"""The draft mark of a printed form: 草稿 in the page header and the open errors on the cover.

A draft printed and left on a desk looks like the filed form; the mark says on every page that it
is not. It is a page header (not a line of the body) so that Word, WPS and LibreOffice's PDF all
repeat it on every page, and it is set in every section of the document, so that a section added
later (a landscape appendix) cannot lose it. Whether a document is a draft is the caller's
answer (the application's state); the renderer only prints what it is told.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from .docx_style import FONT_TITLE

DRAFT = "草稿"
HEADER_TEXT = f"{DRAFT} · 不是正式申报材料"


@dataclass(frozen=True)
class DraftMark:
    """A document printed from a draft (or a returned application being corrected)."""

    errors: int  # open errors (填报说明 rules) at the time of printing

    @property
    def cover_line(self) -> str:
        if self.errors:
            return f"{DRAFT} · 尚有 {self.errors} 处错误未改正，不是正式申报材料"
        return f"{DRAFT} · 暂无未改正的错误，尚未提交，不是正式申报材料"


def mark_every_page(document: Document, text: str = HEADER_TEXT) -> None:
    """``text`` (草稿 …) in the header of every section, the first page's and even pages'
    included. Another document than Attachment 2 names itself (草稿 · 不是正式报告)."""
    for section in document.sections:
        headers = [section.header]
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
        if document.settings.odd_and_even_pages_header_footer:
            headers.append(section.even_page_header)
        for header in headers:
            header.is_linked_to_previous = False
            paragraph = header.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(text)
            run.bold = True
            run.font.size = Pt(12)
            run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
            run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT_TITLE)
