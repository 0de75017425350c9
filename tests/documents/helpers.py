"""Reading the documents back in tests: Word text, Excel cells, PDF pages."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from clusterdesk.documents.pdf import libreoffice_available

needs_pdf_tools = pytest.mark.skipif(
    not (libreoffice_available() and shutil.which("pdftotext")),
    reason="需要系统软件包 libreoffice-writer-nogui / poppler-utils",
)


def docx_text(data: bytes) -> str:
    """All text of a Word document: paragraphs, then every table cell."""
    document = Document(io.BytesIO(data))
    texts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts.extend(cell.text for cell in row.cells)
    return "\n".join(texts)


def xlsx_cells(data: bytes) -> list:
    sheet = load_workbook(io.BytesIO(data)).active
    return [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]


def pdf_pages(path: Path) -> list[str]:
    """The text of each page, read page by page with pdftotext -f N -l N."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    count = next(
        int(line.split(":")[1]) for line in info.stdout.splitlines() if line.startswith("Pages:")
    )
    pages = []
    for number in range(1, count + 1):
        result = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), "-layout", str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        )
        pages.append(result.stdout)
    return pages
