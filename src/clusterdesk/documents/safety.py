"""Opening an untrusted .docx safely: every way a file can be wrong ends in a Chinese message.

A .docx is a ZIP of XML parts. Before python-docx sees a byte, the file is checked here: its size,
that it is a ZIP at all (an encrypted Word file or an old .doc is an OLE2 compound file instead),
the number of entries, their total uncompressed size and each entry's compression ratio (a ZIP
bomb is a small file that inflates to gigabytes), the parts a Word document cannot do without,
and every XML part against DTDs and entity declarations (billion laughs, XXE) with defusedxml's
defences. The declared sizes can be trusted as upper bounds: ``zipfile`` never reads past an entry's
declared size and fails the CRC check when the content differs.

The Word import (``open_document_body``) bounds its work further with ``ImportLimits``: the size
of each XML part and of all of them, the number of XML elements (counted while the parts are
scanned, so an oversized part is refused after a bounded amount of work), and a time budget
(``deadline``). It then parses only ``word/document.xml``: pictures and styles are never loaded.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

import docx
from defusedxml import (
    DefusedXmlException,
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)
from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

from . import deadline
from .errors import DocumentInputError

MB = 1024 * 1024
MAX_DOCX_BYTES = 50 * MB  # a filled form with photos of seals is a few MB
MAX_ENTRIES = 1000  # a Word file has 10–50 parts, a few hundred with many images
MAX_UNCOMPRESSED_BYTES = 300 * MB
MAX_RATIO = 100  # XML compresses 5–30×; a bomb compresses 1000× and more
RATIO_CHECKED_FROM = 1 * MB  # tiny entries may compress oddly without harm
REQUIRED_PARTS = ("[Content_Types].xml", "word/document.xml")
DOCUMENT_PART = "word/document.xml"


@dataclass(frozen=True)
class ImportLimits:
    """What reading one Word form may cost. A real filled form — the example, with 386 patents
    — has a 0.8 MB document.xml and 54,000 XML elements in all, and reads in 0.15 s; saved by
    LibreOffice, 1.7 MB and 70,000. The largest realistic one, 3,000 patents saved by
    LibreOffice, has 10.4 MB and 365,000 elements and reads in 1.4 s of CPU. Within these
    limits every file is read, or refused, in under 5 s and 300 MB (``clusterdesk.bench_import``).
    """

    file_bytes: int = MAX_DOCX_BYTES  # the web import refuses more while it streams in
    entries: int = MAX_ENTRIES
    total_bytes: int = 100 * MB  # all parts, uncompressed (pictures are never decompressed)
    xml_part_bytes: int = 16 * MB  # one XML part: 20× the example's document.xml
    xml_bytes: int = 24 * MB  # all XML parts together
    xml_elements: int = 500_000  # all XML parts together: 7× the example saved by LibreOffice
    seconds: float = 4.0  # the reading stops after this (``deadline``); each step is short


IMPORT_LIMITS = ImportLimits()

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


class NamedBytes(bytes):
    """An upload's content with its file name, so that every message names the file."""

    name: str

    def __new__(cls, data: bytes, name: str) -> NamedBytes:
        named = super().__new__(cls, data)
        named.name = name
        return named


def source_name(source: bytes | Path, name: str | None = None) -> str:
    if name:
        return name
    if isinstance(source, NamedBytes):
        return source.name or DEFAULT_NAME
    if isinstance(source, bytes | bytearray | memoryview):
        return DEFAULT_NAME
    return Path(source).name


def read_source(
    source: bytes | Path, name: str | None = None, limit: int | None = None
) -> tuple[bytes, str]:
    """The bytes of a file or upload, refused by size before they are read."""
    label = source_name(source, name)
    if isinstance(source, bytes | bytearray | memoryview):
        data = source if isinstance(source, bytes) else bytes(source)  # no copy of bytes
        check_size(len(data), label, limit)
        return data, label
    path = Path(source)
    try:
        if not path.is_file():
            raise DocumentInputError(f"找不到文件：{path}")
        check_size(path.stat().st_size, label, limit)
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


def open_document_body(
    source: bytes | Path, name: str | None = None, limits: ImportLimits | None = None
) -> etree._Element:
    """The ``w:body`` of an untrusted Word file's main part, within ``limits`` (by default
    ``IMPORT_LIMITS``); only word/document.xml is parsed, after every part passed the checks of
    ``check_docx_bytes``."""
    limits = limits or IMPORT_LIMITS
    data, label = read_source(source, name, limits.file_bytes)
    with deadline.time_limit(limits.seconds, label):
        check_docx_bytes(data, label, limits)
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                xml = archive.read(DOCUMENT_PART)
            # Entities are already refused by the scan; the parser must not resolve any anyway.
            parser = etree.XMLParser(
                remove_blank_text=True, resolve_entities=False, no_network=True
            )
            root = etree.fromstring(xml, parser)
        except etree.XMLSyntaxError as exc:
            if "depth" in str(exc).lower():
                raise DocumentInputError(
                    f"文件 {label} 结构嵌套过深（超过 256 层），不是正常的 Word 文档，已拒绝"
                ) from exc
            raise DocumentInputError(
                f"文件 {label} 已损坏：{DOCUMENT_PART} 不是有效的 XML"
            ) from exc
        deadline.check()
    body = root.find(qn("w:body"))
    if root.tag != qn("w:document") or body is None:
        raise DocumentInputError(f"文件 {label} {NOT_DOCX}：{DOCUMENT_PART} 不是 Word 正文")
    return body


def check_docx_bytes(
    data: bytes, name: str = DEFAULT_NAME, limits: ImportLimits | None = None
) -> None:
    """All the structural and XML checks of ``open_docx``, without opening the document; with
    ``limits``, also the sizes and element count of the XML parts."""
    if data.startswith(OLE2_MAGIC):
        raise DocumentInputError(f"文件 {name} 无法读取：{ENCRYPTED_OR_DOC}")
    if not data.startswith(ZIP_MAGIC):
        kind = "PDF 文件" if data.startswith(b"%PDF") else "无法识别的文件格式"
        raise DocumentInputError(f"文件 {name} {NOT_DOCX}：{kind}，请上传 .docx 格式的申报表")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if limits is None:
                _check_entries(infos, name)
            else:
                _check_entries(
                    infos, name, max_entries=limits.entries, max_total=limits.total_bytes
                )
            _check_parts({info.filename for info in infos}, name)
            xml_parts = [info for info in infos if _is_xml(info)]
            counter = ElementCounter(name)
            if limits is not None:
                _check_xml_sizes(xml_parts, name, limits)
                counter.limit = limits.xml_elements
            for info in xml_parts:
                _check_xml(archive, info, name, counter=counter)
    except DocumentInputError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise DocumentInputError(
            f"文件 {name} 已损坏或不完整（压缩结构无效），无法读取，请重新保存后再上传"
        ) from exc
    except (NotImplementedError, RuntimeError) as exc:  # unknown compression, encrypted entry
        raise DocumentInputError(f"文件 {name} 无法读取：{ENCRYPTED_OR_DOC}") from exc


def _is_xml(info: zipfile.ZipInfo) -> bool:
    return info.filename.lower().endswith((".xml", ".rels"))


def _check_entries(
    infos: list[zipfile.ZipInfo],
    name: str,
    *,
    max_entries: int | None = None,
    max_total: int | None = None,
) -> None:
    """Entry count, encryption, compression ratio and total size; the limits default to the
    module's (read at call time, so that tests can lower them)."""
    max_entries = MAX_ENTRIES if max_entries is None else max_entries
    max_total = MAX_UNCOMPRESSED_BYTES if max_total is None else max_total
    if len(infos) > max_entries:
        raise DocumentInputError(
            f"文件 {name} 内部条目过多（{len(infos)} 个，上限 {max_entries}），不是正常的 Word 文档"
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
    if total > max_total:
        raise DocumentInputError(
            f"文件 {name} 疑似压缩炸弹：解压后共 {total / MB:.0f} MB，"
            f"超过 {_mb(max_total)} MB 的上限，已拒绝"
        )


def _mb(size: int) -> str:
    return f"{size / MB:g}"


def _check_xml_sizes(parts: list[zipfile.ZipInfo], name: str, limits: ImportLimits) -> None:
    """Before any XML is read: each part and all of them by their declared (trusted) sizes."""
    for info in parts:
        if info.file_size > limits.xml_part_bytes:
            raise DocumentInputError(
                f"文件 {name} 内容过大：{info.filename} 解压后为 {info.file_size / MB:.1f} MB，"
                f"超过单个部件 {_mb(limits.xml_part_bytes)} MB 的上限，已拒绝"
            )
    total = sum(info.file_size for info in parts)
    if total > limits.xml_bytes:
        raise DocumentInputError(
            f"文件 {name} 内容过大：XML 部件解压后共 {total / MB:.1f} MB，"
            f"超过 {_mb(limits.xml_bytes)} MB 的上限，已拒绝"
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


class ElementCounter:
    """Counts the elements of the XML parts of one file and stops the scan past ``limit``."""

    def __init__(self, name: str, limit: int | None = None) -> None:
        self.name = name
        self.limit = limit
        self.count = 0

    def start(self, _tag: str, _attributes: object) -> None:
        self.count += 1
        if self.limit is not None and self.count > self.limit:
            raise DocumentInputError(
                f"文件 {self.name} 内容过于庞大：XML 元素超过 {self.limit:,} 个的上限"
                "（一份完整的申报表约 5 万个），已拒绝"
            )


def _check_xml(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    name: str,
    *,
    counter: ElementCounter | None = None,
) -> None:
    """Scan one XML part in chunks, building nothing: well-formed, no DTD or entities, and
    (with ``counter``) within the element limit of the whole file."""
    parser = _scanner(counter or ElementCounter(name))
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(1 * MB):
                parser.Parse(chunk, False)
                deadline.check()
        parser.Parse(b"", True)
    except DefusedXmlException as exc:
        raise DocumentInputError(f"文件 {name} {UNSAFE_XML}，已拒绝（{info.filename}）") from exc
    except expat.ExpatError as exc:
        raise DocumentInputError(
            f"文件 {name} 已损坏：{info.filename} 不是有效的 XML"
            f"（第 {exc.lineno} 行第 {exc.offset} 列）"
        ) from exc


def _scanner(counter: ElementCounter) -> expat.XMLParserType:
    """An expat parser with defusedxml's defences (no DTD, no entity declaration, no external
    reference: its exceptions, its checks) that only counts start tags. defusedxml's
    ElementTree parser runs the pure-Python ElementTree, which calls back for every piece of
    markup: three times slower on a large document.xml. Namespace-aware, like that parser."""
    parser = expat.ParserCreate(None, "}")

    def forbid_dtd(name: str, sysid: str | None, pubid: str | None, _subset: bool) -> None:
        raise DTDForbidden(name, sysid, pubid)

    def forbid_entity(name: str, *_args: object) -> None:
        raise EntitiesForbidden(name, None, None, None, None, None)

    def forbid_external(context: str, base: str | None, sysid: str, pubid: str | None) -> None:
        raise ExternalReferenceForbidden(context, base, sysid, pubid)

    parser.StartDoctypeDeclHandler = forbid_dtd
    parser.EntityDeclHandler = forbid_entity
    parser.UnparsedEntityDeclHandler = forbid_entity
    parser.ExternalEntityRefHandler = forbid_external
    parser.StartElementHandler = counter.start
    return parser
