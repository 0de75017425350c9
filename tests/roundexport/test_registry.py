"""Version 2: what the registry knows after certification. A round with a revoked cluster and a
renewed one exports each certification's status as the registry shows it, the revocation (文号,
class, reason, date) and the renewal chain by 文号 in both directions; the 复核 round's file
names the certification it renews; the check refuses a broken chain or a revocation without its
document, in Chinese, with exit code 2; a version 1 file is still read."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from django.core.management import call_command

from clusterdesk.api.roundexport.build import export_pieces
from clusterdesk.api.roundexport.check import check_bytes
from clusterdesk.declarations import clock
from clusterdesk.registry.domain.registry import Status, registry_rows
from tests.roundexport.test_export import _export_queries, _refused
from tests.roundexport.world import (
    NUMBER,
    RECHECK_NAME,
    RENEWAL_NUMBER,
    REVOCATION_NUMBER,
    REVOCATION_REASON,
    REVOKED_ON,
    SEEN_AT,
    revoked_and_renewed,
    schema,
)

pytestmark = pytest.mark.django_db

REPO_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def after(world):
    return revoked_and_renewed(world)


def export_of(round_) -> dict:
    with clock.frozen(SEEN_AT):
        return json.loads("".join(export_pieces(round_)))


def by_id(document: dict) -> dict[int, dict]:
    return {record["id"]: record for record in document["applications"]}


def problems_of(document: dict) -> list[str]:
    return check_bytes(json.dumps(document, ensure_ascii=False).encode()).problems


def test_the_revoked_and_the_renewed_cluster_say_what_the_registry_says(world, after):
    document = export_of(world.round)
    jsonschema.Draft202012Validator(schema()).validate(document)
    assert problems_of(document) == []
    assert (document["version"], document["status_on"]) == (2, "2025-06-16")
    records = by_id(document)
    revoked = records[world.certified[0].pk]["certification"]
    renewed = records[world.certified[1].pk]["certification"]

    assert records[world.certified[0].pk]["state"] == "revoked"
    assert revoked["document_number"] == NUMBER  # the 认定 stays as it was issued
    assert revoked["status"] == "revoked"
    assert revoked["revocation"] == {
        "document_number": REVOCATION_NUMBER,
        "reason_class": "false_declaration",
        "reason": REVOCATION_REASON,
        "decided_on": REVOKED_ON.isoformat(),
    }
    assert (revoked["renews"], revoked["renewed_by"]) == (None, None)

    assert renewed["status"] == "renewed"
    assert renewed["revocation"] is None
    assert renewed["renews"] is None
    assert renewed["renewed_by"] == {
        "document_number": RENEWAL_NUMBER,
        "application_id": after.renewal.application_id,
        "round": RECHECK_NAME,
        "cluster_name": "慈溪家电产业集群",
        "external": True,  # in the 复核 round, not in this file
    }
    assert records[world.rejected.pk]["certification"] is None

    # The status is the registry's own, on the same day, as its page labels it.
    shown = {row.pk: Status.LABELS[row.status] for row in registry_rows(dt.date(2025, 6, 16))}
    assert shown[after.revoked.pk] == "已撤销"
    assert shown[after.renewed.pk] == "已复核续期"


def test_the_recheck_round_names_the_certification_it_renews(world, after):
    document = export_of(after.recheck)
    jsonschema.Draft202012Validator(schema()).validate(document)
    assert problems_of(document) == []
    assert document["round"]["kind"] == "recheck"
    [record] = document["applications"]
    certification = record["certification"]
    assert certification["document_number"] == RENEWAL_NUMBER
    assert (certification["valid_from"], certification["valid_until"]) == (
        "2026-04-20",
        "2029-04-19",
    )
    assert certification["status"] == "valid"
    assert certification["renewed_by"] is None
    assert certification["renews"] == {
        "document_number": NUMBER,
        "application_id": world.certified[1].pk,
        "round": world.round.name,
        "cluster_name": "慈溪家电产业集群",
        "external": True,
    }


def test_the_new_relations_cost_no_query(world):
    before, _ = _export_queries(world.round)
    revoked_and_renewed(world)
    after, document = _export_queries(world.round)
    assert document["applications"][0]["certification"]["revocation"] is not None
    assert after == before


def test_a_renewal_inside_the_file_must_be_named_from_both_ends(world, after):
    # Two certifications of one file linked (as a file joining rounds might have them): the
    # link must resolve to a certification of the file, and be named back.
    document = export_of(world.round)
    records = by_id(document)
    old, new = (records[a.pk]["certification"] for a in world.certified)
    link = {
        "document_number": new["document_number"],
        "application_id": world.certified[1].pk,
        "round": world.round.name,
        "cluster_name": "慈溪家电产业集群",
        "external": False,
    }
    old["renewed_by"] = link
    assert problems_of(document) == [
        "applications[0].certification.renewed_by：申报 "
        f"{world.certified[1].pk} 的认定没有反过来指向本认定（renews）。"
    ]
    new["renews"] = {**link, "application_id": world.certified[0].pk}
    assert problems_of(document) == []


def _revocation(document, world) -> dict:
    return by_id(document)[world.certified[0].pk]["certification"]


def _renewed(document, world) -> dict:
    return by_id(document)[world.certified[1].pk]["certification"]


BROKEN = [
    (
        "empty-revocation-number",  # 撤销文号为空
        lambda d, w: _revocation(d, w)["revocation"].update(document_number=""),
        "certification.revocation.document_number：不能为空",
    ),
    (
        "no-decision-date",  # 没有决定日期
        lambda d, w: _revocation(d, w)["revocation"].pop("decided_on"),
        "certification.revocation.decided_on：缺少此项",
    ),
    (
        "revoked-without-decision",  # 已撤销却没有撤销决定
        lambda d, w: _revocation(d, w).update(revocation=None),
        "certification.revocation：已撤销的认定须写明撤销决定（撤销文号和决定日期）",
    ),
    (
        "number-used-twice",  # 撤销文号与认定文号重复（括号不同）
        lambda d, w: _revocation(d, w)["revocation"].update(document_number="甬经信中小[2023]12号"),
        "revocation.document_number：文号“甬经信中小[2023]12号”与 "
        "publications[0].document_number 的“甬经信中小〔2023〕12号”重复",
    ),
    (
        "unknown-class",  # 未知的撤销类别
        lambda d, w: _revocation(d, w)["revocation"].update(reason_class="虚假申报"),
        "certification.revocation.reason_class：应为以下之一",
    ),
    (
        "revoked-shown-valid",  # 有撤销决定却显示有效
        lambda d, w: _revocation(d, w).update(status="valid"),
        "certification.status：有撤销决定的认定，状态应为 revoked（已撤销）",
    ),
    (
        "external-not-marked",  # 续期的认定不在文件中却未标为外部
        lambda d, w: _renewed(d, w)["renewed_by"].update(external=False),
        f"本文件中没有申报 {{renewal}} 文号为“{RENEWAL_NUMBER}”的认定；"
        "不在本文件中的认定须标为外部（external: true）",
    ),
    (
        "renewed-without-successor",  # 已复核续期却没有续期后的认定
        lambda d, w: _renewed(d, w).update(renewed_by=None),
        "certification.renewed_by：状态为已复核续期（renewed），须写明续期后的认定",
    ),
]


@pytest.mark.parametrize(("case", "change", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_the_check_refuses_a_broken_version_2_file(world, after, case, change, message):
    document = export_of(world.round)
    change(document, world)
    problems = problems_of(document)
    expected = message.format(renewal=after.renewal.application_id)
    assert any(expected in problem for problem in problems), problems


def test_the_command_refuses_a_broken_file_with_exit_code_2(world, after, tmp_path):
    document = export_of(world.round)
    _revocation(document, world)["revocation"] = None
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    message = _refused("import_round", str(path), check=True)
    assert "已撤销的认定须写明撤销决定" in message

    # The real command line, as the receiving system runs it (the check reads no database).
    run = subprocess.run(
        [sys.executable, "manage.py", "import_round", "--check", str(path)],
        cwd=REPO_DIR, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 2, run.stdout + run.stderr
    assert "已撤销的认定须写明撤销决定（撤销文号和决定日期）" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_version_1_file_is_still_read(world, after, tmp_path):
    # What export_round wrote before version 2: no registry part.
    document = export_of(world.round)
    v1 = copy.deepcopy(document)
    v1["version"] = 1
    del v1["status_on"]
    for record in v1["applications"]:
        if record["certification"]:
            for key in ("status", "revocation", "renews", "renewed_by"):
                del record["certification"][key]
    jsonschema.Draft202012Validator(schema(1)).validate(v1)
    path = tmp_path / "v1.json"
    path.write_text(json.dumps(v1, ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    call_command("import_round", str(path), check=True, stdout=out)
    assert f"文件有效（格式版本 1）：轮次“{world.round.name}”，4 份申报" in out.getvalue()

    # Version 1 does not know version 2's fields, nor version 2 a file without them.
    document["version"] = 1
    assert "applications[0].certification.status：不是本格式的字段" in problems_of(document)
    v1["version"] = 2
    assert "applications[0].certification.status：缺少此项" in problems_of(v1)
