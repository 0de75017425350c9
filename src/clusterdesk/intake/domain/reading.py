"""One application read by the city: its criteria pre-check aspect by aspect, its open
consistency warnings, part 八's 2025 targets and its row of Attachment 1.

Nothing here judges anew: the pre-check and the warnings are the county's 自查
(``county.domain.selfcheck``), the implied rates are the target rules' own arithmetic
(``form.targets``) and the row is the one Attachment 1 prints (``documents.attachment1``), so
the city reads exactly what the county was shown and what it sealed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from clusterdesk.county.domain.selfcheck import TARGET_ROWS, AspectLine, Item, self_check
from clusterdesk.declarations.domain.forms import form_of
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application
from clusterdesk.documents import attachment1
from clusterdesk.form.criteria.metrics import as_decimal
from clusterdesk.form.criteria.report import Status
from clusterdesk.form.display import number_text
from clusterdesk.form.fields import spec_of
from clusterdesk.form.findings import Level
from clusterdesk.form.schema.plan import Targets
from clusterdesk.form.targets import compound_rate, reduction_rate
from clusterdesk.form.walk import version_of

# Which rule (备注 a–g) reads each numeric row of part 八, and how its rate is meant.
RULE_OF_ROW = {name: letter for letter, (name, _baseline) in TARGET_ROWS.items()}
GROWTH, INCREASE, LEVEL, RATE, REDUCTION = "growth", "increase", "level", "rate", "reduction"
KIND_OF_ROW = {
    "output_growth": RATE,  # the target is itself a yearly rate (备注a)
    "quality_smes": INCREASE,
    "rd_spending": GROWTH,
    "patents": GROWTH,
    "industrial_internet": LEVEL,
    "co2_emissions": REDUCTION,
    "energy_intensity": REDUCTION,
}


@dataclass(frozen=True)
class TargetRow:
    direction: str  # 方向
    indicator: str  # 指标
    unit: str
    baseline: str
    target: str
    implied: str  # what the target means against the baseline (年均增速, 降低 …)
    status: str = ""  # the 自查's verdict on the row's rule (备注 a–g), if one reads it
    rule: str = ""


@dataclass(frozen=True)
class Reading:
    criteria_profile: str
    criteria_status: str
    aspects: list[AspectLine]
    aspects_failed: int
    warnings: list[Item]  # open consistency warnings, each with its field's form page
    targets: list[TargetRow]
    base_year: int | None
    target_year: int | None
    columns: list[str]  # Attachment 1's headings, as printed
    summary_row: tuple[str, ...]


def reading(application: Application) -> Reading:
    check = self_check(application)  # validated at most once per data version
    form = form_of(application)
    warnings = [
        item for group in check.pages for item in group.items if item.finding.level == Level.WARNING
    ]
    statuses = {target.letter: target.status for target in check.targets}
    part8 = getattr(form, "part8", None)
    targets, base_year, target_year = [], None, None
    if part8 is not None:
        version = version_of(form)
        base_year, target_year = version.base_year, version.target_year
        targets = target_rows(part8.goals.targets, target_year - base_year, statuses)
    return Reading(
        criteria_profile=check.criteria_profile,
        criteria_status=check.criteria_status,
        aspects=check.aspects,
        aspects_failed=sum(aspect.status == Status.FAIL.value for aspect in check.aspects),
        warnings=warnings,
        targets=targets,
        base_year=base_year,
        target_year=target_year,
        columns=[label + note for label, note, _width in attachment1.COLUMNS],
        summary_row=summary_row(application),
    )


def target_rows(targets: Targets, years: int, statuses: dict[str, str]) -> list[TargetRow]:
    """Part 八's 三年总体目标 table, row by row, each with the rate its figures imply."""
    rows = []
    for name in Targets.model_fields:
        spec = spec_of(Targets, name)
        value = getattr(targets, name)
        if name == "extra":
            rows += [
                TargetRow(
                    row.direction, row.indicator, row.unit or "", row.baseline, row.target, ""
                )
                for row in value
            ]
            continue
        if name not in KIND_OF_ROW:  # 开放合作, 治理和服务: described in words
            rows.append(
                TargetRow(spec.label, "定性描述", "", value.baseline or "", value.target or "", "")
            )
            continue
        baseline, target = as_decimal(value.baseline), as_decimal(value.target)
        letter = RULE_OF_ROW.get(name, "")
        rows.append(
            TargetRow(
                direction=spec.note or "",
                indicator=spec.label,
                unit=spec.unit or "",
                baseline=_number(value.baseline),
                target=_number(value.target),
                implied=implied(KIND_OF_ROW[name], baseline, target, years),
                status=statuses.get(letter, ""),
                rule=letter,
            )
        )
    return rows


def implied(kind: str, baseline: Decimal | None, target: Decimal | None, years: int) -> str:
    """The rate the target rules compare, in words: 年均增长 12.47%, 降低 18.00% …"""
    if target is None:
        return "—"
    if kind == RATE:
        return f"目标年均增速 {number_text(target)}%"
    if baseline is None:
        return "—"
    if kind == LEVEL:
        change = target - baseline
        return f"较基准值{'提高' if change >= 0 else '降低'} {number_text(abs(change))} 个百分点"
    if kind == INCREASE:
        change = target - baseline
        each = (change / years).quantize(Decimal("0.01"))
        return f"增加 {number_text(change, integer=True)} 家（年均 {number_text(each)} 家）"
    if baseline <= 0 or target < 0:
        return "基准值为 0 或负数，无法计算"
    if kind == GROWTH:
        return f"年均增长 {compound_rate(baseline, target, years)}%"
    return f"降低 {reduction_rate(baseline, target)}%"


def _number(value: object) -> str:
    return "" if value is None else number_text(value)


def summary_row(application: Application) -> tuple[str, ...]:
    """The application's row of Attachment 1 (推荐汇总表), numbered as in its unit's table:
    the unit's submitted applications of the round in creation order (what the county seals)."""
    (line,) = attachment1.summary_lines([form_of(application)])
    earlier = (
        Application.objects.filter(
            round_id=application.round_id, organisation_id=application.organisation_id
        )
        .exclude(state__in=(ApplicationState.DRAFT, ApplicationState.DELETED))
        .filter(created_at__lte=application.created_at)
        .exclude(created_at=application.created_at, pk__gt=application.pk)
        .count()
    )
    return replace(line, number=max(earlier, 1)).cells()
