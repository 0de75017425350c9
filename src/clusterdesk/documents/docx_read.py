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

from . import deadline
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
# Names looked up for every row and cell: computed once (qn splits and joins each time).
_TR_PR_GRID_BEFORE = f"{qn('w:trPr')}/{qn('w:gridBefore')}"
_TC_PR, _GRID_SPAN, _V_MERGE = qn("w:tcPr"), qn("w:gridSpan"), qn("w:vMerge")
_VAL = qn("w:val")
_FONTS = f"{qn('w:rPr')}/{qn('w:rFonts')}"
_FONT_ATTRIBUTES = (qn("w:ascii"), qn("w:hAnsi"), qn("w:eastAsia"))
_TABS, _TYPE, _FONT, _CHAR = qn("w:tabs"), qn("w:type"), qn("w:font"), qn("w:char")
_CHECKED, _DEFAULT = qn("w:checked"), qn("w:default")
# Word tables have at most 63 grid columns. Vertical merges are followed only that far, so that a
# hostile span (one attribute could ask for millions of grid positions) costs nothing more.
MAX_GRID = 64


def _number(text: str | None, default: int, *, base: int = 10) -> int:
    """An attribute as a non-negative int; a value that is not a number counts as ``default``."""
    try:
        value = int(text[:16], base) if text is not None else default
    except ValueError:
        value = default
    return max(value, 0)


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
    fonts = run.find(_FONTS) if run is not None else None
    if fonts is None:
        return None
    ascii_font, latin, east_asian = (fonts.get(name) for name in _FONT_ATTRIBUTES)
    return ascii_font or latin or east_asian


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
            if element.getparent().tag != _TABS:  # a tab stop definition is not text
                out.append("\t")
        elif tag in (_BR, _CR):
            if element.get(_TYPE) in (None, "textWrapping"):
                out.append("\n")
        elif tag == _SYM:
            out.append(_symbol(element.get(_FONT), _number(element.get(_CHAR), 0, base=16)))
        else:  # a legacy form checkbox: w:checked, else its default
            checked = element.find(_CHECKED)
            if checked is None:
                checked = element.find(_DEFAULT)
            on = checked is not None and checked.get(_VAL, "1") not in ("0", "false")
            out.append("☑" if on else "□")
    return "".join(out)


@dataclass(eq=False)
class Cell:
    key: int  # identity of the underlying w:tc: a merged cell is one Cell
    paras: list[str]
    column: int = 0  # the first grid column the cell covers
    span: int = 1  # how many grid columns it covers (w:gridSpan)

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
        before = tr.find(_TR_PR_GRID_BEFORE)
        column = _number(before.get(_VAL), 0) if before is not None else 0
        cells: list[Cell] = []
        here: dict[int, Cell] = {}
        for tc in (child for child in _children(tr) if child.tag == _TC):
            deadline.check()
            props = tc.find(_TC_PR)
            span, merge = 1, None
            if props is not None:
                grid_span = props.find(_GRID_SPAN)
                span = _number(grid_span.get(_VAL), 1) if grid_span is not None else 1
                v_merge = props.find(_V_MERGE)
                merge = v_merge.get(_VAL, "continue") if v_merge is not None else None
            cell = above.get(column) if merge == "continue" else None
            if cell is None:
                cell = Cell(id(tc), [paragraph_text(p) for p in tc.iter(_P)], column, span)
            if not cells or cells[-1] is not cell:
                cells.append(cell)
            for position in range(column, min(column + span, MAX_GRID)):
                here[position] = cell
            column += span
        above = here
        rows.append(Row(cells, number, index))
    return rows


def is_heading(text: str, title: str) -> bool:
    """Whether a paragraph is a heading: the title, or the title without its numbering when
    the paragraph has none (numbering made by Word's list feature is not in the text)."""
    return _is_heading(norm(text), norm(title))


def _is_heading(have: str, want: str) -> bool:
    """``is_heading`` on normalised text (each paragraph is normalised once, not per title)."""
    if have == want:
        return True
    if len(have) > len(want) or NUMBERING.match(have):
        return False
    return bool(have) and have == NUMBERING.sub("", want)


def _is_box(tbl: etree._Element) -> bool:
    """A bordered box: a table of one column (the notice's part 八 is one cell holding its
    headings, texts and the targets table). Its content reads as if it stood in the body."""
    rows = [child for child in _children(tbl) if child.tag == _TR]
    return bool(rows) and all(
        len([cell for cell in _children(tr) if cell.tag == _TC]) == 1 for tr in rows
    )


def _nested_tables(tbl: etree._Element) -> Iterator[etree._Element]:
    """Tables inside the cells of ``tbl`` (not inside those tables), in document order."""
    for tr in _children(tbl):
        if tr.tag != _TR:
            continue
        for tc in _children(tr):
            if tc.tag == _TC:
                yield from (child for child in _children(tc) if child.tag == _TBL)


class _Splitter:
    """Splits a body into regions at the given headings, looking into boxes and nested tables:
    a heading inside a one-column box starts a region as one in the body does."""

    def __init__(self, titles: dict[str, str]) -> None:
        self.regions = {"cover": Region("cover", None)}
        self.current = self.regions["cover"]
        self.pending = {key: norm(title) for key, title in titles.items()}
        self.table_number = 0

    def walk(self, parent: etree._Element, depth: int = 0) -> None:
        for child in _children(parent):
            deadline.check()
            if child.tag == _P:
                self.paragraph(child)
            elif child.tag == _TBL:
                self.table(child, depth)

    def paragraph(self, element: etree._Element) -> None:
        text = paragraph_text(element)
        have = norm(text)
        key = next((k for k, want in self.pending.items() if _is_heading(have, want)), None)
        if key is not None:
            del self.pending[key]
            self.current = self.regions[key] = Region(key, text)
            return
        self.current.paragraphs.append(text)
        self.current.blocks.append(("p", text))

    def table(self, tbl: etree._Element, depth: int) -> None:
        # Word allows tables in cells in tables …; a few levels is all a form has, and a
        # hostile file must not make the walk deep (the XML size limits bound the rest).
        if depth >= MAX_NESTING:
            return
        if _is_box(tbl):
            for tr in _children(tbl):
                for tc in _children(tr) if tr.tag == _TR else ():
                    if tc.tag == _TC:
                        self.walk(tc, depth + 1)
            return
        rows = read_table(tbl, self.table_number)
        self.table_number += 1
        self.current.rows.extend(rows)
        self.current.blocks.append(("t", rows))
        for nested in _nested_tables(tbl):
            self.table(nested, depth + 1)


MAX_NESTING = 8


def read_regions(body: etree._Element, titles: dict[str, str]) -> dict[str, Region]:
    """Split the body at the given headings (key → title); text before the first is "cover".

    A one-column table (a bordered box) is read as its paragraphs and tables, so headings and
    tables inside it count as if in the body; a table nested in a cell of another table is
    read as a table of its own, after the one holding it (its text also stays in its cell).
    """
    splitter = _Splitter(titles)
    splitter.walk(body)
    return splitter.regions
