"""Tiny real files of each kind, made on the fly (python-docx, openpyxl, hand-built headers)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import docx
import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 72 72]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\0" * 32
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
WEBP = (
    b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00"
    b"/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\0" * 48 + b"PE\0\0" * 4
TEXT = "这是一个纯文本文件，不是PDF。\n".encode()


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def docx_bytes(text: str = "佐证材料") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "佐证材料"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def ofd_bytes() -> bytes:
    return zip_bytes({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<ofd:Document/>"})


def docm_bytes() -> bytes:
    """A Word document with a VBA project, as Word saves a .docm."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as source:
        members = {name: source.read(name) for name in source.namelist()}
    members["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0"
    return zip_bytes(members)


def ole2(*streams: str, storages: tuple[str, ...] = ()) -> bytes:
    """A compound file (DOC/XLS container) whose directory lists these streams and storages."""

    def entry(name: str, kind: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return encoded.ljust(64, b"\0") + struct.pack("<HB", len(encoded), kind).ljust(64, b"\0")

    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".ljust(512, b"\0")
    entries = [entry("Root Entry", 5)]
    entries += [entry(name, 2) for name in streams]
    entries += [entry(name, 1) for name in storages]
    directory = b"".join(entries).ljust(512 * ((len(entries) + 3) // 4), b"\0")
    return header + b"\0" * 512 + directory + b"\0" * 512


DOC_X = docx_bytes()
DOC = ole2("WordDocument", "1Table", "\x05SummaryInformation")
XLS = ole2("Workbook", "\x05SummaryInformation")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")
