"""Conflicts of interest (回避) between experts and applications, each with its reason in Chinese.

Two sources:

- declared: the units and enterprises an expert worked for, advised or holds interests in, with
  dates. One counts when it was still going on inside the round's window: from ``years`` years
  before the round's reference date on (an ongoing one, ``ended_on`` None, always counts).
- automatic: the expert's own 工作单位 is the cluster's 运营管理机构, its
  县（市、区）中小企业主管部门
  or the applying unit, or a unit the application names (the 权利人 of its patents, its
  innovation platforms).

Names are matched after normalising them (full-width to half-width, no spaces or punctuation,
the usual short forms written out: 管委会 → 管理委员会, 经信局 → 经济和信息化局) when one contains
the other, so that “北仑模具产业园区管委会” is found in “宁波北仑模具产业园区管理委员会”. A name
shorter than ``MIN_CHARS`` characters is never matched by containment (it would match too much).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# Short forms officials write, and what they stand for (longest first where they overlap).
ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("管委会", "管理委员会"),
    ("经信局", "经济和信息化局"),
    ("经信委", "经济和信息化委员会"),
    ("有限责任公司", "有限公司"),
    ("股份有限公司", "股份公司"),
)
MIN_CHARS = 4
_DROP = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise(name: str | None) -> str:
    """The form of a unit's name that matching compares."""
    text = unicodedata.normalize("NFKC", name or "")
    text = _DROP.sub("", text)
    for short, full in ABBREVIATIONS:
        text = text.replace(short, full)
    return text


def same_unit(a: str, b: str) -> bool:
    """Whether two normalised names name one unit: equal, or the shorter (at least
    ``MIN_CHARS`` characters) contained in the longer."""
    if not a or not b:
        return False
    if a == b:
        return True
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return len(shorter) >= MIN_CHARS and shorter in longer


@dataclass(frozen=True)
class Declared:
    """A declared relation: 单位/企业名称, 关系 (任职/顾问/持股/其他…), from, until (None:
    ongoing)."""

    counterpart: str
    relation: str
    started_on: dt.date | None = None
    ended_on: dt.date | None = None


@dataclass(frozen=True)
class ExpertFacts:
    key: int
    name: str
    organisation: str
    declared: tuple[Declared, ...] = ()


@dataclass(frozen=True)
class NamedUnit:
    """A unit the application names and in what role (e.g. “集群运营管理机构”)."""

    name: str
    role: str


@dataclass(frozen=True)
class ApplicationFacts:
    key: int
    label: str  # the cluster's name, for messages
    units: tuple[NamedUnit, ...] = ()
    # Normalised names, worked out once per application (matching runs per pair).
    _normalised: tuple[tuple[str, NamedUnit], ...] = field(default=(), compare=False, repr=False)

    def normalised(self) -> tuple[tuple[str, NamedUnit], ...]:
        if not self._normalised and self.units:
            seen: dict[str, NamedUnit] = {}
            for unit in self.units:
                key = normalise(unit.name)
                if key and key not in seen:
                    seen[key] = unit
            object.__setattr__(self, "_normalised", tuple(seen.items()))
        return self._normalised


@dataclass(frozen=True)
class Conflict:
    expert: int
    application: int
    kind: str  # "declared" or "automatic"
    reason: str


def application_units(data: Mapping[str, Any] | None, applicant: str = "") -> tuple[NamedUnit, ...]:
    """The units an application's form names: its operator, the county unit, the applying unit,
    the 权利人 of its patents and its innovation platforms. Reads the stored JSON as it is (it
    need not validate); missing parts are skipped."""
    data = data or {}
    part1 = _dict(data.get("part1"))
    part3 = _dict(data.get("part3"))
    units: list[NamedUnit] = []
    for value, role in (
        (part1.get("operator"), "集群运营管理机构"),
        (part1.get("department"), "县（市、区）中小企业主管部门"),
        (applicant, "申报单位"),
    ):
        if isinstance(value, str) and value.strip():
            units.append(NamedUnit(value.strip(), role))
    for row in _list(part3.get("patents_list")):
        holder = _dict(row).get("holder")
        if isinstance(holder, str) and holder.strip():
            units.append(NamedUnit(holder.strip(), "有效发明专利权利人"))
    platforms = _dict(part3.get("platforms"))
    for level in ("national", "provincial", "other"):
        for name in _list(_dict(platforms.get(level)).get("names")):
            if isinstance(name, str) and name.strip():
                units.append(NamedUnit(name.strip(), "创新平台"))
    return tuple(units)


def window_start(reference: dt.date, years: int) -> dt.date:
    """The first day that counts: ``years`` years before the reference date (29 February → 28)."""
    try:
        return reference.replace(year=reference.year - years)
    except ValueError:
        return reference.replace(year=reference.year - years, day=28)


def in_window(declared: Declared, start: dt.date) -> bool:
    return declared.ended_on is None or declared.ended_on >= start


def conflicts_between(
    expert: ExpertFacts, application: ApplicationFacts, reference: dt.date, years: int
) -> list[Conflict]:
    """Every conflict between one expert and one application, each with its reason."""
    names = _expert_names(expert, window_start(reference, years), years)
    return _conflicts(expert, names, application)


def conflict_map(
    experts: Iterable[ExpertFacts],
    applications: Iterable[ApplicationFacts],
    reference: dt.date,
    years: int,
) -> dict[tuple[int, int], list[Conflict]]:
    """(application key, expert key) → its conflicts, for the pairs that have any."""
    start = window_start(reference, years)
    prepared = [(expert, _expert_names(expert, start, years)) for expert in experts]
    found: dict[tuple[int, int], list[Conflict]] = {}
    for application in applications:
        for expert, names in prepared:
            conflicts = _conflicts(expert, names, application)
            if conflicts:
                found[(application.key, expert.key)] = conflicts
    return found


# (normalised name, kind, how the reason introduces it)
_Name = tuple[str, str, str]


def _expert_names(expert: ExpertFacts, start: dt.date, years: int) -> list[_Name]:
    names: list[_Name] = []
    organisation = normalise(expert.organisation)
    if organisation:
        names.append((organisation, "automatic", f"专家工作单位“{expert.organisation}”"))
    for declared in expert.declared:
        if not in_window(declared, start):
            continue
        key = normalise(declared.counterpart)
        if key:
            names.append(
                (
                    key,
                    "declared",
                    f"专家申报的关联单位“{declared.counterpart}”（{declared.relation}，"
                    f"{_period(declared)}，在{years}年回避期内）",
                )
            )
    return names


def _conflicts(
    expert: ExpertFacts, names: list[_Name], application: ApplicationFacts
) -> list[Conflict]:
    conflicts: list[Conflict] = []
    seen: set[str] = set()
    for key, kind, introduction in names:
        for unit_key, unit in application.normalised():
            if not same_unit(key, unit_key):
                continue
            if key == unit_key:
                reason = f"{introduction}即该申报的{unit.role}“{unit.name}”"
            else:
                reason = f"{introduction}与该申报的{unit.role}“{unit.name}”名称相符"
            if reason not in seen:
                seen.add(reason)
                conflicts.append(Conflict(expert.key, application.key, kind, reason))
    return conflicts


def _period(declared: Declared) -> str:
    start = _month(declared.started_on) + "起" if declared.started_on else "起始时间未填"
    end = f"至{_month(declared.ended_on)}" if declared.ended_on else "至今"
    return start + end


def _month(day: dt.date) -> str:
    return f"{day.year}年{day.month}月"


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []
