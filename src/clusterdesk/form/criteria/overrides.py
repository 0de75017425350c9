"""Thresholds a round sets where its profile leaves them unset (未评估 until the city decides).

A profile leaves out a threshold it cannot source (e.g. 研发经费增速: the national figure is not
confirmed). The city officer sets such thresholds for one round on the round's page; they are
stored with the round as ``{key: "5"}`` and applied here when the round's profile is loaded.
Only unset thresholds may be set: a figure the profile gives is the profile's (and its rule's
title states it), so changing it means choosing or shipping another profile.

Keys: ``<aspect>.<rule>`` for a single comparison, ``<aspect>.<rule>.<n>`` (1-based) for the
n-th check of an ``any_of`` rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .metrics import METRICS, NUMERIC_KINDS
from .profile import Profile, ProfileError
from .report import OP_ZH


@dataclass(frozen=True)
class Threshold:
    """One threshold a round may set: where it is, what it compares and in which unit."""

    key: str
    aspect: str  # the aspect's title
    rule: str  # the rule's title
    metric: str  # the metric's label (``{last}`` as written in the registry)
    op: str  # ≥ > ≤ < =
    unit: str | None
    note: str | None  # why the profile leaves it unset


def unset_thresholds(profile: Profile) -> list[Threshold]:
    """The numeric thresholds ``profile`` leaves unset, in the profile's order."""
    out = []
    for aspect in profile.groups:
        for rule in aspect.rules:
            many = rule.any_of is not None
            for index, check in enumerate(rule.checks, start=1):
                metric = METRICS[check.metric]
                if check.threshold is not None or metric.kind not in NUMERIC_KINDS:
                    continue
                key = f"{aspect.id}.{rule.id}" + (f".{index}" if many else "")
                label = metric.label.replace("（{last}年）", "")
                out.append(
                    Threshold(
                        key,
                        aspect.title,
                        rule.title,
                        label,
                        OP_ZH[check.op],
                        _unit(metric.unit, label),
                        check.unset_note,
                    )
                )
    return out


def _unit(unit: str | None, label: str) -> str | None:
    if unit:
        return unit
    return "%" if "（%）" in label else None


def parse_threshold(text: str) -> Decimal:
    """A threshold typed by the city officer: a finite number, at most two decimals."""
    try:
        value = Decimal(str(text).strip().removesuffix("%"))
    except InvalidOperation:
        raise ValueError(f"“{text}”不是数字") from None
    if not value.is_finite():
        raise ValueError(f"“{text}”不是有效数字")
    if value.as_tuple().exponent < -2 and value != value.quantize(Decimal("0.01")):  # type: ignore[operator]
        raise ValueError(f"“{text}”超过两位小数")
    return value


def with_thresholds(profile: Profile, values: Mapping[str, Any]) -> Profile:
    """``profile`` with the given unset thresholds set; an empty mapping returns it as it is.

    A key that names no unset threshold of the profile raises ``ProfileError`` (the round's
    stored settings no longer fit its profile: the page says so rather than guessing).
    """
    if not values:
        return profile
    known = {threshold.key for threshold in unset_thresholds(profile)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ProfileError(f"评审标准“{profile.name}”中没有可设定的阈值：{'、'.join(unknown)}")
    data = profile.model_dump(mode="python", exclude_none=True)
    groups = ([data["declarations"]] if "declarations" in data else []) + data["aspects"]
    for aspect in groups:
        for rule in aspect["rules"]:
            key = f"{aspect['id']}.{rule['id']}"
            if "any_of" in rule:
                for index, check in enumerate(rule["any_of"], start=1):
                    if f"{key}.{index}" in values:
                        check["threshold"] = parse_threshold(values[f"{key}.{index}"])
            elif key in values:
                rule["threshold"] = parse_threshold(values[key])
    return Profile.model_validate(data)
