"""What the 会审, the 公示 and the objections record. Every record is append-only: a step is a
new row (a decision, a 公示, an objection, a handling step), never an edit of an earlier one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from clusterdesk.declarations.models import Application, ApplicationEvent
from clusterdesk.shared.appendonly import AppendOnly

MAX_TEXT = 5000  # minutes, objection content, notes: a page or two, not a file
MAX_SHORT = 200


class Decision(AppendOnly):
    """One 会审 meeting of a round and what it decided (its items)."""

    round = models.ForeignKey(
        "rounds.Round", on_delete=models.PROTECT, related_name="decisions", verbose_name="申报轮次"
    )
    held_on = models.DateField("会审日期")
    members = models.TextField("参会人员", max_length=MAX_SHORT * 5)
    minutes = models.TextField("会议纪要", max_length=MAX_TEXT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="publicity_decisions",
        verbose_name="记录人",
    )
    recorded_at = models.DateTimeField("记录时间")

    class Meta:
        verbose_name = "会审决定"
        verbose_name_plural = "会审决定"
        ordering = ("recorded_at", "pk")

    def __str__(self) -> str:
        return f"{self.round}会审（{self.held_on:%Y-%m-%d}）"


class DecisionItem(AppendOnly):
    """One application's outcome at a 会审: proposed (拟认定) or not, its rank then, the reason
    the county sees when refused, and why the choice departs from the rank order if it does."""

    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="items", verbose_name="会审决定"
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="decision_items",
        verbose_name="集群申报",
    )
    rank = models.PositiveIntegerField("评审排名", null=True, blank=True)
    proposed = models.BooleanField("拟认定")
    reason = models.TextField("不予认定理由（区县可见）", blank=True, max_length=MAX_TEXT)
    departure_reason = models.TextField("偏离排名顺序的理由", blank=True, max_length=MAX_TEXT)

    class Meta:
        verbose_name = "会审决定事项"
        verbose_name_plural = "会审决定事项"
        ordering = ("decision", "rank", "pk")
        constraints = (
            models.UniqueConstraint(
                fields=("decision", "application"), name="publicity_item_once_per_decision"
            ),
        )

    def __str__(self) -> str:
        return f"{self.application}：{'拟认定' if self.proposed else '不予认定'}"


class Publicity(AppendOnly):
    """A 公示 of a round's proposed clusters: the period (working days by the official
    calendar) and whom to contact with an objection."""

    round = models.ForeignKey(
        "rounds.Round",
        on_delete=models.PROTECT,
        related_name="publicities",
        verbose_name="申报轮次",
    )
    title = models.CharField("公示标题", max_length=MAX_SHORT)
    starts_on = models.DateField("公示开始日期")
    ends_on = models.DateField("公示结束日期")
    working_days = models.PositiveSmallIntegerField("公示工作日数")
    contact = models.CharField("异议受理联系人及方式", max_length=MAX_SHORT)
    issuer = models.CharField("发布单位", max_length=MAX_SHORT)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="publicities",
        verbose_name="发起人",
    )
    started_at = models.DateTimeField("发起时间")

    class Meta:
        verbose_name = "公示"
        verbose_name_plural = "公示"
        ordering = ("-starts_on", "-pk")

    def __str__(self) -> str:
        return f"{self.title}（{self.starts_on:%Y-%m-%d}至{self.ends_on:%Y-%m-%d}）"


class PublicityItem(AppendOnly):
    """A cluster in a 公示, with what the 公示 shows of it, as it was when the 公示 started."""

    publicity = models.ForeignKey(
        Publicity, on_delete=models.PROTECT, related_name="items", verbose_name="公示"
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="publicity_items",
        verbose_name="集群申报",
    )
    # The 拟认定 move this 公示 covers: a cluster taken back (撤回拟认定) and proposed again at a
    # later 会审 is a new proposal and needs a 公示 of its own. Events, not times, tell them
    # apart (the workflow's and the demo's clocks may differ).
    proposal = models.ForeignKey(
        ApplicationEvent,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="拟认定记录",
    )
    position = models.PositiveSmallIntegerField("序号")
    cluster_name = models.CharField("集群名称", max_length=MAX_SHORT)
    unit = models.CharField("申报单位", max_length=MAX_SHORT)
    county = models.CharField("所在区县", max_length=MAX_SHORT, blank=True)
    industry = models.CharField("主导产业", max_length=MAX_SHORT, blank=True)

    class Meta:
        verbose_name = "公示名单"
        verbose_name_plural = "公示名单"
        ordering = ("publicity", "position")
        constraints = (
            models.UniqueConstraint(
                fields=("publicity", "application"), name="publicity_item_once_per_publicity"
            ),
        )

    def __str__(self) -> str:
        return self.cluster_name


class Outcome(models.TextChoices):
    PENDING = "pending", "待处理"
    UPHELD = "upheld", "成立"
    DISMISSED = "dismissed", "不成立"


class Objection(AppendOnly):
    """An objection (异议) received during a 公示, as received. An unsigned one (no name or no
    contact) is recorded but not accepted (不予受理), as the notice says. Its handling is a
    series of ``ObjectionStep`` rows; the latest step says where it stands."""

    publicity = models.ForeignKey(
        Publicity, on_delete=models.PROTECT, related_name="objections", verbose_name="公示"
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="objections", verbose_name="集群申报"
    )
    name = models.CharField("异议人姓名", max_length=50, blank=True)
    organisation = models.CharField("异议单位", max_length=MAX_SHORT, blank=True)
    contact = models.CharField("联系方式", max_length=MAX_SHORT, blank=True)
    content = models.TextField("异议内容", max_length=MAX_TEXT)
    received_on = models.DateField("收到日期")
    signed = models.BooleanField("署名（予以受理）")
    not_accepted_reason = models.CharField("不予受理理由", max_length=MAX_SHORT, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="recorded_objections",
        verbose_name="登记人",
    )
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "异议"
        verbose_name_plural = "异议"
        ordering = ("received_on", "pk")

    def __str__(self) -> str:
        who = self.organisation or self.name or "匿名"
        return f"{who}对“{self.application}”的异议"

    # The contract's names, read from the steps (``domain.objections.standing`` has the rest).
    @property
    def outcome(self) -> str:
        """pending / upheld (成立) / dismissed (不成立): the latest outcome step's."""
        steps = [step for step in self.steps.all() if step.kind == StepKind.OUTCOME]
        return max(steps, key=lambda step: step.pk).outcome if steps else Outcome.PENDING

    @property
    def handling_notes(self) -> str:
        return "\n".join(step.text for step in self.steps.all() if step.kind == StepKind.NOTE)


class StepKind(models.TextChoices):
    NOTE = "note", "调查核实记录"
    OUTCOME = "outcome", "处理结论"
    OVERRIDE = "override", "会审研究决定"


class ObjectionStep(AppendOnly):
    """One step of handling an accepted objection: an investigation note, the outcome (成立 /
    不成立) or — for an upheld one — the recorded decision to certify all the same."""

    objection = models.ForeignKey(
        Objection, on_delete=models.PROTECT, related_name="steps", verbose_name="异议"
    )
    kind = models.CharField("类型", max_length=20, choices=StepKind.choices)
    outcome = models.CharField("处理结论", max_length=20, choices=Outcome.choices, blank=True)
    text = models.TextField("内容", max_length=MAX_TEXT)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="objection_steps",
        verbose_name="办理人",
    )
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "异议办理记录"
        verbose_name_plural = "异议办理记录"
        ordering = ("pk",)
        constraints = (
            models.CheckConstraint(
                condition=Q(kind__in=StepKind.values) & Q(outcome__in=[*Outcome.values, ""]),
                name="objection_step_kind_outcome_valid",
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.text[:30]}"
