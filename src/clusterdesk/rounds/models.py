"""Rounds (one call for applications, e.g. 2023年度, with the versions that govern it) and their
audit trail: who created, changed, opened or closed a round, and when."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from clusterdesk.rounds.enums import RoundAction, RoundKind, RoundStatus
from clusterdesk.shared.appendonly import AppendOnly


class Round(models.Model):
    """One call for applications (e.g. 2023年度), with the versions that govern it."""

    name = models.CharField("轮次名称", max_length=50, unique=True, help_text="如“2023年度”。")
    kind = models.CharField(
        "轮次类型", max_length=12, choices=RoundKind.choices, default=RoundKind.DECLARATION
    )
    first_data_year = models.PositiveSmallIntegerField("数据起始年度", help_text="如 2020。")
    last_data_year = models.PositiveSmallIntegerField("数据截止年度", help_text="如 2022。")
    reference_date = models.DateField(
        "数据基准日", help_text="未注明年度的数据均截至此日，如 2022-12-31。"
    )
    # When filling opens (an annual report's window: 1 January by default); None = at once.
    opens_at = models.DateTimeField("开始填报时间", null=True, blank=True)
    submission_deadline = models.DateTimeField("申报截止时间")
    # Set only by the demo data, which moves the notice's deadline ahead so that the demo can be
    # tried out: where the two differ, every page marks the deadline 演示.
    notice_deadline = models.DateTimeField(
        "通知规定的截止时间",
        null=True,
        blank=True,
        help_text="仅演示数据使用：与申报截止时间不同时，页面在截止时间旁标注“演示”。",
    )
    county_limit = models.PositiveSmallIntegerField(
        "每个申报单位限报数", default=2, help_text="每个区（县、市）或管委会最多申报的集群数。"
    )
    form_version = models.CharField("申报表版本", max_length=20, default="2023")
    # ningbo-2023: the national thresholds the city applies until it publishes its own.
    criteria_profile = models.CharField("认定标准", max_length=40, default="ningbo-2023")
    # The thresholds the profile leaves unset, as the city officer set them for this round:
    # {"4.rd_growth": "5"} (form.criteria.overrides); the history is in RoundEvent.
    criteria_thresholds = models.JSONField(
        "本轮设定的认定标准阈值", default=dict, blank=True, editable=False
    )
    status = models.CharField(
        "状态", max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "申报轮次"
        verbose_name_plural = "申报轮次"
        ordering = ("-last_data_year", "-pk")
        constraints = (
            models.CheckConstraint(
                condition=Q(status__in=RoundStatus.values), name="round_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(first_data_year__lte=F("last_data_year")),
                name="round_data_years_ordered",
            ),
            models.CheckConstraint(
                condition=Q(county_limit__gte=1), name="round_county_limit_positive"
            ),
            models.CheckConstraint(condition=Q(kind__in=RoundKind.values), name="round_kind_valid"),
        )

    def __str__(self) -> str:
        return self.name

    @property
    def is_declaration(self) -> bool:
        return self.kind == RoundKind.DECLARATION

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    @property
    def deadline_is_demo(self) -> bool:
        """The deadline is the demo's, not the notice's (see ``notice_deadline``)."""
        return self.notice_deadline is not None and self.submission_deadline != self.notice_deadline

    @property
    def data_years(self) -> range:
        return range(self.first_data_year, self.last_data_year + 1)

    def clean(self) -> None:
        super().clean()
        if self.first_data_year and self.last_data_year:
            if self.first_data_year > self.last_data_year:
                raise ValidationError({"last_data_year": "数据截止年度不能早于数据起始年度。"})
            if self.reference_date and self.reference_date.year != self.last_data_year:
                raise ValidationError({"reference_date": "数据基准日应在数据截止年度之内。"})


class RoundEvent(AppendOnly):
    """One thing a city officer did to a round. Append-only, like ApplicationEvent."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="events", verbose_name="申报轮次"
    )
    action = models.CharField("操作", max_length=10, choices=RoundAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="round_events",
        verbose_name="操作人",
    )
    note = models.TextField("说明", blank=True)
    at = models.DateTimeField("时间", default=timezone.now, editable=False, db_index=True)

    class Meta:
        verbose_name = "轮次记录"
        verbose_name_plural = "轮次记录"
        ordering = ("at", "pk")
        constraints = (
            models.CheckConstraint(
                condition=Q(action__in=RoundAction.values), name="round_event_action_valid"
            ),
        )

    def __str__(self) -> str:
        return f"{self.round}：{self.get_action_display()}"
