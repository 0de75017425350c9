"""Conflict-of-interest matching: names, the window of years, automatic and declared, reasons."""

from __future__ import annotations

import datetime as dt

from clusterdesk.form.example import example_application
from clusterdesk.panel.conflicts import (
    ApplicationFacts,
    Declared,
    ExpertFacts,
    NamedUnit,
    application_units,
    conflict_map,
    conflicts_between,
    normalise,
    same_unit,
    window_start,
)

REFERENCE = dt.date(2022, 12, 31)


def _application(*units: tuple[str, str], key: int = 1) -> ApplicationFacts:
    return ApplicationFacts(key, "北仑模具产业集群", tuple(NamedUnit(n, r) for n, r in units))


OPERATOR = ("宁波北仑模具产业园区管理委员会", "集群运营管理机构")


def test_short_forms_and_containment_name_one_unit():
    assert same_unit(
        normalise("北仑模具产业园区管委会"), normalise("宁波北仑模具产业园区管理委员会")
    )
    assert same_unit(normalise("北仑区经信局"), normalise("宁波市北仑区经济和信息化局"))
    assert same_unit(normalise("宁波 华腾模具（有限公司）"), normalise("宁波华腾模具有限公司"))
    # Too short to mean anything by containment, and different units.
    assert not same_unit(normalise("模具"), normalise("宁波北仑模具产业园区管理委员会"))
    assert not same_unit(normalise("宁波大学"), normalise("浙江大学宁波理工学院"))


def test_the_experts_unit_being_the_operator_is_a_conflict_with_reason():
    expert = ExpertFacts(7, "张工", "北仑模具产业园区管委会")
    [conflict] = conflicts_between(expert, _application(OPERATOR), REFERENCE, 3)
    assert conflict.kind == "automatic"
    assert conflict.reason == (
        "专家工作单位“北仑模具产业园区管委会”与该申报的集群运营管理机构"
        "“宁波北仑模具产业园区管理委员会”名称相符"
    )


def test_a_declared_relation_counts_within_the_window_only():
    application = _application(("宁波北仑华腾模具有限公司", "有效发明专利权利人"))

    def declared(ended_on):
        return ExpertFacts(
            1,
            "李教授",
            "宁波大学",
            (Declared("华腾模具有限公司", "顾问", dt.date(2015, 3, 1), ended_on),),
        )

    assert window_start(REFERENCE, 3) == dt.date(2019, 12, 31)
    # Ongoing, ended inside the window (on its first day too): conflicts.
    for ended in (None, dt.date(2021, 6, 30), dt.date(2019, 12, 31)):
        [conflict] = conflicts_between(declared(ended), application, REFERENCE, 3)
        assert conflict.kind == "declared"
        assert "顾问" in conflict.reason
        assert "在3年回避期内" in conflict.reason
        assert "有效发明专利权利人“宁波北仑华腾模具有限公司”" in conflict.reason
    # Ended the day before the window: no longer a conflict; a longer rule catches it.
    assert conflicts_between(declared(dt.date(2019, 12, 30)), application, REFERENCE, 3) == []
    assert conflicts_between(declared(dt.date(2019, 12, 30)), application, REFERENCE, 5)


def test_the_period_is_said_in_the_reason():
    expert = ExpertFacts(
        1,
        "王",
        "某大学",
        (Declared("宁波北仑模具产业园区管理委员会", "任职", dt.date(2019, 3, 1)),),
    )
    [conflict] = conflicts_between(expert, _application(OPERATOR), REFERENCE, 3)
    assert "（任职，2019年3月起至今，在3年回避期内）" in conflict.reason
    assert "即该申报的集群运营管理机构" in conflict.reason


def test_the_units_an_application_names():
    data = example_application().model_dump(mode="json")
    units = application_units(data, "宁波市北仑区经济和信息化局")
    roles = {unit.name: unit.role for unit in units}
    assert roles["宁波北仑模具产业园区管理委员会"] == "集群运营管理机构"
    assert roles["宁波北仑华腾模具有限公司"] == "有效发明专利权利人"
    assert roles["浙江省模具产业创新服务综合体"] == "创新平台"
    assert "宁波市北仑区经济和信息化局" in roles
    # A broken form is read as far as it goes, never raises.
    assert application_units({"part1": "x", "part3": {"patents_list": [1, {"holder": 2}]}}) == ()


def test_conflict_map_keys_pairs_and_matches_county_unit():
    applications = [
        _application(OPERATOR, key=1),
        _application(("宁波市北仑区经济和信息化局", "县（市、区）中小企业主管部门"), key=2),
    ]
    experts = [
        ExpertFacts(10, "甲", "北仑区经信局"),
        ExpertFacts(11, "乙", "宁波工程学院"),
    ]
    found = conflict_map(experts, applications, REFERENCE, 3)
    assert set(found) == {(2, 10)}
    assert "县（市、区）中小企业主管部门" in found[(2, 10)][0].reason
