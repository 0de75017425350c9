"""八、未来三年中小企业特色产业集群发展规划 (3000字以内), with its targets table."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..fields import (
    ROW_KEY,
    FieldSpec,
    FormModel,
    Kind,
    Number,
    form_field,
    listing,
    narrative,
    section,
)
from ..versions import FORM_2023

PLAN_MAX_CHARS = 3000
Direction = Literal["主导产业", "创新", "数字化", "绿色化", "开放合作", "治理和服务", "其它"]

# This is the 2023 form's plan, and its labels name that form's years; another year's form is
# another schema module with its own version, not a global "current" one.
BASELINE_LABEL = f"{FORM_2023.base_year}年基准值"
TARGET_LABEL = f"{FORM_2023.target_year}年目标值"


def _long(label: str, note: str | None = None):
    return narrative(label, PLAN_MAX_CHARS, note=note)


class NumericTarget(FormModel):
    baseline: Number | None = form_field(FieldSpec(BASELINE_LABEL, Kind.INTENSITY))
    target: Number | None = form_field(FieldSpec(TARGET_LABEL, Kind.INTENSITY))


class GrowthTarget(NumericTarget):
    """A rate target: the baseline year's growth may have been negative."""

    baseline: Number | None = form_field(FieldSpec(BASELINE_LABEL, Kind.GROWTH))
    target: Number | None = form_field(FieldSpec(TARGET_LABEL, Kind.GROWTH))


class QualitativeTarget(FormModel):
    baseline: str | None = narrative(BASELINE_LABEL, PLAN_MAX_CHARS, note="定性描述")
    target: str | None = narrative(TARGET_LABEL, PLAN_MAX_CHARS, note="定性描述")


class ExtraTarget(FormModel):
    """A row the cluster adds (鼓励集群根据自身特色增加考核指标)."""

    direction: Direction = Field(title="方向")
    indicator: str = Field(
        title="指标", min_length=1, max_length=60, json_schema_extra={ROW_KEY: True}
    )
    unit: str | None = Field(default=None, title="单位", max_length=20)
    baseline: str = Field(title=BASELINE_LABEL, min_length=1, max_length=200)
    target: str = Field(title=TARGET_LABEL, min_length=1, max_length=200)


def _indicator(label: str, direction: str, unit: str, model: type[NumericTarget] = NumericTarget):
    spec = FieldSpec(label, Kind.SECTION, unit=unit, note=direction, required=False)
    return form_field(spec, default_factory=model)


def _qualitative(direction: str):
    spec = FieldSpec(direction, Kind.SECTION, note="定性描述", required=False)
    return form_field(spec, default_factory=QualitativeTarget)


class Targets(FormModel):
    """The table 方向 / 指标 / 基准值 / 目标值; the indicators the form lists, then free rows."""

    output_growth: GrowthTarget = _indicator("集群产值年均增速", "主导产业", "%", GrowthTarget)
    quality_smes: NumericTarget = _indicator("优质中小企业数量", "主导产业", "家")
    rd_spending: NumericTarget = _indicator("研发经费投入", "创新", "万元")
    patents: NumericTarget = _indicator("有效发明专利数量", "创新", "件")
    industrial_internet: NumericTarget = _indicator("工业互联网普及率", "数字化", "%")
    co2_emissions: NumericTarget = _indicator("二氧化碳排放量", "绿色化", "万吨")
    energy_intensity: NumericTarget = _indicator("单位工业产值能耗", "绿色化", "吨标准煤/万元")
    openness: QualitativeTarget = _qualitative("开放合作")
    governance: QualitativeTarget = _qualitative("治理和服务")
    extra: list[ExtraTarget] = listing("其它", note="集群根据自身特色增加的考核指标")


STAGE_LABELS = tuple(f"{year}年度" for year in FORM_2023.stage_years)


class StageTargets(FormModel):
    first: str | None = _long(STAGE_LABELS[0])
    second: str | None = _long(STAGE_LABELS[1])
    third: str | None = _long(STAGE_LABELS[2])


class Goals(FormModel):
    targets: Targets = section(
        "三年总体目标",
        Targets,
        note="集群须围绕主导产业、创新、数字化、绿色化、开放合作、治理和服务等方面设定清晰、"
        "可考核的发展目标，鼓励集群根据自身特色增加考核指标，不局限于以上方面",
    )
    stages: StageTargets = section("阶段性目标", StageTargets)


class Plan(FormModel):
    overview: str | None = _long(
        "集群基本情况简介",
        "包括总体情况、主导产业、产业集群相关政策制定与实施情况、优质主体培育、品牌打造、"
        "产业链供应链建设等方面近三年来发展情况、在行业中所处的地位等。",
    )
    achievements: str | None = _long(
        "发展成效",
        "包括提升集群主导产业优势、激发集群创新活力、推进集群数字化升级、加快集群绿色低碳转型、"
        "深化集群开放合作、提升集群治理和服务能力等方面开展的工作和取得的成绩。",
    )
    problems: str | None = _long("存在的问题")
    approach: str | None = _long("总体思路")
    goals: Goals = section("发展目标", Goals)
    key_tasks: str | None = _long("重点任务")
    safeguards: str | None = _long("保障措施")


TARGET_RULES_NOTE = (
    "（备注：基准值须符合中小企业特色产业集群认定标准，2025年目标值须符合以下要求："
    "a. 产值年均增速不低于10%；b. 优质中小企业数量逐年增加；c. 研发经费年均增速不低于10%；"
    "d. 有效发明专利数年均增长不低于15%；e. 工业互联网普及率达到45%左右；"
    "f. 二氧化碳排放量降低达到18%左右；g. 集群单位工业产值能耗下降达到13.5%左右）"
)
