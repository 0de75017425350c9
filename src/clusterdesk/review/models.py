"""The expert pool, conflicts of interest, review settings and phases per round, assignments,
and the append-only record of every change (``ReviewEvent``). Behaviour lives in ``domain/``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from clusterdesk.declarations import clock
from clusterdesk.declarations.models import Application
from clusterdesk.review.enums import (
    AssignmentStatus,
    EventAction,
    PhaseKind,
    PhaseStatus,
    Relation,
)
from clusterdesk.rounds.models import Round
from clusterdesk.shared.appendonly import AppendOnly

# Bounds that keep the forms and the assignment sane.
MAX_EXPERTS_PER_APPLICATION = 15
MAX_CONFLICT_YEARS = 10
MAX_FIELDS = 20


class ExpertProfile(models.Model):
    """An expert of the pool (专家库): the account they log in with and what assignment needs."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="expert_profile",
        verbose_name="登录账户",
    )
    name = models.CharField("姓名", max_length=30)
    organisation_name = models.CharField("工作单位", max_length=100)
    title = models.CharField("职称", max_length=50, blank=True)
    # Industries / 细分领域 the expert covers, matched against the applications' industries.
    fields = models.JSONField("专业领域", default=list, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    active = models.BooleanField("在库（可分配）", default=True)
    created_at = models.DateTimeField("加入时间", auto_now_add=True)

    class Meta:
        verbose_name = "专家"
        verbose_name_plural = "专家库"
        ordering = ("name", "pk")

    def __str__(self) -> str:
        return f"{self.name}（{self.organisation_name}）"

    @property
    def fields_text(self) -> str:
        return "、".join(self.fields or [])


class ConflictDeclaration(models.Model):
    """A unit or enterprise the expert worked for, advised or holds interests in, with dates."""

    expert = models.ForeignKey(
        ExpertProfile, on_delete=models.PROTECT, related_name="conflicts", verbose_name="专家"
    )
    counterpart = models.CharField("单位/企业名称", max_length=100)
    relation = models.CharField("关系", max_length=10, choices=Relation.choices)
    started_on = models.DateField("起始日期", null=True, blank=True)
    ended_on = models.DateField("结束日期", null=True, blank=True, help_text="仍在持续的留空。")
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField("申报时间", auto_now_add=True)

    class Meta:
        verbose_name = "利益关联申报"
        verbose_name_plural = "利益关联申报"
        ordering = ("expert", "-created_at", "pk")
        constraints = (
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="review_conflict_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(relation__in=Relation.values), name="review_conflict_relation_valid"
            ),
            models.CheckConstraint(
                condition=~Q(counterpart=""), name="review_conflict_counterpart_not_empty"
            ),
        )

    def __str__(self) -> str:
        return f"{self.expert.name}：{self.counterpart}（{self.relation}）"

    @property
    def ongoing(self) -> bool:
        return self.ended_on is None


class ReviewSettings(models.Model):
    """A round's review rules (data per round)."""

    round = models.OneToOneField(
        Round, on_delete=models.PROTECT, related_name="review_settings", verbose_name="申报轮次"
    )
    experts_per_application = models.PositiveSmallIntegerField("每份申报的评审专家数", default=5)
    conflict_years = models.PositiveSmallIntegerField(
        "回避期限（年）",
        default=3,
        help_text="专家申报的关联在数据基准日前若干年内结束的，仍须回避。",
    )
    anonymise_county = models.BooleanField("匿名评审（专家看不到申报单位）", default=False)

    class Meta:
        verbose_name = "评审设置"
        verbose_name_plural = "评审设置"
        constraints = (
            models.CheckConstraint(
                condition=Q(experts_per_application__gte=1)
                & Q(experts_per_application__lte=MAX_EXPERTS_PER_APPLICATION),
                name="review_settings_experts_in_range",
            ),
            models.CheckConstraint(
                condition=Q(conflict_years__lte=MAX_CONFLICT_YEARS),
                name="review_settings_years_in_range",
            ),
        )

    def __str__(self) -> str:
        return f"{self.round}评审设置"


class ReviewPhase(models.Model):
    """One phase of a round's review (预审, 专家评审, 实地走访): while it is open its experts see
    and work on their assignments."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="review_phases", verbose_name="申报轮次"
    )
    kind = models.CharField("类型", max_length=20, choices=PhaseKind.choices)
    name = models.CharField("名称", max_length=50)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    scored = models.BooleanField("专家打分", default=False)
    with_defence = models.BooleanField("含现场答辩", default=False)
    opens_at = models.DateTimeField("开始时间", null=True, blank=True)
    closes_at = models.DateTimeField("结束时间", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=PhaseStatus.choices, default=PhaseStatus.PENDING
    )
    closed_at = models.DateTimeField("实际结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "评审阶段"
        verbose_name_plural = "评审阶段"
        ordering = ("round", "position", "pk")
        constraints = (
            models.CheckConstraint(
                condition=Q(kind__in=PhaseKind.values), name="review_phase_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=PhaseStatus.values), name="review_phase_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="review_phase_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=~Q(status=PhaseStatus.CLOSED) | Q(closed_at__isnull=False),
                name="review_phase_closed_has_time",
            ),
        )

    def __str__(self) -> str:
        return f"{self.round} · {self.name}"

    @property
    def is_open(self) -> bool:
        """Open now: opened by the city, its start reached and its end (when set) not."""
        if self.status != PhaseStatus.OPEN:
            return False
        now = clock.now()
        if self.opens_at is not None and now < self.opens_at:
            return False
        return self.closes_at is None or now < self.closes_at


class Assignment(models.Model):
    """An expert assigned to an application in a phase. Never deleted: a removed or recused
    assignment keeps its row with its status."""

    phase = models.ForeignKey(
        ReviewPhase, on_delete=models.PROTECT, related_name="assignments", verbose_name="评审阶段"
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="assignments", verbose_name="集群申报"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_assignments",
        verbose_name="专家",
    )
    status = models.CharField(
        "状态", max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.ACTIVE
    )
    why = models.CharField("分配理由", max_length=300)
    recusal_reason = models.CharField("回避理由", max_length=300, blank=True)
    removal_reason = models.CharField("撤换理由", max_length=300, blank=True)
    created_at = models.DateTimeField("分配时间")

    class Meta:
        verbose_name = "评审分配"
        verbose_name_plural = "评审分配"
        ordering = ("phase", "application", "created_at", "pk")
        constraints = (
            models.UniqueConstraint(
                fields=["phase", "application", "expert"],
                condition=Q(status=AssignmentStatus.ACTIVE),
                name="review_assignment_one_active",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AssignmentStatus.values),
                name="review_assignment_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=AssignmentStatus.RECUSED) | ~Q(recusal_reason=""),
                name="review_assignment_recusal_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=AssignmentStatus.REMOVED) | ~Q(removal_reason=""),
                name="review_assignment_removal_has_reason",
            ),
        )
        indexes = (models.Index(fields=["expert", "status"], name="review_assignment_expert"),)

    def __str__(self) -> str:
        return f"{self.application} · {self.expert}（{self.get_status_display()}）"


class ReviewEvent(AppendOnly):
    """One change of the review, never changed or removed: who did what, when and why."""

    # Empty for changes of the expert pool, which belongs to no round.
    round = models.ForeignKey(
        Round,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_events",
        verbose_name="申报轮次",
    )
    # A phase without assignments may be removed; its events stay (the name is in ``detail``).
    phase = models.ForeignKey(
        ReviewPhase,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="评审阶段",
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_events",
        verbose_name="集群申报",
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_events_about",
        verbose_name="专家",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_events",
        verbose_name="操作人",
    )
    action = models.CharField("操作", max_length=30, choices=EventAction.choices)
    reason = models.TextField("理由", blank=True)
    at = models.DateTimeField("时间", db_index=True)
    detail = models.JSONField("详情", default=dict, blank=True)

    class Meta:
        verbose_name = "评审记录"
        verbose_name_plural = "评审记录"
        ordering = ("at", "pk")
        constraints = (
            models.CheckConstraint(
                condition=Q(action__in=EventAction.values), name="review_event_action_valid"
            ),
        )

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"
