"""What the API answers, as pydantic models. The form itself is the form core's schema:
``data`` of a declaration is Attachment 2's root model, of a report the annual report's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from clusterdesk.form.annual.definition import ANNUAL_REPORT_2024
from clusterdesk.form.attachment2 import ATTACHMENT2_2023

Attachment2 = ATTACHMENT2_2023.model
AnnualReportForm = ANNUAL_REPORT_2024.model

MAX_LIMIT = 100  # items per page: bounds the time and memory of one answer
MAX_OFFSET = 10_000  # deeper pages would make the database walk that far; filter instead


class Error(BaseModel):
    detail: str = Field(description="原因（中文）")


class FieldError(BaseModel):
    field: str
    message: str


class Invalid(Error):
    errors: list[FieldError] = []


class Page(BaseModel):
    count: int = Field(description="符合条件的总数")
    limit: int
    offset: int


class RoundOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)  # read from the Round rows

    id: int
    name: str
    kind: str = Field(description="declaration 申报认定 / annual 年度发展情况报告 / recheck 复核")
    status: str = Field(description="open 开放申报 / closed 已关闭")
    first_data_year: int
    last_data_year: int
    opens_at: dt.datetime | None
    submission_deadline: dt.datetime
    form_version: str


class RoundPage(Page):
    items: list[RoundOut]


class ApplicationOut(BaseModel):
    id: int
    round_id: int
    round_name: str
    organisation: str = Field(description="申报单位")
    state: str
    state_label: str
    version: int = Field(description="版本号：每次保存加一；修改时作为 If-Match 发回")
    cluster_name: str
    updated_at: dt.datetime


class ApplicationPage(Page):
    items: list[ApplicationOut]


class ApplicationDetail(ApplicationOut):
    data: Attachment2 = Field(description="申报表（附件2），即表单核心的数据结构")


class ChangeIn(BaseModel):
    path: str = Field(description="栏目路径，如 part1.cluster_name")
    value: Any = Field(description="新值")
    original: Any = Field(None, description="修改前读到的值（他人已改则为冲突）")


class SaveIn(BaseModel):
    changes: list[ChangeIn] = Field(max_length=500)


class ConflictOut(BaseModel):
    path: str
    yours: Any
    theirs: Any


class SaveOut(BaseModel):
    version: int
    previous_version: int
    applied: list[str]
    conflicts: list[ConflictOut]
    invalid: dict[str, str] = Field(description="栏目路径 → 未保存的原因")
    normalised: dict[str, str]


class SaveRefused(Error):
    """409: conflicts (or a stale If-Match), 422: values the form refuses; what was saved."""

    version: int | None = None
    previous_version: int | None = None
    applied: list[str] = []
    conflicts: list[ConflictOut] = []
    invalid: dict[str, str] = {}
    normalised: dict[str, str] = {}


class SubmissionOut(BaseModel):
    id: int
    submitted_at: dt.datetime
    submitted_by: str
    application_version: int
    data_sha256: str = Field(description="data 规范 JSON 的 SHA-256")


class SubmissionPage(Page):
    items: list[SubmissionOut]


class SubmissionDetail(SubmissionOut):
    data: dict[str, Any] = Field(
        description="提交时的申报表，原样（结构同 ApplicationDetail.data）"
    )
    evidence: list[dict[str, Any]]


class EvidenceOut(BaseModel):
    path: str = Field(description="佐证材料所属栏目")
    name: str | None
    sha256: str | None = Field(description="文件的 SHA-256；申报表列出但尚未上传的为空")
    size: int | None


class CertifiedOut(BaseModel):
    name: str
    county: str
    leading_industry: str
    industry_type: str
    round_name: str
    document_number: str
    valid_from: str
    valid_until: str
    status: str


class CertifiedPage(Page):
    items: list[CertifiedOut]


class ReportOut(ApplicationOut):
    year: int = Field(description="报告年度")
    certification_id: int


class ReportPage(Page):
    items: list[ReportOut]


class ReportDetail(ReportOut):
    data: AnnualReportForm = Field(description="年度发展情况报告，即表单核心的数据结构")
