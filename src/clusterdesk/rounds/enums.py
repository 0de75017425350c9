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
