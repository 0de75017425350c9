"""What the cross-application checks (交叉比对, a 虚假申报 aid) store: each application's place in
the index, the flags between two applications as rows, and the city's dismissals.

Flags and entries are derived data (``intake.domain.overlap`` recomputes them from the
submission snapshots, ``manage.py overlap_rebuild`` from scratch); a dismissal is a record of
the city's judgement and is kept by the flag's ``signature`` (which two applications, what is
shared), so that re-indexing or a rebuild finds it again. Imported by ``intake.models``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from clusterdesk.declarations.models import Application, Submission
from clusterdesk.form.overlap import FlagKind

KIND_CHOICES = [(kind.value, kind.value) for kind in FlagKind]


class OverlapState(models.Model):
    """The index's clock (one row): each change to the indexed applications takes the next
    ``seq`` while this row is locked, so every worker brings its in-memory index up to date
    from ``OverlapEntry.seq`` before comparing; ``generation`` changes on every rebuild."""

    generation = models.CharField("索引代次", max_length=32)
    seq = models.PositiveBigIntegerField("变更序号", default=0)

    class Meta:
        verbose_name = "交叉比对索引状态"
        verbose_name_plural = "交叉比对索引状态"

    def __str__(self) -> str:
        return f"{self.generation} · {self.seq}"


class OverlapEntry(models.Model):
    """An application in the index: the submission indexed (None: taken out again) and the
    ``seq`` of its last change."""

    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        related_name="overlap_entry",
        verbose_name="集群申报",
    )
    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        verbose_name="比对的提交快照",
    )
    seq = models.PositiveBigIntegerField("变更序号", db_index=True)

    class Meta:
        verbose_name = "交叉比对索引项"
        verbose_name_plural = "交叉比对索引项"

    def __str__(self) -> str:
        return f"{self.application_id} @ {self.seq}"


class OverlapDismissal(models.Model):
    """The city's verdict 已核实，非抄袭 on a flag, with who and why; matched to flags by their
    ``signature``, so it outlives the flag rows (re-indexing, a rebuild)."""

    signature = models.CharField("比对标识", max_length=64, unique=True)
    kind = models.CharField("类型", max_length=10, choices=KIND_CHOICES)
    value = models.CharField("重复内容", max_length=200, blank=True)
    reason = models.TextField("核实说明")
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="overlap_dismissals",
        verbose_name="核实人",
    )
    at = models.DateTimeField("核实时间")

    class Meta:
        verbose_name = "交叉比对核实"
        verbose_name_plural = "交叉比对核实"
        constraints = (
            models.CheckConstraint(
                condition=Q(kind__in=[kind.value for kind in FlagKind]),
                name="overlap_dismissal_kind_valid",
            ),
        )

    def __str__(self) -> str:
        return f"{self.kind}：已核实，非抄袭（{self.dismissed_by}）"


class OverlapFlag(models.Model):
    """One finding between two applications: a copied passage (the two passages as written,
    with their places part · label and offsets in the box) or an identifier claimed by both."""

    kind = models.CharField("类型", max_length=10, choices=KIND_CHOICES, db_index=True)
    # The normalised identifier (patent or standard number, name), or for a passage 181字相同.
    value = models.CharField("重复内容", max_length=200, blank=True)
    earlier = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="+", verbose_name="先比对的申报"
    )
    later = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="+", verbose_name="后比对的申报"
    )
    earlier_place = models.CharField("先比对申报的位置", max_length=300)
    earlier_text = models.TextField("先比对申报的内容")
    earlier_start = models.PositiveIntegerField(null=True)
    earlier_end = models.PositiveIntegerField(null=True)
    later_place = models.CharField("后比对申报的位置", max_length=300)
    later_text = models.TextField("后比对申报的内容")
    later_start = models.PositiveIntegerField(null=True)
    later_end = models.PositiveIntegerField(null=True)
    signature = models.CharField("比对标识", max_length=64, db_index=True)
    found_at = models.DateTimeField("发现时间")
    dismissal = models.ForeignKey(
        OverlapDismissal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="flags",
        verbose_name="核实",
    )

    class Meta:
        verbose_name = "交叉比对提示"
        verbose_name_plural = "交叉比对提示"
        ordering = ("-found_at", "pk")
        constraints = (
            models.CheckConstraint(
                condition=Q(kind__in=[kind.value for kind in FlagKind]),
                name="overlap_flag_kind_valid",
            ),
        )

    def __str__(self) -> str:
        return f"{self.kind}：{self.earlier_id} / {self.later_id}"
