"""``clusterdesk form render|parse``, ``summary`` and ``package`` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest

from clusterdesk.cli.main import main
from clusterdesk.documents import pdf as pdf_module
from clusterdesk.documents.attachment2_render import render_attachment2
from clusterdesk.form.example import example_application, example_json
from clusterdesk.form.loading import load_application

from .helpers import docx_text, needs_pdf_tools, xlsx_cells
from .malicious import MALICIOUS, huge_file, plain_docx


@pytest.fixture
def example_file(tmp_path):
    path = tmp_path / "申报.json"
    path.write_text(json.dumps(example_json(), ensure_ascii=False), encoding="utf-8")
    return path


def only(tmp_path, *names):
    """The directory holds exactly these files: nothing half written, no temporary files."""
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(names)


def refused(capsys) -> str:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert captured.err.strip()
    return captured.err


def test_form_render_writes_the_word_form(example_file, tmp_path, capsys):
    out = tmp_path / "申报表.docx"
    assert main(["form", "render", str(example_file), "-o", str(out)]) == 0
    assert "中小企业特色产业集群申报表" in docx_text(out.read_bytes())
    assert "已生成" in capsys.readouterr().out


@pytest.mark.pdf
@needs_pdf_tools
def test_form_render_pdf(example_file, tmp_path):
    out = tmp_path / "申报表.pdf"
    assert main(["form", "render", str(example_file), "-o", str(out), "--pdf"]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    only(tmp_path, "申报.json", "申报表.pdf")


def test_form_render_pdf_without_libreoffice_says_so(example_file, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(pdf_module.shutil, "which", lambda name: None)
    out = tmp_path / "申报表.pdf"
    assert main(["form", "render", str(example_file), "-o", str(out), "--pdf"]) == 2
    assert "未安装 LibreOffice（soffice），无法生成 PDF" in refused(capsys)
    only(tmp_path, "申报.json")


def test_form_parse_reads_a_rendered_form_back(tmp_path, capsys):
    source = tmp_path / "申报表.docx"
    source.write_bytes(render_attachment2(example_application()))
    out = tmp_path / "申报.json"
    assert main(["form", "parse", str(source), "-o", str(out), "--report"]) == 0
    parsed = load_application(out)
    assert parsed.part1.cluster_name == example_application().part1.cluster_name
    assert parsed.attachment1 == example_application().attachment1
    assert "已生成" in capsys.readouterr().out


@pytest.mark.parametrize(("name", "content", "expected"), MALICIOUS, ids=[m[0] for m in MALICIOUS])
def test_form_parse_refuses_a_bad_file_cleanly(tmp_path, capsys, name, content, expected):
    source = tmp_path / f"{name}.docx"
    source.write_bytes(content)
    out = tmp_path / "out.json"
    assert main(["form", "parse", str(source), "-o", str(out)]) == 2
    assert expected in refused(capsys)
    only(tmp_path, source.name)


def test_form_parse_refuses_a_huge_file(tmp_path, capsys):
    source = huge_file(tmp_path / "巨大.docx")
    assert main(["form", "parse", str(source), "-o", str(tmp_path / "out.json")]) == 2
    assert "过大" in refused(capsys)
    only(tmp_path, "巨大.docx")


def test_form_parse_refuses_a_word_file_that_is_not_the_form(tmp_path, capsys):
    source = tmp_path / "通知.docx"
    source.write_bytes(plain_docx())
    assert main(["form", "parse", str(source), "-o", str(tmp_path / "out.json")]) == 2
    message = refused(capsys)
    assert "通知.docx" in message
    assert "不是《中小企业特色产业集群申报表》" in message
    only(tmp_path, "通知.docx")


def test_a_bad_file_gives_no_traceback_from_the_installed_command(tmp_path):
    source = tmp_path / "bomb.docx"
    source.write_bytes({m[0]: m[1] for m in MALICIOUS}["zip-bomb"])
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "clusterdesk.cli.main",
            "form",
            "parse",
            str(source),
            "-o",
            str(tmp_path / "out.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "压缩炸弹" in result.stderr
    assert "Traceback" not in result.stderr
    only(tmp_path, "bomb.docx")


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_summary_of_several_files(example_file, tmp_path, capsys, suffix):
    second = example_json()
    second["cover"]["county"] = "海曙区"
    second["part1"]["cluster_name"] = "海曙服装集群"
    second_file = tmp_path / "海曙.json"
    second_file.write_text(json.dumps(second, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / f"汇总表{suffix}"
    args = [
        "summary",
        str(example_file),
        str(second_file),
        "-o",
        str(out),
        "--mobile",
        "13900000000",
    ]
    assert main(args) == 0
    if suffix == ".docx":
        text = docx_text(out.read_bytes())
    else:
        text = "\n".join(str(cell.value) for cell in xlsx_cells(out.read_bytes()))
    assert text.index("海曙服装集群") < text.index("宁波北仑模具中小企业特色产业集群")
    assert "手机：13900000000" in text
    assert "2 个集群" in capsys.readouterr().out


def test_summary_with_a_bad_input_writes_nothing(example_file, tmp_path, capsys):
    bad = tmp_path / "坏.json"
    bad.write_text("{not json", encoding="utf-8")
    out = tmp_path / "汇总表.xlsx"
    assert main(["summary", str(example_file), str(bad), "-o", str(out)]) == 2
    assert "不是有效的 JSON" in refused(capsys)
    only(tmp_path, "申报.json", "坏.json")


def test_summary_refuses_an_unknown_output_type(example_file, tmp_path, capsys):
    assert main(["summary", str(example_file), "-o", str(tmp_path / "汇总表.csv")]) == 2
    assert "扩展名应为" in refused(capsys)


def test_package_with_an_evidence_directory(example_file, tmp_path, capsys):
    evidence = tmp_path / "材料"
    evidence.mkdir()
    for files in example_application().evidence.values():
        for file in files:
            (evidence / file.name).write_bytes(file.name.encode())
    out = tmp_path / "电子版.zip"
    assert (
        main(["package", str(example_file), "-o", str(out), "--evidence-dir", str(evidence)]) == 0
    )
    output = capsys.readouterr().out
    assert "缺少 0 份" in output
    with zipfile.ZipFile(out) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["missing_evidence"] == []


def test_package_without_evidence_lists_what_is_missing(example_file, tmp_path, capsys):
    out = tmp_path / "电子版.zip"
    assert main(["package", str(example_file), "-o", str(out)]) == 0
    output = capsys.readouterr().out
    assert "缺少：" in output
    assert "--evidence-dir" in output


def test_package_pdf_without_libreoffice_writes_nothing(
    example_file, tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr(pdf_module.shutil, "which", lambda name: None)
    out = tmp_path / "电子版.zip"
    assert main(["package", str(example_file), "-o", str(out), "--pdf"]) == 2
    assert "未安装 LibreOffice" in refused(capsys)
    only(tmp_path, "申报.json")


def test_output_into_a_missing_directory_is_refused(example_file, tmp_path, capsys):
    out = tmp_path / "没有" / "a.docx"
    assert main(["form", "render", str(example_file), "-o", str(out)]) == 2
    assert "不存在" in refused(capsys)
