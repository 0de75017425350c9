"""States of rounds and applications (leaf module: imports nothing from the project)."""

from django.db import models


class ApplicationState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "已退回"
    UNDER_REVIEW = "under_review", "审核中"
    # Chosen at the 会审 for certification: under 公示 until the 发文 certifies it.
    PROPOSED = "proposed", "拟认定"
    CERTIFIED = "certified", "已认定"
    REJECTED = "rejected", "未认定"
    REVOKED = "revoked", "已撤销"
    # An annual report the city reviewed and accepted (annual rounds only).
    ACCEPTED = "accepted", "已通过"
    # A draft the county deleted; the city bureau can restore it (back to 草稿).
    DELETED = "deleted", "已删除"


class RevisionSource(models.TextChoices):
    """How a change of the form arrived."""

    EDIT = "edit", "在线填写"
    IMPORT = "import", "Word导入"
    EVIDENCE = "evidence", "佐证材料"
    RESTORE = "restore", "恢复导入前版本"
