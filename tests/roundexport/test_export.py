"""export_round and import_round --check on a decided round: the file validates against the
committed JSON Schema, reads back with the format's models, says what the database says, keeps
private what docs/round-export.md says it keeps, and costs the same queries for 3 or 9
applications."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusterdesk.api.roundexport import build
from clusterdesk.api.roundexport.build import export_pieces
from clusterdesk.api.roundexport.format import RoundExport
from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application, ApplicationEvent, Submission
from clusterdesk.registry.models import Certification
from clusterdesk.rounds.enums import RoundKind
from clusterdesk.scoring.models import ScoreSheet
from tests.factories import make_round
from tests.roundexport.world import (
    EVIDENCE_NAME,
    EVIDENCE_PATH,
    EXPERT_NAMES,
    EXPERT_PHONE,
    NUMBER,
    REFUSAL,
    decided_round,
    schema,
)

pytestmark = pytest.mark.django_db


def exported(world, tmp_path) -> Path:
    target = tmp_path / "round.json"
    err = io.StringIO()
    call_command("export_round", world.round.name, output=str(target), stderr=err)
    assert f"已导出轮次“{world.round.name}”的 4 份申报" in err.getvalue()
    return target


def test_the_file_validates_reads_back_and_says_what_the_database_says(world, tmp_path):
    text = exported(world, tmp_path).read_text(encoding="utf-8")
    document = json.loads(text)
    jsonschema.Draft202012Validator(schema()).validate(document)
    export = RoundExport.model_validate(document)

    assert (export.format, export.version) == ("clusterdesk.round-export", 2)
    assert export.round.name == world.round.name
    assert export.round.anonymous_review is True
    assert [p.document_number for p in export.publications] == [NUMBER]
    # Every application of the round but the deleted draft, with its state as stored.
    expected = Application.objects.filter(round=world.round).exclude(state=S.DELETED)
    assert {a.id: a.state for a in export.applications} == dict(expected.values_list("pk", "state"))
    assert world.deleted.pk not in {a.id for a in export.applications}
    records = {a.id: a for a in export.applications}

    for application in expected:
        record = records[application.pk]
        assert record.organisation.name == application.organisation.name
        assert record.cluster_name == application.cluster_name
        events = ApplicationEvent.objects.filter(application=application).order_by("at", "pk")
        assert [(e.from_state or None, e.to_state, e.reason) for e in events] == [
            (e.from_state, e.to_state, e.reason) for e in record.events
        ]
        submissions = list(Submission.objects.filter(application=application))
        if not submissions:
            assert record.submission is None
            continue
        latest = submissions[-1]
        # The snapshot as stored: the same data, the same hash, the form core's model.
        raw = next(a for a in document["applications"] if a["id"] == application.pk)
        assert raw["submission"]["data"] == latest.data
        assert record.submission.data_sha256 == latest.data_sha256
        assert record.submission.data.part1.cluster_name == application.cluster_name
        assert [s.data_sha256 for s in record.earlier_submissions] == [
            s.data_sha256 for s in submissions[:-1]
        ]
        sheets = ScoreSheet.objects.filter(assignment__application=application)
        assert sorted(s.total for s in record.score_sheets) == sorted(
            format(s.total, "f") for s in sheets
        )

    first, second = (records[a.pk] for a in world.certified)
    assert len(second.earlier_submissions) == 1  # returned once, submitted again
    for record in (first, second):
        certification = Certification.objects.get(application_id=record.id)
        assert record.certification.document_number == NUMBER
        assert record.certification.valid_from == certification.valid_from
        assert record.certification.valid_until == certification.valid_until
        assert record.decisions[0].proposed is True
    assert [d.rank for d in (first.decisions[0], second.decisions[0])] == [1, 2]
    rejected = records[world.rejected.pk]
    assert rejected.certification is None
    assert (rejected.decisions[0].proposed, rejected.decisions[0].reason) == (False, REFUSAL)
    assert records[world.draft.pk].submission is None

    # Evidence: metadata with its SHA-256 and type, not the file.
    uploaded = [e for e in first.submission.evidence if e.sha256]
    assert [(e.path, e.name, e.content_type) for e in uploaded] == [
        (EVIDENCE_PATH, EVIDENCE_NAME, "application/pdf")
    ]
    assert "%PDF" not in text

    # Private: experts by code only (the round is 匿名评审 and in any case), no phone, no names
    # or accounts of the people who acted.
    assert {s.expert for s in first.score_sheets} == {"专家01", "专家02", "专家03"}
    for name in EXPERT_NAMES:
        assert name not in text
    assert EXPERT_PHONE not in text
    for user in (world.city, world.county, world.other_county, *world.experts):
        assert f'"{user.username}"' not in text


def test_the_file_passes_the_check_another_system_runs(world, tmp_path):
    out = io.StringIO()
    call_command("import_round", str(exported(world, tmp_path)), check=True, stdout=out)
    assert (
        f"文件有效（格式版本 2）：轮次“{world.round.name}”，4 份申报，"
        "3 份提交快照与其 SHA-256 相符。"
    ) in out.getvalue()


def _refused(*args, **options) -> str:
    with pytest.raises(CommandError) as refused:
        call_command(*args, **options)
    assert refused.value.returncode == 2
    message = str(refused.value)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)
    return message


def test_a_changed_snapshot_or_a_foreign_file_is_refused(world, tmp_path):
    path = exported(world, tmp_path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["applications"][0]["submission"]["data"]["part1"]["cluster_name"] = "改过的名称"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    message = _refused("import_round", str(path), check=True)
    assert "applications[0].submission.data：与 data_sha256 不符" in message

    document["applications"][0]["state"] = "approved"
    document["applications"][1]["scores"] = {}
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    message = _refused("import_round", str(path), check=True)
    assert "applications[0].state：应为以下之一" in message
    assert "applications[1].scores：不是本格式的字段" in message

    document["version"] = 3
    path.write_text(json.dumps(document), encoding="utf-8")
    assert "格式版本 3 不受支持：本系统读取版本 1、2" in _refused(
        "import_round", str(path), check=True
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "不是有效的 JSON（第 1 行第 2 列）"),
        (b'{"format": "other"}', "format 应为“clusterdesk.round-export”"),
        (b"\xff\xfe", "不是 UTF-8"),
    ],
)
def test_import_check_refuses_what_is_no_export(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    assert message in _refused("import_round", str(path), check=True)


def test_import_needs_check_and_an_existing_file(tmp_path):
    assert "请加 --check" in _refused("import_round", str(tmp_path / "x.json"))
    assert f"文件“{tmp_path / 'x.json'}”不存在" in _refused(
        "import_round", str(tmp_path / "x.json"), check=True
    )
    assert "是目录" in _refused("import_round", str(tmp_path), check=True)


def test_export_refuses_bad_input_in_chinese(world, tmp_path):
    assert "找不到轮次“2099年度”" in _refused("export_round", "2099年度")
    assert world.round.name in _refused("export_round", "2099年度")  # lists the rounds there are
    annual = make_round(name="2024年度报告", kind=RoundKind.ANNUAL)
    assert "数据交换格式只包括申报认定和复核轮次" in _refused("export_round", annual.name)
    missing = tmp_path / "no-such-dir" / "out.json"
    assert "目录" in _refused("export_round", world.round.name, output=str(missing))
    assert "是目录" in _refused("export_round", world.round.name, output=str(tmp_path))
    assert list(tmp_path.iterdir()) == [tmp_path / "media"]  # no half-written file anywhere


def test_by_id_to_standard_output(world):
    out = io.StringIO()
    call_command("export_round", str(world.round.pk), stdout=out)
    assert json.loads(out.getvalue())["round"]["name"] == world.round.name


def _export_queries(round_) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        document = json.loads("".join(export_pieces(round_)))
    return len(queries), document


def test_queries_do_not_grow_with_the_applications(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    small = decided_round(3, name="2023年度（三份）")
    large = decided_round(9, name="2023年度（九份）", number="甬经信中小〔2023〕13号")
    small_count, small_doc = _export_queries(small.round)
    large_count, large_doc = _export_queries(large.round)
    assert (len(small_doc["applications"]), len(large_doc["applications"])) == (4, 10)
    assert small_count == large_count


def test_chunks_change_nothing_but_the_reading(world, monkeypatch):
    _, whole = _export_queries(world.round)
    monkeypatch.setattr(build, "CHUNK", 2)  # four applications in chunks of two
    _, chunked = _export_queries(world.round)
    whole.pop("exported_at"), chunked.pop("exported_at")
    assert chunked == whole


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_command_reads_one_view(settings, tmp_path):
    # Not wrapped in the test's transaction: on PostgreSQL the export opens its own read-only
    # REPEATABLE READ transaction (the path production takes), on SQLite it reads chunk by chunk.
    settings.MEDIA_ROOT = tmp_path / "media"
    world = decided_round(name="2023年度（事务外）", number="甬经信中小〔2023〕14号")
    assert not connection.in_atomic_block
    document = json.loads(exported(world, tmp_path).read_text(encoding="utf-8"))
    assert len(document["applications"]) == 4
    assert not connection.in_atomic_block
