"""Aggregating experts' totals and ranking (pure)."""

from __future__ import annotations

import itertools
from decimal import Decimal as D

from clusterdesk.panel.aggregate import MEAN, MEDIAN, TRIMMED, TRIMMED_FALLBACK, aggregate, rank


def test_mean_median_and_the_trimmed_mean_drop_one_highest_and_one_lowest():
    figures = aggregate([D("90"), D("80"), D("70"), D("60"), D("20")], D(15))
    assert figures.mean == D("64.00")
    assert figures.median == D("70.00")
    assert figures.trimmed == D("70.00")  # (80 + 70 + 60) / 3
    assert figures.trimmed_applied
    assert figures.notes == ()
    assert figures.spread == D("70.00")
    assert figures.disagreement


def test_two_places_half_up():
    figures = aggregate([D("80"), D("80"), D("80.01")], D(15))
    assert figures.mean == D("80.00")  # 80.003…
    assert aggregate([D("80.005"), D("80.005")], D(15)).mean == D("80.01")


def test_fewer_than_three_scores_fall_back_to_the_mean_and_say_so():
    figures = aggregate([D("90"), D("70")], D(15))
    assert figures.trimmed == figures.mean == D("80.00")
    assert not figures.trimmed_applied
    assert figures.notes == (TRIMMED_FALLBACK,)
    assert aggregate([], D(15)) is None


def test_disagreement_only_beyond_the_margin():
    assert not aggregate([D("80"), D("65")], D(15)).disagreement  # spread 15 = margin
    assert aggregate([D("80"), D("64.99")], D(15)).disagreement


def test_ties_share_a_rank_and_the_next_rank_skips():
    items = [
        ("a", aggregate([D(70)], D(15))),
        ("b", aggregate([D(90)], D(15))),
        ("c", aggregate([D(80)], D(15))),
        ("d", aggregate([D(80)], D(15))),
        ("none", None),
    ]
    ranked = rank(items, MEAN)
    assert [(r.key, r.rank, r.tied) for r in ranked] == [
        ("b", 1, False),
        ("c", 2, True),
        ("d", 2, True),
        ("a", 4, False),
        ("none", None, False),
    ]


def test_the_method_decides_the_order():
    spiky = aggregate([D(100), D(60), D(60)], D(50))  # mean 73.33, median 60, trimmed 60
    even = aggregate([D(70), D(70), D(70)], D(50))
    assert [r.key for r in rank([("spiky", spiky), ("even", even)], MEAN)] == ["spiky", "even"]
    assert [r.key for r in rank([("spiky", spiky), ("even", even)], MEDIAN)] == ["even", "spiky"]
    assert [r.key for r in rank([("spiky", spiky), ("even", even)], TRIMMED)] == ["even", "spiky"]


def test_a_thousand_applications_rank_in_order():
    # Its speed is measured by `make bench` (bench_scoring), not here.
    items = [
        (i, aggregate([D(60 + (i * k) % 40) for k in range(1, 6)], D(15))) for i in range(1000)
    ]
    ranked = rank(items, TRIMMED)
    assert len(ranked) == 1000
    assert ranked[0].rank == 1
    # The order holds all the way down, and equal figures share their rank.
    for above, below in itertools.pairwise(ranked):
        assert above.value >= below.value
        assert (above.rank == below.rank) == (above.value == below.value)
