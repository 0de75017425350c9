"""Small PDFs standing in for the demo applications' evidence (佐证材料).

Each is one A4 page naming the file, the form item it proves and the application, and saying
that it is demo data. The text uses Adobe's standard Chinese font STSong-Light, which every PDF
reader (and pdfium, which draws the previews) supplies itself, so nothing is embedded and a file
is about 1.5 KB. The files are built with pikepdf (qpdf), deterministically: seeding twice gives
the same bytes, so the blob store keeps each file once.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import pikepdf
from pikepdf import Array, Dictionary, Name, String

A4 = (595, 842)  # points
LEFT, TOP = 72, 760
NOTICE = "演示数据：本文件由系统自动生成，用于试用下载、预览和打包，不是真实的佐证材料。"


def _font(pdf: pikepdf.Pdf) -> pikepdf.Object:
    descriptor = Dictionary(
        Type=Name.FontDescriptor,
        FontName=Name("/STSong-Light"),
        Flags=6,
        FontBBox=Array([-25, -254, 1000, 880]),
        ItalicAngle=0,
        Ascent=880,
        Descent=-120,
        CapHeight=880,
        StemV=93,
    )
    cid_font = Dictionary(
        Type=Name.Font,
        Subtype=Name.CIDFontType0,
        BaseFont=Name("/STSong-Light"),
        CIDSystemInfo=Dictionary(Registry=String("Adobe"), Ordering=String("GB1"), Supplement=2),
        FontDescriptor=descriptor,
        DW=1000,
    )
    return pdf.make_indirect(
        Dictionary(
            Type=Name.Font,
            Subtype=Name.Type0,
            BaseFont=Name("/STSong-Light"),
            Encoding=Name("/UniGB-UCS2-H"),  # two bytes per character: UCS-2, big-endian
            DescendantFonts=Array([cid_font]),
        )
    )


def _show(text: str, size: int, y: int) -> str:
    return f"BT /F1 {size} Tf {LEFT} {y} Td <{text.encode('utf-16-be').hex()}> Tj ET"


def _wrapped(text: str, width: int) -> list[str]:
    """Chinese text in lines of ``width`` characters (no word breaks to respect)."""
    return [text[start : start + width] for start in range(0, len(text), width)] or [""]


def demo_pdf(title: str, lines: Sequence[str]) -> bytes:
    """A one-page PDF: ``title`` large, then ``lines`` and the demo notice."""
    pdf = pikepdf.new()
    operations = [_show(title, 18, TOP)]
    y = TOP - 40
    for line in (*lines, "", NOTICE):
        for part in _wrapped(line, 38):
            if part:
                operations.append(_show(part, 11, y))
            y -= 18
    page = pikepdf.Page(
        Dictionary(
            Type=Name.Page,
            MediaBox=Array([0, 0, *A4]),
            Resources=Dictionary(Font=Dictionary(F1=_font(pdf))),
            Contents=pdf.make_stream("\n".join(operations).encode("ascii")),
        )
    )
    pdf.pages.append(page)
    pdf.docinfo[Name.Title] = title
    pdf.docinfo[Name.Producer] = "clusterdesk demo"
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()
