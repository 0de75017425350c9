"""Page, fonts and the WordprocessingML the official documents are built from.

The body is written as XML text and parsed once: building a 400-row 清单 through python-docx's
object API takes seconds, the string takes milliseconds. Every table row is ``cantSplit`` (a row
never breaks across pages) and rows of a merged label group are kept with the next row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Mm
from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# 仿宋_GB2312 and 宋体 are what county bureaus' Word has; elsewhere (LibreOffice on a server) the
# font table's altName and fontconfig lead to Noto CJK.
FONT_BODY = "仿宋_GB2312"
FONT_TABLE = "宋体"
FONT_TITLE = "黑体"
FALLBACK_SERIF = "Noto Serif CJK SC"
FALLBACK_SANS = "Noto Sans CJK SC"
FONT_LATIN = "Times New Roman"
# Codes (SHA-256) in a fixed-width font: every fallback (Liberation Mono, DejaVu Sans Mono) has
# the same 0.6 em advance, so a column sized for it holds the code on one line on any machine.
FONT_MONO = "Courier New"

SIZE_TITLE = 44  # half-points: 二号
SIZE_HEADING = 32  # 三号
SIZE_BODY = 28  # 四号
SIZE_TABLE = 21  # 五号

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM = Cm(2.54), Cm(2.54)
MARGIN_LEFT, MARGIN_RIGHT = Cm(2.8), Cm(2.6)
TEXT_WIDTH = int((PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / 635)  # twips

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text_xml(text: str) -> str:
    """Runs' inner XML for a text: line breaks become <w:br/>, tabs <w:tab/>."""
    parts = []
    for number, line in enumerate(_ILLEGAL_XML.sub("", text).split("\n")):
        if number:
            parts.append("<w:br/>")
        for index, chunk in enumerate(line.split("\t")):
            if index:
                parts.append("<w:tab/>")
            if chunk:
                parts.append(f'<w:t xml:space="preserve">{escape(chunk)}</w:t>')
    return "".join(parts)


def run(
    text: str,
    *,
    bold: bool = False,
    size: int | None = None,
    font: str | None = None,
    mono: bool = False,
) -> str:
    props = []
    if mono:
        props.append(f'<w:rFonts w:ascii="{FONT_MONO}" w:hAnsi="{FONT_MONO}"/>')
    elif font:
        props.append(f'<w:rFonts w:eastAsia="{font}"/>')
    if bold:
        props.append("<w:b/><w:bCs/>")
    if size:
        props.append(f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>')
    rpr = f"<w:rPr>{''.join(props)}</w:rPr>" if props else ""
    return f"<w:r>{rpr}{_text_xml(text)}</w:r>"


def paragraph(
    text: str = "",
    *,
    bold: bool = False,
    size: int | None = None,
    font: str | None = None,
    align: str | None = None,
    page_break: bool = False,
    keep_next: bool = False,
    indent: bool = False,
    space_before: int = 0,
) -> str:
    props = []
    if keep_next:
        props.append("<w:keepNext/>")
    if page_break:
        props.append("<w:pageBreakBefore/>")
    props.append(f'<w:spacing w:before="{space_before}" w:after="0"/>')
    if indent:
        props.append('<w:ind w:firstLineChars="200" w:firstLine="560"/>')
    if align:
        props.append(f'<w:jc w:val="{align}"/>')
    body = run(text, bold=bold, size=size, font=font) if text else ""
    return f"<w:p><w:pPr>{''.join(props)}</w:pPr>{body}</w:p>"


@dataclass(frozen=True)
class Cell:
    """A table cell: its paragraphs, how many grid columns it spans, its vertical merge."""

    lines: Sequence[str] = ()
    span: int = 1
    merge: str | None = None  # "restart" starts a vertical merge, "continue" carries it on
    bold: bool = False
    center: bool = False
    size: int = SIZE_TABLE  # half-points; smaller for a long code that must stay on one line
    mono: bool = False  # digits and Latin letters in the fixed-width font (codes)


def cell_xml(cell: Cell, width: int, keep_next: bool) -> str:
    props = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if cell.span > 1:
        props.append(f'<w:gridSpan w:val="{cell.span}"/>')
    if cell.merge == "restart":
        props.append('<w:vMerge w:val="restart"/>')
    elif cell.merge == "continue":
        props.append("<w:vMerge/>")
    props.append('<w:vAlign w:val="center"/>')
    ppr = "<w:keepNext/>" if keep_next else ""
    ppr += '<w:spacing w:before="0" w:after="0"/>'
    if cell.center:
        ppr += '<w:jc w:val="center"/>'
    lines = list(cell.lines) if cell.merge != "continue" else []
    paras = "".join(
        f"<w:p><w:pPr>{ppr}</w:pPr>"
        f"{run(line, bold=cell.bold, size=cell.size, mono=cell.mono) if line else ''}</w:p>"
        for line in lines or [""]
    )
    return f"<w:tc><w:tcPr>{''.join(props)}</w:tcPr>{paras}</w:tc>"


def table(
    widths: Sequence[int],
    rows: Sequence[Sequence[Cell]],
    *,
    header_rows: int = 0,
    keep: Sequence[bool] = (),
) -> str:
    """A bordered table. ``keep[i]`` keeps row i on the page of row i+1 (merged groups)."""
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    border = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'
    borders = "".join(
        f"<w:{side} {border}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    out = [
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>'
        f"</w:tblCellMar></w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
    ]
    for index, cells in enumerate(rows):
        header = "<w:tblHeader/>" if index < header_rows else ""
        keep_next = index < len(keep) and keep[index]
        out.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>")
        column = 0
        for cell in cells:
            width = sum(widths[column : column + cell.span])
            out.append(cell_xml(cell, width, keep_next))
            column += cell.span
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def part_heading(title: str) -> str:
    """A part's heading: always on a new page (一至七部分不得串页)."""
    return paragraph(
        title, bold=True, size=SIZE_HEADING, font=FONT_TITLE, page_break=True, keep_next=True
    )


def append_body(document: Document, xml: str) -> None:
    """Replace the (empty) body with ``xml`` and the section properties, parsed in one go.

    Parsing the whole body as one tree and swapping it in is a single move; moving hundreds of
    parsed children one by one into the document costs seconds in lxml.
    """
    old = document.element.body
    section = old.find(qn("w:sectPr"))
    tail = etree.tostring(section, encoding="unicode") if section is not None else ""
    body = parse_xml(f'<w:body xmlns:w="{W_NS}">{xml}{tail}</w:body>')
    document.element.replace(old, body)


def setup(document: Document) -> None:
    """A4 portrait, official margins, Chinese fonts with their fallbacks, zh-CN language."""
    for section in document.sections:
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
        section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    for child in list(rpr):
        rpr.remove(child)
    rpr.append(
        etree.fromstring(
            f'<w:rFonts xmlns:w="{W_NS}" w:ascii="{FONT_LATIN}" w:hAnsi="{FONT_LATIN}" '
            f'w:eastAsia="{FONT_BODY}" w:cs="{FONT_LATIN}"/>'
        )
    )
    for xml in (
        f'<w:sz xmlns:w="{W_NS}" w:val="{SIZE_BODY}"/>',
        f'<w:szCs xmlns:w="{W_NS}" w:val="{SIZE_BODY}"/>',
        f'<w:lang xmlns:w="{W_NS}" w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>',
    ):
        rpr.append(etree.fromstring(xml))
    _add_font_fallbacks(document)


def _add_font_fallbacks(document: Document) -> None:
    part = document.part.part_related_by(RT.FONT_TABLE)
    fonts = etree.fromstring(part.blob)
    for name, fallback in (
        (FONT_BODY, FALLBACK_SERIF),
        (FONT_TABLE, FALLBACK_SERIF),
        (FONT_TITLE, FALLBACK_SANS),
    ):
        fonts.append(
            etree.fromstring(
                f'<w:font xmlns:w="{W_NS}" w:name="{name}"><w:altName w:val="{fallback}"/>'
                '<w:charset w:val="86"/><w:family w:val="roman"/><w:pitch w:val="variable"/>'
                "</w:font>"
            )
        )
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)
