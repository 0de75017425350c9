"""The guard on 认定 (PROPOSED → CERTIFIED), registered in ``workflow.GUARDS_FROM_ABOVE``:
a proposed cluster is certified only after its 公示 ended with every objection handled."""

from __future__ import annotations

from clusterdesk.accounts.models import User
from clusterdesk.declarations.models import Application
from clusterdesk.panel.workdays import chinese_date
from clusterdesk.publicity.domain.objections import blocking_objections
from clusterdesk.publicity.domain.publicity import publicity_for, today
from clusterdesk.publicity.models import Outcome


def certification_guard(application: Application, actor: User) -> str | None:
    publicity = publicity_for(application)
    if publicity is None:
        return f"“{application}”尚未公示，公示期满后方可认定。"
    if today() <= publicity.ends_on:
        return f"“{application}”的公示期至{chinese_date(publicity.ends_on)}，公示期满后方可认定。"
    blocking = blocking_objections(application)
    pending = [o for o, s in blocking if s.outcome == Outcome.PENDING]
    if pending:
        return f"“{application}”有 {len(pending)} 件异议尚未处理完毕，处理后方可认定。"
    if blocking:
        return (
            f"“{application}”有异议经调查成立，须先记录会审研究决定（如经会审研究仍予认定及理由），"
            "或作不予认定处理。"
        )
    return None
