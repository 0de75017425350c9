"""九、真实性声明及推荐意见."""

from __future__ import annotations

from datetime import date

from ..fields import FieldSpec, FormModel, Kind, date_field, form_field, narrative, text

DECLARATION_TEXT = (
    "本单位承诺此次申报中小企业特色产业集群的申请材料(包括附件资料)真实、合法。"
    "如有不实之处，本单位愿意负相应法律责任，并承担由此产生的一切后果。"
)


class Declaration(FormModel):
    accepted: bool = form_field(
        FieldSpec("真实性声明", Kind.TICK, note=DECLARATION_TEXT, required=True), default=False
    )
    responsible_person: str | None = text("单位负责人（签字）", max_chars=20)
    signed_on: date | None = date_field("日期", note="年    月    日")
    provincial_opinion: str | None = narrative(
        "省级中小企业主管部门推荐意见",
        500,
        note="推荐单位（公章）：由推荐单位填写",
        required=False,
    )
