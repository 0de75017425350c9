"""五、绿色化转型情况."""

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
    text,
    tick,
    yearly,
)
from .common import AboveIndustryAverage, YearNumbers, YesNo
from .industry import TICK_NOTE

NOT_INDUSTRIAL = "非工业集群，不适用"


class ResourceUseWork(FormModel):
    waste_heat: bool = tick("余热余压集中回收")
    water_cascade: bool = tick("水资源梯级循环利用")
    waste_grading: bool = tick("工业废弃物分类分级利用")


class GreenServiceCapabilities(FormModel):
    green_manufacturing: bool = tick("绿色制造系统解决方案")
    energy_diagnosis: bool = tick("节能诊断与服务")
    cleaner_production: bool = tick("清洁生产水平评价")
    energy_systems: bool = tick("节能系统建设运营")
    carbon_accounting: bool = tick("碳排放、碳足迹核算")


class Green(FormModel):
    carbon_monitoring: YesNo | None = choice(
        "建立了集群碳排放监测机制",
        note="（如涉及，需提供佐证材料）",
        evidence=Evidence.IF_YES,
    )
    carbon_intensity: YearNumbers = yearly(
        "近三年单位产值二氧化碳排放量（吨二氧化碳/万元）", Kind.INTENSITY, "吨二氧化碳/万元"
    )
    carbon_formula: str | None = text(
        "单位产值二氧化碳排放量计算公式",
        note="（注：单位产值二氧化碳排放量需提供计算公式）",
        max_chars=200,
    )
    carbon_work: str | None = narrative(
        "开展碳达峰碳中和相关宣传、监测等工作情况",
        note="（200字以内）（需提供相关佐证材料）",
        evidence=Evidence.ALWAYS,
    )
    energy_reduction: Number | None = number("近三年单位工业产值能耗降低率（%）", Kind.GROWTH, "%")
    solid_waste_use: Number | None = number(
        "大宗工业固废综合利用率（%）",
        Kind.SHARE,
        "%",
        not_applicable_when=("solid_waste_above_average", NOT_INDUSTRIAL),
    )
    solid_waste_above_average: AboveIndustryAverage | None = choice("是否高于行业平均水平")
    water_reuse: Number | None = number(
        "工业用水重复利用率（%）",
        Kind.SHARE,
        "%",
        not_applicable_when=("water_reuse_above_average", NOT_INDUSTRIAL),
    )
    water_reuse_above_average: AboveIndustryAverage | None = choice("是否高于行业平均水平")
    resource_use: str | None = narrative("能源和资源综合利用工作情况", note="（200字以内）")
    resource_use_work: ResourceUseWork = section(
        "集群已开展的能源和资源综合利用工作", ResourceUseWork, note=TICK_NOTE
    )
    green_services: str | None = narrative("绿色低碳公共服务总体情况", note="（200字以内）")
    green_service_capabilities: GreenServiceCapabilities = section(
        "集群已具备绿色低碳公共服务能力", GreenServiceCapabilities, note=TICK_NOTE
    )
