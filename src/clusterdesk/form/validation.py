"""The two questions asked of an application: is it filled correctly, and does it qualify?"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from .criteria import CriteriaReport, Profile, evaluate
from .definition import FormDefinition
from .findings import Finding
from .registry import definition_of
from .rules import check_rules
from .schema import Application
from .targets import check_targets


def validate(form: BaseModel, definition: FormDefinition | None = None) -> list[Finding]:
    """The 填报说明 rules (errors) and the consistency checks a reviewer makes (warnings);
    ``definition``: the form's, by default the registered one of its schema."""
    definition = definition or definition_of(form)
    reviews = [finding for review in definition.reviews for finding in review(definition, form)]
    return check_rules(definition, form) + reviews


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
