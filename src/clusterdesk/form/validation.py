"""The two questions asked of an application: is it filled correctly, and does it qualify?"""

from __future__ import annotations

from dataclasses import dataclass

from .consistency import check_consistency
from .criteria import CriteriaReport, Profile, evaluate
from .findings import Finding
from .rules import check_rules
from .schema import Application
from .targets import check_targets


def validate(application: Application) -> list[Finding]:
    """The 填报说明 rules (errors) and the consistency checks a reviewer makes (warnings)."""
    return check_rules(application) + check_consistency(application)


@dataclass(frozen=True)
class CheckResult:
    criteria: CriteriaReport
    targets: list[Finding]

    @property
    def findings(self) -> list[Finding]:
        return self.criteria.findings() + self.targets


def check(application: Application, profile: Profile) -> CheckResult:
    """The criteria profile aspect by aspect, and the 2025 targets (rules a–g of part 八)."""
    return CheckResult(evaluate(application, profile), check_targets(application, profile))
