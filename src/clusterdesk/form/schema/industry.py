"""二、主导产业情况."""

from __future__ import annotations

from ..fields import (
    Evidence,
    FormModel,
    Kind,
    Number,
    choice,
    narrative,
    number,
    section,
    tick,
    yearly,
)
from .common import YearCounts, YearNumbers, YesNo

TICK_NOTE = "（注：勾选需提供佐证材料）"


class ResourceSharingWork(FormModel):
    integrated_mechanism: bool = tick("建有产业链上下游产供销一体化协同协作机制")
    shared_manufacturing: bool = tick(
        "建立了共享制造机制，开展通用生产设备、物流、仓储、人力、设计等资源共享"
    )
    joint_purchasing: bool = tick("开展了同类设备和产品的集中采销")
    shared_workshops: bool = tick("建立了共享车间、共享工厂")


class QualityBrandWork(FormModel):
    quality_promotion: bool = tick(
        "开展了先进质量管理模式推广、品牌管理标准宣贯、质量诊断服务等工作"
    )
    collective_trademark: bool = tick("获得了集体商标、地理标志产品批准认证或证明商标通过注册")
    brand_operation: bool = tick("建立了品牌运营机制")
    quality_infrastructure: bool = tick("依托质量技术基础公共服务平台，提供计量、测试、认证等服务")


class LeadingIndustry(FormModel):
    total_output: YearNumbers = yearly("集群总产值（亿元）", Kind.AMOUNT, "亿元")
    sme_output_share: YearNumbers = yearly(
        "集群内中小企业产值占集群总产值比例（%）", Kind.SHARE, "%"
    )
    leading_output_share: YearNumbers = yearly(
        "集群主导产业产值占集群总产值比例（%）", Kind.SHARE, "%"
    )
    leading_output_growth: YearNumbers = yearly("集群主导产业产值增速（%）", Kind.GROWTH, "%")
    leading_output_cagr: Number | None = number("近三年主导产业产值年均增速（%）", Kind.GROWTH, "%")
    enterprises: YearCounts = yearly("集群企业数量", Kind.COUNT, "家")
    smes: YearCounts = yearly("集群中小企业数量", Kind.COUNT, "家", note="其中：")
    specialised_smes: YearCounts = yearly("专精特新中小企业数量", Kind.COUNT, "家")
    little_giants: YearCounts = yearly("专精特新“小巨人”企业数量", Kind.COUNT, "家")
    single_champions: YearCounts = yearly("制造业单项冠军企业数量", Kind.COUNT, "家")
    high_tech_and_innovative: YearCounts = yearly(
        "国家级高新技术企业和创新型中小企业数量", Kind.COUNT, "家"
    )
    chain_map: YesNo | None = choice(
        "集群是否绘制产业链图谱",
        note="（如涉及，需提供佐证材料）",
        evidence=Evidence.IF_YES,
    )
    chain_cultivation: str | None = narrative("集群产业链培育和招商情况", note="（200字以内）")
    supply_chain_risk: str | None = narrative("集群供应链风险评估情况", note="（200字以内）")
    resource_sharing: str | None = narrative("集群制造资源共享情况", note="（200字以内）")
    resource_sharing_work: ResourceSharingWork = section(
        "集群已开展的制造资源共享工作", ResourceSharingWork, note=TICK_NOTE
    )
    collaboration: str | None = narrative(
        "集群协同发展情况",
        note="（与先进制造业集群、国家新型工业化产业示范基地或龙头企业合作情况，200字以内）",
    )
    quality_brand: str | None = narrative("集群质量品牌建设情况", note="（200字以内）")
    quality_brand_work: QualityBrandWork = section(
        "集群已开展的质量品牌建设工作", QualityBrandWork, note=TICK_NOTE
    )
