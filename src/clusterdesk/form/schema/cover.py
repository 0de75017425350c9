"""The cover page of Attachment 2 and the application's row of Attachment 1."""

from __future__ import annotations

from datetime import date

from ..fields import FormModel, date_field, narrative, text

PROVINCE = "浙江省"
CITY = "宁波市"


class Cover(FormModel):
    """封面. 集群名称, the 主管部门 and the 集群运营管理机构 are printed from part 一."""

    county: str | None = text("所属地区", note="浙江省宁波市（区）     县（市、区）", max_chars=20)
    declared_on: date | None = date_field("申报时间")
    contact: str | None = text("联系人及联系电话", max_chars=60)


class SummaryRow(FormModel):
    """附件1 2023年度中小企业特色产业集群推荐汇总表: this application's row.

    序号, 集群名称, 集群运营管理机构 and 所在省、市、县（区） come from the rest of the form.
    """

    leading_industry: str | None = text("主导产业", max_chars=50)
    established: str | None = text(
        "集群成立时间", note="年份或年月，如 2005 或 2005-03", max_chars=7
    )
    summary: str | None = narrative("集群简介", 150, note="（150字以内）")


def location(county: str | None) -> str:
    """所在省、市、县（区） as printed in Attachment 1."""
    return f"{PROVINCE}{CITY}{county or ''}"
