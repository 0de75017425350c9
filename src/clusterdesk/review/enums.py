"""The review's choices (leaf module)."""

from django.db import models


class PhaseKind(models.TextChoices):
    PRE_REVIEW = "pre_review", "预审"
    EXPERT_REVIEW = "expert_review", "专家评审"
    SITE_VISIT = "site_visit", "实地走访"


class PhaseStatus(models.TextChoices):
    PENDING = "pending", "未开始"
    OPEN = "open", "进行中"
    CLOSED = "closed", "已结束"


class AssignmentStatus(models.TextChoices):
    ACTIVE = "active", "有效"
    RECUSED = "recused", "已回避"
    REMOVED = "removed", "已撤换"


class Relation(models.TextChoices):
    EMPLOYED = "任职", "任职"
    ADVISER = "顾问", "顾问"
    SHARES = "持股", "持股"
    COOPERATION = "合作", "合作"
    OTHER = "其他", "其他"


class EventAction(models.TextChoices):
    EXPERT_CREATED = "expert_created", "新增专家"
    EXPERT_UPDATED = "expert_updated", "修改专家信息"
    EXPERT_DEACTIVATED = "expert_deactivated", "停用专家"
    EXPERT_ACTIVATED = "expert_activated", "启用专家"
    CONFLICT_DECLARED = "conflict_declared", "申报利益关联"
    CONFLICT_ENDED = "conflict_ended", "利益关联结束"
    SETTINGS_CHANGED = "settings_changed", "修改评审设置"
    PHASE_CREATED = "phase_created", "新增评审阶段"
    PHASE_UPDATED = "phase_updated", "修改评审阶段"
    PHASE_REMOVED = "phase_removed", "删除评审阶段"
    PHASE_OPENED = "phase_opened", "开放评审阶段"
    PHASE_CLOSED = "phase_closed", "结束评审阶段"
    ASSIGNED = "assigned", "分配专家"
    AUTO_ASSIGNED = "auto_assigned", "自动分配专家"
    REMOVED = "removed", "撤换专家"
    RECUSED = "recused", "专家回避"
    REPLACED = "replaced", "补充分配"
