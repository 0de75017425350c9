"""Three clusters certified by 甬经信中小〔2023〕12号 on 2023-04-20; the clock stands at
2023-06-01, so a revocation may be decided between those days."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import SHANGHAI, make_admin
from tests.registry.world import World, certified_world

NOW = dt.datetime(2023, 6, 1, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
CERTIFIED_NUMBER = "甬经信中小〔2023〕12号"
NUMBER = "甬经信中小〔2023〕45号"
REASON = "经核查，该集群申报的2022年工业总产值与统计部门数据严重不符，属虚假申报"


@pytest.fixture
def world(clock_at) -> World:
    world = certified_world()
    clock_at(NOW)
    return world


@pytest.fixture
def certification(world):
    return world.applications[0].certification


@pytest.fixture
def admin():
    return make_admin()
