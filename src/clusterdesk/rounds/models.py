"""Rounds (one call for applications, e.g. 2023年度, with the versions that govern it) and their
audit trail: who created, changed, opened or closed a round, and when."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from clusterdesk.rounds.enums import RoundAction, RoundStatus
from clusterdesk.shared.appendonly import AppendOnly


class Round(models.Model):
    """One call for applications (e.g. 2023年度), with the versions that govern it."""

    name = models.CharField("轮次名称", max_length=50, unique=True, help_text="如“2023年度”。")
    first_data_year = models.PositiveSmallIntegerField("数据起始年度", help_text="如 2020。")
    last_data_year = models.PositiveSmallIntegerField("数据截止年度", help_text="如 2022。")
    reference_date = models.DateField(
        "数据基准日", help_text="未注明年度的数据均截至此日，如 2022-12-31。"
    )
    submission_deadline = models.DateTimeField("申报截止时间")
    county_limit = models.PositiveSmallIntegerField(
        "每个申报单位限报数", default=2, help_text="每个区（县、市）或管委会最多申报的集群数。"
    )
    form_version = models.CharField("申报表版本", max_length=20, default="2023")
    criteria_profile = models.CharField("认定标准", max_length=40, default="national-2022")
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
        )

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

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
