"""The electronic package: layout, manifest hashes, missing evidence and atomic writing."""

from __future__ import annotations

import hashlib
import json
import subprocess
import zipfile

import pytest

from clusterdesk.documents import package as package_module
from clusterdesk.documents.errors import PdfUnavailable
from clusterdesk.documents.package import (
    Status,
    build_package,
    directory_store,
    safe_name,
    unique_name,
)
from clusterdesk.form.example import example_application

from .helpers import needs_pdf_tools

FOLDER = "1-宁波北仑模具中小企业特色产业集群（模具产业）"


def content_of(evidence) -> bytes:
    return f"佐证材料：{evidence.name}".encode()


def read_zip(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture
def built(tmp_path):
    out = tmp_path / "电子版.zip"
    result = build_package([example_application()], out, content_of, pdf=False)
    return out, result, read_zip(out)


def test_the_package_holds_the_documents_the_data_and_the_evidence(built):
    _out, result, files = built
    assert "附件1-推荐汇总表.docx" in files
    assert "附件1-推荐汇总表.xlsx" in files
    assert f"{FOLDER}/附件2-申报表.docx" in files
    assert files[f"{FOLDER}/附件2-申报表.docx"].startswith(b"PK")
    data = json.loads(files[f"{FOLDER}/application.json"])
    assert data == example_application().model_dump(mode="json")
    chain_map = f"{FOLDER}/佐证材料/二、主导产业情况/集群是否绘制产业链图谱/北仑模具产业链图谱.pdf"
    assert files[chain_map] == "佐证材料：北仑模具产业链图谱.pdf".encode()
    evidence = [name for name in files if "/佐证材料/" in name]
    assert len(evidence) == sum(len(v) for v in example_application().evidence.values())
    assert not result.missing
    assert "说明.txt" in files


def test_evidence_is_filed_by_part_and_item(built):
    _out, _result, files = built
    parts = {name.split("/")[2] for name in files if "/佐证材料/" in name}
    assert parts == {
        "二、主导产业情况",
        "三、创新能力情况",
        "四、数字化升级情况",
        "五、绿色化转型情况",
        "六、开放合作情况",
        "七、治理和服务水平",
    }
    assert f"{FOLDER}/佐证材料/七、治理和服务水平/信息服务/公共服务记录-信息服务.pdf" in files


def test_the_manifest_hashes_every_file_and_rehashing_agrees(built):
    _out, _result, files = built
    manifest = json.loads(files["manifest.json"])
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(listed) == set(files) - {"manifest.json"}
    for path, entry in listed.items():
        assert hashlib.sha256(files[path]).hexdigest() == entry["sha256"], path
        assert len(files[path]) == entry["size"]
    (app,) = manifest["applications"]
    assert app["data"] == example_application().model_dump(mode="json")
    assert app["folder"] == FOLDER
    assert all(record["status"] == Status.INCLUDED for record in app["evidence"])
    assert manifest["missing_evidence"] == []


def test_evidence_without_bytes_is_listed_as_missing_not_fatal(tmp_path):
    application = example_application()
    recorded = hashlib.sha256(b"the real file").hexdigest()
    application.evidence["part2.chain_map"][0].sha256 = recorded
    out = tmp_path / "p.zip"
    result = build_package([application], out, None, pdf=False)
    files = read_zip(out)
    assert not [name for name in files if "/佐证材料/" in name]
    manifest = json.loads(files["manifest.json"])
    missing = {record["field"]: record for record in manifest["missing_evidence"]}
    assert len(missing) == len(application.evidence)
    assert missing["part2.chain_map"]["recorded_sha256"] == recorded
    assert missing["part2.chain_map"]["status"] == Status.MISSING
    assert len(result.missing) == len(manifest["missing_evidence"])
    assert "未找到文件" in files["说明.txt"].decode()


def test_evidence_whose_bytes_do_not_match_the_recorded_hash_is_left_out(tmp_path):
    application = example_application()
    application.evidence["part2.chain_map"][0].sha256 = "0" * 64
    result = build_package([application], tmp_path / "p.zip", content_of, pdf=False)
    (bad,) = result.missing
    assert bad.field == "part2.chain_map"
    assert bad.status == Status.MISMATCH


def test_a_round_numbers_its_folders_by_county(tmp_path):
    first, second = example_application(), example_application()
    first.cover.county, first.part1.cluster_name = "象山县", "象山针织集群"
    second.cover.county, second.part1.cluster_name = "海曙区", "海曙服装集群"
    build_package([first, second], tmp_path / "p.zip", None, pdf=False)
    folders = {name.split("/")[0] for name in read_zip(tmp_path / "p.zip") if "/" in name}
    assert folders == {"1-海曙服装集群", "2-象山针织集群"}


def test_a_failure_leaves_no_file_and_keeps_the_previous_package(tmp_path):
    out = tmp_path / "p.zip"
    out.write_bytes(b"previous")

    def broken_store(evidence):
        raise RuntimeError("storage down")

    with pytest.raises(RuntimeError):
        build_package([example_application()], out, broken_store, pdf=False)
    assert out.read_bytes() == b"previous"
    assert [path.name for path in tmp_path.iterdir()] == ["p.zip"]


def test_requiring_pdf_without_libreoffice_fails_before_writing(tmp_path, monkeypatch):
    monkeypatch.setattr(package_module, "libreoffice_available", lambda: False)
    with pytest.raises(PdfUnavailable):
        build_package([example_application()], tmp_path / "p.zip", None, pdf=True)
    assert list(tmp_path.iterdir()) == []


def test_pdf_when_available_notes_its_absence_otherwise(tmp_path, monkeypatch):
    monkeypatch.setattr(package_module, "libreoffice_available", lambda: False)
    result = build_package([example_application()], tmp_path / "p.zip", None)
    assert not result.pdf_included
    assert "未安装 LibreOffice" in result.notes[0]
    assert not [name for name in read_zip(tmp_path / "p.zip") if name.endswith(".pdf")]


@pytest.mark.pdf
@needs_pdf_tools
def test_pdfs_of_all_documents_come_from_one_soffice_call(tmp_path, monkeypatch):
    calls = []
    real_popen = subprocess.Popen

    def counting_popen(command, *args, **kwargs):
        calls.append(command)
        return real_popen(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", counting_popen)
    second = example_application()
    second.part1.cluster_name = "第二个集群"
    out = tmp_path / "p.zip"
    result = build_package([example_application(), second], out, None, pdf=True)
    assert len(calls) == 1
    files = read_zip(out)
    assert result.pdf_included
    assert files["附件1-推荐汇总表.pdf"].startswith(b"%PDF")
    assert files[f"{FOLDER}/附件2-申报表.pdf"].startswith(b"%PDF")
    assert files["2-第二个集群/附件2-申报表.pdf"].startswith(b"%PDF")


def test_the_evidence_directory_finds_files_by_name_and_by_hash(tmp_path):
    application = example_application()
    (tmp_path / "北仑模具产业链图谱.pdf").write_bytes(b"map")
    by_hash = b"mechanism"
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / hashlib.sha256(by_hash).hexdigest()).write_bytes(by_hash)
    find = directory_store(tmp_path)
    chain_map = application.evidence["part2.chain_map"][0]
    mechanism = application.evidence["part2.resource_sharing_work.integrated_mechanism"][0]
    mechanism.sha256 = hashlib.sha256(by_hash).hexdigest()
    assert find(chain_map).read_bytes() == b"map"
    assert find(mechanism).read_bytes() == by_hash
    assert find(application.evidence["part5.carbon_work"][0]) is None


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("产业链图谱.pdf", "产业链图谱.pdf"),
        ("../../etc/passwd", "_.._etc_passwd"),
        ('a<b>:"c"|?*.pdf', "a_b___c____.pdf"),
        ("CON.txt", "_CON.txt"),
        ("  ", "未命名"),
        ("集" * 100 + ".pdf", "集" * 76 + ".pdf"),
    ],
)
def test_names_are_safe_in_a_zip_and_stay_readable(name, safe):
    assert safe_name(name) == safe


def test_same_names_in_one_folder_are_numbered():
    taken: set[str] = set()
    assert [unique_name("报告.pdf", taken) for _ in range(3)] == [
        "报告.pdf",
        "报告(2).pdf",
        "报告(3).pdf",
    ]
