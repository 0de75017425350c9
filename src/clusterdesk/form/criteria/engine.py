"""Evaluating an application against a criteria profile."""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..schema import Application
from ..walk import version_of
from .metrics import METRICS, Metric, MetricKind, Years
from .profile import Aspect, Check, Profile, Rule
from .report import AspectResult, CheckResult, CriteriaReport, RuleResult, Status, combine

COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
}


def evaluate(application: Application, profile: Profile) -> CriteriaReport:
    """Every rule of the profile against the application; nothing is raised for bad data."""
    years = version_of(application).year_keys
    readings = _Readings(application, years)
    groups = tuple(_aspect(aspect, readings) for aspect in profile.groups)
    return CriteriaReport(profile, years, groups)


class _Readings:
    """Each metric read once per evaluation."""

    __slots__ = ("application", "cache", "years")

    def __init__(self, application: Application, years: Years) -> None:
        self.application = application
        self.years = years
        self.cache: dict[str, Any] = {}

    def __call__(self, metric: Metric) -> Any:
        if metric.name not in self.cache:
            self.cache[metric.name] = metric.read(self.application, self.years)
        return self.cache[metric.name]


def _aspect(aspect: Aspect, readings: _Readings) -> AspectResult:
    rules = tuple(_rule(rule, readings) for rule in aspect.rules)
    # A missed warning rule (原则上 …) is reported but does not fail the aspect.
    statuses = [
        Status.PASS if r.status == Status.FAIL and r.rule.level == "warning" else r.status
        for r in rules
    ]
    return AspectResult(aspect, combine(statuses), rules)


def _rule(rule: Rule, readings: _Readings) -> RuleResult:
    if rule.review is not None:
        shown = tuple((METRICS[name], readings(METRICS[name])) for name in rule.show)
        return RuleResult(rule, Status.REVIEW, shown=shown)
    checks = tuple(_check(check, readings) for check in rule.checks)
    if rule.any_of is None:
        return RuleResult(rule, checks[0].status, checks)
    statuses = [c.status for c in checks]
    if Status.PASS in statuses:
        status = Status.PASS
    elif Status.UNSET in statuses:
        status = Status.UNSET
    else:
        status = Status.FAIL
    return RuleResult(rule, status, checks)


def _check(check: Check, readings: _Readings) -> CheckResult:
    metric = METRICS[check.metric]
    reading = readings(metric)
    if metric.yearly:
        years = readings.years
        chosen = years[-1:] if check.scope == "last" else years
        values: dict[str | None, Any] = {year: reading.get(year) for year in chosen}
    else:
        values = {None: reading}
    if check.threshold is None:
        return CheckResult(check, metric, Status.UNSET, values)
    compare = COMPARE[check.op]
    missing = tuple(key for key, value in values.items() if value is None)
    failing = tuple(
        key
        for key, value in values.items()
        if value is not None and not compare(_comparable(value, metric), check.threshold)
    )
    if check.scope == "any":
        passing = len(values) - len(missing) - len(failing)
        if passing:
            return CheckResult(check, metric, Status.PASS, values)
        status = Status.UNSET if missing else Status.FAIL
        return CheckResult(check, metric, status, values, failing, missing)
    status = Status.FAIL if failing else Status.UNSET if missing else Status.PASS
    return CheckResult(check, metric, status, values, failing, missing)


def _comparable(value: Any, metric: Metric) -> Any:
    if metric.kind == MetricKind.CHOICE:
        return value
    return value if isinstance(value, Decimal) else Decimal(value)
