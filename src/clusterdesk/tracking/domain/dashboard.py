"""The city-wide figures built from the tracked clusters (no query of its own): from their
summaries, and the full tracks of the few clusters listed (the ranking)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from clusterdesk.form.display import number_text
from clusterdesk.panel.tracking import VERDICTS, Status, status_chart
from clusterdesk.tracking.domain.compute import TrackedCluster

SHOWN_STATUSES = (*VERDICTS, Status.NOT_REPORTED, Status.NO_TARGET)
RANKED = 10
TOP_INDUSTRIES = 10


def status_of(cluster: TrackedCluster) -> Status:
    return cluster.summary.status if cluster.summary else Status.NO_TARGET


def lagging(clusters: list[TrackedCluster]) -> list[TrackedCluster]:
    """The clusters with a flagged target, most lagging first."""
    flagged = [c for c in clusters if c.summary and c.summary.flagged]
    return sorted(flagged, key=lambda c: (c.summary.lag_key, c.name))


@dataclass
class Dashboard:
    counts: dict[Status, int]
    by_county: dict
    by_industry: dict
    output: dict
    growth: dict
    ranking: dict
    ranked: list[TrackedCluster]
    output_rows: list[tuple[int, str, str | None]]


def dashboard(clusters: list[TrackedCluster]) -> Dashboard:
    counts = Counter(status_of(c) for c in clusters)
    county: dict[str, Counter] = defaultdict(Counter)
    industry: dict[str, Counter] = defaultdict(Counter)
    for c in clusters:
        county[c.county][status_of(c)] += 1
        industry[c.leading_industry][status_of(c)] += 1
    top = sorted(industry, key=lambda k: (-sum(industry[k].values()), k))
    if len(top) > TOP_INDUSTRIES:
        other: Counter = Counter()
        for key in top[TOP_INDUSTRIES:]:
            other.update(industry[key])
        industry = {k: industry[k] for k in top[:TOP_INDUSTRIES]} | {"其他": other}
    else:
        industry = {k: industry[k] for k in top}
    totals, growth = _output(clusters)
    years = sorted(totals)
    ranked = lagging(clusters)[:RANKED]
    return Dashboard(
        counts={s: counts.get(s, 0) for s in SHOWN_STATUSES},
        by_county=status_chart("各区县集群跟踪状态", "区县", county),
        by_industry=status_chart("各主导产业集群跟踪状态", "主导产业", industry),
        output={
            "type": "bar",
            "title": "集群总产值合计",
            "unit": "亿元",
            "categoryLabel": "年份",
            "categories": [str(y) for y in years],
            "series": [{"name": "集群总产值合计", "data": [number_text(totals[y]) for y in years]}],
            "decimals": 2,
        },
        growth={
            "type": "line",
            "title": "集群总产值同比增长（可比口径）",
            "unit": "%",
            "categoryLabel": "年份",
            "categories": [str(y) for y in years[1:]],
            "series": [{"name": "同比增长", "data": [_text(growth.get(y)) for y in years[1:]]}],
            "decimals": 2,
        },
        ranking={
            "type": "bar",
            "title": "滞后程度最大的集群",
            "unit": "项",
            "categoryLabel": "集群",
            "categories": [c.name for c in ranked],
            "series": [
                {
                    "name": str(Status.SERIOUS),
                    "data": [c.summary.serious for c in ranked],
                },
                {
                    "name": str(Status.LAGGING),
                    "data": [c.summary.lagging for c in ranked],
                },
            ],
            "stack": True,
            "decimals": 0,
        },
        ranked=ranked,
        output_rows=[(y, number_text(totals[y]), _text(growth.get(y))) for y in years],
    )


def _text(value: Decimal | None) -> str | None:
    return None if value is None else number_text(value)


def _output(clusters):
    """集群总产值 summed per year (the base year's as declared, then the reports'), and the
    growth on a like-for-like basis (clusters with a value in both years)."""
    values: dict[int, dict[int, Decimal]] = defaultdict(dict)  # year → cluster → value
    for c in clusters:
        if c.summary is None:
            continue
        for year, value in c.summary.output:
            values[year][c.pk] = value
    totals = {y: sum(v.values(), Decimal(0)) for y, v in values.items()}
    growth = {}
    for year, now in values.items():
        before = values.get(year - 1)
        if not before:
            continue
        both = set(before) & set(now)
        old = sum((before[k] for k in both), Decimal(0))
        if both and old > 0:
            new = sum((now[k] for k in both), Decimal(0))
            growth[year] = ((new / old - 1) * 100).quantize(Decimal("0.01"))
    return totals, growth
