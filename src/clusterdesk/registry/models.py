"""What is stored about certification (发文), the registry and the 择优推荐.

Publications, certifications and recommendations are records of documents that were issued:
append-only (a wrong 文号 is corrected by revoking and issuing again, never by editing). Only the
per-round settings change. Behaviour lives in ``registry.domain``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from clusterdesk.declarations import clock
from clusterdesk.declarations.models import Application
from clusterdesk.rounds.models import Round
from clusterdesk.shared.appendonly import AppendOnly

DEFAULT_VALIDITY_YEARS = 3
# Ningbo is a 计划单列市: the province lets it recommend two clusters a year to the national list.
DEFAULT_QUOTA = 2
DEFAULT_PREFIX = "甬经信中小"
# The recommendation package holds each cluster's whole evidence: the quota is bounded so a
# synchronous download stays within a request's time.
MAX_QUOTA = 10
MAX_VALIDITY_YEARS = 10
DEFAULT_ADDRESSEE = "浙江省经济和信息化厅"
DEFAULT_SENDER = "宁波市经济和信息化局"


class RegistrySettings(models.Model):
    """Per round: how long a certification lasts, how many clusters the city may recommend."""

    round = models.OneToOneField(
        Round,
        on_delete=models.CASCADE,
        related_name="registry_settings",
        verbose_name="申报轮次",
    )
    validity_years = models.PositiveSmallIntegerField(
        "认定有效期（年）", default=DEFAULT_VALIDITY_YEARS
    )
    recommendation_quota = models.PositiveSmallIntegerField("择优推荐名额", default=DEFAULT_QUOTA)
    document_prefix = models.CharField("发文字号前缀", max_length=30, default=DEFAULT_PREFIX)

    class Meta:
        verbose_name = "认定设置"
        verbose_name_plural = "认定设置"
        constraints = (
            models.CheckConstraint(
                condition=Q(validity_years__gte=1, validity_years__lte=MAX_VALIDITY_YEARS),
                name="registry_settings_validity_range",
            ),
            models.CheckConstraint(
                condition=Q(recommendation_quota__gte=1, recommendation_quota__lte=MAX_QUOTA),
                name="registry_settings_quota_range",
            ),
        )

    def __str__(self) -> str:
        return f"{self.round}的认定设置"


class RegistrySettingsChange(AppendOnly):
    """Who changed a round's registry settings, when, from what to what. Append-only."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="registry_changes", verbose_name="申报轮次"
    )
    before = models.JSONField("修改前")
    after = models.JSONField("修改后")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="registry_settings_changes",
        verbose_name="操作人",
    )
    at = models.DateTimeField("时间", default=clock.now, editable=False)

    class Meta:
        verbose_name = "认定设置修改记录"
        verbose_name_plural = "认定设置修改记录"
        ordering = ("-at", "-pk")

    def __str__(self) -> str:
        return f"{self.round}：认定设置修改"


class Publication(AppendOnly):
    """One 认定 document (发文): its 文号 and date. ``number_key`` is the 文号 with brackets and
    spaces normalised, unique, so 〔2023〕, [2023] and （2023） are one number."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="publications", verbose_name="申报轮次"
    )
    document_number = models.CharField("文号", max_length=60)
    number_key = models.CharField("文号（规范化）", max_length=60, unique=True, editable=False)
    issued_on = models.DateField("发文日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="registry_publications",
        verbose_name="登记人",
    )
    recorded_at = models.DateTimeField("登记时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "认定发文"
        verbose_name_plural = "认定发文"
        ordering = ("-issued_on", "-pk")

    def __str__(self) -> str:
        return self.document_number


class Certification(AppendOnly):
    """An application certified by a publication, valid from ``valid_from`` to ``valid_until``
    (inclusive: validity years later, less a day). Revocation is the application's state."""

    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        related_name="certification",
        verbose_name="集群申报",
    )
    publication = models.ForeignKey(
        Publication,
        on_delete=models.PROTECT,
        related_name="certifications",
        verbose_name="认定发文",
    )
    valid_from = models.DateField("有效期起")
    valid_until = models.DateField("有效期至")
    # The 主导产业 (the 细分领域 of the 择优推荐) as the certified application stated it in
    # Attachment 1, kept here so the registry lists and filters it without reading any form.
    leading_industry = models.CharField("主导产业", max_length=100, blank=True)
    # The certification this one renews after a 复核 passed (the recheck app sets it on 发文):
    # the cluster's history is the chain of its certifications, none of them changed.
    renews = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewed_by",
        verbose_name="续期自",
    )

    class Meta:
        verbose_name = "认定记录"
        verbose_name_plural = "认定记录"
        ordering = ("-valid_from", "pk")
        indexes = (models.Index(fields=["valid_until"], name="certification_valid_until"),)
        constraints = (
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("valid_from")),
                name="certification_valid_range",
            ),
        )

    def __str__(self) -> str:
        return f"{self.application}（{self.publication}）"


class Recommendation(AppendOnly):
    """One 择优推荐 to the province (for the national list): the letter's particulars. A later
    recommendation of the same round supersedes an earlier one; none is ever edited."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="recommendations", verbose_name="申报轮次"
    )
    year = models.PositiveSmallIntegerField("推荐年度")
    letter_number = models.CharField("函号", max_length=60, blank=True)
    addressee = models.CharField("主送单位", max_length=60, default=DEFAULT_ADDRESSEE)
    sender = models.CharField("发函单位", max_length=60, default=DEFAULT_SENDER)
    contact = models.CharField("联系人", max_length=30, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    issued_on = models.DateField("发函日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="registry_recommendations",
        verbose_name="经办人",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "择优推荐"
        verbose_name_plural = "择优推荐"
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.year}年度择优推荐（{self.round}）"


class RecommendationItem(AppendOnly):
    """One recommended cluster, with the reason it was chosen."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="items", verbose_name="择优推荐"
    )
    certification = models.ForeignKey(
        Certification,
        on_delete=models.PROTECT,
        related_name="recommendation_items",
        verbose_name="认定记录",
    )
    position = models.PositiveSmallIntegerField("序号")
    field_key = models.CharField("细分领域（规范化）", max_length=60)
    reason = models.TextField("推荐理由")

    class Meta:
        verbose_name = "推荐集群"
        verbose_name_plural = "推荐集群"
        ordering = ("recommendation", "position")
        constraints = (
            models.UniqueConstraint(
                fields=["recommendation", "certification"], name="recommendation_item_once"
            ),
            models.UniqueConstraint(
                fields=["recommendation", "field_key"], name="recommendation_item_one_per_field"
            ),
        )

    def __str__(self) -> str:
        return f"{self.position}. {self.certification.application}"
