"""Cross-application checks: copied passages and identifiers claimed by two clusters."""

from __future__ import annotations

import json
from typing import Any

from clusterdesk.form.overlap import FlagKind, OverlapIndex, passages, patent_key, standard_key
from clusterdesk.form.schema import Application
from clusterdesk.form.schema.plan import Plan

# The note the form prints under 集群基本情况简介: honest applicants echo it in their own text.
OVERVIEW_NOTE = Plan.model_fields["overview"].json_schema_extra["x-form"]["note"]  # type: ignore[index]

MOULD_PLAN = (
    "北仑模具产业集群起步于二十世纪八十年代，经过四十年发展，已形成以汽车模具、家电模具、"
    "精密注塑模具为主导，模具钢材、热流道、标准件、数控装备配套的完整产业链。集群现有模具企业"
    "1980家，其中规模以上企业286家，2022年实现总产值121.8亿元，占全国模具产值的百分之六左右，"
    "被中国模具工业协会授予“中国模具之都”称号。"
)
MOULD_ACHIEVEMENTS = (
    "近三年，集群坚持以数字化改造带动全产业链提质增效。区政府设立每年两亿元的模具产业专项资金，"
    "对企业购置五轴加工中心、三坐标测量仪等高端装备给予百分之十五的补助，累计支持技改项目"
    "312个。集群龙头企业牵头建成模具云设计平台，接入中小企业640家，设计周期平均缩短百分之三十，"
    "一次试模合格率由百分之八十五提高到百分之九十三，模具平均寿命延长百分之二十以上。同时，"
    "集群与宁波大学、浙江大学宁波研究院共建模具材料联合实验室，攻克压铸模具热裂纹、"
    "大型覆盖件回弹补偿等关键共性技术难题十七项。"
)
MOULD_TASKS = (
    "一是实施链主引领工程，支持五家链主企业向一体化压铸、新能源电池壳体模具等高端领域延伸。"
    "二是实施数字赋能工程，推动模具企业上云用数赋智，建设十个数字化车间。"
    "三是实施人才集聚工程，与职业院校共建模具工匠学院，每年培养高技能人才五百名。"
)

TEXTILE_PLAN = (
    "慈溪小家电产业集群以电熨斗、取暖器、净水器、吸尘器为主导产品，拥有整机企业1200余家、"
    "配套企业3000余家，产品远销一百四十多个国家和地区，是全国最大的小家电生产基地之一。"
    "集群2022年实现工业总产值386亿元，出口交货值占比超过百分之五十五。"
)
TEXTILE_ACHIEVEMENTS = (
    "近年来，慈溪市出台推动家电产业高质量发展的若干意见，每年安排一亿元专项资金支持企业品牌建设"
    "和智能化改造。集群建成家电产业创新服务综合体，提供工业设计、检验检测、知识产权等服务，"
    "年服务企业两千余家次。集群企业主导或参与制定国家和行业标准二十三项，培育国家级工业设计中心"
    "两家，“慈溪家电”区域品牌影响力持续提升，线上销售额年均增长百分之二十以上。"
)
TEXTILE_TASKS = (
    "围绕打造具有国际竞争力的小家电产业集群，重点推进三项工作：加快关键零部件国产化，"
    "突破电机、温控器、传感器等核心部件；推进智能家电产品研发，提高产品附加值；"
    "拓展跨境电商新渠道，建设海外仓十个以上。"
)

OPTICS_PLAN = (
    "余姚光电产业集群依托舜宇光学等龙头企业，形成光学镜头、光电模组、激光器件协同发展的格局。"
    "集群拥有光电企业680家，其中高新技术企业214家，2022年实现产值402亿元。"
)
OPTICS_ACHIEVEMENTS = (
    "集群围绕车载镜头和手机摄像模组两条主线，联合中国科学院宁波材料所开展非球面玻璃模压、"
    "红外光学材料等技术攻关，近三年新增发明专利九百余件，建成省级重点企业研究院六家。"
    "集群推行光学元件共享检测平台，为中小企业节约检测费用三千余万元。"
)


def application(
    plan: str,
    achievements: str,
    tasks: str,
    *,
    patents: list[str] = (),  # type: ignore[assignment]
    standards: list[str] = (),  # type: ignore[assignment]
    platforms: list[str] = (),  # type: ignore[assignment]
    holder: str | None = None,
    operator: str | None = None,
) -> Application:
    data: dict[str, Any] = {
        "part1": {"operator": operator},
        "part8": {"overview": plan, "achievements": achievements, "key_tasks": tasks},
        "part3": {
            "patents_list": [
                {"title": f"一种专利{i}", "number": number, "holder": holder}
                for i, number in enumerate(patents)
            ],
            "standards_list": [
                {"year": 2021, "category": "国家", "role": "主持", "name": "示例标准", "code": code}
                for code in standards
            ],
            "platforms": {"provincial": {"count": len(platforms), "names": list(platforms)}},
        },
    }
    return Application.model_validate(data)


def mould(**kwargs: Any) -> Application:
    return application(MOULD_PLAN, MOULD_ACHIEVEMENTS, MOULD_TASKS, **kwargs)


def optics(**kwargs: Any) -> Application:
    return application(OPTICS_PLAN, OPTICS_ACHIEVEMENTS, TEXTILE_TASKS[:20], **kwargs)


# 200 characters of the mould cluster's 发展成效, copied with small edits: punctuation changed,
# 两亿元 → 2亿元 is not a word swap but 区政府 → 市政府 and 坚持 → 始终坚持 are.
ORIGINAL = MOULD_ACHIEVEMENTS[:200]
COPIED = (
    ORIGINAL.replace("区政府", "市政府")
    .replace("坚持以", "始终坚持以")
    .replace("，", "；", 3)
    .replace("。", "；", 1)
)


def copier(**kwargs: Any) -> Application:
    achievements = TEXTILE_ACHIEVEMENTS[:60] + COPIED + TEXTILE_ACHIEVEMENTS[60:]
    return application(TEXTILE_PLAN, achievements, TEXTILE_TASKS, **kwargs)


def test_a_copied_passage_with_small_edits_is_flagged_with_that_passage_side_by_side() -> None:
    assert len(ORIGINAL) == 200
    assert COPIED != ORIGINAL
    index = OverlapIndex()
    assert index.add("mould", "北仑模具", mould()) == []
    flags = index.add("copier", "慈溪家电", copier())

    assert [flag.kind for flag in flags] == [FlagKind.TEXT]
    flag = flags[0]
    assert (flag.earlier.key, flag.later.key) == ("mould", "copier")
    assert flag.earlier.place == "八、未来三年中小企业特色产业集群发展规划 · 发展成效"
    assert flag.later.place == flag.earlier.place
    # The passage as each wrote it, and where it stands in each box.
    assert flag.earlier.text == MOULD_ACHIEVEMENTS[flag.earlier.start : flag.earlier.end]
    later_box = TEXTILE_ACHIEVEMENTS[:60] + COPIED + TEXTILE_ACHIEVEMENTS[60:]
    assert flag.later.text == later_box[flag.later.start : flag.later.end]
    # The common opening 近三年，集群 may or may not be counted; the rest is the passage.
    assert flag.earlier.start <= 6
    assert flag.earlier.end >= 195
    assert flag.later.start <= 60 + 8
    assert "；市政府设立" in flag.later.text
    assert "市政府" in flag.later.text
    assert "区政府" in flag.earlier.text
    # Nothing of the copier's own text is part of the passage.
    assert TEXTILE_ACHIEVEMENTS[:20] not in flag.later.text
    assert TEXTILE_ACHIEVEMENTS[70:90] not in flag.later.text


def test_honest_applications_sharing_the_template_and_short_phrases_are_not_flagged() -> None:
    # Both echo the form's note for 集群基本情况简介 verbatim (70 characters), head their tasks
    # 一是…二是…, and use the common phrase 打造具有国际竞争力的.
    first = application(
        OVERVIEW_NOTE + MOULD_PLAN,
        MOULD_ACHIEVEMENTS,
        "打造具有国际竞争力的模具产业集群。" + MOULD_TASKS,
    )
    second = application(
        OVERVIEW_NOTE + TEXTILE_PLAN,
        TEXTILE_ACHIEVEMENTS,
        "打造具有国际竞争力的小家电产业集群。一是实施链主引领工程，" + TEXTILE_TASKS,
    )
    third = application(OPTICS_PLAN, OPTICS_ACHIEVEMENTS, "一是实施数字赋能工程，推动企业上云。")
    index = OverlapIndex()
    assert index.add("mould", "北仑模具", first) == []
    assert index.add("appliances", "慈溪家电", second) == []
    assert index.add("optics", "余姚光电", third) == []
    assert index.flags == []


def test_the_same_text_in_one_cluster_family_across_rounds_is_not_flagged() -> None:
    index = OverlapIndex()
    index.add("2023/mould", "北仑模具（2023）", mould(patents=["ZL201510000001.1"]))
    assert index.add("2024/mould", "北仑模具（2024）", mould(), family="2023/mould") == []
    # Another cluster copying all three boxes is flagged against both rounds' applications.
    flags = index.add("2024/other", "别的集群", mould())
    assert sorted(f.earlier.key for f in flags) == ["2023/mould"] * 3 + ["2024/mould"] * 3


def test_one_patent_written_two_ways_is_flagged_with_both_as_written() -> None:
    index = OverlapIndex()
    index.add("mould", "北仑模具", mould(patents=["ZL 2020 1 0123456.7", "ZL201910000001.2"]))
    flags = index.add("optics", "余姚光电", optics(patents=["ZL202010123456.7"]))

    assert [(f.kind, f.value) for f in flags] == [(FlagKind.PATENT, "2020101234567")]
    assert flags[0].earlier.text == "ZL 2020 1 0123456.7"
    assert flags[0].later.text == "ZL202010123456.7"
    assert flags[0].earlier.place == "三、创新能力情况 · 有效发明专利清单 · 第1行"
    assert patent_key("ＺＬ２０２０１０１２３４５６．７") == patent_key("ZL202010123456.7")
    assert patent_key("ZL202010123456.8") != patent_key("ZL202010123456.7")


def test_standards_platforms_and_enterprises_claimed_twice_are_flagged() -> None:
    index = OverlapIndex()
    index.add(
        "mould",
        "北仑模具",
        mould(standards=["GB/T 12554-2006"], platforms=["浙江省精密模具重点企业研究院"]),
    )
    flags = index.add(
        "optics",
        "余姚光电",
        optics(
            standards=["GB／T12554—2006", "GB/T 12555-2006"],
            platforms=["浙江省 精密模具重点企业研究院"],
        ),
    )
    kinds = sorted((f.kind.value, f.later.text) for f in flags)
    assert (FlagKind.STANDARD.value, "GB／T12554—2006（主持）") in kinds
    assert (FlagKind.PLATFORM.value, "浙江省 精密模具重点企业研究院") in kinds
    assert len(flags) == 2
    assert standard_key("GB/T 12554-2006") == standard_key("ＧＢ／Ｔ　１２５５４－２００６")
    assert standard_key("GB/T 12554-2006") != standard_key("GB/T 12554-2016")


def test_an_enterprise_claimed_by_two_clusters_is_flagged_once_per_pair() -> None:
    index = OverlapIndex()
    holder = "宁波北仑精诚模具有限公司"
    index.add("mould", "北仑模具", mould(patents=["ZL201910000001.2"], holder=holder))
    flags = index.add(
        "optics",
        "余姚光电",
        optics(patents=["ZL202110000003.3", "ZL202110000004.4"], holder=holder + " "),
    )
    assert [(f.kind, f.earlier.text, f.later.text) for f in flags] == [
        (FlagKind.ENTERPRISE, f"{holder}（权利人）", f"{holder} （权利人）")
    ]
    # A university holds patents with many clusters: not an enterprise, not flagged by name.
    index.add("third", "第三", application("无", "无", "无", patents=["ZL1"], holder="宁波大学"))
    assert index.add("fourth", "第四", application("无", "无", "无", holder="宁波大学")) == []
    # The same 集群运营管理机构 for two clusters is flagged.
    index.add(
        "park", "园区", application("无", "无", "无", operator="宁波北仑模具产业园区管理委员会")
    )
    flags = index.add(
        "park2", "园区2", application("无", "无", "无", operator="宁波北仑模具产业园区管理委员会")
    )
    assert [(f.kind, f.earlier.place) for f in flags] == [
        (FlagKind.ENTERPRISE, "一、基本情况 · 集群运营管理机构")
    ]


def test_flags_follow_adding_and_removing() -> None:
    index = OverlapIndex()
    index.add("mould", "北仑模具", mould(patents=["ZL202010123456.7"]))
    index.add("copier", "慈溪家电", copier())
    index.add("optics", "余姚光电", optics(patents=["ZL202010123456.7"]))
    assert sorted(f.kind for f in index.flags) == sorted([FlagKind.TEXT, FlagKind.PATENT])
    assert [f.kind for f in index.flags_of("copier")] == [FlagKind.TEXT]

    index.remove("mould")
    assert index.flags == []
    assert len(index) == 2
    # Re-added later, it is the later side now, and both flags come back.
    again = index.add("mould", "北仑模具", mould(patents=["ZL202010123456.7"]))
    assert {(f.kind, f.earlier.key) for f in again} == {
        (FlagKind.TEXT, "copier"),
        (FlagKind.PATENT, "optics"),
    }
    # Indexing a new version of an application replaces it: the copy is gone, so is its flag.
    assert index.add("copier", "慈溪家电", application(TEXTILE_PLAN, "无", TEXTILE_TASKS)) == []
    assert [f.kind for f in index.flags] == [FlagKind.PATENT]


def test_the_state_round_trips_through_json_and_keeps_flagging() -> None:
    index = OverlapIndex()
    index.add("mould", "北仑模具", mould(patents=["ZL202010123456.7"]))
    index.add("copier", "慈溪家电", copier())
    state = json.loads(json.dumps(index.to_json(), ensure_ascii=False))

    loaded = OverlapIndex.from_json(state)
    assert loaded.flags == index.flags
    assert loaded.to_json() == index.to_json()
    flags = loaded.add("optics", "余姚光电", optics(patents=["ZL 2020 1 0123456.7"]))
    assert [(f.kind, f.earlier.key) for f in flags] == [(FlagKind.PATENT, "mould")]
    flags = loaded.add("copier2", "另一份", copier())
    assert {f.earlier.key for f in flags} == {"copier", "mould"}
    assert [f.earlier.place for f in flags if f.earlier.key == "mould"] == [
        "八、未来三年中小企业特色产业集群发展规划 · 发展成效"
    ]


def test_passages_copied_in_another_order_are_both_found() -> None:
    a = MOULD_ACHIEVEMENTS[:120] + OPTICS_ACHIEVEMENTS + MOULD_ACHIEVEMENTS[120:]
    b = OPTICS_ACHIEVEMENTS[:100] + TEXTILE_PLAN + MOULD_ACHIEVEMENTS[:120]
    found = passages(a, b)
    assert len(found) == 2
    # Characters without punctuation: 100 and 120 as written, less their commas.
    assert [p.same > 90 for p in found] == [True, True]
    assert sorted(p.b_start for p in found)[0] == 0


def test_unrelated_texts_share_no_passage() -> None:
    assert passages(MOULD_ACHIEVEMENTS + MOULD_TASKS, TEXTILE_ACHIEVEMENTS + TEXTILE_TASKS) == []


def test_stored_json_and_empty_drafts_are_indexed() -> None:
    index = OverlapIndex()
    assert index.add("draft", "空白草稿", Application()) == []
    assert index.add("draft2", "空白草稿2", {}) == []
    index.add("mould", "北仑模具", mould().model_dump(mode="json"))
    flags = index.add("copier", "慈溪家电", copier().model_dump(mode="json"))
    assert [f.kind for f in flags] == [FlagKind.TEXT]
    assert len(index) == 4
