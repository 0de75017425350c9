"""Opening an untrusted .docx safely: every way a file can be wrong ends in a Chinese message.

A .docx is a ZIP of XML parts. Before python-docx sees a byte, the file is checked here: its size,
that it is a ZIP at all (an encrypted Word file or an old .doc is an OLE2 compound file instead),
the number of entries, their total uncompressed size and each entry's compression ratio (a ZIP
bomb is a small file that inflates to gigabytes), the parts a Word document cannot do without,
and every XML part against DTDs and entity declarations (billion laughs, XXE) with defusedxml.
The declared sizes can be trusted as upper bounds: ``zipfile`` never reads past an entry's
declared size and fails the CRC check when the content differs.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

import docx
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError
from docx.document import Document

from .errors import DocumentInputError

MB = 1024 * 1024
MAX_DOCX_BYTES = 50 * MB  # a filled form with photos of seals is a few MB
MAX_ENTRIES = 1000  # a Word file has 10–50 parts, a few hundred with many images
MAX_UNCOMPRESSED_BYTES = 300 * MB
MAX_RATIO = 100  # XML compresses 5–30×; a bomb compresses 1000× and more
RATIO_CHECKED_FROM = 1 * MB  # tiny entries may compress oddly without harm
REQUIRED_PARTS = ("[Content_Types].xml", "word/document.xml")

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
DEFAULT_NAME = "上传的文件"

UNSAFE_XML = "包含不安全的 XML 内容（实体声明）"
ENCRYPTED_OR_DOC = "文件已加密（设有打开密码）或为旧版 .doc 格式，请另存为 .docx 后再导入"
NOT_DOCX = "不是 Word 文档（.docx）"

# Other ZIP-based formats people upload by mistake, recognised by a part only they have.
_OTHER_FORMATS = {
    "xl/workbook.xml": "Excel 表格（.xlsx）",
    "ppt/presentation.xml": "PowerPoint 演示文稿（.pptx）",
    "content.xml": "OpenDocument 文档（如 WPS/LibreOffice 的 .odt）",
}


def check_size(size: int, name: str = DEFAULT_NAME, limit: int | None = None) -> None:
    """Refuse a file by its size alone, before reading it (for uploads and paths)."""
    limit = MAX_DOCX_BYTES if limit is None else limit
    if size > limit:
        raise DocumentInputError(
            f"文件 {name} 过大（{size / MB:.1f} MB），超过 {limit // MB} MB 的上限"
        )
    if size == 0:
        raise DocumentInputError(f"文件 {name} 是空文件")


def read_source(source: bytes | Path, name: str | None = None) -> tuple[bytes, str]:
    """The bytes of a file or upload, refused by size before they are read."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        label = name or DEFAULT_NAME
        check_size(len(data), label)
        return data, label
    path = Path(source)
    label = name or path.name
    try:
        if not path.is_file():
            raise DocumentInputError(f"找不到文件：{path}")
        check_size(path.stat().st_size, label)
        return path.read_bytes(), label
    except OSError as exc:
        raise DocumentInputError(f"无法读取文件 {label}：{exc.strerror or exc}") from exc


def open_docx(source: bytes | Path, name: str | None = None) -> Document:
    """A python-docx Document from an untrusted file, or ``DocumentInputError`` saying why not."""
    data, label = read_source(source, name)
    check_docx_bytes(data, label)
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx and lxml raise many types; all mean "not usable"
        if "not a Word file" in str(exc):
            raise DocumentInputError(f"文件 {label} {NOT_DOCX}（内容类型不是 Word 文档）") from exc
        raise DocumentInputError(
            f"文件 {label} 已损坏，无法作为 Word 文档打开（{type(exc).__name__}）"
        ) from exc


def check_docx_bytes(data: bytes, name: str = DEFAULT_NAME) -> None:
    """All the structural and XML checks of ``open_docx``, without opening the document."""
    if data.startswith(OLE2_MAGIC):
        raise DocumentInputError(f"文件 {name} 无法读取：{ENCRYPTED_OR_DOC}")
    if not data.startswith(ZIP_MAGIC):
        kind = "PDF 文件" if data.startswith(b"%PDF") else "无法识别的文件格式"
        raise DocumentInputError(f"文件 {name} {NOT_DOCX}：{kind}，请上传 .docx 格式的申报表")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_entries(infos, name)
            _check_parts({info.filename for info in infos}, name)
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels")):
                    _check_xml(archive, info, name)
    except DocumentInputError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise DocumentInputError(
            f"文件 {name} 已损坏或不完整（压缩结构无效），无法读取，请重新保存后再上传"
        ) from exc
    except (NotImplementedError, RuntimeError) as exc:  # unknown compression, encrypted entry
        raise DocumentInputError(f"文件 {name} 无法读取：{ENCRYPTED_OR_DOC}") from exc


def _check_entries(infos: list[zipfile.ZipInfo], name: str) -> None:
    if len(infos) > MAX_ENTRIES:
        raise DocumentInputError(
            f"文件 {name} 内部条目过多（{len(infos)} 个，上限 {MAX_ENTRIES}），不是正常的 Word 文档"
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise DocumentInputError(f"文件 {name} 无法读取：{ENCRYPTED_OR_DOC}")
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= RATIO_CHECKED_FROM and ratio > MAX_RATIO:
            raise DocumentInputError(
                f"文件 {name} 疑似压缩炸弹：条目 {info.filename} 解压后为压缩前的 {ratio:.0f} 倍"
                f"（上限 {MAX_RATIO} 倍），已拒绝"
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise DocumentInputError(
            f"文件 {name} 疑似压缩炸弹：解压后共 {total / MB:.0f} MB，"
            f"超过 {MAX_UNCOMPRESSED_BYTES // MB} MB 的上限，已拒绝"
        )


def _check_parts(names: set[str], name: str) -> None:
    missing = [part for part in REQUIRED_PARTS if part not in names]
    if not missing:
        return
    for marker, kind in _OTHER_FORMATS.items():
        if marker in names:
            raise DocumentInputError(
                f"文件 {name} {NOT_DOCX}，而是 {kind}，请上传 .docx 格式的申报表"
            )
    raise DocumentInputError(f"文件 {name} {NOT_DOCX}：缺少必要的部件 {'、'.join(missing)}")


class _Discard:
    """A parser target that builds nothing: the XML is only scanned."""

    def close(self) -> None:
        return None


def _check_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
    parser = DefusedXMLParser(target=_Discard(), forbid_dtd=True)
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(1 * MB):
                parser.feed(chunk)
        parser.close()
    except DefusedXmlException as exc:
        raise DocumentInputError(f"文件 {name} {UNSAFE_XML}，已拒绝（{info.filename}）") from exc
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise DocumentInputError(
            f"文件 {name} 已损坏：{info.filename} 不是有效的 XML（第 {line} 行第 {column} 列）"
        ) from exc
