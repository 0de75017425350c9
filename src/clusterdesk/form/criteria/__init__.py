"""Recognition criteria as data: profiles (TOML), a metric registry and the engine.

Use: ``report = evaluate(application, load_profile("national-2022"))``, then ``report.status``,
``report.aspects`` and ``report.findings()``.
"""

from .engine import evaluate
from .loader import list_profiles, load_profile, loads_profile
from .metrics import METRICS, Metric, MetricKind
from .overrides import Threshold, parse_threshold, unset_thresholds, with_thresholds
from .profile import Aspect, Check, Profile, ProfileError, Rule, TargetsConfig
from .report import AspectResult, CheckResult, CriteriaReport, RuleResult, Status

__all__ = [
    "METRICS",
    "Aspect",
    "AspectResult",
    "Check",
    "CheckResult",
    "CriteriaReport",
    "Metric",
    "MetricKind",
    "Profile",
    "ProfileError",
    "Rule",
    "RuleResult",
    "Status",
    "TargetsConfig",
    "Threshold",
    "evaluate",
    "list_profiles",
    "load_profile",
    "loads_profile",
    "parse_threshold",
    "unset_thresholds",
    "with_thresholds",
]
