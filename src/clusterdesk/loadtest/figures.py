"""The load test's figures: per kind of request, the rate, percentiles and errors; the verdict
against the goals of issue 13. Pure: records in, text out."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

AUTOSAVE = "自动保存"  # the kinds' names are the locustfile's
BARE = "空白视图（基准）"
GOAL_P95_MS = 300.0
GOAL_SHARE = 0.5  # autosave throughput at least this share of the bare view's
Record = Sequence  # (kind, start in s since the epoch, milliseconds, ok)


@dataclass(frozen=True)
class Row:
    kind: str
    count: int
    rate: float  # requests per second over the phase
    p50: float
    p95: float
    p99: float
    errors: int


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (``share`` in 0..1) of ``values``; 0 when there are none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def rows(records: Iterable[Record], seconds: float) -> list[Row]:
    """One row per kind, in the order the kinds first appear."""
    times: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    for kind, _start, milliseconds, ok, *_ in records:
        times.setdefault(kind, []).append(milliseconds)
        errors[kind] = errors.get(kind, 0) + (not ok)
    return [
        Row(
            kind,
            len(values),
            len(values) / seconds if seconds > 0 else 0.0,
            percentile(values, 0.50),
            percentile(values, 0.95),
            percentile(values, 0.99),
            errors[kind],
        )
        for kind, values in times.items()
    ]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(text: str, width: int, *, left: bool = False) -> str:
    pad = " " * max(0, width - _width(text))
    return text + pad if left else pad + text


def table(found: list[Row]) -> str:
    heads = ("请求类别", "请求数", "每秒", "p50 ms", "p95 ms", "p99 ms", "错误")
    lines = [[r.kind, str(r.count), f"{r.rate:.1f}", f"{r.p50:.0f}", f"{r.p95:.0f}",
              f"{r.p99:.0f}", str(r.errors)] for r in found]  # fmt: skip
    widths = [max(_width(x) for x in column) for column in zip(heads, *lines, strict=False)]
    out = []
    for line in [list(heads), *lines]:
        out.append(
            "  ".join(
                _cell(x, w, left=i == 0) for i, (x, w) in enumerate(zip(line, widths, strict=True))
            )
        )
    return "\n".join(out)


@dataclass(frozen=True)
class Verdict:
    users: int
    errors: int
    lost: int
    autosave_p95: float
    autosave_rate: float  # the flood's requests per second
    bare_rate: float

    @property
    def share(self) -> float:
        return self.autosave_rate / self.bare_rate if self.bare_rate else 0.0

    def checks(self) -> list[tuple[bool, str]]:
        return [
            (self.errors == 0, f"错误数 {self.errors}（目标 0）"),
            (self.lost == 0, f"丢失的保存 {self.lost}（目标 0）"),
            (
                0 < self.autosave_p95 < GOAL_P95_MS,
                f"自动保存 p95 {self.autosave_p95:.0f} ms（目标 < {GOAL_P95_MS:.0f} ms）",
            ),
            (
                self.share >= GOAL_SHARE,
                f"自动保存吞吐量 {self.autosave_rate:.1f}/s，为空白视图 {self.bare_rate:.1f}/s 的 "
                f"{self.share:.0%}（目标 ≥ {GOAL_SHARE:.0%}）",
            ),
        ]

    @property
    def passed(self) -> bool:
        return all(ok for ok, _ in self.checks())

    def text(self) -> str:
        lines = [f"{'✓' if ok else '✗'} {what}" for ok, what in self.checks()]
        head = (
            f"结论：{self.users} 个并发用户下全部达标。"
            if self.passed
            else f"结论：{self.users} 个并发用户下未达标。"
        )
        return "\n".join([head, *lines])
