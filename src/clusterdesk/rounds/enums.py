"""What can happen to a round (leaf module: imports nothing from the project)."""

from django.db import models


class RoundAction(models.TextChoices):
    CREATED = "created", "创建"
    UPDATED = "updated", "修改"
    OPENED = "opened", "开放申报"
    CLOSED = "closed", "关闭申报"
    THRESHOLDS = "thresholds", "设定认定标准阈值"


class RoundStatus(models.TextChoices):
    OPEN = "open", "开放申报"
    CLOSED = "closed", "已关闭"


class RoundKind(models.TextChoices):
    """What a round collects. The annual reports and the 复核 reuse the declaration's machinery
    (form pages, autosave, evidence, workflow, review): each is a round of its own kind, whose
    applications are the reports (form ``annual-…``) or the clusters under 复核."""

    DECLARATION = "declaration", "申报认定"
    ANNUAL = "annual", "年度发展情况报告"
    RECHECK = "recheck", "复核"
