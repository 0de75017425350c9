"""What an accepted kind of file may not carry: the checks after its kind is known (no Django).

``sniffing.check_file`` knows what a file is; this module asks whether it is *only* that:

- PDF: no scripts, automatic actions, embedded files or XFA (``pdfcheck``, out of process),
  and not also a web page or an archive (``polyglot``).
- Images: not also a web page, a script or an archive (``polyglot``).
- DOCX, XLSX, OFD (ZIP containers): not a ZIP bomb — the entry count, total unpacked size and
  ratio checks of the Word import (``documents.safety``), with limits for evidence — and no
  relationship that makes Office fetch something from the network when the file is opened
  (a remote template or object: the way macros are smuggled in past a macro check).

Macros themselves (VBA, Excel 4.0 macro sheets, ActiveX) are found by ``sniffing`` from the
member names. DOC, XLS and OFD content is not parsed: they are only downloaded.
"""

from __future__ import annotations

import re
import zipfile
from typing import BinaryIO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from clusterdesk.documents.errors import DocumentInputError
from clusterdesk.documents.safety import _check_entries
from clusterdesk.evidence import pdfcheck, polyglot

MB = 1 << 20
# Evidence limits for ZIP containers (uploads are at most CLUSTERDESK_EVIDENCE_MAX_MB, 20 MB):
# a spreadsheet's XML packs 10–20× (100,000 rows of figures: 32 MB in 2 MB), so 500 MB unpacked
# leaves room for any real workbook; a bomb packs 1000× and more, which the ratio limit of the
# Word import (100×, for entries from 1 MB) refuses on its own.
OFFICE_MAX_ENTRIES = 2_000  # a Word file with many pictures has a few hundred
OFFICE_MAX_UNCOMPRESSED = 500 * MB
MAX_RELS_BYTES = 1 * MB  # a relationships part is a few KB

IMAGE_KINDS = frozenset({"jpeg", "png", "gif", "webp"})
ZIP_KINDS = frozenset({"docx", "xlsx", "ofd"})
LABELS = {"docx": "Word 文档", "xlsx": "Excel 工作簿", "ofd": "OFD 文件"}


def content_problem(kind: str, name: str, stream: BinaryIO) -> str | None:
    """None if a file already known to be of ``kind`` may be accepted, else a Chinese message
    naming it."""
    if kind in ZIP_KINDS:
        return _zip_problem(name, stream, LABELS[kind])
    if kind != "pdf" and kind not in IMAGE_KINDS:
        return None
    stream.seek(0)
    data = stream.read()
    stream.seek(0)
    what = "PDF 文件" if kind == "pdf" else "图片"
    if markup := polyglot.active_html(data):
        return (
            f"“{name}”既是{what}又是网页（夹带了网页代码 {markup}…），不予接收："
            "请重新导出或另存后上传。"
        )
    # A PDF is text-like enough to lex as a script; it cannot be one (it starts with "%").
    if kind in IMAGE_KINDS and polyglot.could_be_javascript(data):
        return f"“{name}”既是图片又是一段 JavaScript 脚本，不予接收：请重新保存该图片后上传。"
    if polyglot.is_zip(data):
        return f"“{name}”的末尾附带了一个压缩包，不予接收：请重新导出或另存后上传。"
    if kind == "pdf":
        return pdfcheck.check_pdf(name, data)
    return None


def _zip_problem(name: str, stream: BinaryIO, label: str) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            if any(info.flag_bits & 0x1 for info in infos):
                return f"“{name}”的内容已加密，无法检查，未上传：请上传未加密的文件。"
            _check_entries(
                infos,
                f"“{name}”",
                max_entries=OFFICE_MAX_ENTRIES,
                max_total=OFFICE_MAX_UNCOMPRESSED,
            )
            return _remote_content(name, archive, infos)
    except DocumentInputError as refused:  # its messages speak of Word documents
        return refused.message.replace("Word 文档", label)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
        return f"“{name}”已损坏（压缩结构无效），未上传：请重新保存后上传。"
    finally:
        stream.seek(0)


# Relationships that Office follows by itself on opening. A hyperlink is followed only on a
# click and stays allowed; so does a template on the author's own disk ("C:\…\Normal.dotm").
_FETCHED = ("attachedTemplate", "oleObject", "frame", "subDocument", "image", "externalLinkPath")
_LOCAL_PATH = re.compile(r"^(?:file:///)?[A-Za-z]:[\\/]|^[^:\\/]+(?:[\\/][^:\\/]+)*$")
_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def _remote_content(
    name: str, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]
) -> str | None:
    for info in infos:
        if not info.filename.endswith(".rels") or info.file_size > MAX_RELS_BYTES:
            continue
        try:
            root = fromstring(archive.read(info), forbid_dtd=True)
        except (ParseError, DefusedXmlException):
            return f"“{name}”中的 {info.filename} 不是有效的 XML，未上传：请重新保存后上传。"
        for relation in root.iter(_RELS_NS):
            kind = relation.get("Type", "").rsplit("/", 1)[-1]
            target = relation.get("Target", "").strip()
            if (
                relation.get("TargetMode") == "External"
                and kind in _FETCHED
                and not _LOCAL_PATH.match(target)
            ):
                shown = target if len(target) <= 60 else target[:57] + "…"
                return (
                    f"“{name}”在打开时会自动从外部地址加载内容（{shown}），不予接收："
                    "请去掉外部模板或链接的对象（改为嵌入）后另存上传。"
                )
    return None
