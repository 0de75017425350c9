"""What an evidence file is, judged by its content; which files are accepted (no Django).

Accepted: PDF; JPEG, PNG, GIF and WebP images; Word (DOCX, DOC); Excel (XLSX, XLS); OFD, the
Chinese fixed-layout format (GB/T 33190) in which government bodies issue electronic documents.
PDF and the images are shown in the browser; the others are downloaded. Nothing else is
accepted: archives (ZIP, RAR), executables, scripts, HTML, plain text, and Office files with
macros. The extension must name the type the content really is.

``filetype`` reads the magic numbers. Office files are containers it can only guess at from
their first bytes, so they are confirmed by their structure: a ZIP's member names (DOCX, XLSX,
OFD), an OLE2 compound file's stream names (DOC, XLS). Macros are found the same way: a VBA
project, an Excel 4.0 macro sheet or an ActiveX control in a ZIP, a VBA storage in OLE2.

Once the kind is known, ``contentcheck`` asks whether the file is only that: a PDF without
scripts, automatic actions or attachments, no image or PDF that is also a web page, a script
or an archive, no Office file that is a ZIP bomb or fetches a template from the network.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

import filetype

from clusterdesk.errors import DomainError
from clusterdesk.evidence.contentcheck import content_problem

MAX_NAME_LENGTH = 255


@dataclass(frozen=True)
class FileKind:
    key: str
    label: str
    content_type: str
    extensions: tuple[str, ...]
    previewable: bool = False  # the browser can show it (inline preview)


KINDS: dict[str, FileKind] = {
    kind.key: kind
    for kind in (
        FileKind("pdf", "PDF 文件", "application/pdf", (".pdf",), previewable=True),
        FileKind("jpeg", "JPEG 图片", "image/jpeg", (".jpg", ".jpeg"), previewable=True),
        FileKind("png", "PNG 图片", "image/png", (".png",), previewable=True),
        FileKind("gif", "GIF 图片", "image/gif", (".gif",), previewable=True),
        FileKind("webp", "WebP 图片", "image/webp", (".webp",), previewable=True),
        FileKind(
            "docx",
            "Word 文档（DOCX）",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (".docx",),
        ),
        FileKind("doc", "Word 97-2003 文档（DOC）", "application/msword", (".doc",)),
        FileKind(
            "xlsx",
            "Excel 工作簿（XLSX）",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            (".xlsx",),
        ),
        FileKind("xls", "Excel 97-2003 工作簿（XLS）", "application/vnd.ms-excel", (".xls",)),
        FileKind("ofd", "OFD 版式文件", "application/ofd", (".ofd",)),
    )
}
_BY_EXTENSION = {ext: kind for kind in KINDS.values() for ext in kind.extensions}
ACCEPT = ",".join(_BY_EXTENSION)  # for <input type="file" accept=...>
ALLOWED_TEXT = "PDF、图片（JPG、PNG、GIF、WebP）、Word（DOC、DOCX）、Excel（XLS、XLSX）和 OFD 文件"

# Magic numbers read by filetype, for the kinds that need no structural check.
_MAGIC_KINDS = {"pdf": "pdf", "jpg": "jpeg", "png": "png", "gif": "gif", "webp": "webp"}
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_CHUNK = 1 << 20  # a multiple of 128: OLE2 directory entries never straddle two chunks


class RefusedFile(DomainError):
    """An uploaded file that is not accepted as evidence; ``message`` names it and says why."""


def extension_of(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def kind_for_name(name: str) -> FileKind | None:
    return _BY_EXTENSION.get(extension_of(name))


def clean_name(raw: str) -> str:
    """A file name fit to show and to download under: no folders, control characters or
    characters Windows refuses, at most 255 characters with its extension kept."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in name)
    name = re.sub(r'[<>:"|?*]', "_", name)
    name = re.sub(r"\s+", " ", name).strip().rstrip(".").strip()
    if name.startswith(".") and name.count(".") == 1:
        name = f"佐证材料{name}"  # only an extension: ".pdf"
    ext = extension_of(name)
    if len(name) > MAX_NAME_LENGTH:
        name = name[: MAX_NAME_LENGTH - len(ext)].rstrip(" .") + ext
    return name or "佐证材料"


def check_file(name: str, size: int, stream: BinaryIO, max_bytes: int) -> FileKind:
    """The kind of an upload, or ``RefusedFile`` with a Chinese message naming the file."""
    if size <= 0:
        raise RefusedFile(f"“{name}”是空文件，未上传。")
    if size > max_bytes:
        raise RefusedFile(too_large_message(name, max_bytes, size))
    expected = kind_for_name(name)
    if expected is None:
        raise RefusedFile(f"“{name}”的格式不能作为佐证材料上传：只接受{ALLOWED_TEXT}。")
    found, macros = identify(stream)
    if expected.key not in found:
        what = "或".join(KINDS[key].label for key in sorted(found)) if found else "不是允许的格式"
        raise RefusedFile(
            f"“{name}”的文件内容与扩展名不符：扩展名为 {extension_of(name)}，"
            f"实际内容{'是' if found else ''}{what}。请核对文件后重新上传。"
        )
    if macros:
        raise RefusedFile(f"“{name}”含有宏代码，不予接收：请另存为不含宏的文件后上传。")
    problem = content_problem(expected.key, name, stream)
    if problem:
        raise RefusedFile(problem)
    return expected


def too_large_message(name: str, max_bytes: int, size: int | None = None) -> str:
    limit = f"{max_bytes / (1 << 20):g} MB"
    actual = f"（{size / (1 << 20):.1f} MB）" if size else ""
    return f"“{name}”{actual}超过了每个文件 {limit} 的上限，未上传。"


def identify(stream: BinaryIO) -> tuple[frozenset[str], bool]:
    """(the kinds the content can be, whether it carries macros), from the content alone.

    Mostly one kind or none; an OLE2 file holding both a Word and an Excel stream (a document
    with an embedded chart) can be either, telling which is on top would need the whole tree.
    """
    stream.seek(0)
    head = stream.read(8192)
    stream.seek(0)
    if head.startswith(_ZIP_MAGIC):
        return _zip_kind(stream)
    if head.startswith(_OLE2_MAGIC):
        return _ole2_kind(stream)
    guess = filetype.guess(head)
    kind = _MAGIC_KINDS.get(guess.extension) if guess else None
    return frozenset({kind} if kind else ()), False


def _zip_kind(stream: BinaryIO) -> tuple[frozenset[str], bool]:
    # Reads only the central directory: nothing is decompressed, so a zip bomb costs nothing.
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return frozenset(), False
    finally:
        stream.seek(0)
    macros = any(_is_macro_part(name.lower()) for name in names)
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return frozenset({"docx"}), macros
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return frozenset({"xlsx"}), macros
    if "OFD.xml" in names:
        return frozenset({"ofd"}), False
    return frozenset(), False


def _is_macro_part(name: str) -> bool:
    # VBA (vbaProject.bin, in .docm/.xlsm and renamed ones), Excel 4.0 macro sheets, which run
    # without VBA, and ActiveX controls, which run code of their own.
    return name.endswith("vbaproject.bin") or name.startswith(
        ("xl/macrosheets/", "xl/activex/", "word/activex/")
    )


# OLE2 directory entries: 128 bytes each, aligned to 128 in the file, the name in UTF-16LE
# (at most 31 characters and a terminator) with its length in bytes at +64, the type at +66.
_STREAM, _STORAGE = 2, 1
_OLE2_NAMES = {
    "WordDocument": (_STREAM, "doc"),
    "Workbook": (_STREAM, "xls"),  # BIFF8
    "Book": (_STREAM, "xls"),  # BIFF5
    "Macros": (_STORAGE, "macros"),  # Word's VBA storage
    "_VBA_PROJECT_CUR": (_STORAGE, "macros"),  # Excel's
}


def _ole2_kind(stream: BinaryIO) -> tuple[frozenset[str], bool]:
    found = set()
    offset = 0
    while chunk := stream.read(_CHUNK):
        for name, (entry_type, meaning) in _OLE2_NAMES.items():
            encoded = (name + "\0").encode("utf-16-le")
            at = chunk.find(encoded)
            while at >= 0:
                entry = chunk[at : at + 128]
                if (
                    (offset + at) % 128 == 0
                    and len(entry) == 128
                    and int.from_bytes(entry[64:66], "little") == len(encoded)
                    and entry[66] == entry_type
                ):
                    found.add(meaning)
                at = chunk.find(encoded, at + 2)
        offset += len(chunk)
    stream.seek(0)
    return frozenset(found - {"macros"}), "macros" in found
