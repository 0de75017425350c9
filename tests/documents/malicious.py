"""Hostile and broken files, made on the fly and small on disk: what an upload may contain."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

from docx import Document
from openpyxl import Workbook

from clusterdesk.documents.safety import MAX_DOCX_BYTES, MAX_ENTRIES, OLE2_MAGIC

XXE_DOCTYPE = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS_DOCTYPE = (
    "<!DOCTYPE w:document ["
    '<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


def plain_docx(text: str = "一份普通的 Word 文档，不是申报表。") -> bytes:
    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def rewrite_part(docx: bytes, part: str, change) -> bytes:
    """The same ZIP with one part's bytes passed through ``change``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == part:
                data = change(data)
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def with_doctype(docx: bytes, doctype: str, reference: str) -> bytes:
    """word/document.xml with a DOCTYPE after its XML declaration and an entity in the body."""

    def change(data: bytes) -> bytes:
        text = data.decode("utf-8")
        declaration_end = text.index("?>") + 2
        text = text[:declaration_end] + doctype + text[declaration_end:]
        return text.replace("不是申报表", f"不是申报表{reference}").encode("utf-8")

    return rewrite_part(docx, "word/document.xml", change)


def xxe_docx() -> bytes:
    return with_doctype(plain_docx(), XXE_DOCTYPE, "&xxe;")


def billion_laughs_docx() -> bytes:
    return with_doctype(plain_docx(), LAUGHS_DOCTYPE, "&lol9;")


def zip_bomb(entry_mb: int = 64) -> bytes:
    """A ZIP whose document.xml inflates to ``entry_mb`` MB of zeros (about 1000:1)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(entry_mb):
                entry.write(chunk)
    return out.getvalue()


def many_entries() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        for i in range(MAX_ENTRIES + 1):
            archive.writestr(f"word/media/image{i}.png", b"")
    return out.getvalue()


def xlsx_file() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def missing_document_part() -> bytes:
    return rewrite_part(plain_docx(), "word/document.xml", lambda data: data).replace(
        b"word/document.xml", b"word/documenX.xml"
    )


def ole2_file() -> bytes:
    """The header of an OLE2 compound file: a password-protected .docx or an old .doc."""
    return OLE2_MAGIC + b"\0" * 504 + b"EncryptionInfo"


def random_bytes(size: int = 8192) -> bytes:
    return random.Random(20230314).randbytes(size)


def truncated_docx() -> bytes:
    data = plain_docx()
    return data[: len(data) // 2]


def huge_file(path: Path) -> Path:
    """A sparse file just over the size limit: instant to make, takes no disk space."""
    with path.open("wb") as stream:
        stream.truncate(MAX_DOCX_BYTES + 1)
    return path


# (name, bytes, words the Chinese message must contain)
MALICIOUS: list[tuple[str, bytes, str]] = [
    ("text", "这只是一个文本文件".encode(), "不是 Word 文档"),
    ("random", random_bytes(), "不是 Word 文档"),
    ("truncated", truncated_docx(), "损坏"),
    ("ole2-encrypted", ole2_file(), "文件已加密（设有打开密码）或为旧版 .doc 格式"),
    ("zip-bomb", zip_bomb(), "压缩炸弹"),
    ("many-entries", many_entries(), "条目过多"),
    ("xxe", xxe_docx(), "不安全的 XML 内容（实体声明）"),
    ("billion-laughs", billion_laughs_docx(), "不安全的 XML 内容（实体声明）"),
    ("xlsx", xlsx_file(), "Excel"),
    ("no-document-part", missing_document_part(), "缺少必要的部件"),
    ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
    ("empty", b"", "空文件"),
]
