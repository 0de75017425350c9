"""三、创新能力情况."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from ..fields import (
    MAX_LIST_ROWS,
    ROW_KEY,
    Count,
    FieldSpec,
    FormModel,
    Kind,
    Number,
    form_field,
    listing,
    narrative,
    number,
    section,
    tick,
    yearly,
)
from .common import YearKey, YearNumbers
from .industry import TICK_NOTE

StandardCategory = Literal["国际", "国家", "行业", "团体"]
StandardRole = Literal["主持", "参与"]
PatentKind = Literal[
    "发明专利",
    "国防专利",
    "植物新品种",
    "国家级农作物品种",
    "国家新药",
    "国家一级中药保护品种",
    "集成电路布图设计专有权",
]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]


def _count(label: str):
    return form_field(FieldSpec(label, Kind.COUNT, unit="项"))


class StandardRoleCounts(FormModel):
    led: Count | None = _count("主持数量")
    joined: Count | None = _count("参与数量")


def _category(label: str):
    return form_field(
        FieldSpec(label, Kind.SECTION, required=False), default_factory=StandardRoleCounts
    )


class StandardCounts(FormModel):
    """One year's column group of the standards table."""

    international: StandardRoleCounts = _category("国际")
    national: StandardRoleCounts = _category("国家")
    industry: StandardRoleCounts = _category("行业")
    group: StandardRoleCounts = _category("团体")


CATEGORY_FIELDS: dict[str, str] = {
    "国际": "international",
    "国家": "national",
    "行业": "industry",
    "团体": "group",
}
ROLE_FIELDS: dict[str, str] = {"主持": "led", "参与": "joined"}


class StandardItem(FormModel):
    """A row of the standards 清单."""

    year: int = Field(title="年度")
    category: StandardCategory = Field(title="类别")
    role: StandardRole = Field(title="主持或参与")
    name: Name = Field(title="标准名称")
    code: str | None = Field(
        default=None, title="标准编号", max_length=60, json_schema_extra={ROW_KEY: True}
    )


class PatentItem(FormModel):
    """A row of the patents 清单."""

    kind: PatentKind = Field(default="发明专利", title="类型")
    title: Name = Field(title="名称")
    number: str | None = Field(
        default=None, title="专利号或证书号", max_length=60, json_schema_extra={ROW_KEY: True}
    )
    holder: str | None = Field(default=None, title="权利人", max_length=100)


class Platforms(FormModel):
    """数量：  个  名称：  — one line of the 创新平台建设情况 block."""

    count: Count | None = _count("数量")
    names: list[Name] = Field(default_factory=list, title="名称", max_length=MAX_LIST_ROWS)


def _platforms(label: str):
    spec = FieldSpec(label, Kind.SECTION, unit="个", required=False)
    return form_field(spec, default_factory=Platforms)


class InnovationPlatforms(FormModel):
    national: Platforms = _platforms("国家制造业创新中心或国家级创新平台名称及数量")
    provincial: Platforms = _platforms("省级制造业创新中心或省级创新平台名称及数量")
    other: Platforms = _platforms("其他平台名称及数量")


class CollaborativeInnovationWork(FormModel):
    technology_roadmap: bool = tick("绘制了集群主导产业技术路线图")
    problem_list: bool = tick("形成了集群技术难点清单或创新项目库")
    incentives: bool = tick("建立了“揭榜挂帅”、“赛马”或众创众包等激励机制")
    innovation_consortium: bool = tick(
        "联合集群上下游企业，组建了创新联合体，并开展了产业链联合攻关"
    )
    academia: bool = tick("集群引入了高等院校、科研院所开展核心和关键共性技术产学研协同创新")


class Innovation(FormModel):
    rd_intensity: YearNumbers = yearly("集群中小企业近三年研发投入强度（%）", Kind.SHARE, "%")
    rd_growth: YearNumbers = yearly("集群近三年研发经费增速（%）", Kind.GROWTH, "%")
    standards: dict[YearKey, StandardCounts] = form_field(
        FieldSpec(
            "集群中小企业近三年主持（起草单位排名前三位）或参与制修订标准数量情况",
            Kind.SECTION,
            note="（需提供清单）",
            required=False,
            yearly=True,
        ),
        default_factory=dict,
    )
    standards_list: list[StandardItem] = listing("标准清单", note="主持或参与制修订的标准")
    platforms: InnovationPlatforms = section("创新平台建设情况", InnovationPlatforms)
    sme_employees: Count | None = number("集群内中小企业从业人员数量", Kind.COUNT, "人")
    rd_staff_share: Number | None = number("集群内研发人员占从业人员比例（%）", Kind.SHARE, "%")
    patent_growth: Number | None = number("集群有效发明专利年均增速（%）", Kind.GROWTH, "%")
    patents_per_10k: Number | None = number(
        "集群每万人有效发明专利拥有量", Kind.INTENSITY, "件/万人"
    )
    patents: Count | None = number(
        "集群内中小企业有效发明专利拥有量",
        Kind.COUNT,
        "个",
        note="（包括发明专利、国防专利、植物新品种、国家级农作物品种、国家新药、"
        "国家一级中药保护品种、集成电路布图设计专有权等）（需提供清单）",
    )
    patents_list: list[PatentItem] = listing("有效发明专利清单")
    collaborative_innovation: str | None = narrative("协同创新总体情况", note="（200字以内）")
    collaborative_innovation_work: CollaborativeInnovationWork = section(
        "集群已开展的协同创新工作", CollaborativeInnovationWork, note=TICK_NOTE
    )
