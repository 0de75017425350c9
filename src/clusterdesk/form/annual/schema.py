"""年度发展情况报告: what a certified cluster reports on one year of its three-year plan.

The notice asks every certified cluster to report its previous year by 30 March. The report holds
that year's value of each indicator of parts 二–五 of Attachment 2 that part 八's 2025 targets
(a–g) and the criteria read, the work done in each direction of the plan, typical cases, problems
and next measures, and the major changes of the year.

An indicator that is the same as the declaration's keeps the declaration's label, kind and unit
(``_same``): the monitoring compares the two, and a reader should see one name for one figure.
Only the year columns go: a report has one year, named in ``basics.year``. Where the
declaration's label says 近三年 the report's says the year instead (``label=``).

Character limits chosen here (the notice prints none for the report): 500字 for each narrative of
the plan's directions, of a typical case, of the problems and of the measures — the size of one
paragraph a reviewer reads, like the declaration's 200字 boxes but for a whole year of work;
300字 for a major change's explanation; 50字 for titles and before/after values.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ..fields import (
    ROW_KEY,
    Count,
    Evidence,
    EvidenceFile,
    FieldSpec,
    FormModel,
    Kind,
    Number,
    choice,
    evidence_register,
    form_field,
    hard_cap,
    narrative,
    number,
    section,
    spec_of,
    text,
)
from ..schema.basics import Basics
from ..schema.common import YesNo
from ..schema.cover import SummaryRow
from ..schema.digital import Digital
from ..schema.green import Green
from ..schema.industry import LeadingIndustry
from ..schema.innovation import Innovation
from ..schema.plan import Direction, Targets
from .version import ANNUAL_2024

REPORT_TITLE = "中小企业特色产业集群年度发展情况报告"

NARRATIVE_CHARS = 500  # each direction's work, a case's text, problems, measures
CHANGE_CHARS = 300  # a major change's explanation
SHORT_CHARS = 50  # a case's title, a change's before/after
MAX_CASES = 10
MAX_CHANGES = 20
MAX_EXTRA_ROWS = 50

PART_TITLES: dict[str, str] = {
    "basics": "一、基本情况",
    "figures": "二、年度主要指标",
    "work": "三、发展规划实施情况",
    "cases": "四、典型案例",
    "outlook": "五、存在问题和下一步举措",
    "changes": "六、重大变更情况",
}
FIGURE_TITLES: dict[str, str] = {
    "industry": "主导产业情况",
    "innovation": "创新能力情况",
    "digital": "数字化升级情况",
    "green": "绿色化转型情况",
}

# The year a report of this version may report: the years of the 2023 certification's plan.
ReportYear = Literal[ANNUAL_2024.data_years]  # type: ignore[valid-type]
ChangeKind = Literal["主导产业", "集群区域", "运营管理机构", "其他"]
CHANGE_KINDS: tuple[str, ...] = get_args(ChangeKind)


def _same(
    model: type[BaseModel],
    name: str,
    *,
    label: str | None = None,
    note: str | None = None,
    unit: str | None = None,
) -> Any:
    """The declaration's box ``model.name`` for the reported year only: same label, kind, unit
    (and evidence, choice, applicability), without the year columns."""
    spec = spec_of(model, name)
    if spec.kind is Kind.CHOICE:
        return choice(label or spec.label, note=note, evidence=spec.evidence)
    return number(
        label or spec.label,
        spec.kind,
        unit or spec.unit,
        note=note,
        evidence=spec.evidence,
        not_applicable_when=spec.not_applicable_when,
    )


def _target(name: str, label: str, kind: Kind) -> Any:
    """An indicator part 八 sets a 2025 target for but parts 二–五 do not ask (研发经费投入,
    二氧化碳排放量, 单位工业产值能耗): the target's label with its unit."""
    unit = spec_of(Targets, name).unit
    return number(f"{label}（{unit}）", kind, unit)


def _long(label: str, note: str | None = None, *, required: bool = True) -> Any:
    return narrative(
        label, NARRATIVE_CHARS, note=note or f"（{NARRATIVE_CHARS}字以内）", required=required
    )


class ReportBasics(FormModel):
    year: ReportYear | None = form_field(  # type: ignore[valid-type]
        FieldSpec("报告年度", Kind.CHOICE, note="报告上一年度的发展情况")
    )
    cluster_name: str | None = text(spec_of(Basics, "cluster_name").label, max_chars=60)
    leading_industry: str | None = text(spec_of(SummaryRow, "leading_industry").label, max_chars=50)
    operator: str | None = text(spec_of(Basics, "operator").label, max_chars=60)
    area_km2: Number | None = _same(Basics, "area_km2")
    contact: str | None = text("联系人", max_chars=20)
    phone: str | None = text("联系方式", max_chars=40)


class IndustryFigures(FormModel):
    total_output: Number | None = _same(LeadingIndustry, "total_output")
    sme_output_share: Number | None = _same(LeadingIndustry, "sme_output_share")
    leading_output_share: Number | None = _same(LeadingIndustry, "leading_output_share")
    leading_output_growth: Number | None = _same(LeadingIndustry, "leading_output_growth")
    enterprises: Count | None = _same(LeadingIndustry, "enterprises")
    smes: Count | None = _same(LeadingIndustry, "smes", note="其中：")
    specialised_smes: Count | None = _same(LeadingIndustry, "specialised_smes")
    little_giants: Count | None = _same(LeadingIndustry, "little_giants")
    single_champions: Count | None = _same(LeadingIndustry, "single_champions")
    high_tech_and_innovative: Count | None = _same(LeadingIndustry, "high_tech_and_innovative")


class InnovationFigures(FormModel):
    rd_spending: Number | None = _target("rd_spending", "研发经费投入", Kind.AMOUNT)
    rd_intensity: Number | None = _same(
        Innovation, "rd_intensity", label="集群中小企业研发投入强度（%）"
    )
    rd_growth: Number | None = _same(Innovation, "rd_growth", label="集群研发经费增速（%）")
    patents: Count | None = _same(Innovation, "patents", note="（年末数）")
    platforms: Count | None = number(
        "创新平台数量（国家级＋省级＋其他）", Kind.COUNT, "个", note="（年末数）"
    )
    standards: Count | None = number("集群中小企业当年主持或参与制修订标准数量", Kind.COUNT, "项")


class DigitalFigures(FormModel):
    industrial_internet: Number | None = _same(Digital, "industrial_internet")
    cloud_adoption: Number | None = _same(Digital, "cloud_adoption")
    software_spending: Number | None = _same(Digital, "software_spending")
    software_rising: YesNo | None = _same(Digital, "software_rising")


class GreenFigures(FormModel):
    co2_emissions: Number | None = _target("co2_emissions", "二氧化碳排放量", Kind.AMOUNT)
    carbon_intensity: Number | None = _same(
        Green, "carbon_intensity", label="单位产值二氧化碳排放量（吨二氧化碳/万元）"
    )
    energy_intensity: Number | None = _target(
        "energy_intensity", "单位工业产值能耗", Kind.INTENSITY
    )


def _block(name: str, model: type[BaseModel]) -> Any:
    return section(FIGURE_TITLES[name], model)


class Figures(FormModel):
    industry: IndustryFigures = _block("industry", IndustryFigures)
    innovation: InnovationFigures = _block("innovation", InnovationFigures)
    digital: DigitalFigures = _block("digital", DigitalFigures)
    green: GreenFigures = _block("green", GreenFigures)


# The plan's directions (part 八's 方向) with the work box of each; 其它 is the free rows.
DIRECTION_FIELDS: dict[str, str] = {
    "主导产业": "industry",
    "创新": "innovation",
    "数字化": "digital",
    "绿色化": "green",
    "开放合作": "openness",
    "治理和服务": "governance",
}


class ExtraActual(FormModel):
    """One indicator the cluster added to its plan (part 八 其它 rows) with this year's value."""

    direction: Direction = Field(title="方向")
    indicator: str = Field(
        title="指标", min_length=1, max_length=60, json_schema_extra={ROW_KEY: True}
    )
    unit: str | None = Field(default=None, title="单位", max_length=20)
    target: str | None = Field(default=None, title="目标值", max_length=200)
    actual: str | None = Field(default=None, title="本年度完成值", max_length=200)


class Work(FormModel):
    industry: str | None = _long("提升集群主导产业优势")
    innovation: str | None = _long("激发集群创新活力")
    digital: str | None = _long("推进集群数字化升级")
    green: str | None = _long("加快集群绿色低碳转型")
    openness: str | None = _long("深化集群开放合作")
    governance: str | None = _long("提升集群治理和服务能力")
    extra: list[ExtraActual] = form_field(
        FieldSpec(
            "其它考核指标完成情况",
            Kind.LIST,
            note="发展规划中集群根据自身特色增加的考核指标",
            required=False,
        ),
        default_factory=list,
        max_length=MAX_EXTRA_ROWS,
    )


Short = Annotated[str, StringConstraints(min_length=1, max_length=hard_cap(SHORT_CHARS))]
Long = Annotated[str, StringConstraints(min_length=1, max_length=hard_cap(NARRATIVE_CHARS))]


class Case(FormModel):
    """典型案例: a title and the story. The files that prove it are the report's evidence
    register's, under the case's path (``cases.items.0``, ``form.row_evidence``)."""

    title: Short = Field(title="案例名称", json_schema_extra={ROW_KEY: True})
    text: Long = Field(title="案例内容", description=f"（{NARRATIVE_CHARS}字以内）")


CASE_EVIDENCE_TITLE = "佐证材料"


class Cases(FormModel):
    items: list[Case] = form_field(
        FieldSpec(
            "典型案例",
            Kind.LIST,
            note=f"（至少1个，最多{MAX_CASES}个；每个案例{NARRATIVE_CHARS}字以内，需提供佐证材料）",
            required=False,
            evidence=Evidence.PER_ROW,
        ),
        default_factory=list,
        max_length=MAX_CASES,
    )


class Outlook(FormModel):
    problems: str | None = _long("存在问题")
    measures: str | None = _long("下一步举措")


class MajorChange(FormModel):
    """重大变更: what changed, when, from what to what, and why."""

    kind: ChangeKind = Field(title="变更类型")
    changed_on: date = Field(title="变更日期")
    before: Short = Field(title="变更前")
    after: Short = Field(title="变更后")
    explanation: Annotated[
        str, StringConstraints(min_length=1, max_length=hard_cap(CHANGE_CHARS))
    ] = Field(title="变更说明", description=f"（{CHANGE_CHARS}字以内）")


class Changes(FormModel):
    any_change: YesNo | None = choice("本年度是否发生主导产业、集群区域、运营管理机构等重大变更")
    items: list[MajorChange] = form_field(
        FieldSpec(
            "重大变更清单",
            Kind.LIST,
            note=f"（选择“是”时逐项填写，最多{MAX_CHANGES}项）",
            required=False,
        ),
        default_factory=list,
        max_length=MAX_CHANGES,
    )


def _schema_extra(schema: dict[str, Any]) -> None:
    schema["x-report-years"] = list(ANNUAL_2024.data_years)


class AnnualReport(FormModel):
    """One certified cluster's report on one year. Every field may be empty in a draft; the rules
    say what a complete report needs."""

    model_config = ConfigDict(title=REPORT_TITLE, json_schema_extra=_schema_extra)

    form_version: Literal["annual-2024"] = Field(default="annual-2024", title="表格版本")
    basics: ReportBasics = section(PART_TITLES["basics"], ReportBasics)
    figures: Figures = section(PART_TITLES["figures"], Figures)
    work: Work = section(PART_TITLES["work"], Work)
    cases: Cases = section(PART_TITLES["cases"], Cases)
    outlook: Outlook = section(PART_TITLES["outlook"], Outlook)
    changes: Changes = section(PART_TITLES["changes"], Changes)
    evidence: dict[str, list[EvidenceFile]] = evidence_register(
        "按栏目路径（如 figures.industry.total_output）登记的佐证材料文件"
    )
