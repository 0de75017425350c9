"""``clusterdesk form …`` as a user runs it: output, exit codes and messages."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from clusterdesk.cli.main import main
from clusterdesk.form.example import example_json


@pytest.fixture
def example_file(tmp_path):
    path = tmp_path / "申报.json"
    path.write_text(json.dumps(example_json(), ensure_ascii=False), encoding="utf-8")
    return path


def write(tmp_path, data, name="app.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_schema_prints_the_json_schema(capsys):
    assert main(["form", "schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "中小企业特色产业集群申报表"


def test_example_prints_an_application_that_validates(capsys, tmp_path):
    assert main(["form", "example"]) == 0
    path = tmp_path / "example.json"
    path.write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["form", "validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "错误 0 项，警告 0 项" in out
    assert "没有错误，可以提交" in out


def test_validate_reports_errors_with_path_label_and_exit_1(capsys, tmp_path):
    data = example_json()
    data["part2"]["total_output"]["2021"] = 108.605
    data["part1"]["operator"] = ""
    assert main(["form", "validate", str(write(tmp_path, data))]) == 1
    out = capsys.readouterr().out
    assert "[错误] part2.total_output.2021「集群总产值（亿元）（2021年）」" in out
    assert "part1.operator「集群运营管理机构」" in out
    assert "存在错误" in out


def test_validate_warnings_alone_exit_0(capsys, tmp_path):
    data = example_json()
    data["part2"]["smes"]["2022"] = 2100  # more SMEs than enterprises: a reviewer's question
    assert main(["form", "validate", str(write(tmp_path, data)), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["valid"] is True
    assert result["counts"]["warning"] >= 1
    assert any(f["path"].startswith("part2.smes") for f in result["findings"])


def test_validate_json_output_lists_findings(capsys, tmp_path):
    data = example_json()
    data["part2"]["chain_cultivation"] = "产" * 201
    assert main(["form", "validate", str(write(tmp_path, data)), "--json"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["valid"] is False
    finding = next(f for f in result["findings"] if f["path"] == "part2.chain_cultivation")
    assert finding["level"] == "error"
    assert finding["label"] == "集群产业链培育和招商情况"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"{not json", "不是有效的 JSON"),
        (b"\xff\xfe\x00garbage", "不是 UTF-8"),
        (b"[1, 2]", "应为一个申报表对象"),
        ('{"part1": {"area_km2": "大"}}'.encode(), "part1.area_km2「集群占地面积（平方公里）」"),
        (b'{"unknown": 1}', "unknown：不是申报表中的栏目"),
    ],
)
def test_unreadable_files_exit_2_with_a_chinese_message(capsys, tmp_path, content, expected):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    assert main(["form", "validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert "bad.json" in err
    assert "Traceback" not in err


def test_missing_file_and_bad_options_exit_2(capsys, tmp_path):
    assert main(["form", "validate", str(tmp_path / "nope.json")]) == 2
    assert "找不到文件" in capsys.readouterr().err
    assert main(["form", "validate"]) == 2
    assert "命令行参数有误" in capsys.readouterr().err


def test_check_reports_aspects_and_passes_the_example(capsys, example_file):
    assert main(["form", "check", str(example_file), "--profile", "national-2022"]) == 0
    out = capsys.readouterr().out
    assert "具有较强核心竞争力" in out
    assert "未评估" in out  # unpublished national thresholds are never invented


def test_check_fails_a_target_below_rule_a(capsys, tmp_path):
    data = example_json()
    data["part8"]["goals"]["targets"]["output_growth"]["target"] = 8
    path = write(tmp_path, data)
    assert main(["form", "check", str(path), "--profile", "national-2022", "--json"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["passed"] is False
    assert any(
        f["path"].startswith("part8.goals.targets.output_growth") and f["level"] == "error"
        for f in result["findings"]
    )


def test_check_with_unknown_profile_exits_2(capsys, example_file):
    assert main(["form", "check", str(example_file), "--profile", "mars-2099"]) == 2
    err = capsys.readouterr().err
    assert "mars-2099" in err
    assert "national-2022" in err  # says which profiles exist


def test_console_script_never_prints_a_traceback(tmp_path):
    exe = shutil.which("clusterdesk") or str(
        __import__("pathlib").Path(sys.executable).with_name("clusterdesk")
    )
    path = tmp_path / "broken.json"
    path.write_text('{"part2": {"total_output": {"2021": [1]}}}', encoding="utf-8")
    run = subprocess.run(
        [exe, "form", "validate", str(path)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "集群总产值（亿元）" in run.stderr
