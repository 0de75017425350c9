"""The ranking: sealed until the scored phase closes, the trimmed mean, ties, disagreement and
the flags the apps above register."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clusterdesk.review.enums import AssignmentStatus
from clusterdesk.review.models import Assignment
from clusterdesk.scoring.domain import ranking as ranking_module
from clusterdesk.scoring.domain.ranking import ranking_for
from clusterdesk.scoring.domain.settings import update_settings
from clusterdesk.scoring.domain.sheets import save_draft, submit_sheet
from tests.scoring.world import close, full_sheet, make_world

pytestmark = pytest.mark.django_db


def _score(world, app, expert, value, **kw):
    return submit_sheet(world.of(app, expert), full_sheet(value, **kw), 0, world.experts[expert])


@pytest.fixture
def world():
    world = make_world(applications=3, experts=5)
    # Application 0: 9, 8, 8, 8, 2 → trimmed 80, mean 70, spread 70 (disagreement)
    for expert, value in enumerate(["9", "8", "8", "8", "2"]):
        _score(world, 0, expert, value)
    # Application 1: all 8 → 80 everywhere (ties application 0 on the trimmed mean)
    for expert in range(5):
        _score(world, 1, expert, "8")
    # Application 2: two submitted, one draft, two not started → mean of two, said so
    _score(world, 2, 0, "9")
    _score(world, 2, 1, "6")
    save_draft(world.of(2, 2), {"scores": {"digital": "3"}}, 0, world.experts[2])
    return world


def test_scores_stay_sealed_while_the_phase_is_open(world):
    assert ranking_for(world.round) == []


def test_trimmed_mean_ties_and_disagreement_after_close(world):
    close(world.phase)
    rows = ranking_for(world.round)
    by_name = {row.application.name: row for row in rows}
    first, second, third = (by_name[f"评分测试{i}号产业集群"] for i in range(3))
    assert (first.rank, second.rank, third.rank) == (1, 1, 3)
    assert first.tied
    assert second.tied
    assert first.aggregate == Decimal("80.00")
    assert first.figures.mean == Decimal("70.00")
    assert first.figures.median == Decimal("80.00")
    assert first.spread == Decimal("70.00")
    assert first.disagreement
    assert not second.disagreement
    assert sorted(t.total for t in first.totals) == [20, 80, 80, 80, 90]
    assert third.aggregate == Decimal("75.00")  # (90 + 60) / 2
    assert not third.figures.trimmed_applied
    assert third.figures.notes == ("评分专家少于 3 人，未去掉最高分和最低分，按算术平均计算。",)
    assert len(third.totals) == 2  # the draft does not count
    assert third.assigned == 5


def test_the_method_decides_the_order(world):
    update_settings(world.round, world.city, aggregate="mean")
    close(world.phase)
    rows = ranking_for(world.round)
    assert [(row.application.name, row.rank) for row in rows] == [
        ("评分测试1号产业集群", 1),  # 80
        ("评分测试2号产业集群", 2),  # 75
        ("评分测试0号产业集群", 3),  # 70
    ]


def test_a_recused_experts_sheet_no_longer_counts(world):
    Assignment.objects.filter(pk=world.of(0, 4).pk).update(
        status=AssignmentStatus.RECUSED, recusal_reason="利益关联"
    )
    close(world.phase)
    first = next(r for r in ranking_for(world.round) if r.application == world.applications[0])
    assert len(first.totals) == 4
    assert not first.disagreement  # 90, 80, 80, 80


def test_flags_registered_by_the_apps_above(world, monkeypatch):
    target = world.applications[1].pk

    def site_visit(round_, ids):
        assert round_ == world.round
        return {target: ["实地走访：不属实"]} if target in ids else {}

    monkeypatch.setattr(ranking_module, "RANKING_FLAGS", [site_visit])
    close(world.phase)
    flags = {row.application.pk: row.flags for row in ranking_for(world.round)}
    assert flags[target] == ["实地走访：不属实"]
    assert flags[world.applications[0].pk] == []
