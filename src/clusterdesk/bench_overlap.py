"""What the cross-application checks cost (``form.overlap``), for ``make bench``'s core section.

1,000 synthetic applications of realistic size: the example's narrative boxes refilled with text
drawn per application from the example's own clauses (so it reads like Chinese and is the size
of a real 发展规划, but no two honest applications share a sentence), 60–300 patents, 6–20
standards and a few platforms each; every 25th application copies a 200-character passage of an
earlier one into its 发展成效 with a few characters changed, every 40th one of its patents.
Measured: indexing all of them from scratch, and one new submission against the 1,000.
"""

from __future__ import annotations

import gc
import json
import random
import re
import statistics
import time
from dataclasses import dataclass
from typing import Any

from .form.example import example_json
from .form.fields import Kind
from .form.overlap import FlagKind, OverlapIndex
from .form.schema import Application
from .form.walk import walk_model

APPLICATIONS = 1000
PLAN_BOXES = ("overview", "achievements", "problems", "approach", "key_tasks", "safeguards")
PLAN_CHARS = 500  # six boxes of about this: a 发展规划 of 3,000 characters
BOX_CHARS = 180  # the 200字以内 boxes
COPY_EVERY = 25
PATENT_COPY_EVERY = 40
NEW_SUBMISSIONS = 15


def _fragments() -> list[str]:
    """Pieces of 2–6 characters from the example's narrative boxes."""
    application = Application.model_validate(example_json())
    years = ("2020", "2021", "2022")
    texts = [
        node.value
        for node in walk_model(application, "", (), years)
        if node.spec.kind == Kind.NARRATIVE and isinstance(node.value, str)
    ]
    pieces: list[str] = []
    for clause in re.split(r"[，。；、：“”（）]", "".join(texts)):
        pieces += [clause[i : i + 4] for i in range(0, len(clause) - 1, 4)]
    return sorted({piece for piece in pieces if len(piece) >= 2})


def _text(rng: random.Random, pieces: list[str], chars: int) -> str:
    out: list[str] = []
    length = 0
    while length < chars:
        clause = "".join(rng.choices(pieces, k=rng.randint(3, 6)))
        out.append(clause + rng.choice("，，，。；"))
        length += len(clause) + 1
    return "".join(out)[:chars].rstrip("，；") + "。"


def synthetic(count: int = APPLICATIONS, seed: int = 2023) -> list[Application]:
    rng = random.Random(seed)
    pieces = _fragments()
    base = example_json()
    out: list[Application] = []
    for number in range(count):
        data: dict[str, Any] = {key: value for key, value in base.items() if key != "evidence"}
        data = {**data, "part8": {**base["part8"]}}
        for part, section in data.items():
            if not isinstance(section, dict) or part == "part8":
                continue
            data[part] = {
                key: _text(rng, pieces, BOX_CHARS)
                if isinstance(value, str) and len(value) > 40
                else value
                for key, value in section.items()
            }
        for box in PLAN_BOXES:
            data["part8"][box] = _text(rng, pieces, PLAN_CHARS)
        if number and number % COPY_EVERY == 0:
            source = out[rng.randrange(len(out))].part8.achievements or ""
            passage = source[100:300].replace("集群", "本集群", 1).replace("，", "；", 2)
            data["part8"]["achievements"] = data["part8"]["achievements"][:200] + passage
        patents = [
            {
                "title": f"一种装置{i}",
                "number": f"ZL20{15 + i % 8}1{number:04d}{i:03d}.{i % 10}",
                "holder": f"宁波第{number}号模具有限公司",
            }
            for i in range(rng.randint(60, 300))
        ]
        if number and number % PATENT_COPY_EVERY == 0:
            patents.append({**out[number - 1].part3.patents_list[0].model_dump(), "holder": None})
        standards = [
            {
                "year": 2021,
                "category": "团体",
                "role": "主持",
                "name": "模具团体标准",
                "code": f"T/NBMJ {number:04d}{i:02d}-2021",
            }
            for i in range(rng.randint(6, 20))
        ]
        data["part3"] = {
            **data["part3"],
            "patents": len(patents),
            "patents_list": patents,
            "standards_list": standards,
            "platforms": {
                "national": {"count": 0, "names": []},
                "provincial": {
                    "count": 2,
                    "names": [f"第{number}号省级研究院", f"第{number}号中心"],
                },
                "other": {"count": 1, "names": [f"第{number}号公共服务平台"]},
            },
        }
        data["part1"] = {**data["part1"], "operator": f"第{number}号园区管理委员会"}
        out.append(Application.model_validate(data))
    return out


@dataclass(frozen=True)
class Result:
    scratch_ms: float  # all APPLICATIONS indexed one after another, from an empty index
    new_ms: float  # median of one new submission against them
    load_ms: float  # the index read back from its JSON state (what a worker does on start)
    flags: int
    planted: int  # the copies planted: every one must be among the flags
    characters: int  # narrative text indexed


def measure() -> Result:
    applications = synthetic(APPLICATIONS + NEW_SUBMISSIONS)
    indexed, new = applications[:APPLICATIONS], applications[APPLICATIONS:]
    # The 1,000 forms are the bench's fixtures, not the index's: a server reads one at a time.
    # Frozen, the collector does not walk their millions of objects again and again.
    gc.freeze()
    index = OverlapIndex()
    start = time.perf_counter()
    for number, application in enumerate(indexed):
        index.add(f"a{number}", f"第{number}号集群", application)
    scratch_ms = (time.perf_counter() - start) * 1000
    samples = []
    for number, application in enumerate(new):
        start = time.perf_counter()
        index.add(f"new{number}", "新提交", application)
        samples.append((time.perf_counter() - start) * 1000)
        index.remove(f"new{number}")
    gc.unfreeze()
    state = json.loads(json.dumps(index.to_json(), ensure_ascii=False))
    start = time.perf_counter()
    loaded = OverlapIndex.from_json(state)
    load_ms = (time.perf_counter() - start) * 1000
    if loaded.flags != index.flags:
        raise AssertionError("雷同检查索引读回后的结果与原索引不同")
    characters = sum(len(box[2]) for entry in state["entries"] for box in entry["boxes"])
    text = {flag.later.key for flag in index.flags if flag.kind is FlagKind.TEXT}
    patents = {flag.later.key for flag in index.flags if flag.kind is FlagKind.PATENT}
    planted_text = {f"a{n}" for n in range(COPY_EVERY, APPLICATIONS, COPY_EVERY)}
    planted_patents = {f"a{n}" for n in range(PATENT_COPY_EVERY, APPLICATIONS, PATENT_COPY_EVERY)}
    if planted_text - text or planted_patents - patents:
        raise AssertionError("雷同检查漏报了预置的复制段落或专利号")
    planted = len(planted_text) + len(planted_patents)
    return Result(
        scratch_ms, statistics.median(samples), load_ms, len(index.flags), planted, characters
    )
