"""What automatic expert assignment costs (``panel.assignment`` with ``panel.conflicts``), for
``make bench``: 200 applications × 60 experts, pure (no database), including the conflict check.

Each synthetic application names its operator, county unit, applying unit, 40 patent holders and
6 platforms, like the example; each expert has a unit, 1–3 fields and 0–3 declared relations.
Every 10th expert works for an operator and every 7th declares an enterprise of some
application, so conflicts are found and excluded (checked: no pick is conflicted).
Goal: < 1 s per full assignment (the issue's figure); the median of ``ROUNDS`` runs is printed.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

from .panel.assignment import Candidate, Target, assign
from .panel.conflicts import ApplicationFacts, Declared, ExpertFacts, NamedUnit, conflict_map

APPLICATIONS = 200
EXPERTS = 60
PER_APPLICATION = 5
ROUNDS = 7
GOAL_MS = 1000.0
INDUSTRIES = ("模具", "汽车零部件", "纺织服装", "家电", "新材料", "智能装备", "文具", "电子信息")
COUNTIES = ("海曙", "江北", "北仑", "镇海", "鄞州", "奉化", "余姚", "慈溪", "宁海", "象山")
REFERENCE = dt.date(2022, 12, 31)


def synthetic(seed: int = 2023) -> tuple[list[ApplicationFacts], list[Target], list[ExpertFacts]]:
    rng = random.Random(seed)
    facts, targets = [], []
    for n in range(APPLICATIONS):
        county = COUNTIES[n % len(COUNTIES)]
        industry = INDUSTRIES[n % len(INDUSTRIES)]
        units = [
            NamedUnit(f"宁波{county}{industry}产业园区{n}号管理委员会", "集群运营管理机构"),
            NamedUnit(f"宁波市{county}区经济和信息化局", "县（市、区）中小企业主管部门"),
            NamedUnit(f"{county}区经济和信息化局", "申报单位"),
            *(
                NamedUnit(f"宁波{county}第{n}集群{k}号{industry}有限公司", "有效发明专利权利人")
                for k in range(40)
            ),
            *(NamedUnit(f"{county}{industry}创新平台{n}-{k}", "创新平台") for k in range(6)),
        ]
        facts.append(ApplicationFacts(n + 1, f"{county}{industry}产业集群", tuple(units)))
        targets.append(
            Target(
                n + 1,
                f"{county}{industry}产业集群",
                (industry, "第二产业", f"{county}{industry}产业集群"),
            )
        )
    experts = []
    for n in range(EXPERTS):
        if n % 10 == 0:
            unit = f"{COUNTIES[n % 10]}{INDUSTRIES[n % 8]}产业园区{n}号管委会"
        else:
            unit = f"宁波第{n}研究院"
        declared = tuple(
            Declared(
                f"宁波{COUNTIES[(n + k) % 10]}第{rng.randrange(APPLICATIONS)}集群{k}号"
                f"{INDUSTRIES[(n + k) % 8]}有限公司",
                "顾问",
                dt.date(2018, 1, 1),
                None if k % 2 else dt.date(2021, 6, 30),
            )
            for k in range(rng.randrange(4) if n % 7 else 3)
        )
        experts.append(ExpertFacts(1000 + n, f"专家{n}", unit, declared))
    return facts, targets, experts


def run_once(facts, targets, experts):
    conflicts = conflict_map(experts, facts, REFERENCE, 3)
    candidates = [
        Candidate(e.key, e.name, (INDUSTRIES[e.key % 8], INDUSTRIES[(e.key * 3) % 8]))
        for e in experts
    ]
    return conflicts, assign(targets, candidates, PER_APPLICATION, conflicts)


def measure() -> tuple[float, int, int, int, int]:
    facts, targets, experts = synthetic()
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        conflicts, plan = run_once(facts, targets, experts)
        samples.append((time.perf_counter() - start) * 1000)
    if any((pick.application, pick.expert) in conflicts for pick in plan.picks):
        raise AssertionError("自动分配选中了存在利益关联的专家")
    loads = list(plan.loads.values())
    return statistics.median(samples), len(conflicts), len(plan.picks), min(loads), max(loads)


def main() -> bool:
    median, conflicts, picks, low, high = measure()
    ok = median < GOAL_MS
    print("\n专家自动分配（纯计算，含利益关联核对）")
    print(
        f"{APPLICATIONS} 份申报 × {EXPERTS} 名专家，每份 {PER_APPLICATION} 名："
        f"中位数 {median:.1f} ms"
        f"（目标 < {GOAL_MS:g} ms，{'达标' if ok else '未达标'}）；"
        f"利益关联 {conflicts} 对已排除，分配 {picks} 个任务，每名专家 {low}—{high} 件"
    )
    return ok


if __name__ == "__main__":
    main()
