"""A certified cluster revoked through the revocation app's door, for its tests and the access
matrix's rows."""

from __future__ import annotations

import datetime as dt

from clusterdesk.accounts.models import User
from clusterdesk.declarations.models import Application
from clusterdesk.revocation.domain import revoke
from clusterdesk.revocation.enums import RevocationReason
from clusterdesk.revocation.models import Revocation
from tests.registry.world import certify

NUMBER = "甬经信中小〔2023〕30号"
# After ``certify``'s 发文 (2023-04-06), not after the tests' clock (2023-04-10).
DECIDED_ON = dt.date(2023, 4, 7)
REASON = "经核查，申报材料中2022年集群工业总产值数据与统计部门数据严重不符，属虚假申报。"


def revoked(application: Application, city: User, number: str = NUMBER) -> Revocation:
    """``application`` certified (``registry.world.certify``) and then revoked; once."""
    found = Revocation.objects.filter(certification__application=application).first()
    if found is not None:
        return found
    return revoke(
        certify(application, city),
        reason_class=RevocationReason.FALSE_DECLARATION,
        reason=REASON,
        document_number=number,
        decided_on=DECIDED_ON,
        actor=city,
    )
