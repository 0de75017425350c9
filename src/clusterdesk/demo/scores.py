"""The demo experts' score sheets: believable figures and comments, made deterministically.

Each application has a level (its experts' common view, 0–10 per aspect); each expert leans a
little up or down, and each aspect a little around the level, in 0.5 steps. One expert may
disagree outright (``dissent``): they score well below the others and do not recommend, which
puts the spread of the totals beyond the round's margin — the ranking's disagreement flag.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from clusterdesk.panel.rubric import NOT_RECOMMEND, RECOMMEND, Rubric

# How each expert (by position in the pool) leans, and how each aspect (by position in the
# rubric) sits around an application's level.
EXPERT_LEAN = (0.0, -0.5, 0.5, 0.0, -0.5, 0.5, 0.0, -0.5)
ASPECT_LEAN = (0.5, 0.0, -0.5, 0.5, 0.0, -0.5, 0.0, 0.5)
DISSENT_DROP = 2.5  # a dissenting expert's scores lie this far below the level
RECOMMEND_FROM = Decimal(70)  # a total under this is 不推荐

COMMENTS = {
    "high": {
        "core_competitiveness": "主导产业特色鲜明，龙头企业带动作用强，产品在细分市场占有率较高。",
        "innovation": "产学研合作紧密，研发投入强度和有效发明专利数量均高于同类集群。",
        "governance": "运营机构职责清晰，公共服务平台运行良好，服务中小企业成效明显。",
    },
    "mid": {
        "core_competitiveness": "产业基础较好，但高端产品占比不高，品牌影响力有待提升。",
        "innovation": "已建立部分创新平台，协同创新机制尚需完善，成果转化效率一般。",
        "governance": "运营机构已设立，服务内容以政策宣贯为主，专业化服务能力需加强。",
    },
    "low": {
        "core_competitiveness": (
            "龙头企业带动作用不明显，主导产业集中度偏低，核心竞争力论证不充分。"
        ),
        "innovation": "研发投入强度偏低，专利以实用新型为主，佐证材料不足以支撑协同创新能力。",
        "governance": "运营机构尚在组建，治理和服务机制有待建立，缺少具体服务数据。",
    },
}
NOT_RECOMMEND_REASON = (
    "核心竞争力和协同创新能力的佐证不充分，与认定标准尚有差距，建议培育后再申报。"
)


def sheet_data(
    rubric: Rubric, level: float, expert_position: int, *, dissent: bool = False
) -> dict[str, Any]:
    """The sheet an expert submits for an application of ``level``."""
    lean = EXPERT_LEAN[expert_position % len(EXPERT_LEAN)]
    base = level - DISSENT_DROP if dissent else level + lean
    scores: dict[str, str] = {}
    for position, aspect in enumerate(rubric.aspects):
        raw = base + ASPECT_LEAN[position % len(ASPECT_LEAN)]
        value = _half_steps(Decimal(str(raw)))
        value = min(max(value, aspect.min_score), aspect.max_score)
        scores[aspect.key] = format(value.normalize(), "f")
    total = sum(
        (
            Decimal(scores[aspect.key]) * aspect.weight / aspect.max_score
            for aspect in rubric.aspects
        ),
        Decimal(0),
    )
    band = "low" if dissent or total < RECOMMEND_FROM else "high" if total >= 80 else "mid"
    comments = {
        aspect.key: COMMENTS[band].get(aspect.key, "")
        for aspect in rubric.aspects
        if aspect.comment_required
    }
    recommend = total >= RECOMMEND_FROM and not dissent
    return {
        "scores": scores,
        "comments": {key: text for key, text in comments.items() if text}
        | _missing_comments(rubric, comments),
        "opinion": RECOMMEND if recommend else NOT_RECOMMEND,
        "opinion_reason": "" if recommend else NOT_RECOMMEND_REASON,
    }


def draft_data(rubric: Rubric, level: float, expert_position: int, aspects: int) -> dict[str, Any]:
    """A sheet begun: the first ``aspects`` scores of a full one, no opinion yet."""
    full = sheet_data(rubric, level, expert_position)
    keys = [aspect.key for aspect in rubric.aspects][:aspects]
    return {
        "scores": {key: full["scores"][key] for key in keys},
        "comments": {key: text for key, text in full["comments"].items() if key in keys},
        "opinion": "",
        "opinion_reason": "",
    }


def _half_steps(value: Decimal) -> Decimal:
    return (value * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2


def _missing_comments(rubric: Rubric, comments: dict[str, str]) -> dict[str, str]:
    """A generic comment for an aspect a round's own rubric requires one for (not in COMMENTS)."""
    return {
        aspect.key: f"{aspect.name}：符合申报材料所述，详见佐证材料。"
        for aspect in rubric.aspects
        if aspect.comment_required and not comments.get(aspect.key)
    }
