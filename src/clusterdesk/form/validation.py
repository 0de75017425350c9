"""The two questions asked of an application: is it filled correctly, and does it qualify?"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from .criteria import CriteriaReport, Profile, evaluate
from .definition import FormDefinition
from .findings import Finding
from .registry import definition_of
from .rules import FieldPass, check_rules, field_passes
from .schema import Application
from .targets import check_targets


def validate(
    form: BaseModel,
    definition: FormDefinition | None = None,
    *,
    reuse: Mapping[str, FieldPass] | None = None,
) -> list[Finding]:
    """The 填报说明 rules (errors) and the consistency checks a reviewer makes (warnings);
    ``definition``: the form's, by default the registered one of its schema."""
    return validate_passes(form, definition, reuse=reuse).findings


@dataclass(frozen=True)
class Validation:
    findings: list[Finding]
    passes: dict[str, FieldPass]  # per top-level field, to reuse for the parts a save keeps


def validate_passes(
    form: BaseModel,
    definition: FormDefinition | None = None,
    *,
    reuse: Mapping[str, FieldPass] | None = None,
) -> Validation:
    """``validate`` keeping the field-by-field passes; ``reuse``: passes of parts known to be
    unchanged since they were made (same values, same evidence, same day). The rules that join
    parts (the definition's ``rules``, the reviews) always run: they read a few dozen values and
    cost well under a millisecond, so declaring what each reads would buy nothing."""
    definition = definition or definition_of(form)
    passes = field_passes(definition, form, reuse=reuse)
    reviews = [finding for review in definition.reviews for finding in review(definition, form)]
    return Validation(check_rules(definition, form, passes=passes) + reviews, passes)


def reusable(
    previous: Validation, before: Mapping[str, Any], after: Mapping[str, Any]
) -> dict[str, FieldPass]:
    """The passes of ``previous`` (made from the JSON ``before``) that hold for the JSON ``after``:
    those of the parts whose values and evidence are unchanged."""
    evidence_before = before.get("evidence") or {}
    evidence_after = after.get("evidence") or {}
    reuse = {}
    for name, done in previous.passes.items():
        if before.get(name) != after.get(name):
            continue
        prefix = f"{name}."
        if _filed_under(evidence_before, prefix) != _filed_under(evidence_after, prefix):
            continue
        reuse[name] = done
    return reuse


def _filed_under(evidence: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    return {key: files for key, files in evidence.items() if key.startswith(prefix)}


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
