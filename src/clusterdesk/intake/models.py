"""What the city's desk records: the paper set received (纸质材料签收), append-only."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from clusterdesk.declarations.enums import ApplicationState as State
from clusterdesk.declarations.models import Application, Submission
from clusterdesk.shared.appendonly import AppendOnly

# The notice (甬经信〔2023〕… 申报通知): 纸质材料一式五份, two originals and three copies.
ORIGINALS_REQUIRED = 2
COPIES_REQUIRED = 3
# Applications whose sealed paper set the city expects: submitted, and accepted ones (受理 and
# what can follow it).
PAPER_STATES = (
    State.SUBMITTED,
    State.UNDER_REVIEW,
    State.PROPOSED,
    State.CERTIFIED,
    State.REJECTED,
    State.REVOKED,
)


class PaperReceipt(AppendOnly):
    """One count of the sealed paper set of a submission. Never changed: a recount is a new
    receipt, and the latest receipt of an application is the one that counts."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="paper_receipts",
        verbose_name="集群申报",
    )
    submission = models.ForeignKey(
        Submission,
        on_delete=models.PROTECT,
        related_name="paper_receipts",
        verbose_name="对应的提交快照",
    )
    received_on = models.DateField("收到日期")
    received_by = models.CharField("签收人", max_length=50)
    originals = models.PositiveSmallIntegerField("正本份数")
    copies = models.PositiveSmallIntegerField("副本份数")
    package_sha256 = models.CharField("电子版 SHA-256", max_length=64, blank=True)
    # Whether ``package_sha256`` is the submission's data SHA-256; None when none was entered.
    matches = models.BooleanField("电子版与提交快照一致", null=True)
    note = models.TextField("备注", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="paper_receipts",
        verbose_name="登记人",
    )
    at = models.DateTimeField("登记时间", db_index=True)

    class Meta:
        verbose_name = "纸质材料签收"
        verbose_name_plural = "纸质材料签收"
        ordering = ("at", "pk")
        constraints = (
            models.CheckConstraint(
                condition=Q(originals__gte=0) & Q(copies__gte=0),
                name="intake_paperreceipt_counts_not_negative",
            ),
        )

    def __str__(self) -> str:
        return f"{self.application}：正本{self.originals}份、副本{self.copies}份"

    @property
    def originals_missing(self) -> int:
        return max(0, ORIGINALS_REQUIRED - self.originals)

    @property
    def copies_missing(self) -> int:
        return max(0, COPIES_REQUIRED - self.copies)

    @property
    def complete(self) -> bool:
        return not self.originals_missing and not self.copies_missing

    @property
    def shortfall(self) -> str:
        """“不足（缺正本 1 份、副本 2 份）” or "" when the set is complete."""
        missing = []
        if self.originals_missing:
            missing.append(f"正本 {self.originals_missing} 份")
        if self.copies_missing:
            missing.append(f"副本 {self.copies_missing} 份")
        return f"不足（缺{'、'.join(missing)}）" if missing else ""


class FormalChecklist(models.Model):
    """The 形式审查 checklist of one round, as data: ``items`` is a list of
    ``{"id", "text", "auto"}`` (``auto``: the system decides it, else the officer ticks it).
    A round without one uses the notice's (``intake.domain.formal.DEFAULT_ITEMS``)."""

    round = models.OneToOneField(
        "rounds.Round",
        on_delete=models.PROTECT,
        related_name="formal_checklist",
        verbose_name="申报轮次",
    )
    items = models.JSONField("审查事项")

    class Meta:
        verbose_name = "形式审查清单"
        verbose_name_plural = "形式审查清单"

    def __str__(self) -> str:
        return f"{self.round}形式审查清单"

    def clean(self) -> None:
        """Each item an object with a unique ``id`` and a ``text``; ``auto`` true or false."""
        items = self.items
        if not isinstance(items, list) or not items:
            raise ValidationError({"items": '审查事项应为非空列表，如 [{"id": …, "text": …}]。'})
        seen: set[str] = set()
        for number, item in enumerate(items, start=1):
            if not isinstance(item, dict) or not str(item.get("id", "")).strip():
                raise ValidationError({"items": f"第 {number} 项缺少 id。"})
            if not str(item.get("text", "")).strip():
                raise ValidationError({"items": f"第 {number} 项缺少 text（审查事项名称）。"})
            if not isinstance(item.get("auto", False), bool):
                raise ValidationError({"items": f"第 {number} 项的 auto 应为 true 或 false。"})
            if item["id"] in seen:
                raise ValidationError({"items": f"第 {number} 项的 id “{item['id']}”重复。"})
            seen.add(item["id"])


class FormalCheck(AppendOnly):
    """One 形式审查 of a submission: each item's verdict with why, who, when, and the overall
    result (通过 when every item passes). Never changed: a new check supersedes it."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="formal_checks", verbose_name="集群申报"
    )
    submission = models.ForeignKey(
        Submission,
        on_delete=models.PROTECT,
        related_name="formal_checks",
        verbose_name="审查的提交快照",
    )
    # [{"id", "text", "auto", "passed", "explanation"}, …] in the checklist's order.
    items = models.JSONField("审查结果")
    passed = models.BooleanField("通过")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="formal_checks",
        verbose_name="审查人",
    )
    at = models.DateTimeField("审查时间", db_index=True)

    class Meta:
        verbose_name = "形式审查"
        verbose_name_plural = "形式审查"
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.application}形式审查：{self.verdict}"

    @property
    def verdict(self) -> str:
        return "通过" if self.passed else "不通过"

    @property
    def failed_items(self) -> list[dict]:
        return [item for item in self.items if not item.get("passed")]


class PrecheckDigest(models.Model):
    """The criteria pre-check and the consistency warnings of an application's latest
    submission, counted once when it is submitted, so that the inbox filters and shows them
    with one join instead of reading every form. Derived data (not a record): replaced on each
    resubmission, and rebuilt by ``manage.py precheck_digests``."""

    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        related_name="precheck_digest",
        verbose_name="集群申报",
    )
    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="对应的提交快照",
    )
    aspects_failed = models.PositiveSmallIntegerField("未达标方面数")
    warnings = models.PositiveIntegerField("一致性提醒数")
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        verbose_name = "预检摘要"
        verbose_name_plural = "预检摘要"

    def __str__(self) -> str:
        return f"{self.application_id}：未达标 {self.aspects_failed}，提醒 {self.warnings}"


# The cross-application checks' tables live in their own module (one concept per module).
from clusterdesk.intake.overlap_models import (  # noqa: E402
    OverlapDismissal,  # noqa: F401
    OverlapEntry,  # noqa: F401
    OverlapFlag,  # noqa: F401
    OverlapState,  # noqa: F401
)
