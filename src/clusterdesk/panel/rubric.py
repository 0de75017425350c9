"""The expert's rubric (评分标准) and the checks of one score sheet, as plain data.

A rubric is stored per round as JSON (``Rubric.model_dump(mode="json")``) so that a round's
sheets are always read against the rubric they were scored with. Scores are given per aspect in
the aspect's own range; the weighted total maps every aspect onto its weight, so the total runs
0–100 whatever the ranges (see ``weighted_total``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

RECOMMEND = "recommend"
NOT_RECOMMEND = "not_recommend"
OPINIONS = {RECOMMEND: "推荐认定", NOT_RECOMMEND: "不推荐"}

MAX_ASPECTS = 20
MAX_COMMENT = 2000  # characters per aspect comment
MAX_REASON = 2000
TWO_PLACES = Decimal("0.01")


class Aspect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1, max_length=60)
    weight: Decimal = Field(gt=0, le=100, decimal_places=2)
    min_score: Decimal = Field(default=Decimal(0), ge=0, le=1000, decimal_places=2)
    max_score: Decimal = Field(default=Decimal(10), gt=0, le=1000, decimal_places=2)
    guidance: str = Field(default="", max_length=1000)
    comment_required: bool = False

    @model_validator(mode="after")
    def _range(self) -> Aspect:
        if self.max_score <= self.min_score:
            raise ValueError(f"“{self.name}”的最高分必须大于最低分。")
        return self

    @property
    def weight_text(self) -> str:
        return _plain(self.weight)

    @property
    def range_text(self) -> str:
        return f"{_plain(self.min_score)}–{_plain(self.max_score)} 分"


class Rubric(BaseModel):
    model_config = ConfigDict(extra="forbid")

    aspects: list[Aspect] = Field(min_length=1, max_length=MAX_ASPECTS)
    # The overall opinion is always asked; 不推荐 always needs its reason (see check_sheet).
    opinion_required: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> Rubric:
        keys = [aspect.key for aspect in self.aspects]
        twice = sorted({key for key in keys if keys.count(key) > 1})
        if twice:
            raise ValueError(f"评分项代码重复：{'、'.join(twice)}。")
        names = [aspect.name for aspect in self.aspects]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise ValueError(f"评分项名称重复：{'、'.join(twice)}。")
        total = sum((aspect.weight for aspect in self.aspects), Decimal(0))
        if total != 100:
            raise ValueError(f"各评分项权重之和必须为 100，当前为 {_plain(total)}。")
        return self

    def aspect(self, key: str) -> Aspect | None:
        return next((aspect for aspect in self.aspects if aspect.key == key), None)


class RubricInvalid(ValueError):
    """A rubric that does not validate, with its problems in Chinese."""

    def __init__(self, problems: list[str]):
        super().__init__("；".join(problems))
        self.problems = problems


def parse_rubric(data: Any) -> Rubric:
    """A rubric from stored or posted JSON, or ``RubricInvalid`` naming each problem in Chinese."""
    try:
        return Rubric.model_validate(data)
    except ValidationError as error:
        raise RubricInvalid([_message(e) for e in error.errors()]) from None


_FIELD_NAMES = {
    "key": "代码",
    "name": "名称",
    "weight": "权重",
    "min_score": "最低分",
    "max_score": "最高分",
    "guidance": "评分指引",
    "comment_required": "是否必须填写评语",
    "aspects": "评分项",
}


def _message(error: dict[str, Any]) -> str:
    location = [part for part in error.get("loc", ()) if part != "aspects"]
    text = str(error.get("msg", "")).removeprefix("Value error, ")
    if error.get("type") == "value_error":
        return text
    where = ""
    if location and isinstance(location[0], int):
        where = f"第 {location[0] + 1} 个评分项"
        location = location[1:]
    field = _FIELD_NAMES.get(str(location[0]), str(location[0])) if location else ""
    kind = error.get("type", "")
    reason = {
        "missing": "必须填写",
        "string_too_short": "不能为空",
        "string_too_long": "过长",
        "string_pattern_mismatch": "只能由小写字母、数字和下划线组成，并以字母开头",
        "greater_than": "必须大于 0",
        "greater_than_equal": "不能为负数",
        "less_than_equal": "超出允许的上限",
        "decimal_parsing": "必须是数字",
        "decimal_max_places": "最多保留两位小数",
        "too_short": "至少需要一项",
        "too_long": f"最多 {MAX_ASPECTS} 项",
        "extra_forbidden": "不是评分标准的内容",
    }.get(kind, "填写有误")
    return f"{where}{field}{reason}。" if (where or field) else f"评分标准{reason}。"


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


# --- the default: the eight aspects of the national criteria (2022) --------------------------

_DEFAULT = (
    (
        "core_competitiveness",
        "具有较强核心竞争力",
        20,
        "主导产业是否为县域支柱或特色产业；集群总产值近三年是否均不低于 40 亿元、年均增速是否"
        "超过 10%；中小企业产值与主导产业产值占比是否均超过 70%；区域范围是否集中（一般不超过 "
        "100 平方公里）。",
        True,
    ),
    (
        "quality_smes",
        "优质中小企业梯度培育成效显著",
        15,
        "主导产业内制造业单项冠军、专精特新“小巨人”企业，或专精特新中小企业、创新型中小企业、"
        "高新技术企业的数量与梯度培育工作成效。",
        False,
    ),
    (
        "supply_chain",
        "产业链供应链协作高效",
        10,
        "产供销一体化协作机制，设备、物流、仓储、用工、设计等资源共享情况，关键环节的配套能力。",
        False,
    ),
    (
        "innovation",
        "具有较强协同创新能力",
        15,
        "中小企业研发经费投入是否逐年增长，创新平台的数量与作用，参与制定标准、有效发明专利等"
        "创新成果。",
        True,
    ),
    (
        "digital",
        "数字化转型效果明显",
        10,
        "工业互联网平台应用普及率、工业软件应用水平及其提升情况，数字化改造的实际成效。",
        False,
    ),
    (
        "green",
        "具有较高绿色化发展水平",
        10,
        "碳排放监测、单位工业产值能耗下降、固体废物综合利用与水重复利用水平，绿色工厂等成效。",
        False,
    ),
    (
        "openness",
        "积极参与产业开放合作",
        10,
        "参与国内外产业合作、产业转移承接、展会与品牌推广、对外贸易等开放合作情况。",
        False,
    ),
    (
        "governance",
        "具有较强治理和服务能力",
        10,
        "运营管理机构的设置与运转，公共服务平台的服务能力，集群治理机制与发展规划的可行性。",
        True,
    ),
)


def default_rubric() -> Rubric:
    """The eight aspects of the national criteria, each scored 0–10, weighted to a 0–100 total."""
    return Rubric(
        aspects=[
            Aspect(
                key=key,
                name=name,
                weight=Decimal(weight),
                min_score=Decimal(0),
                max_score=Decimal(10),
                guidance=guidance,
                comment_required=comment,
            )
            for key, name, weight, guidance, comment in _DEFAULT
        ]
    )


# --- 复核: the plan-completion rubric (the default of a 复核 round) ---------------------------

_PLAN_COMPLETION = (
    (
        "output_targets",
        "集群产值与规模目标完成情况",
        20,
        "对照三年行动计划（第八部分）目标a：集群总产值年均增速是否达到目标，中小企业产值与主导"
        "产业产值占比是否保持在70%以上。",
        True,
    ),
    (
        "quality_sme_targets",
        "优质中小企业培育目标完成情况",
        15,
        "目标b：专精特新中小企业、“小巨人”企业、单项冠军企业数量较认定时的增加是否达到目标。",
        False,
    ),
    (
        "innovation_targets",
        "创新投入与成果目标完成情况",
        15,
        "目标c、d：中小企业研发经费投入、有效发明专利数的年均增长是否达到目标。",
        True,
    ),
    (
        "digital_target",
        "数字化转型目标完成情况",
        10,
        "目标e：工业互联网平台应用普及率是否达到目标，数字化改造的实际成效。",
        False,
    ),
    (
        "green_targets",
        "绿色发展目标完成情况",
        10,
        "目标f、g：碳排放量、单位工业产值能耗的下降是否达到目标。",
        False,
    ),
    (
        "directions",
        "发展方向与重点任务推进情况",
        15,
        "三年行动计划所列各发展方向的工作是否按计划推进，典型案例是否有代表性、有佐证。",
        True,
    ),
    (
        "annual_reports",
        "年度报告报送与问题整改情况",
        15,
        "三年间年度发展情况报告是否按时报送、数据是否与申报一致；发现的问题是否制定并落实整改"
        "措施；主导产业、区域范围、运营机构的重大变更是否及时报告。",
        True,
    ),
)


def plan_completion_rubric() -> Rubric:
    """The 复核's rubric: how far the cluster carried out its three-year plan (part 八's targets
    a–g, its directions) as its annual reports show; each aspect 0–10, weighted to 0–100."""
    return Rubric(
        aspects=[
            Aspect(
                key=key,
                name=name,
                weight=Decimal(weight),
                min_score=Decimal(0),
                max_score=Decimal(10),
                guidance=guidance,
                comment_required=comment,
            )
            for key, name, weight, guidance, comment in _PLAN_COMPLETION
        ]
    )


# --- score sheets ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    field: str  # an aspect key, "opinion" or "opinion_reason"
    message: str


def score_value(raw: Any) -> Decimal | None:
    """A score as a Decimal, None when blank; ``ValueError`` when it is not a number."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValueError("not a number")
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not value.is_finite():
        raise ValueError("not a number")
    return value


def check_sheet(
    rubric: Rubric,
    scores: dict[str, Any],
    comments: dict[str, Any],
    opinion: str | None,
    reason: str | None,
) -> list[Problem]:
    """Everything that stops a sheet from being submitted, in Chinese, field by field."""
    return _check(rubric, scores, comments, opinion, reason, complete=True)


def check_draft(
    rubric: Rubric,
    scores: dict[str, Any],
    comments: dict[str, Any],
    opinion: str | None,
    reason: str | None,
) -> list[Problem]:
    """What a draft may not hold even half-filled (autosave): blanks are fine, nonsense is not."""
    return _check(rubric, scores, comments, opinion, reason, complete=False)


def _check(
    rubric: Rubric,
    scores: dict[str, Any],
    comments: dict[str, Any],
    opinion: str | None,
    reason: str | None,
    *,
    complete: bool,
) -> list[Problem]:
    problems: list[Problem] = []
    scores = scores if isinstance(scores, dict) else {}
    comments = comments if isinstance(comments, dict) else {}
    known = {aspect.key for aspect in rubric.aspects}
    for key in sorted(set(scores) | set(comments)):
        if key not in known:
            problems.append(Problem(str(key)[:40], f"评分项“{str(key)[:40]}”不在评分标准中。"))
    for aspect in rubric.aspects:
        try:
            value = score_value(scores.get(aspect.key))
        except ValueError:
            problems.append(Problem(aspect.key, f"“{aspect.name}”的得分必须是数字。"))
            value = None
        else:
            if value is None:
                if complete:
                    problems.append(Problem(aspect.key, f"请填写“{aspect.name}”的得分。"))
            elif not aspect.min_score <= value <= aspect.max_score:
                problems.append(
                    Problem(
                        aspect.key,
                        f"“{aspect.name}”的得分 {_plain(value)} 超出范围（{aspect.range_text}）。",
                    )
                )
            elif value.as_tuple().exponent < -2 and value != value.quantize(TWO_PLACES):
                problems.append(Problem(aspect.key, f"“{aspect.name}”的得分最多保留两位小数。"))
        comment = comments.get(aspect.key)
        comment = comment if isinstance(comment, str) else ("" if comment is None else str(comment))
        if len(comment) > MAX_COMMENT:
            problems.append(
                Problem(aspect.key, f"“{aspect.name}”的评语不能超过 {MAX_COMMENT} 字。")
            )
        elif complete and aspect.comment_required and not comment.strip():
            problems.append(Problem(aspect.key, f"“{aspect.name}”必须填写评语。"))
    opinion = opinion or ""
    reason = reason or ""
    if opinion and opinion not in OPINIONS:
        problems.append(Problem("opinion", "总体意见只能是“推荐认定”或“不推荐”。"))
    elif complete and not opinion:
        problems.append(Problem("opinion", "请选择总体意见（推荐认定或不推荐）。"))
    elif complete and opinion == NOT_RECOMMEND and not reason.strip():
        problems.append(Problem("opinion_reason", "选择“不推荐”时必须填写理由。"))
    if len(reason) > MAX_REASON:
        problems.append(Problem("opinion_reason", f"总体意见理由不能超过 {MAX_REASON} 字。"))
    return problems


def weighted_total(rubric: Rubric, scores: dict[str, Any]) -> Decimal | None:
    """The sheet's total on 0–100: each aspect's share of its range times its weight; None when
    a score is missing or not a number (a total of a half-filled sheet would mislead)."""
    total = Decimal(0)
    for aspect in rubric.aspects:
        try:
            value = score_value(scores.get(aspect.key))
        except ValueError:
            return None
        if value is None:
            return None
        share = (value - aspect.min_score) / (aspect.max_score - aspect.min_score)
        total += share * aspect.weight
    return total.quantize(TWO_PLACES)
