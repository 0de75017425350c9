"""The rubric's validation and the checks of one score sheet (pure)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clusterdesk.panel.rubric import (
    NOT_RECOMMEND,
    RECOMMEND,
    RubricInvalid,
    check_draft,
    check_sheet,
    default_rubric,
    parse_rubric,
    weighted_total,
)

EIGHT = [
    "具有较强核心竞争力",
    "优质中小企业梯度培育成效显著",
    "产业链供应链协作高效",
    "具有较强协同创新能力",
    "数字化转型效果明显",
    "具有较高绿色化发展水平",
    "积极参与产业开放合作",
    "具有较强治理和服务能力",
]


def _full(rubric, value="8"):
    scores = {aspect.key: value for aspect in rubric.aspects}
    comments = {aspect.key: "论据充分" for aspect in rubric.aspects}
    return scores, comments


def test_the_default_rubric_is_the_eight_national_aspects_weighted_to_100():
    rubric = default_rubric()
    assert [aspect.name for aspect in rubric.aspects] == EIGHT
    assert sum(aspect.weight for aspect in rubric.aspects) == 100
    assert all(aspect.guidance for aspect in rubric.aspects)
    assert all((a.min_score, a.max_score) == (0, 10) for a in rubric.aspects)
    # Round trip through the JSON a round stores.
    assert parse_rubric(rubric.model_dump(mode="json")) == rubric


def _aspects(*weights, key=None):
    return {
        "aspects": [
            {"key": key or f"a{i}", "name": f"方面{i}", "weight": w} for i, w in enumerate(weights)
        ]
    }


def test_weights_must_sum_to_100():
    with pytest.raises(RubricInvalid) as refused:
        parse_rubric(_aspects(50, 40))
    assert refused.value.problems == ["各评分项权重之和必须为 100，当前为 90。"]
    assert parse_rubric(_aspects(50, 50))


def test_keys_must_be_unique_and_ranges_sane():
    with pytest.raises(RubricInvalid) as refused:
        parse_rubric(_aspects(50, 50, key="same"))
    assert "评分项代码重复：same。" in refused.value.problems
    bad = _aspects(100)
    bad["aspects"][0].update(min_score=10, max_score=5)
    with pytest.raises(RubricInvalid) as refused:
        parse_rubric(bad)
    assert refused.value.problems == ["“方面0”的最高分必须大于最低分。"]
    negative = _aspects(100)
    negative["aspects"][0].update(weight="abc", name="")
    with pytest.raises(RubricInvalid) as refused:
        parse_rubric(negative)
    assert "第 1 个评分项名称不能为空。" in refused.value.problems
    assert "第 1 个评分项权重必须是数字。" in refused.value.problems


def test_a_complete_sheet_passes_and_totals_to_its_weighted_sum():
    rubric = default_rubric()
    scores, comments = _full(rubric)
    assert check_sheet(rubric, scores, comments, RECOMMEND, "") == []
    assert weighted_total(rubric, scores) == Decimal("80.00")
    scores["core_competitiveness"] = "10"  # weight 20: +4 points
    assert weighted_total(rubric, scores) == Decimal("84.00")


def test_problems_name_the_aspect_in_chinese():
    rubric = default_rubric()
    scores, comments = _full(rubric)
    scores["digital"] = "11"
    scores["green"] = "很好"
    del scores["openness"]
    comments["innovation"] = "  "
    problems = check_sheet(rubric, scores, comments, NOT_RECOMMEND, "")
    messages = [p.message for p in problems]
    assert "“数字化转型效果明显”的得分 11 超出范围（0–10 分）。" in messages
    assert "“具有较高绿色化发展水平”的得分必须是数字。" in messages
    assert "请填写“积极参与产业开放合作”的得分。" in messages
    assert "“具有较强协同创新能力”必须填写评语。" in messages
    assert "选择“不推荐”时必须填写理由。" in messages
    assert weighted_total(rubric, scores) is None


def test_a_missing_opinion_and_an_unknown_one():
    rubric = default_rubric()
    scores, comments = _full(rubric)
    assert [p.field for p in check_sheet(rubric, scores, comments, "", "")] == ["opinion"]
    assert [p.field for p in check_sheet(rubric, scores, comments, "maybe", "")] == ["opinion"]


def test_a_draft_may_be_blank_but_not_wrong():
    rubric = default_rubric()
    assert check_draft(rubric, {}, {}, "", "") == []
    problems = check_draft(rubric, {"digital": "-1", "nope": 3}, {}, "", "")
    assert [p.field for p in problems] == ["nope", "digital"]
    assert check_draft(rubric, {"digital": "7.555"}, {}, "", "")[0].message == (
        "“数字化转型效果明显”的得分最多保留两位小数。"
    )
