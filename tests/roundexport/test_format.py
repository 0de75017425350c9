"""The exchange format itself: the committed JSON Schema is the models', the models run without
Django, and the values they spell out are the apps' own."""

from __future__ import annotations

import subprocess
import sys
import typing

from clusterdesk.accounts.enums import Role
from clusterdesk.api.roundexport import format as fmt
from clusterdesk.declarations.domain.snapshots import canonical_json
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.registry.domain.numbers import number_key
from clusterdesk.registry.domain.registry import Status
from clusterdesk.review.enums import PhaseKind, PhaseStatus
from clusterdesk.revocation.enums import RevocationReason
from clusterdesk.rounds.enums import RoundKind, RoundStatus
from clusterdesk.scoring.models import AggregateMethod, Opinion
from tests.roundexport.world import SCHEMA_PATH, SCHEMA_V1_PATH, schema


def test_the_committed_schema_is_the_one_the_models_generate():
    # After a change of the format:
    # python -m clusterdesk.api.roundexport.format > docs/round-export.schema.json
    assert SCHEMA_PATH.read_text(encoding="utf-8") == fmt.schema_json()
    assert schema()["title"] == "集群申报轮次数据交换格式"
    assert schema()["properties"]["version"]["const"] == fmt.VERSION == 2
    # Version 1's, for the files written before (still read):
    # python -m clusterdesk.api.roundexport.format 1 > docs/round-export.v1.schema.json
    assert SCHEMA_V1_PATH.read_text(encoding="utf-8") == fmt.schema_json(1)
    assert schema(1)["properties"]["version"]["const"] == 1


def test_the_format_is_read_without_django():
    code = (
        "import sys\n"
        "import clusterdesk.api.roundexport.format, clusterdesk.api.roundexport.check\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'django'))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_the_values_are_the_apps_own():
    def values(literal) -> set[str]:
        return set(typing.get_args(literal))

    assert values(fmt.State) == set(ApplicationState.values)
    assert values(fmt.RoleName) == set(Role.values)
    assert values(fmt.RoundKindName) == set(RoundKind.values) - {RoundKind.ANNUAL}
    assert values(fmt.PhaseKindName) == set(PhaseKind.values)
    assert values(fmt.PhaseStatusName) == set(PhaseStatus.values)
    assert values(fmt.AggregateName) == set(AggregateMethod.values)
    assert values(fmt.OpinionName) == set(Opinion.values)
    status = fmt.RoundInfo.model_fields["status"].annotation
    assert values(status) == set(RoundStatus.values)
    assert values(fmt.RevocationReasonName) == set(RevocationReason.values)
    assert values(fmt.RegistryStatusName) == set(Status.LABELS)


def test_numbers_are_compared_as_the_registry_compares_them():
    numbers = [
        "甬经信中小〔2023〕12号",
        "甬经信中小[2023]12号",
        " 甬经信中小（2023） 12号",
        "甬经信中小【２０２３】１２号",
        "ABC(2023)1号",
        "abc〔2023〕1号",
        "",
    ]
    assert [fmt.number_key(n) for n in numbers] == [number_key(n) for n in numbers]
    assert len({fmt.number_key(n) for n in numbers[:4]}) == 1


def test_the_hash_is_taken_as_the_snapshot_takes_it():
    data = {"b": [1, 2.5, None], "a": {"名称": "北仑模具产业集群", "z": True}}
    assert fmt.canonical_json(data) == canonical_json(data)


def test_the_submitted_form_is_the_form_core_model_not_a_copy():
    from clusterdesk.form.attachment2 import ATTACHMENT2_2023  # noqa: PLC0415

    assert fmt.Snapshot.model_fields["data"].annotation is ATTACHMENT2_2023.model
