"""A small second form, 年度报告: a schema module and its definition, and nothing else.

It exists to show that the engine (walk, rules, loading, the web pages, autosave, progress) runs
a form it was not written for. Unlike Attachment 2 it asks for two data years, puts two
sections on one page under a page key of its own, and has a rule of its own.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from clusterdesk.form.definition import FormDefinition, PageSpec
from clusterdesk.form.fields import (
    ROW_KEY,
    EvidenceFile,
    FormModel,
    Kind,
    YearNumbers,
    evidence_register,
    listing,
    narrative,
    number,
    section,
    text,
    tick,
    yearly,
)
from clusterdesk.form.findings import Finding, Level
from clusterdesk.form.rules import LIST_COUNT
from clusterdesk.form.versions import FormVersion

TOY_VERSION = FormVersion(
    id="toy-2024", data_years=(2022, 2023), reference_date=date(2023, 12, 31), target_year=2024
)


class Basics(FormModel):
    cluster_name: str | None = text("集群名称", max_chars=50)
    contact: str | None = text("联系人", max_chars=20)
    summary: str | None = narrative("年度工作总结", 300, note="（300字以内）")


class Figures(FormModel):
    output: YearNumbers = yearly("集群年度总产值（亿元）", Kind.AMOUNT, "亿元")
    enterprises: int | None = number("重点企业数量", Kind.COUNT, "家")
    certified: bool = tick("集群通过了区域品牌认证")


class Member(FormModel):
    """A row of the 重点企业清单."""

    name: str = Field(
        title="企业名称", min_length=1, max_length=100, json_schema_extra={ROW_KEY: True}
    )
    staff: int | None = Field(default=None, title="从业人员")


class Members(FormModel):
    members: list[Member] = listing("重点企业清单")


class AnnualReport(FormModel):
    form_version: Literal["toy-2024"] = Field(default="toy-2024", title="表格版本")
    basics: Basics = section("一、基本信息", Basics)
    figures: Figures = section("二、年度数据", Figures)
    members: Members = section("三、重点企业", Members)
    evidence: dict[str, list[EvidenceFile]] = evidence_register()


def members_listed(definition: FormDefinition, report: AnnualReport) -> list[Finding]:
    """The 重点企业清单 may not list more enterprises than 重点企业数量 says there are."""
    declared, listed = report.figures.enterprises, len(report.members.members)
    if declared is None or listed <= declared:
        return []
    message = f"「重点企业数量」为{declared}家，重点企业清单列出{listed}家，两者应一致"
    values = {"declared": declared, "listed": listed}
    path, label = "figures.enterprises", "重点企业数量"
    return [Finding(path, label, Level.ERROR, LIST_COUNT, message, values)]


ANNUAL_REPORT = FormDefinition(
    key="toy-2024",
    title="年度报告",
    model=AnnualReport,
    version=TOY_VERSION,
    pages=(
        PageSpec("info", "基本信息", ("basics",)),
        PageSpec("figures", "年度数据与重点企业", ("figures", "members")),
    ),
    rules=(members_listed,),
)
