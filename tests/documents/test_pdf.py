"""Word → PDF through LibreOffice: batches in one call, timeouts, and LibreOffice missing."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from clusterdesk.documents import pdf
from clusterdesk.documents.attachment1 import SummaryHeader, render_summary_docx
from clusterdesk.documents.errors import PdfError, PdfUnavailable
from clusterdesk.form.example import example_application

from .helpers import needs_pdf_tools, pdf_pages


def summary_file(tmp_path, name="汇总表"):
    path = tmp_path / f"{name}.docx"
    path.write_bytes(render_summary_docx([example_application()], SummaryHeader()))
    return path


@pytest.mark.pdf
@needs_pdf_tools
def test_the_summary_becomes_a_one_page_pdf_with_its_title(tmp_path):
    (made,) = pdf.convert_to_pdf([summary_file(tmp_path)], tmp_path / "out")
    pages = pdf_pages(made)
    assert len(pages) == 1
    assert "中小企业特色产业集群推荐汇总表" in pages[0].replace(" ", "")


@pytest.mark.pdf
@needs_pdf_tools
def test_a_batch_of_ten_converts_in_one_soffice_call(tmp_path, monkeypatch):
    sources = [summary_file(tmp_path, f"汇总表{i}") for i in range(10)]
    calls = []
    real_popen = subprocess.Popen

    def counting_popen(command, *args, **kwargs):
        calls.append(command)
        return real_popen(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", counting_popen)
    made = pdf.convert_to_pdf(sources, tmp_path / "out")
    assert len(calls) == 1
    assert [path.stem for path in made] == [path.stem for path in sources]
    assert all(path.stat().st_size > 1000 for path in made)
    profile = next(arg for arg in calls[0] if arg.startswith("-env:UserInstallation=file://"))
    assert "clusterdesk-lo-" in profile  # a profile of its own, not the user's


def test_without_libreoffice_pdf_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    assert not pdf.libreoffice_available()
    with pytest.raises(PdfUnavailable) as caught:
        pdf.convert_to_pdf([summary_file(tmp_path)], tmp_path)
    assert caught.value.message == (
        "未安装 LibreOffice（soffice），无法生成 PDF；Word 文档和其他功能不受影响"
    )


def test_a_hanging_conversion_is_killed_after_the_timeout(tmp_path, monkeypatch):
    # A stand-in soffice that hangs, and a child of it, both in the group that gets killed.
    fake = tmp_path / "soffice"
    fake.write_text(
        f"#!{sys.executable}\nimport subprocess, time\n"
        f"subprocess.Popen(['sleep', '60'])\ntime.sleep(60)\n"
    )
    fake.chmod(0o755)
    monkeypatch.setattr(pdf, "soffice_path", lambda: str(fake))
    start = time.monotonic()
    with pytest.raises(PdfError, match="生成 PDF 超时") as caught:
        pdf.convert_to_pdf([summary_file(tmp_path)], tmp_path / "out", timeout=1)
    assert time.monotonic() - start < 10
    assert "已终止" in caught.value.message


def test_a_conversion_that_makes_nothing_is_an_error(tmp_path, monkeypatch):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    monkeypatch.setattr(pdf, "soffice_path", lambda: str(fake))
    with pytest.raises(PdfError, match=r"未能将以下文件转换为 PDF：汇总表\.docx"):
        pdf.convert_to_pdf([summary_file(tmp_path)], tmp_path / "out")


def test_nothing_to_convert_starts_nothing(tmp_path):
    assert pdf.convert_to_pdf([], tmp_path) == []


@pytest.mark.parametrize(("setting", "lower_by"), [(None, 10), ("5", 5), ("0", 0)])
def test_libreoffice_runs_at_a_lower_cpu_priority(tmp_path, monkeypatch, setting, lower_by):
    # A stand-in soffice that reports its own niceness: PDFs must yield the CPU to the pages.
    report = tmp_path / "niceness"
    fake = tmp_path / "soffice"
    fake.write_text(
        f"#!{sys.executable}\nimport os\nopen({str(report)!r}, 'w').write(str(os.nice(0)))\n"
    )
    fake.chmod(0o755)
    monkeypatch.setattr(pdf, "soffice_path", lambda: str(fake))
    if setting is None:
        monkeypatch.delenv("CLUSTERDESK_PDF_NICENESS", raising=False)
    else:
        monkeypatch.setenv("CLUSTERDESK_PDF_NICENESS", setting)
    with pytest.raises(PdfError, match="未能将以下文件转换为 PDF"):
        pdf.convert_to_pdf([summary_file(tmp_path)], tmp_path / "out")
    assert int(report.read_text()) == min(os.nice(0) + lower_by, 19)
