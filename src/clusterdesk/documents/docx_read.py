"""A filled Word form as the importer sees it: regions (cover, parts, appendices) of paragraphs and
table rows, each row a list of distinct cells.

Works on the XML directly, which is both faster than python-docx's proxies and sees what people
really put into forms: merged cells (one cell however many grid columns or rows it spans),
symbols inserted from Wingdings, legacy and content-control checkboxes, tracked insertions,
content controls around cells and paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from docx.oxml.ns import qn
from lxml import etree

from .normalise import norm

_T, _TAB, _BR, _CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_SYM, _CHECKBOX, _P, _TBL, _TR, _TC = (
    qn("w:sym"),
    qn("w:checkBox"),
    qn("w:p"),
    qn("w:tbl"),
    qn("w:tr"),
    qn("w:tc"),
)
_SDT, _SDT_CONTENT, _CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
_WRAPPERS = (_SDT, _CUSTOM_XML, qn("w:ins"), qn("w:smartTag"))

# Symbol fonts: Word's Insert Symbol writes the glyph's code in the font, not the Unicode char.
_WINGDINGS = {
    0xFE: "☑",
    0xFD: "☒",
    0xFC: "✓",
    0xFB: "☒",
    0xA8: "□",
    0x6F: "□",
    0x71: "□",
    0x6E: "■",
    0xA7: "■",
}
_WINGDINGS2 = {0x52: "☑", 0x54: "☒", 0x50: "✓", 0xA3: "□", 0x2A: "□", 0x51: "☒"}
NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|\d+[、.．]|[（(][一二三四五六七八九十\d]+[）)])"
)


def _symbol(font: str | None, code: int) -> str:
    font = (font or "").lower()
    table = _WINGDINGS2 if "wingdings 2" in font else _WINGDINGS if "wingdings" in font else None
    if table is None:
        return chr(code) if code < 0xF000 else ""
    return table.get(code & 0xFF, "")


def _run_font(element: etree._Element) -> str | None:
    run = element.getparent()
    fonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}") if run is not None else None
    if fonts is None:
        return None
    return fonts.get(qn("w:ascii")) or fonts.get(qn("w:hAnsi")) or fonts.get(qn("w:eastAsia"))


def paragraph_text(p: etree._Element) -> str:
    out: list[str] = []
    for element in p.iter(_T, _TAB, _BR, _CR, _SYM, _CHECKBOX):
        tag = element.tag
        if tag == _T:
            text = element.text or ""
            font = _run_font(element)
            if font and "wingdings" in font.lower():
                text = "".join(_symbol(font, ord(char)) for char in text)
            out.append(text)
        elif tag == _TAB:
            if element.getparent().tag != qn("w:tabs"):  # a tab stop definition is not text
                out.append("\t")
        elif tag in (_BR, _CR):
            if element.get(qn("w:type")) in (None, "textWrapping"):
                out.append("\n")
        elif tag == _SYM:
            out.append(_symbol(element.get(qn("w:font")), int(element.get(qn("w:char"), "0"), 16)))
        else:  # a legacy form checkbox: w:checked, else its default
            checked = element.find(qn("w:checked"))
            if checked is None:
                checked = element.find(qn("w:default"))
            on = checked is not None and checked.get(qn("w:val"), "1") not in ("0", "false")
            out.append("☑" if on else "□")
    return "".join(out)


@dataclass(eq=False)
class Cell:
    key: int  # identity of the underlying w:tc: a merged cell is one Cell
    paras: list[str]

    @cached_property
    def text(self) -> str:
        return "\n".join(self.paras)

    @cached_property
    def norm(self) -> str:
        return norm(self.text)


@dataclass(eq=False)
class Row:
    cells: list[Cell]
    table: int
    index: int
    used: bool = False


@dataclass
class Region:
    key: str
    heading: str | None
    paragraphs: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    # paragraphs and tables in document order: ("p", text) or ("t", rows)
    blocks: list[tuple[str, object]] = field(default_factory=list)


def _children(element: etree._Element) -> Iterator[etree._Element]:
    """Block-level children, looking through content controls and other wrappers."""
    for child in element:
        if child.tag in _WRAPPERS:
            content = child.find(_SDT_CONTENT) if child.tag == _SDT else child
            if content is not None:
                yield from _children(content)
        else:
            yield child


def read_table(tbl: etree._Element, number: int) -> list[Row]:
    rows: list[Row] = []
    above: dict[int, Cell] = {}  # grid column → the cell there in the row above
    for index, tr in enumerate(child for child in _children(tbl) if child.tag == _TR):
        before = tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
        column = int(before.get(qn("w:val"), "0")) if before is not None else 0
        cells: list[Cell] = []
        here: dict[int, Cell] = {}
        for tc in (child for child in _children(tr) if child.tag == _TC):
            props = tc.find(qn("w:tcPr"))
            span, merge = 1, None
            if props is not None:
                grid_span = props.find(qn("w:gridSpan"))
                span = int(grid_span.get(qn("w:val"), "1")) if grid_span is not None else 1
                v_merge = props.find(qn("w:vMerge"))
                merge = v_merge.get(qn("w:val"), "continue") if v_merge is not None else None
            cell = above.get(column) if merge == "continue" else None
            if cell is None:
                cell = Cell(id(tc), [paragraph_text(p) for p in tc.iter(_P)])
            if not cells or cells[-1] is not cell:
                cells.append(cell)
            for offset in range(span):
                here[column + offset] = cell
            column += span
        above = here
        rows.append(Row(cells, number, index))
    return rows


def is_heading(text: str, title: str) -> bool:
    """Whether a paragraph is a heading: the title, or the title without its numbering when
    the paragraph has none (numbering made by Word's list feature is not in the text)."""
    have, want = norm(text), norm(title)
    if have == want:
        return True
    if len(have) > len(want) or NUMBERING.match(have):
        return False
    return bool(have) and have == NUMBERING.sub("", want)


def read_regions(body: etree._Element, titles: dict[str, str]) -> dict[str, Region]:
    """Split the body at the given headings (key → title); text before the first is "cover"."""
    regions = {"cover": Region("cover", None)}
    current = regions["cover"]
    pending = dict(titles)
    table_number = 0
    for child in _children(body):
        if child.tag == _P:
            text = paragraph_text(child)
            key = next((k for k, t in pending.items() if is_heading(text, t)), None)
            if key is not None:
                del pending[key]
                current = regions[key] = Region(key, text)
                continue
            current.paragraphs.append(text)
            current.blocks.append(("p", text))
        elif child.tag == _TBL:
            rows = read_table(child, table_number)
            table_number += 1
            current.rows.extend(rows)
            current.blocks.append(("t", rows))
    return regions
