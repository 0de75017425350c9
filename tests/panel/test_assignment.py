"""Automatic assignment: N each, fields first, no conflicts or inactive experts, even loads,
deterministic, and the applications it cannot fill with why."""

from __future__ import annotations

import random

from clusterdesk.panel.assignment import Candidate, Target, assign, matching_field


def _experts(count: int, fields=("模具",), **kw) -> list[Candidate]:
    return [
        Candidate(key=100 + n, name=f"专家{n}", fields=tuple(fields), **kw) for n in range(count)
    ]


def _targets(count: int, topics=("模具", "第二产业", "宁波北仑模具产业集群")) -> list[Target]:
    return [Target(key=n + 1, label=f"集群{n}", topics=tuple(topics)) for n in range(count)]


def test_each_application_gets_n_distinct_experts_and_loads_stay_even():
    plan = assign(_targets(20), _experts(12), 5)
    assert not plan.unfilled
    per_app: dict[int, list[int]] = {}
    for pick in plan.picks:
        per_app.setdefault(pick.application, []).append(pick.expert)
    assert all(len(set(experts)) == 5 for experts in per_app.values())
    loads = plan.loads.values()
    assert max(loads) - min(loads) <= 1  # 100 tasks over 12 experts: 8 or 9 each


def test_matching_fields_are_preferred_and_explained():
    experts = [
        *_experts(5, fields=("纺织",)),
        Candidate(key=1, name="模具专家甲", fields=("汽车零部件", "模具")),
        Candidate(key=2, name="模具专家乙", fields=("模具",)),
    ]
    plan = assign(_targets(1), experts, 3)
    chosen = {pick.expert: pick for pick in plan.picks}
    assert {1, 2} <= set(chosen)
    assert chosen[1].why == "领域匹配：模具；分配前已有任务 0 件"
    others = [pick for pick in plan.picks if pick.expert not in (1, 2)]
    assert others[0].why.startswith("领域不匹配")


def test_matching_field_names_the_industry():
    assert matching_field(["纺织", "模具"], ["第二产业", "宁波北仑模具产业集群"]) == "模具"
    assert matching_field(["第二产业"], ["第二产业"]) == "第二产业"
    assert matching_field(["纺织"], ["第二产业", "北仑模具"]) is None


def test_conflicted_inactive_already_assigned_and_barred_experts_are_never_chosen():
    experts = _experts(8)
    experts[0] = Candidate(key=100, name="停用", fields=("模具",), active=False)
    target = Target(key=1, label="集群", topics=("模具",), assigned=(101,), barred={102: "已回避"})
    plan = assign([target], experts, 4, conflicts={(1, 103): ["工作单位即运营管理机构"]})
    chosen = {pick.expert for pick in plan.picks}
    assert len(chosen) == 3  # one was assigned already
    assert chosen.isdisjoint({100, 101, 102, 103})


def test_the_same_input_in_any_order_gives_the_same_plan():
    experts, targets = _experts(15), _targets(30)
    conflicts = {(3, 104): "x", (7, 110): "y"}
    first = assign(targets, experts, 5, conflicts)
    rng = random.Random(1)
    rng.shuffle(experts)
    rng.shuffle(targets)
    again = assign(targets, experts, 5, conflicts)
    assert sorted((p.application, p.expert, p.why) for p in first.picks) == sorted(
        (p.application, p.expert, p.why) for p in again.picks
    )


def test_an_application_that_cannot_be_filled_says_why():
    experts = _experts(4)
    conflicts = {(1, 100): "x"}
    plan = assign(_targets(1), experts, 5, conflicts)
    [unfilled] = plan.unfilled
    assert unfilled.missing == 2
    assert unfilled.why == (
        "可选专家不足，还差 2 名：专家库共 4 名，其中已停用 0 名、存在利益关联 1 名、"
        "已分配 0 名、已回避或撤换 0 名。"
    )
    assert len(plan.picks) == 3


def test_existing_loads_are_counted():
    experts = [
        Candidate(key=1, name="忙", fields=("模具",), load=6),
        Candidate(key=2, name="闲", fields=("模具",), load=0),
    ]
    [pick] = assign(_targets(1), experts, 1).picks
    assert pick.expert == 2
