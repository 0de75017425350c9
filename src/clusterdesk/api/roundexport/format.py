"""The round export format, version 2 (and version 1, still read), as pydantic models (no
Django: the pure core).

What another system needs to read a file is this module and the form core it builds on: the
submitted form is the form core's own ``Application`` model (Attachment 2), the rubric the panel
core's ``Rubric`` — one description each, never a second copy. ``schema_json()`` is the JSON
Schema committed as docs/round-export.schema.json (a test keeps the two equal).

Every model refuses unknown fields, so a misspelt key is an error, not a silently lost value;
any change of the format raises ``VERSION`` (see docs/round-export.md, 版本规则). Version 2 adds
what the registry knows after certification (status, revocation, renewal chain); version 1's
models stay (``RoundExportV1``) so a file written before is still read (``MODELS``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from clusterdesk.form.attachment2 import ATTACHMENT2_2023
from clusterdesk.panel.rubric import Rubric

FORMAT = "clusterdesk.round-export"
VERSION = 2

Attachment2 = ATTACHMENT2_2023.model

# The workflow's values, spelt out here because the pure core knows no Django enums; a test
# checks that they are exactly ``ApplicationState`` / ``Role`` / … of the apps.
State = Literal[
    "draft",
    "submitted",
    "returned",
    "under_review",
    "proposed",
    "certified",
    "rejected",
    "revoked",
    "accepted",
    "deleted",
]
RoleName = Literal["county_officer", "city_officer", "expert", "admin"]
RoundKindName = Literal["declaration", "recheck"]
PhaseKindName = Literal["pre_review", "expert_review", "site_visit"]
PhaseStatusName = Literal["pending", "open", "closed"]
AggregateName = Literal["mean", "median", "trimmed"]
OpinionName = Literal["recommend", "not_recommend"]
# revocation.enums.RevocationReason and registry.domain.registry.Status (a test checks them).
RevocationReasonName = Literal[
    "false_declaration",
    "unreported_change",
    "major_incident",
    "violation",
    "recheck_failed",
    "other",
]
RegistryStatusName = Literal["valid", "due", "revoked", "renewed"]

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
# A score as the expert typed it, in decimal text ("8", "8.5"): exact, never a binary float.
DecimalText = Annotated[str, StringConstraints(pattern=r"^-?[0-9]+(\.[0-9]+)?$")]
Filled = Annotated[str, StringConstraints(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Actor(Strict):
    # Who did something: the role and the unit, never the person (see 隐私 in the doc).
    model_config = ConfigDict(title="操作人（角色与单位，不含个人身份）")

    role: RoleName = Field(description="角色：county_officer 区县 / city_officer 市局 / …")
    unit: str | None = Field(description="所属单位名称；专家和系统管理员为空")


class RoundInfo(Strict):
    id: int = Field(description="本系统中的轮次 id（仅供对照，导入方不应依赖）")
    name: str = Field(description="轮次名称，如“2023年度”")
    kind: RoundKindName = Field(description="declaration 申报认定 / recheck 复核")
    status: Literal["open", "closed"]
    first_data_year: int
    last_data_year: int
    reference_date: dt.date = Field(description="数据基准日")
    opens_at: dt.datetime | None
    submission_deadline: dt.datetime
    county_limit: int = Field(description="每个申报单位限报数")
    form_version: Literal["2023"] = Field(description="申报表版本：submission.data 的结构")
    criteria_profile: str = Field(description="认定标准，如 ningbo-2023")
    criteria_thresholds: dict[str, str] = Field(description="本轮设定的认定标准阈值")
    anonymous_review: bool = Field(description="匿名评审（专家看不到申报单位）")


class Phase(Strict):
    id: int
    kind: PhaseKindName = Field(description="pre_review 预审 / expert_review 专家评审 / …")
    name: str
    scored: bool = Field(description="本阶段专家打分")
    status: PhaseStatusName


class Scoring(Strict):
    aggregate: AggregateName = Field(description="汇总方法：mean / median / trimmed")
    rubric: Rubric = Field(description="评分标准（各评分项、权重、分值范围）")


class Publication(Strict):
    document_number: str = Field(description="文号，如“甬经信中小〔2023〕12号”")
    issued_on: dt.date = Field(description="发文日期")


class Unit(Strict):
    name: str = Field(description="申报单位（区县经信局或管委会）")
    county: str = Field(description="所在区（县、市）")


class EvidenceEntry(Strict):
    path: str = Field(description="佐证材料所属栏目路径，如 part2.chain_map")
    name: str | None = Field(description="文件名")
    sha256: Sha256 | None = Field(description="文件内容的 SHA-256；登记了但未上传的为空")
    size: int | None = Field(description="字节数")
    content_type: str | None = Field(description="内容类型（MIME）；文件未入库时为空")


class SubmissionInfo(Strict):
    submitted_at: dt.datetime
    submitted_by: Actor
    application_version: int = Field(description="提交时的版本号")
    data_sha256: Sha256 = Field(
        description="提交时申报表的 SHA-256：data 的规范 JSON（键排序、无空格、UTF-8）"
    )


class Snapshot(SubmissionInfo):
    data: Attachment2 = Field(description="提交时的申报表（附件2），原样，不作删改")
    evidence: list[EvidenceEntry] = Field(description="提交时登记的佐证材料（不含文件本身）")


class Event(Strict):
    from_state: State | None = Field(description="原状态；新建记录为空")
    to_state: State
    at: dt.datetime
    actor: Actor
    reason: str = Field(description="理由（退回、不予认定、撤销等）")


class ScoreSheet(Strict):
    phase_id: int = Field(description="评审阶段，见 phases[].id")
    expert: str = Field(description="专家代号（本文件内一致，如“专家01”），不是姓名")
    scores: dict[str, DecimalText] = Field(description="各评分项得分，键为评分项代码")
    comments: dict[str, str] = Field(description="各评分项评语")
    opinion: OpinionName | None = Field(description="总体意见：recommend / not_recommend")
    opinion_reason: str
    total: DecimalText | None = Field(description="加权总分（0–100）")
    submitted_at: dt.datetime | None


class DecisionOutcome(Strict):
    held_on: dt.date = Field(description="会审日期")
    rank: int | None = Field(description="会审时的评审排名")
    proposed: bool = Field(description="拟认定")
    reason: str = Field(description="不予认定理由（区县可见）")
    departure_reason: str = Field(description="偏离排名顺序的理由")


class CertificationV1(Strict):
    # Version 1's certification: the 发文 and the validity only.
    document_number: str = Field(description="认定文号")
    issued_on: dt.date = Field(description="发文日期")
    valid_from: dt.date
    valid_until: dt.date = Field(description="有效期至（含当日）")
    leading_industry: str = Field(description="主导产业")


class RevocationInfo(Strict):
    model_config = ConfigDict(title="撤销认定")

    document_number: Filled = Field(description="撤销文号")
    reason_class: RevocationReasonName = Field(
        description=(
            "撤销原因类别：false_declaration 虚假申报 / unreported_change 重大变更未报告 / "
            "major_incident 发生重大事故 / violation 违法违规或严重失信 / "
            "recheck_failed 复核未通过 / other 其他"
        )
    )
    reason: Filled = Field(description="撤销理由")
    decided_on: dt.date = Field(description="撤销决定日期")


class CertificationLink(Strict):
    # One end of a renewal: enough to find the certification in this file or in the receiver's
    # own records of another round (a 文号 certifies several clusters: the 文号 with the cluster).
    model_config = ConfigDict(title="续期关系中的另一份认定")

    document_number: Filled = Field(description="该认定的认定文号")
    application_id: int = Field(description="该认定的申报 id（本系统中）")
    round: str = Field(description="该认定所属轮次的名称")
    cluster_name: str = Field(description="集群名称")
    external: bool = Field(
        description=(
            "true：该认定属于其他轮次，不在本文件中；"
            "false：在本文件的 applications 中（id 为 application_id）"
        )
    )


class Certification(CertificationV1):
    status: RegistryStatusName = Field(
        description=(
            "认定库显示的状态（于 status_on 当日）：valid 有效 / due 到期待复核 / "
            "revoked 已撤销 / renewed 已复核续期"
        )
    )
    revocation: RevocationInfo | None = Field(description="撤销认定的决定；未撤销为空")
    renews: CertificationLink | None = Field(
        description="本认定续期的原认定（复核通过后发文）；不是复核续期的为空"
    )
    renewed_by: CertificationLink | None = Field(
        description="复核通过后续期本认定的新认定；尚未续期的为空"
    )


class ApplicationRecordV1(Strict):
    id: int = Field(
        description=(
            "本系统中的申报 id；佐证材料经 /api/v1/applications/{id}/evidence/{sha256} 下载"
        )
    )
    organisation: Unit
    cluster_name: str = Field(description="集群名称（当前）")
    state: State = Field(description="当前状态")
    version: int = Field(description="当前版本号")
    created_at: dt.datetime
    updated_at: dt.datetime
    submission: Snapshot | None = Field(description="最近一次提交的快照；从未提交的为空")
    earlier_submissions: list[SubmissionInfo] = Field(
        description="更早的提交（退回后重新提交之前的），只有时间与 SHA-256"
    )
    events: list[Event] = Field(description="状态变更记录，按时间先后")
    score_sheets: list[ScoreSheet] = Field(description="已提交的专家评分表")
    decisions: list[DecisionOutcome] = Field(description="会审结果，按会审先后")
    certification: CertificationV1 | None = Field(description="认定记录（含文号）；未认定为空")


class ApplicationRecord(ApplicationRecordV1):
    certification: Certification | None = Field(
        description="认定记录（含文号、认定库状态、撤销和续期）；未认定为空"
    )


class RoundExportV1(Strict):
    # Version 1 as it was written (read still; see docs/round-export.md, 版本规则).
    model_config = ConfigDict(title="集群申报轮次数据交换格式（版本 1）")

    format: Literal["clusterdesk.round-export"] = Field(
        description="固定为 clusterdesk.round-export"
    )
    version: Literal[1] = Field(description="格式版本")
    exported_at: dt.datetime
    round: RoundInfo
    phases: list[Phase] = Field(description="评审阶段")
    scoring: Scoring | None = Field(description="评分设置；本轮没有打分的评审阶段时为空")
    publications: list[Publication] = Field(description="本轮的认定发文")
    applications: list[ApplicationRecordV1]


class RoundExport(RoundExportV1):
    # One round as another system imports it (docs/round-export.md).
    model_config = ConfigDict(title="集群申报轮次数据交换格式")

    version: Literal[2] = Field(description="格式版本")
    status_on: dt.date = Field(
        description="认定状态（certification.status）的判断日期：导出当日（北京时间）"
    )
    applications: list[ApplicationRecord]


# The versions this module reads, newest last.
MODELS: dict[int, type[RoundExportV1]] = {1: RoundExportV1, 2: RoundExport}

# 〔2023〕, [2023], 【2023】, (2023) and （2023） are the same year bracket in a 文号.
_OPENING = "〔[【［(（〖「"
_CLOSING = "〕]】］)）〗」"
_BRACKETS = str.maketrans({**dict.fromkeys(_OPENING, "〔"), **dict.fromkeys(_CLOSING, "〕")})
_SPACE = re.compile(r"\s+")


def number_key(text: str) -> str:
    """What two 文号 must share to be the same number: NFKC, no white space, one kind of
    bracket, case folded (as ``registry.domain.numbers.number_key``; a test keeps the two equal,
    this copy is here because the pure core cannot import the registry app)."""
    plain = _SPACE.sub("", unicodedata.normalize("NFKC", text or "")).translate(_BRACKETS)
    return plain.casefold()


def canonical_json(data: object) -> bytes:
    """The bytes ``data_sha256`` is taken of: keys sorted, no spaces, UTF-8 (as the snapshot's
    own ``declarations.domain.snapshots.canonical_json``; a test keeps the two equal)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def schema(version: int = VERSION) -> dict:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **MODELS[version].model_json_schema(mode="validation"),
    }


def schema_json(version: int = VERSION) -> str:
    """The committed docs/round-export.schema.json (version 1's: round-export.v1.schema.json):
    stable key order, UTF-8, newline at end."""
    return json.dumps(schema(version), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


# python -m clusterdesk.api.roundexport.format > docs/round-export.schema.json
# python -m clusterdesk.api.roundexport.format 1 > docs/round-export.v1.schema.json
if __name__ == "__main__":
    import sys

    # Imported by its name, so the schema's names are the module's, not __main__'s.
    from clusterdesk.api.roundexport.format import schema_json as named_schema_json

    print(named_schema_json(int(sys.argv[1]) if len(sys.argv) > 1 else VERSION), end="")
