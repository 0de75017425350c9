"""The guard on 撤销认定 (CERTIFIED → REVOKED), registered in ``workflow.GUARDS_FROM_ABOVE``.

The workflow's table allows the move to the city; on its own it would revoke with a free-text
reason and leave no decision behind: no reason class, no 文号, no 通报, nothing in the registry
or on the public list's history. So the move passes only inside ``revoke()``, which says so
through ``revoking()`` for the one application it is revoking, and writes the ``Revocation`` in
the same transaction. A context variable rather than a flag on the row: nothing stored can be
set by anything else (a script, a second door), and it is reset even when the move fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from clusterdesk.accounts.models import User
from clusterdesk.declarations.models import Application

# The pk of the application ``revoke()`` is moving to 已撤销 right now, in this context.
_REVOKING: ContextVar[int | None] = ContextVar("revoking", default=None)

ONLY_BY_REVOKE = (
    "撤销认定须在“撤销认定”页面办理：选择撤销原因类别，填写撤销理由、撤销文号和决定日期，"
    "系统据此登记撤销决定并生成通报。"
)


@contextmanager
def revoking(application_pk: int) -> Iterator[None]:
    """Within this block, the move of application ``application_pk`` to 已撤销 may pass."""
    token = _REVOKING.set(application_pk)
    try:
        yield
    finally:
        _REVOKING.reset(token)


def only_by_revoke(application: Application, actor: User) -> str | None:
    if _REVOKING.get() == application.pk:
        return None
    return ONLY_BY_REVOKE
