"""形式审查: the round's checklist, the items the system decides (each with why), the officer's
ticks for the rest, and the result recorded append-only against the submission it checked.

The auto items read the submitted snapshot (never today's draft), the latest paper receipt and
the unit's count in the round; the rules are the form's own (``form.validation``: the same
需提供佐证材料 and 年度须为本轮申报的数据年度 findings the county's self-check shows).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from clusterdesk.accounts.models import User
from clusterdesk.declarations import clock
from clusterdesk.declarations.domain.forms import form_definition
from clusterdesk.declarations.models import Application, Submission
from clusterdesk.declarations.workflow import TransitionRefused
from clusterdesk.form import validation
from clusterdesk.form.findings import Finding, Level
from clusterdesk.form.loading import ApplicationInputError, application_from_data
from clusterdesk.form.rules import EVIDENCE, UNKNOWN_YEAR
from clusterdesk.intake.models import (
    COPIES_REQUIRED,
    ORIGINALS_REQUIRED,
    PAPER_STATES,
    FormalCheck,
    FormalChecklist,
    PaperReceipt,
)
from clusterdesk.intake.permissions import DECIDE

# The notice's requirements for the paper and electronic sets, in its words where it has them.
DEFAULT_ITEMS: tuple[dict[str, Any], ...] = (
    {"id": "sealed", "text": "已加盖公章", "auto": False},
    {"id": "five_sets", "text": "纸质材料一式五份（正本2份、副本3份）", "auto": True},
    {"id": "electronic_identical", "text": "电子版与纸质版一致", "auto": True},
    {"id": "evidence", "text": "勾选事项均附佐证材料", "auto": True},
    {"id": "within_limit", "text": "未超出本单位限报数", "auto": True},
    {"id": "data_years", "text": "数据年度正确", "auto": True},
    {"id": "attachment1", "text": "附件1 信息完整", "auto": True},
)
LISTED = 5  # boxes named in an explanation before “等 N 项”


@dataclass(frozen=True)
class Verdict:
    passed: bool
    explanation: str


@dataclass
class Facts:
    """What the auto items read, gathered once per check."""

    application: Application
    submission: Submission
    receipt: PaperReceipt | None
    form: Any  # the typed form of the snapshot, None when it cannot be read
    findings: list[Finding]


def checklist(round_) -> list[dict[str, Any]]:
    """The round's items, or the notice's when the round has none of its own."""
    own = FormalChecklist.objects.filter(round=round_).first()
    return list(own.items) if own else [dict(item) for item in DEFAULT_ITEMS]


def _named(labels: list[str]) -> str:
    unique = list(dict.fromkeys(labels))
    shown = "、".join(f"「{label}」" for label in unique[:LISTED])
    return shown + (f"等 {len(unique)} 项" if len(unique) > LISTED else "")


def _five_sets(facts: Facts) -> Verdict:
    receipt = facts.receipt
    if receipt is None:
        return Verdict(False, "尚未登记纸质材料。")
    counted = f"正本 {receipt.originals} 份、副本 {receipt.copies} 份"
    if receipt.complete:
        return Verdict(True, f"{receipt.received_on:%Y-%m-%d} 签收{counted}。")
    return Verdict(
        False,
        f"签收{counted}，{receipt.shortfall}（应为正本 {ORIGINALS_REQUIRED} 份、"
        f"副本 {COPIES_REQUIRED} 份）。",
    )


def _electronic_identical(facts: Facts) -> Verdict:
    receipt = facts.receipt
    if receipt is None:
        return Verdict(False, "尚未登记纸质材料及电子版。")
    if not receipt.package_sha256:
        return Verdict(False, "签收时未核对电子版 SHA-256。")
    if receipt.submission_id != facts.submission.pk:
        return Verdict(False, "登记的电子版对应此前的提交，申报已重新提交，请重新核对。")
    if receipt.matches:
        return Verdict(True, f"电子版 SHA-256 {receipt.package_sha256[:12]}… 与提交快照一致。")
    return Verdict(
        False,
        f"电子版 SHA-256 {receipt.package_sha256[:12]}… 与提交快照"
        f" {facts.submission.data_sha256[:12]}… 不一致。",
    )


def _evidence(facts: Facts) -> Verdict:
    if facts.form is None:
        return Verdict(False, "提交快照无法读取，不能核对佐证材料。")
    missing = [f.label for f in facts.findings if f.rule == EVIDENCE and f.level == Level.ERROR]
    if missing:
        return Verdict(False, f"以下勾选或填报事项未附佐证材料：{_named(missing)}。")
    registered = sum(
        len(files or []) for files in (facts.submission.data.get("evidence") or {}).values()
    )
    return Verdict(True, f"需佐证的事项均已登记佐证材料（共 {registered} 个文件）。")


def _within_limit(facts: Facts) -> Verdict:
    app = facts.application
    limit = app.round.county_limit
    count = Application.objects.filter(
        round_id=app.round_id, organisation_id=app.organisation_id, state__in=PAPER_STATES
    ).count()
    text = f"{app.organisation}本轮已提交或受理 {count} 份，限报 {limit} 份。"
    return Verdict(count <= limit, text)


def _data_years(facts: Facts) -> Verdict:
    app = facts.application
    wanted = list(app.round.data_years)
    span = f"{wanted[0]}—{wanted[-1]}年"
    asked = list(form_definition(app).version.data_years)
    if asked != wanted:
        return Verdict(False, f"申报表的数据年度为{asked[0]}—{asked[-1]}年，本轮应为{span}。")
    if facts.form is None:
        return Verdict(False, "提交快照无法读取，不能核对数据年度。")
    wrong = [f.label for f in facts.findings if f.rule == UNKNOWN_YEAR]
    if wrong:
        return Verdict(False, f"填有本轮数据年度（{span}）以外的数据：{_named(wrong)}。")
    return Verdict(True, f"申报表各年度栏目均为本轮数据年度（{span}）。")


def _attachment1(facts: Facts) -> Verdict:
    form = facts.form
    if form is None or not hasattr(form, "attachment1"):
        return Verdict(False, "提交快照中没有附件1 信息。")
    row = form.attachment1
    fields = (
        ("集群名称", form.part1.cluster_name),
        ("集群运营管理机构", form.part1.operator),
        ("所在县（区）", form.cover.county),
        ("主导产业", row.leading_industry),
        ("集群成立时间", row.established),
        ("集群简介", row.summary),
    )
    empty = [label for label, value in fields if not (value or "").strip()]
    if empty:
        return Verdict(False, f"附件1 缺少：{'、'.join(empty)}。")
    return Verdict(
        True, "附件1 各栏（集群名称、运营管理机构、所在地、主导产业、成立时间、简介）均已填写。"
    )


AUTO: dict[str, Callable[[Facts], Verdict]] = {
    "five_sets": _five_sets,
    "electronic_identical": _electronic_identical,
    "evidence": _evidence,
    "within_limit": _within_limit,
    "data_years": _data_years,
    "attachment1": _attachment1,
}


def is_auto(item: dict[str, Any]) -> bool:
    """Auto only when the system knows how to decide it: a round's own item is ticked by hand."""
    return bool(item.get("auto")) and item.get("id") in AUTO


def facts_for(application: Application, submission: Submission) -> Facts:
    receipt = PaperReceipt.objects.filter(application=application).order_by("-at", "-pk").first()
    definition = form_definition(application)
    try:
        form = application_from_data(submission.data, str(application), definition)
    except ApplicationInputError:  # a snapshot that no longer parses fails what reads it
        form, findings = None, []
    else:
        findings = validation.validate(form, definition)
    return Facts(application, submission, receipt, form, findings)


def evaluate(
    application: Application, submission: Submission, ticked: Collection[str] = ()
) -> list[dict[str, Any]]:
    """Each checklist item with ``passed`` and ``explanation``: auto items decided here, the
    others passed when the officer ticked them (their id is in ``ticked``)."""
    facts = facts_for(application, submission)
    results = []
    for item in checklist(application.round):
        item_id = str(item.get("id", ""))
        if is_auto(item):
            verdict = AUTO[item_id](facts)
        elif item_id in ticked:
            verdict = Verdict(True, "审查人核对确认。")
        else:
            verdict = Verdict(False, "审查人未确认。")
        results.append(
            {
                "id": item_id,
                "text": str(item.get("text", item_id)),
                "auto": is_auto(item),
                "passed": verdict.passed,
                "explanation": verdict.explanation,
            }
        )
    return results


def record_check(
    application: Application, submission: Submission | None, user: User, ticked: Collection[str]
) -> FormalCheck:
    problem = DECIDE.refusal(user)
    if problem:
        raise TransitionRefused(problem)
    if submission is None:
        raise TransitionRefused("该申报尚未提交，没有可审查的提交快照。")
    items = evaluate(application, submission, ticked)
    return FormalCheck.objects.create(
        application=application,
        submission=submission,
        items=items,
        passed=all(item["passed"] for item in items),
        checked_by=user,
        at=clock.now(),
    )


def latest_check(application: Application, submission: Submission | None) -> FormalCheck | None:
    """The latest check of the application's latest submission (a check of an earlier
    submission says nothing about what is submitted now)."""
    if submission is None:
        return None
    return (
        FormalCheck.objects.filter(application=application, submission=submission)
        .select_related("checked_by")
        .order_by("-at", "-pk")
        .first()
    )


def acceptance_note(check: FormalCheck | None) -> str:
    """What the 受理 event records about the formal check it was accepted with."""
    if check is None:
        return "受理时未做形式审查。"
    when = f"{timezone.localtime(check.at):%Y-%m-%d %H:%M}"
    text = f"形式审查：{check.verdict}（{check.checked_by}，{when}）"
    if not check.passed:
        failed = "、".join(item["text"] for item in check.failed_items)
        text += f"；未通过事项：{failed}；审查人确认仍予受理"
    return text + "。"
