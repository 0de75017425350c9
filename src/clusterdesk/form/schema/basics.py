"""一、基本情况."""

from __future__ import annotations

from ..fields import FormModel, Kind, Number, choice, number, text
from .common import IndustryType, YesNo, YesNoNotInvolved


class Basics(FormModel):
    cluster_name: str | None = text(
        "集群名称", note="（中小企业特色产业集群（XX产业））", max_chars=60
    )
    department: str | None = text("县（市、区）中小企业主管部门", max_chars=60)
    department_contact: str | None = text("联系人", max_chars=20)
    department_phone: str | None = text("联系方式", max_chars=40)
    operator: str | None = text(
        "集群运营管理机构",
        note="对产业集群集中运营管理的产业园区管委会、园区运营企业或公共服务机构等法人主体，"
        "基础建设单位不可作为集群运营管理机构（填报说明3）",
        max_chars=60,
    )
    operator_contact: str | None = text("联系人", max_chars=20)
    operator_phone: str | None = text("联系方式", max_chars=40)
    area_km2: Number | None = number("集群占地面积（平方公里）", Kind.AREA, "平方公里")
    industry_type: IndustryType | None = choice("主导产业所属产业类型")
    not_prohibited: YesNo | None = choice("集群主导产业不属于国家规定的禁止、限制和淘汰类产业")
    no_major_incidents: YesNo | None = choice(
        "近三年未发生较大及以上安全、质量、环境污染等事故，重大及以上网络安全事件和数据安全事件"
    )
    no_violations: YesNo | None = choice("不存在偷税漏税、违法违规、严重失信和其他重大问题的行为")
    energy_efficiency: YesNoNotInvolved | None = choice(
        "属于高耗能行业的集群，能效水平高于行业基准值"
    )
    water_efficiency: YesNoNotInvolved | None = choice(
        "属于高用水行业的集群，水效水平高于行业基准值"
    )
    provincial_cluster: YesNo | None = choice("获得省级中小企业特色产业集群")
