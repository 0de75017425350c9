"""Applications for the cross-application checks: each with text and identifiers of its own
(the example form, its narrative boxes' characters shuffled per application, its patent and
standard numbers, platforms and names renumbered), so that only what a test copies is shared."""

from __future__ import annotations

import random
from typing import Any

from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application
from clusterdesk.declarations.workflow import transition
from tests.factories import complete_form_data, make_application

PLAN = ("part8", "achievements")  # 八、… · 发展成效: where the tests copy passages
SCRAMBLE_LONGER_THAN = 20  # characters: the narrative boxes, not codes, dates or choices


def own_data(name: str, seed: int) -> dict[str, Any]:
    data = complete_form_data(name)
    rng = random.Random(seed)

    def scramble(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: scramble(item) for key, item in value.items()}
        if isinstance(value, list):
            return [scramble(item) for item in value]
        if isinstance(value, str) and len(value) > SCRAMBLE_LONGER_THAN:
            chars = list(value)
            rng.shuffle(chars)
            return "".join(chars)
        return value

    for part, section in data.items():
        if part not in ("part1", "evidence"):
            data[part] = scramble(section)
    part3 = data["part3"]
    for row, patent in enumerate(part3["patents_list"]):
        patent["number"] = f"ZL20{seed:04d}{row:05d}.{row % 10}"
        patent["holder"] = None
    for row, standard in enumerate(part3["standards_list"]):
        standard["code"] = f"T/NB{seed:04d}{row:03d}-2021"
    for level, platforms in part3["platforms"].items():
        platforms["names"] = [f"第{seed}号{level}平台{n}" for n, _ in enumerate(platforms["names"])]
    data["part1"]["operator"] = f"第{seed}号产业集群管理委员会"
    return data


def passage(data: dict[str, Any], start: int = 20, length: int = 120) -> str:
    return data[PLAN[0]][PLAN[1]][start : start + length]


def with_passage(data: dict[str, Any], text: str, at: int = 40) -> dict[str, Any]:
    """``data`` with ``text`` written over its 发展成效 at ``at`` (its length unchanged)."""
    box = data[PLAN[0]][PLAN[1]]
    data[PLAN[0]][PLAN[1]] = box[:at] + text + box[at + len(text) :]
    return data


def submitted(round_, officer, name: str, data: dict[str, Any]) -> Application:
    return make_application(
        round_=round_, officer=officer, cluster_name=name, data=data, path=(S.SUBMITTED,)
    )


def resubmit(application: Application, officer, city, data: dict[str, Any]) -> None:
    """退回 by the city, corrected by the county (the data as given), 重新提交."""
    transition(application, S.RETURNED, city, reason="请修改")
    application.refresh_from_db()
    application.data = data
    application.version += 1
    application.save(update_fields=["data", "version"])
    transition(application, S.SUBMITTED, officer)
