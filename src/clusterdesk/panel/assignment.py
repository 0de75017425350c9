"""Automatic assignment of experts to applications: N per application, no conflicts, fields of
expertise matched where possible, the load spread evenly. Deterministic: the same input gives
the same picks, whatever order it came in.

A min-cost greedy: applications are served scarcest first (the fewest matching experts free,
then by key); each takes the N cheapest eligible experts, where an expert's cost is the tasks
they already have plus ``MISMATCH_COST`` when their fields do not match the application. So a
matching expert is preferred until they carry ``MISMATCH_COST`` more tasks than a non-matching
one, which keeps the loads within a few tasks of each other. Every pick says why it was made;
an application that cannot get N says what was missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from clusterdesk.panel.conflicts import normalise

# How many extra tasks a matching expert may carry before a non-matching one is preferred.
MISMATCH_COST = 3


@dataclass(frozen=True)
class Candidate:
    key: int
    name: str
    fields: tuple[str, ...] = ()
    active: bool = True
    load: int = 0  # active tasks already carried (in this phase)


@dataclass(frozen=True)
class Target:
    key: int
    label: str
    topics: tuple[str, ...] = ()  # industry type, 主导产业, cluster name: what fields match
    assigned: tuple[int, ...] = ()  # experts already actively assigned
    # Experts who may not be chosen again for it (recused or removed), with why.
    barred: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Pick:
    application: int
    expert: int
    why: str
    matched: str | None  # the field that matched, if any


@dataclass(frozen=True)
class Unfilled:
    application: int
    missing: int
    why: str


@dataclass
class Plan:
    picks: list[Pick]
    unfilled: list[Unfilled]
    loads: dict[int, int]  # expert → tasks after the plan


def matching_field(fields: Iterable[str], topics: Iterable[str]) -> str | None:
    """The first of an expert's fields that names the application's industry: equal to a topic,
    or (two characters or more) contained in one, e.g. 模具 in 宁波北仑模具产业集群."""
    keys = [normalise(topic) for topic in topics]
    for name in fields:
        wanted = normalise(name)
        if len(wanted) < 2:
            continue
        if any(wanted == key or wanted in key for key in keys if key):
            return name
    return None


def assign(
    targets: Iterable[Target],
    candidates: Iterable[Candidate],
    per_application: int,
    conflicts: Mapping[tuple[int, int], object] | None = None,
) -> Plan:
    """The picks that bring each target to ``per_application`` experts.

    ``conflicts`` holds the (application, expert) pairs that may not meet (any value, e.g. the
    list of reasons); inactive candidates are never chosen.
    """
    conflicts = conflicts or {}
    experts = sorted(candidates, key=lambda c: c.key)
    loads = {expert.key: expert.load for expert in experts}
    active = [expert for expert in experts if expert.active]
    inactive = len(experts) - len(active)

    prepared = []
    for target in targets:
        matches = {}
        for expert in active:
            matched = matching_field(expert.fields, target.topics)
            if matched is not None:
                matches[expert.key] = matched
        free = [
            expert
            for expert in active
            if expert.key not in target.assigned
            and expert.key not in target.barred
            and (target.key, expert.key) not in conflicts
        ]
        scarcity = sum(1 for expert in free if expert.key in matches)
        prepared.append((scarcity, target.key, target, matches, free))
    prepared.sort(key=lambda item: (item[0], item[1]))

    picks: list[Pick] = []
    unfilled: list[Unfilled] = []
    for _scarcity, _key, target, matches, free in prepared:
        wanted = per_application - len(target.assigned)
        if wanted <= 0:
            continue
        ranked = sorted(
            free,
            key=lambda e: (loads[e.key] + (0 if e.key in matches else MISMATCH_COST), e.key),
        )
        for expert in ranked[:wanted]:
            matched = matches.get(expert.key)
            picks.append(Pick(target.key, expert.key, _why(matched, loads[expert.key]), matched))
            loads[expert.key] += 1
        if len(ranked) < wanted:
            missing = wanted - len(ranked)
            conflicted = sum(1 for expert in active if (target.key, expert.key) in conflicts)
            unfilled.append(
                Unfilled(
                    target.key,
                    missing,
                    f"可选专家不足，还差 {missing} 名：专家库共 {len(experts)} 名，"
                    f"其中已停用 {inactive} 名、存在利益关联 {conflicted} 名、"
                    f"已分配 {len(target.assigned)} 名、已回避或撤换 {len(target.barred)} 名。",
                )
            )
    return Plan(picks, unfilled, loads)


def _why(matched: str | None, load: int) -> str:
    tasks = f"分配前已有任务 {load} 件"
    if matched:
        return f"领域匹配：{matched}；{tasks}"
    return f"领域不匹配（无可选的同领域专家或其任务已较多），按任务量均衡选取；{tasks}"
