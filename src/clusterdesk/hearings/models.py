"""现场答辩 slots and their records, 实地走访 plans, findings and files, and the audit trail.

Slots, records and visits change (a slot moves, a record is corrected); every change goes through
``hearings.domain`` and writes a ``HearingEvent`` (append-only) with who, when and what, so
the rows themselves carry only the current state. Visit files are never removed: like evidence
uploads they are append-only, and their content lives in the evidence store (``evidence.Blob``,
addressed by SHA-256).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from clusterdesk.shared.appendonly import AppendOnly


class DefenceSlot(models.Model):
    """One application's 现场答辩 in a phase: when, and where (a place or an online link)."""

    phase = models.ForeignKey(
        "review.ReviewPhase",
        on_delete=models.PROTECT,
        related_name="defence_slots",
        verbose_name="评审环节",
    )
    application = models.ForeignKey(
        "declarations.Application",
        on_delete=models.PROTECT,
        related_name="defence_slots",
        verbose_name="集群申报",
    )
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    place = models.CharField("答辩地点", max_length=200, blank=True)
    online_link = models.URLField("线上会议链接", max_length=500, blank=True)
    notified_at = models.DateTimeField("通知区县时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="安排人"
    )
    created_at = models.DateTimeField("安排时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "现场答辩安排"
        verbose_name_plural = "现场答辩安排"
        ordering = ("starts_at", "pk")
        constraints = (
            models.UniqueConstraint(
                fields=["phase", "application"], name="defence_slot_once_per_phase"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="defence_slot_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_link=""), name="defence_slot_has_a_place"
            ),
        )
        indexes = (models.Index(fields=["place", "starts_at"], name="defence_slot_place_time"),)

    def __str__(self) -> str:
        return f"{self.application} {self.starts_at:%Y-%m-%d %H:%M}"


class DefenceRecord(models.Model):
    """What happened at a slot: attendance, who attended, the questions and answers, notes."""

    slot = models.OneToOneField(
        DefenceSlot, on_delete=models.PROTECT, related_name="record", verbose_name="答辩安排"
    )
    attended = models.BooleanField("是否到场")
    attendees = models.CharField("到场人员", max_length=500, blank=True)
    # [{"question": "...", "answer": "..."}, ...] in the order asked.
    questions = models.JSONField("问答记录", default=list, blank=True)
    notes = models.TextField("备注", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="记录人"
    )
    recorded_at = models.DateTimeField("记录时间")

    class Meta:
        verbose_name = "现场答辩记录"
        verbose_name_plural = "现场答辩记录"

    def __str__(self) -> str:
        return f"{self.slot}：{'到场' if self.attended else '缺席'}"


class Conclusion(models.TextChoices):
    TRUE = "true", "属实"
    PARTLY = "partly", "部分属实"
    FALSE = "false", "不属实"


class SiteVisit(models.Model):
    """One 实地走访 of an application: the plan (date, members), then findings and conclusion."""

    round = models.ForeignKey(
        "rounds.Round",
        on_delete=models.PROTECT,
        related_name="site_visits",
        verbose_name="申报轮次",
    )
    application = models.ForeignKey(
        "declarations.Application",
        on_delete=models.PROTECT,
        related_name="site_visits",
        verbose_name="集群申报",
    )
    planned_on = models.DateField("走访日期")
    members = models.CharField("走访人员（机关人员等）", max_length=500, blank=True)
    experts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="site_visits", verbose_name="走访专家"
    )
    # {aspect key: what the visit found}, aspects of the round's rubric.
    findings = models.JSONField("核查情况", default=dict, blank=True)
    conclusion = models.CharField("核查结论", max_length=10, choices=Conclusion.choices, blank=True)
    notes = models.TextField("结论说明", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="记录人",
    )
    recorded_at = models.DateTimeField("记录时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="安排人"
    )
    created_at = models.DateTimeField("安排时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "实地走访"
        verbose_name_plural = "实地走访"
        ordering = ("planned_on", "pk")
        constraints = (
            models.UniqueConstraint(
                fields=["round", "application"], name="site_visit_once_per_round"
            ),
            models.CheckConstraint(
                condition=Q(conclusion__in=["", *Conclusion.values]),
                name="site_visit_conclusion_valid",
            ),
        )

    def __str__(self) -> str:
        return f"{self.application} {self.planned_on:%Y-%m-%d}"


class SiteVisitFile(AppendOnly):
    """A photo or PDF taken on a visit; the content is an evidence blob (by SHA-256)."""

    visit = models.ForeignKey(
        SiteVisit, on_delete=models.PROTECT, related_name="files", verbose_name="实地走访"
    )
    blob = models.ForeignKey(
        "evidence.Blob", on_delete=models.PROTECT, related_name="+", verbose_name="文件"
    )
    name = models.CharField("文件名", max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "实地走访文件"
        verbose_name_plural = "实地走访文件"
        ordering = ("uploaded_at", "pk")
        constraints = (
            models.UniqueConstraint(fields=["visit", "blob"], name="site_visit_file_once"),
        )

    def __str__(self) -> str:
        return self.name


class HearingAction(models.TextChoices):
    SLOT_SCHEDULED = "slot_scheduled", "安排答辩"
    SLOT_CHANGED = "slot_changed", "调整答辩安排"
    SLOT_CANCELLED = "slot_cancelled", "取消答辩安排"
    DEFENCE_RECORDED = "defence_recorded", "记录答辩情况"
    VISIT_PLANNED = "visit_planned", "安排实地走访"
    VISIT_RECORDED = "visit_recorded", "记录走访结论"
    VISIT_FILE = "visit_file", "上传走访文件"


class HearingEvent(AppendOnly):
    """Who changed which slot or visit, when, and to what (the values after the change).

    Slots may be deleted (cancelled before they happen), so the event keeps their id as a plain
    number rather than a foreign key that would have to go with them."""

    round = models.ForeignKey(
        "rounds.Round", on_delete=models.PROTECT, related_name="+", verbose_name="申报轮次"
    )
    application = models.ForeignKey(
        "declarations.Application",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="集群申报",
    )
    slot_id = models.PositiveBigIntegerField("答辩安排编号", null=True, blank=True)
    visit = models.ForeignKey(
        SiteVisit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="实地走访",
    )
    action = models.CharField("操作", max_length=20, choices=HearingAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="操作人"
    )
    at = models.DateTimeField("时间", default=timezone.now, editable=False, db_index=True)
    reason = models.TextField("理由", blank=True)
    detail = models.JSONField("内容", default=dict, blank=True)

    class Meta:
        verbose_name = "答辩与走访记录"
        verbose_name_plural = "答辩与走访记录"
        ordering = ("at", "pk")
        constraints = (
            models.CheckConstraint(
                condition=Q(action__in=HearingAction.values), name="hearing_event_action_valid"
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
