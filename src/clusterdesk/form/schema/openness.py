"""六、开放合作情况."""

from __future__ import annotations

from ..fields import Count, Evidence, FormModel, Kind, narrative, number, section, tick, yearly
from .common import YearNumbers
from .industry import TICK_NOTE


class InternationalActivities(FormModel):
    cooperation_mechanism: bool = tick("建立或参与主导产业国际合作机制")
    overseas_parks: bool = tick("与境外产业园区形成较为稳定的合作关系")
    imported_know_how: bool = tick("引进了国际领先技术、先进管理经验或高端人才团队等")
    expos: bool = tick("参加中国国际中小企业博览会等展会类活动")
    hosted_conferences: bool = tick("承办主导产业国际研讨会或技术交流会")


class Openness(FormModel):
    international: str | None = narrative("集群国际合作交流总体情况", note="（200字以内）")
    international_activities: InternationalActivities = section(
        "集群已开展的国际合作交流活动", InternationalActivities, note=TICK_NOTE
    )
    overseas_branches: Count | None = number(
        "集群或集群内企业在境外设立分支机构数量",
        Kind.COUNT,
        "个",
        note="（需提供相关佐证材料）",
        evidence=Evidence.IF_POSITIVE,
    )
    export_growth: YearNumbers = yearly("近三年集群主导产品出口贸易额增长率（%）", Kind.GROWTH, "%")
    fdi_growth: YearNumbers = yearly("近三年集群外商直接投资额增长率（%）", Kind.GROWTH, "%")
