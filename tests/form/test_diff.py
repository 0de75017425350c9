"""The revision diff: two stored versions of a form side by side, as the city officer reads them."""

from __future__ import annotations

import copy
import re
from typing import Any

from hypothesis import HealthCheck, given, settings

from clusterdesk.form.attachment2 import ATTACHMENT2_2023
from clusterdesk.form.diff import (
    ADDED,
    CHANGED,
    CLEARED,
    EVIDENCE,
    LIST,
    REMOVED,
    Change,
    FormDiff,
    diff_forms,
    iter_texts,
)
from clusterdesk.form.example import example_json, example_resubmission
from tests.form.second_form import ANNUAL_REPORT
from tests.form.strategies import applications
from tests.labels import normalise, official_labels

SHA_OLD = "1" * 64
SHA_NEW = "2" * 64


def diff(old: dict[str, Any], new: dict[str, Any], **kwargs: Any) -> FormDiff:
    return diff_forms(old, new, ATTACHMENT2_2023, **kwargs)


def only(result: FormDiff) -> Change:
    assert len(result) == 1, [change.place for change in result.changes]
    return result.changes[0]


def test_identical_forms_have_no_changes():
    data = example_json()
    result = diff(data, copy.deepcopy(data), commented=["part2.total_output"])
    assert result.empty
    assert result.parts == ()
    assert [(check.path, check.addressed) for check in result.comments] == [
        ("part2.total_output", False)
    ]


def test_a_number_changed_in_one_year_is_that_years_cell_with_its_official_place():
    old, new = example_json(), example_json()
    new["part2"]["total_output"]["2021"] = 99.5
    change = only(diff(old, new))
    assert change.place == "二、主导产业情况 · 集群总产值（亿元） · 2021年"
    assert (change.kind, change.old, change.new) == (CHANGED, "108.60", "99.50")
    assert change.path == "part2.total_output.2021"


def test_the_same_number_stored_differently_is_no_change():
    old, new = example_json(), example_json()
    new["part2"]["total_output"]["2021"] = "108.60"  # a draft keeps what was typed
    new["part1"]["area_km2"] = "36.50"
    assert diff(old, new).empty


def test_a_text_cleared_and_a_text_filled():
    old, new = example_json(), example_json()
    new["part1"]["operator_contact"] = None
    new["part9"]["provincial_opinion"] = "同意推荐"
    cleared, added = diff(old, new).changes
    assert (cleared.place, cleared.kind) == ("一、基本情况 · 联系人", CLEARED)
    assert (cleared.old, cleared.new) == ("陈立群", "未填写")
    assert added.kind == ADDED
    assert (added.old, added.new) == ("未填写", "同意推荐")


def test_a_box_unticked_and_an_option_changed_print_as_the_form_prints_them():
    old, new = example_json(), example_json()
    new["part3"]["collaborative_innovation_work"]["technology_roadmap"] = False
    new["part2"]["chain_map"] = "否"
    choice, tick = diff(old, new).changes
    assert (choice.old, choice.new, choice.kind) == ("☑ 是", "☑ 否", CHANGED)
    assert tick.place.endswith("集群已开展的协同创新工作 · 绘制了集群主导产业技术路线图")
    assert (tick.old, tick.new, tick.kind) == ("☑ 已勾选", "☐ 未勾选", CLEARED)


def test_patents_added_removed_and_changed_are_matched_on_the_patent_number():
    old, new = example_json(), example_json()
    patents = new["part3"]["patents_list"]
    first = patents.pop(0)
    patents[10]["holder"] = "宁波北仑新合力模具有限公司"
    edited = patents[10]["number"]
    patents.insert(
        0, {"kind": "发明专利", "title": "一种模具补充专利", "number": "ZL2023 0000001.1"}
    )
    change = only(diff(old, new))
    assert change.shape == LIST
    assert change.place == "三、创新能力情况 · 有效发明专利清单"
    assert (change.kind, change.old, change.new) == (CHANGED, "386 行", "386 行")
    # Inserted at the top, the new patent shifts every row: still one added, one removed.
    assert [(row.kind, row.label) for row in change.added] == [
        (ADDED, "专利号或证书号 ZL2023 0000001.1")
    ]
    assert [(row.kind, row.label) for row in change.removed] == [
        (REMOVED, f"专利号或证书号 {first['number']}")
    ]
    assert first["title"] in change.removed[0].old
    (changed,) = change.changed
    assert changed.label == f"专利号或证书号 {edited}"
    assert [(cell.column, cell.new) for cell in changed.cells] == [
        ("权利人", "宁波北仑新合力模具有限公司")
    ]


def test_rows_without_a_key_are_matched_by_position():
    old, new = example_json(), example_json()
    for data in (old, new):
        for row in data["part3"]["standards_list"]:
            row["code"] = None
    new["part3"]["standards_list"][1]["name"] = "精密级进模 通用技术条件（修订）"
    change = only(diff(old, new))
    (row,) = change.changed
    assert row.label == "第2行"
    assert [cell.column for cell in row.cells] == ["标准名称"]
    assert not change.added
    assert not change.removed


def test_a_whole_list_emptied():
    old, new = example_json(), example_json()
    new["part3"]["standards_list"] = []
    change = only(diff(old, new))
    assert (change.kind, change.old, change.new) == (CLEARED, "13 行", "无")
    assert len(change.removed) == 13
    assert change.removed[0].old.startswith("年度 2020；类别 国家；主持或参与 参与；标准名称 ")


def test_an_evidence_file_swapped_is_one_removed_and_one_added_at_its_box():
    old, new = example_json(), example_json()
    old["evidence"]["part2.chain_map"] = [{"name": "产业链图谱.pdf", "sha256": SHA_OLD}]
    new["evidence"]["part2.chain_map"] = [{"name": "产业链图谱.pdf", "sha256": SHA_NEW}]
    new["evidence"]["part6.overseas_branches"] = []
    swapped, emptied = diff(old, new).changes
    assert swapped.shape == EVIDENCE
    assert swapped.place == "二、主导产业情况 · 集群是否绘制产业链图谱 · 佐证材料"
    assert swapped.kind == CHANGED
    assert [file.sha256 for file in swapped.files_removed] == [SHA_OLD]
    assert [file.sha256 for file in swapped.files_added] == [SHA_NEW]
    assert swapped.files_added[0].shown.startswith("产业链图谱.pdf（SHA-256 222222")
    assert (emptied.kind, emptied.old, emptied.new) == (CLEARED, "境外分支机构清单.xlsx", "无")


def test_changes_are_grouped_by_part_in_the_forms_order_with_evidence_after_its_box():
    old, new = example_json(), example_json()
    new["part7"]["overview"] = "改写后的概述。"
    new["evidence"]["part2.chain_map"] = [{"name": "新图谱.pdf"}]
    new["cover"]["county"] = "镇海区"
    new["part2"]["chain_map"] = "否"
    new["part2"]["total_output"]["2020"] = 90
    result = diff(old, new)
    assert [part.title for part in result.parts] == [
        "封面",
        "二、主导产业情况",
        "七、治理和服务水平",
    ]
    part2 = result.parts[1]
    assert [change.path for change in part2.changes] == [
        "part2.total_output.2020",
        "part2.chain_map",
        "evidence.part2.chain_map",
    ]


def test_comments_say_whether_anything_under_them_changed():
    old, new = example_json(), example_json()
    new["part2"]["total_output"]["2021"] = 99.5
    new["evidence"]["part6.overseas_branches"] = [{"name": "境外分支机构清单（更新）.xlsx"}]
    comments = [
        "part2.total_output",  # answered: one year changed
        "part2.leading_output_share",  # not answered
        "part6.overseas_branches",  # answered by new evidence
        "part3",  # a whole part, untouched
        "part2",  # a whole part, changed
        "",  # the application as a whole
    ]
    result = diff(old, new, commented=comments)
    checks = {check.path: check for check in result.comments}
    assert [check.path for check in result.comments] == comments
    assert {path: check.addressed for path, check in checks.items()} == {
        "part2.total_output": True,
        "part2.leading_output_share": False,
        "part6.overseas_branches": True,
        "part3": False,
        "part2": True,
        "": True,
    }
    assert checks["part2.total_output"].changes == ("part2.total_output.2021",)
    assert checks["part2.leading_output_share"].place == (
        "二、主导产业情况 · 集群主导产业产值占集群总产值比例（%）"
    )
    assert checks["part3"].place == "三、创新能力情况"
    assert checks[""].place == "整份申报"
    # The commented boxes are marked on the diff itself.
    assert [change.commented for change in result.changes] == [True, True]


def test_an_unmarked_change_when_only_other_fields_were_commented():
    old, new = example_json(), example_json()
    new["part2"]["total_output"]["2021"] = 99.5
    result = diff(old, new, commented=["part2.total_output.2022", "part4"])
    assert not only(result).commented
    assert [check.addressed for check in result.comments] == [False, False]


def resubmission_diff() -> FormDiff:
    return diff(example_json(), example_resubmission())


def test_a_resubmission_edited_everywhere_shows_every_part():
    result = resubmission_diff()
    assert [part.key for part in result.parts] == [
        "cover",
        *(f"part{number}" for number in range(1, 10)),
        "attachment1",
    ]
    patents = next(c for c in result.changes if c.path == "part3.patents_list")
    assert (len(patents.added), len(patents.removed), len(patents.changed)) == (5, 5, 38)
    standards = next(c for c in result.changes if c.path == "part3.standards_list")
    # Re-ordered and one renamed: matched on the standard number, one row changed.
    assert (len(standards.added), len(standards.removed), len(standards.changed)) == (0, 0, 1)
    evidence = [c for c in result.changes if c.shape == EVIDENCE]
    assert len(evidence) == len(example_json()["evidence"])


# Words of the form that labels.txt (the notice's printed labels) does not list: the parts'
# short heads, the register, and the schema's names for a 清单 the form asks for in a note.
SCHEMA_WORDS = {
    "封面",
    "附件1",
    "佐证材料",
    "标准清单",
    "有效发明专利清单",
    "联系人及联系电话",
    "单位产值二氧化碳排放量计算公式",
}


def test_every_place_is_made_of_official_labels():
    official = {
        normalise(label)
        for label in official_labels("attachment-2") + official_labels("attachment-1")
    }
    official |= {normalise(word) for word in SCHEMA_WORDS}
    result = resubmission_diff()
    segments = [segment for c in result.changes for segment in c.place.split(" · ")]
    assert len(segments) > 200
    assert [segment for segment in segments if normalise(segment) not in official] == []


INTERNAL = re.compile(
    r"part\d|attachment1|evidence|[a-z]+_[a-z]+|None|True|False|Decimal|[{}\[\]']"
)


def test_no_shown_text_holds_a_path_or_a_python_value():
    texts = list(iter_texts(resubmission_diff()))
    assert len(texts) > 500
    assert [text for text in texts if INTERNAL.search(text)] == []


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(applications())
def test_a_form_against_itself_has_no_changes(application):
    data = application.model_dump(mode="json")
    assert diff(data, copy.deepcopy(data)).empty


def test_the_second_form_is_diffed_with_its_own_labels_pages_and_row_key():
    old = {
        "form_version": "toy-2024",
        "basics": {"cluster_name": "测试集群", "contact": "张三"},
        "figures": {"output": {"2022": 10.5, "2023": 12}, "enterprises": 2},
        "members": {"members": [{"name": "甲公司", "staff": 30}, {"name": "乙公司"}]},
    }
    new = copy.deepcopy(old)
    new["figures"]["output"]["2023"] = 13
    new["members"]["members"] = [{"name": "丙公司"}, {"name": "甲公司", "staff": 35}]
    result = diff_forms(old, new, ANNUAL_REPORT, commented=["figures", "info"])
    assert [(part.key, part.title) for part in result.parts] == [("figures", "年度数据与重点企业")]
    output, members = result.changes
    assert output.place == "二、年度数据 · 集群年度总产值（亿元） · 2023年"
    assert (output.old, output.new) == ("12.00", "13.00")
    assert members.place == "三、重点企业 · 重点企业清单"
    assert [row.label for row in members.added] == ["企业名称 丙公司"]
    assert [row.label for row in members.removed] == ["企业名称 乙公司"]
    (changed,) = members.changed
    assert [(cell.column, cell.old, cell.new) for cell in changed.cells] == [
        ("从业人员", "30", "35")
    ]
    assert [(check.place, check.addressed) for check in result.comments] == [
        ("二、年度数据", True),
        ("基本信息", False),
    ]
