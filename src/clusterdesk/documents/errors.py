"""Errors of the document layer, each with a Chinese ``message`` shown to the user as is."""

from __future__ import annotations


class DocumentInputError(ValueError):
    """An uploaded or given file cannot be used as a document: not a .docx, corrupt, unsafe,
    too large, or not the form. ``message`` names the file and says what is wrong."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PdfError(RuntimeError):
    """LibreOffice could not make the PDF (timeout, crash, no output)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PdfUnavailable(PdfError):
    """LibreOffice is not installed: PDF output is off, everything else still works."""

    MESSAGE = "未安装 LibreOffice（soffice），无法生成 PDF；Word 文档和其他功能不受影响"

    def __init__(self, message: str = MESSAGE) -> None:
        super().__init__(message)
