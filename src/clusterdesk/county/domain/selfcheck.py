"""The self-check of one application, arranged for reading: a one-screen summary first (errors
and warnings per part, one badge per criteria aspect and per 2025 target, the overall verdict
with what each status means for the officer), then the details: findings by page, the criteria
aspect by aspect, the 2025 targets rule by rule. Every item knows the form page and anchor of
its field (``/applications/<id>/form/<page>/#field-<path>``, the anchors the form pages set).
Values are printed as the form shows them (``form.display``), never as Python writes them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

from clusterdesk.declarations.domain.forms import (
    PAGES,
    check_of,
    findings_for,
    form_definition,
    form_of,
    page_of,
)
from clusterdesk.declarations.models import Application
from clusterdesk.form.criteria.metrics import fmt
from clusterdesk.form.criteria.report import CheckResult as CriteriaCheck
from clusterdesk.form.criteria.report import RuleResult, Status, summary_text
from clusterdesk.form.findings import Finding, Level
from clusterdesk.form.schema import Application as Form

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
# The part 八 row each rule reads, and whether it needs the baseline as well as the target.
TARGET_ROWS: dict[str, tuple[str, bool]] = {
    "a": ("output_growth", False),
    "b": ("quality_smes", True),
    "c": ("rd_spending", True),
    "d": ("patents", True),
    "e": ("industrial_internet", False),
    "f": ("co2_emissions", True),
    "g": ("energy_intensity", True),
}
# A target below 左右's tolerance, or fewer new firms than 逐年增加 asks, is a warning: whether it
# is still “about” the figure is for the experts to judge.
TARGET_STATUS = {
    Level.ERROR: Status.FAIL.value,
    Level.WARNING: Status.REVIEW.value,
    Level.INFO: Status.UNSET.value,
}

# What each status means for the officer (the verdict and the page's legend say it).
MEANINGS: dict[str, str] = {
    Status.PASS.value: "按申报表数据已符合要求",
    Status.FAIL.value: "按申报表数据不符合要求，请核实数据或与市经信局沟通",
    Status.UNSET.value: ("暂无法判断：市经信局尚未设定本轮的阈值，或申报表中相关数据尚未填写"),
    Status.REVIEW.value: "定性条件，由专家评审时判断；请在申报表中写清相关情况",
}
STATUS_ORDER = (Status.FAIL.value, Status.UNSET.value, Status.REVIEW.value, Status.PASS.value)


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

    @property
    def errors(self) -> int:
        return sum(item.finding.level == Level.ERROR for item in self.items)

    @property
    def warnings(self) -> int:
        return sum(item.finding.level == Level.WARNING for item in self.items)

    @property
    def infos(self) -> int:
        return sum(item.finding.level == Level.INFO for item in self.items)


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
    note: str = ""  # why it is 未评估 when no finding says so (the row is not filled in)


@dataclass(frozen=True)
class VerdictLine:
    """One status of the overall verdict: which aspects have it and what it means."""

    status: str
    meaning: str
    aspects: list[str]


@dataclass(frozen=True)
class SelfCheck:
    pages: list[PageGroup]  # the parts with findings, for the details
    summary: list[PageGroup]  # every part, for the summary table (counts may be 0)
    errors: int
    warnings: int
    infos: int
    criteria_profile: str
    criteria_status: str
    aspects: list[AspectLine]
    targets: list[TargetLine]
    verdict: list[VerdictLine]
    unset_thresholds: int  # rules 未评估 because the round has no threshold for them
    criteria: bool = True  # False for a form without the criteria (an annual report)

    @property
    def criteria_meaning(self) -> str:
        return MEANINGS[self.criteria_status]


# Apps above add findings of their own to the self-check, e.g. monitoring: an annual report
# against the cluster's declaration and earlier reports. Each: (application) -> [Finding].
EXTRA_FINDINGS_FROM_ABOVE: list[Callable[[Application], list[Finding]]] = []


def self_check(application: Application) -> SelfCheck:
    form = form_of(application)
    findings = findings_for(application)  # once per data version, shared with the guards
    findings = findings + [f for hook in EXTRA_FINDINGS_FROM_ABOVE for f in hook(application)]
    if not isinstance(form, Form):
        return _without_criteria(application, findings)
    result = check_of(application, form)

    def item(finding: Finding) -> Item:
        return Item(finding, field_url(application, finding.path))

    groups = _by_page([item(finding) for finding in findings])
    aspects = _aspects(result.criteria, [item(f) for f in result.criteria.findings()])
    return SelfCheck(
        pages=[group for group in groups if group.items],
        summary=[group for group in groups if group.page != OTHER_PAGE[0] or group.items],
        errors=sum(f.level == Level.ERROR for f in findings),
        warnings=sum(f.level == Level.WARNING for f in findings),
        infos=sum(f.level == Level.INFO for f in findings),
        criteria_profile=result.criteria.profile.name,
        criteria_status=result.criteria.status.value,
        aspects=aspects,
        targets=_targets([item(finding) for finding in result.targets], form),
        verdict=_verdict(aspects),
        unset_thresholds=sum(
            1
            for group in result.criteria.groups
            for rule in group.rules
            if any(check.unset for check in rule.checks) and rule.status == Status.UNSET
        ),
    )


def _without_criteria(application: Application, findings: list[Finding]) -> SelfCheck:
    """A form other than Attachment 2 (an annual report): its findings by its own parts."""
    pages = tuple(form_definition(application).page_titles.items())
    groups = _by_page([Item(f, field_url(application, f.path)) for f in findings], pages)
    return SelfCheck(
        pages=[group for group in groups if group.items],
        summary=[group for group in groups if group.page != OTHER_PAGE[0] or group.items],
        errors=sum(f.level == Level.ERROR for f in findings),
        warnings=sum(f.level == Level.WARNING for f in findings),
        infos=sum(f.level == Level.INFO for f in findings),
        criteria_profile="",
        criteria_status="",
        aspects=[],
        targets=[],
        verdict=[],
        unset_thresholds=0,
        criteria=False,
    )


def _by_page(items: list[Item], pages: tuple[tuple[str, str], ...] = PAGES) -> list[PageGroup]:
    groups = {page: PageGroup(page, title) for page, title in (*pages, OTHER_PAGE)}
    order = {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}
    for entry in sorted(items, key=lambda entry: order[entry.finding.level]):
        page = page_of(entry.finding.path)
        groups[page if page in groups else OTHER_PAGE[0]].items.append(entry)
    return list(groups.values())


def _verdict(aspects: list[AspectLine]) -> list[VerdictLine]:
    """The aspects by status, worst first, each with what the status means for the officer."""
    lines = []
    for status in STATUS_ORDER:
        titles = [aspect.title for aspect in aspects if aspect.status == status]
        if titles:
            lines.append(VerdictLine(status, MEANINGS[status], titles))
    return lines


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
        shown = [summary_text(metric, value, years) for metric, value in result.shown]
        return [f"专家评议：{result.rule.review}", *shown]
    return [_check_text(check, years) for check in result.checks]


def _check_text(check: CriteriaCheck, years) -> str:
    label = check.metric.label_for(years)
    values = "；".join(
        f"{year}年 {_value(value, check)}" if year else _value(value, check)
        for year, value in check.values.items()
    )
    requirement = "市经信局尚未设定本轮阈值" if check.unset else f"标准 {check.requirement()}"
    return f"{label}：{values or '未填写'}（{requirement}）"


def _value(value: object, check: CriteriaCheck) -> str:
    """A compared value as the form shows it: 3.12, 无, 未填写, ☑ 是."""
    if value is None:
        return "未填写"
    if isinstance(value, str):
        return f"☑ {value}"
    return fmt(value, check.metric.kind)


def _targets(items: list[Item], form: Form) -> list[TargetLine]:
    lines = []
    targets = form.part8.goals.targets
    for letter, text in TARGET_RULES:
        mine = [entry for entry in items if entry.finding.rule == f"targets.{letter}"]
        levels = [entry.finding.level for entry in mine]
        status, note = Status.PASS.value, ""
        for level in (Level.ERROR, Level.WARNING, Level.INFO):
            if level in levels:
                status = TARGET_STATUS[level]
                break
        else:
            # No finding because the row is not filled in yet: nothing was checked.
            name, needs_baseline = TARGET_ROWS[letter]
            row = getattr(targets, name)
            if row.target is None or (needs_baseline and row.baseline is None):
                status, note = Status.UNSET.value, "申报表八中本项的基准值或目标值尚未填写"
        lines.append(TargetLine(letter, text, status, mine, note))
    return lines
