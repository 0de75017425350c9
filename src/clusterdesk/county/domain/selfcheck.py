"""The self-check of one application, arranged for reading: findings by page, the criteria
aspect by aspect, the 2025 targets rule by rule. Every item knows the form page and anchor of
its field (``/applications/<id>/form/<page>/#field-<path>``, the anchors the form pages set).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

from clusterdesk.declarations.domain.forms import PAGES, check_of, findings_of, form_of, page_of
from clusterdesk.declarations.models import Application
from clusterdesk.form.criteria.metrics import fmt
from clusterdesk.form.criteria.report import CheckResult as CriteriaCheck
from clusterdesk.form.criteria.report import RuleResult, Status
from clusterdesk.form.findings import Finding, Level

OTHER_PAGE = ("other", "其他")

# The notice's 备注 under the targets table of part 八, verbatim.
TARGET_RULES: tuple[tuple[str, str], ...] = (
    ("a", "产值年均增速不低于10%"),
    ("b", "优质中小企业数量逐年增加"),
    ("c", "研发经费年均增速不低于10%"),
    ("d", "有效发明专利数年均增长不低于15%"),
    ("e", "工业互联网普及率达到45%左右"),
    ("f", "二氧化碳排放量降低达到18%左右"),
    ("g", "集群单位工业产值能耗下降达到13.5%左右"),
)
TARGET_STATUS = {Level.ERROR: "未达标", Level.WARNING: "需核实", Level.INFO: "未评估"}


def field_url(application: Application, path: str) -> str:
    page = page_of(path)
    if page not in dict(PAGES):
        page = "cover"
    return reverse("form:page", args=[application.pk, page]) + f"#field-{path}"


@dataclass(frozen=True)
class Item:
    finding: Finding
    url: str

    @property
    def level(self) -> str:
        return self.finding.level.value

    @property
    def level_label(self) -> str:
        return self.finding.level.zh


@dataclass
class PageGroup:
    page: str
    title: str
    items: list[Item] = field(default_factory=list)


@dataclass(frozen=True)
class RuleLine:
    title: str
    status: str
    details: list[str]
    items: list[Item]


@dataclass(frozen=True)
class AspectLine:
    id: str
    title: str
    status: str
    warned: bool
    rules: list[RuleLine]


@dataclass(frozen=True)
class TargetLine:
    letter: str
    text: str
    status: str
    items: list[Item]


@dataclass(frozen=True)
class SelfCheck:
    pages: list[PageGroup]
    errors: int
    warnings: int
    infos: int
    criteria_profile: str
    criteria_status: str
    aspects: list[AspectLine]
    targets: list[TargetLine]


def self_check(application: Application) -> SelfCheck:
    form = form_of(application)
    findings = findings_of(form)
    result = check_of(application, form)

    def item(finding: Finding) -> Item:
        return Item(finding, field_url(application, finding.path))

    return SelfCheck(
        pages=_by_page([item(finding) for finding in findings]),
        errors=sum(f.level == Level.ERROR for f in findings),
        warnings=sum(f.level == Level.WARNING for f in findings),
        infos=sum(f.level == Level.INFO for f in findings),
        criteria_profile=result.criteria.profile.name,
        criteria_status=result.criteria.status.value,
        aspects=_aspects(result.criteria, [item(f) for f in result.criteria.findings()]),
        targets=_targets([item(finding) for finding in result.targets]),
    )


def _by_page(items: list[Item]) -> list[PageGroup]:
    groups = {page: PageGroup(page, title) for page, title in (*PAGES, OTHER_PAGE)}
    order = {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}
    for entry in sorted(items, key=lambda entry: order[entry.finding.level]):
        page = page_of(entry.finding.path)
        groups[page if page in groups else OTHER_PAGE[0]].items.append(entry)
    return [group for group in groups.values() if group.items]


def _aspects(report, items: list[Item]) -> list[AspectLine]:
    by_rule: dict[str, list[Item]] = {}
    for entry in items:
        by_rule.setdefault(entry.finding.rule, []).append(entry)
    lines = []
    for group in report.groups:
        rules = [
            RuleLine(
                title=result.rule.title,
                status=result.status.value,
                details=_details(result, report.years),
                items=by_rule.get(f"criteria.{group.id}.{result.id}", []),
            )
            for result in group.rules
        ]
        lines.append(AspectLine(group.id, group.title, group.status.value, group.warned, rules))
    return lines


def _details(result: RuleResult, years) -> list[str]:
    """What the rule compared: each figure with its requirement, or what the experts judge."""
    if result.rule.review is not None:
        shown = [
            f"{metric.label_for(years)}：{fmt(value, metric.kind)}"
            for metric, value in result.shown
        ]
        return [f"专家评议：{result.rule.review}", *shown]
    return [_check_text(check, years) for check in result.checks]


def _check_text(check: CriteriaCheck, years) -> str:
    label = check.metric.label_for(years)
    values = "；".join(
        f"{year}年 {fmt(value, check.metric.kind)}" if year else fmt(value, check.metric.kind)
        for year, value in check.values.items()
    )
    requirement = "评审标准未设定阈值" if check.unset else f"标准 {check.requirement()}"
    return f"{label}：{values or '（未填写）'}（{requirement}）"


def _targets(items: list[Item]) -> list[TargetLine]:
    lines = []
    for letter, text in TARGET_RULES:
        mine = [entry for entry in items if entry.finding.rule == f"targets.{letter}"]
        levels = [entry.finding.level for entry in mine]
        status = Status.PASS.value
        for level in (Level.ERROR, Level.WARNING, Level.INFO):
            if level in levels:
                status = TARGET_STATUS[level]
                break
        lines.append(TargetLine(letter, text, status, mine))
    return lines
