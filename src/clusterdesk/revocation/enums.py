"""Why a certification is revoked (leaf module). The classes follow the notice's conditions
(part 四) and the procedure as practised: a false declaration, an unreported major change of
leading industry, area or operating body, an incident of the kind the notice excludes, a failed
复核."""

from django.db import models


class RevocationReason(models.TextChoices):
    FALSE_DECLARATION = "false_declaration", "虚假申报"
    UNREPORTED_CHANGE = "unreported_change", "重大变更未报告"
    MAJOR_INCIDENT = "major_incident", "发生重大事故"
    VIOLATION = "violation", "违法违规或严重失信"
    RECHECK_FAILED = "recheck_failed", "复核未通过"
    OTHER = "other", "其他"
