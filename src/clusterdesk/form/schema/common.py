"""Value types shared by the parts of the form."""

from __future__ import annotations

from typing import Literal

# Re-exported: the parts of the form import their value types from here.
from ..fields import (  # noqa: F401
    EvidenceFile,
    Sha256,
    YearCounts,
    YearKey,
    YearNumbers,
)

YesNo = Literal["是", "否"]
YesNoNotInvolved = Literal["是", "否", "不涉及"]
AboveIndustryAverage = Literal["是", "否", "非工业集群，不适用"]
IndustryType = Literal["第一产业", "第二产业", "第三产业"]
