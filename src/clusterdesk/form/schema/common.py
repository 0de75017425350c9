"""Value types shared by the parts of the form."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints

from ..fields import FormModel, Number

YesNo = Literal["是", "否"]
YesNoNotInvolved = Literal["是", "否", "不涉及"]
AboveIndustryAverage = Literal["是", "否", "非工业集群，不适用"]
IndustryType = Literal["第一产业", "第二产业", "第三产业"]

# The official 无: the answer to a required field when nothing applies (填报说明 2).
NONE_WORD = "无"

YearKey = Annotated[str, StringConstraints(pattern=r"^\d{4}$")]
YearNumbers = dict[YearKey, Number | None]
YearCounts = dict[YearKey, int | None]

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class EvidenceFile(FormModel):
    """A 佐证材料 file attached to one item of the form; the file itself lives in storage."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    sha256: Sha256 | None = None
    size: int | None = None
