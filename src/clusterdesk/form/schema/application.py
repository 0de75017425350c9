"""中小企业特色产业集群申报表 (Attachment 2) with its Attachment 1 row: the root of the schema."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

from ..fields import EvidenceFile, FormModel, evidence_register, section
from ..versions import FORM_2023
from .basics import Basics
from .cover import Cover, SummaryRow
from .declaration import Declaration
from .digital import Digital
from .governance import Governance
from .green import Green
from .industry import LeadingIndustry
from .innovation import Innovation
from .instructions import INSTRUCTIONS, INSTRUCTIONS_TITLE
from .openness import Openness
from .plan import PLAN_MAX_CHARS, TARGET_RULES_NOTE, Plan

FORM_TITLE = "中小企业特色产业集群申报表"

PART_TITLES: dict[str, str] = {
    "part1": "一、基本情况",
    "part2": "二、主导产业情况",
    "part3": "三、创新能力情况",
    "part4": "四、数字化升级情况",
    "part5": "五、绿色化转型情况",
    "part6": "六、开放合作情况",
    "part7": "七、治理和服务水平",
    "part8": "八、未来三年中小企业特色产业集群发展规划",
    "part9": "九、真实性声明及推荐意见",
}


def _schema_extra(schema: dict[str, Any]) -> None:
    schema["x-instructions"] = {"title": INSTRUCTIONS_TITLE, "items": list(INSTRUCTIONS)}
    schema["x-data-years"] = {
        "years": list(FORM_2023.data_years),
        "labels": [f"{year}年" for year in FORM_2023.data_years],
        "reference_date": FORM_2023.reference_date.isoformat(),
    }


class Application(FormModel):
    """One county's filled Attachment 2 and its row of Attachment 1.

    Every field may be empty while a draft is being filled; the 填报说明 rules say what a complete
    application needs. Evidence is kept apart from the values, keyed by the field's path, so a
    value's type never changes because it needs a file.
    """

    model_config = ConfigDict(title=FORM_TITLE, json_schema_extra=_schema_extra)

    form_version: Literal["2023"] = Field(default="2023", title="表格版本")
    cover: Cover = section("封面", Cover)
    part1: Basics = section(PART_TITLES["part1"], Basics)
    part2: LeadingIndustry = section(PART_TITLES["part2"], LeadingIndustry)
    part3: Innovation = section(PART_TITLES["part3"], Innovation)
    part4: Digital = section(PART_TITLES["part4"], Digital)
    part5: Green = section(PART_TITLES["part5"], Green)
    part6: Openness = section(PART_TITLES["part6"], Openness)
    part7: Governance = section(PART_TITLES["part7"], Governance)
    part8: Plan = section(
        PART_TITLES["part8"],
        Plan,
        note=f"（{PLAN_MAX_CHARS}字以内）{TARGET_RULES_NOTE}",
        max_chars=PLAN_MAX_CHARS,
    )
    part9: Declaration = section(PART_TITLES["part9"], Declaration)
    attachment1: SummaryRow = section("2023年度中小企业特色产业集群推荐汇总表", SummaryRow)
    evidence: dict[str, list[EvidenceFile]] = evidence_register(
        "按栏目路径（如 part2.chain_map）登记的佐证材料文件"
    )
