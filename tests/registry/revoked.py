"""Revoking a cluster in the registry's tests: through the one door, ``revoke()`` (a plain
workflow move to 已撤销 is refused, see tests/revocation/test_guard.py)."""

from __future__ import annotations

import datetime as dt

from clusterdesk.declarations import clock
from clusterdesk.revocation.domain import revoke
from clusterdesk.revocation.enums import RevocationReason

_numbers = iter(range(900, 10_000))


def revoke_plainly(application, city, reason: str = "复核不合格"):
    """Revoked on the day of its certification (some of these tests' clocks stand before it:
    the decision is dated then, as a revocation may not be dated before the 发文)."""
    certification = application.certification
    day = certification.valid_from
    with clock.frozen(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)):
        return revoke(
            certification,
            reason_class=RevocationReason.RECHECK_FAILED,
            reason=reason,
            document_number=f"甬经信中小〔2099〕{next(_numbers)}号",
            decided_on=day,
            actor=city,
        )
