"""One rule for numbers (form.numbers): a number box holds 无, and a unit typed after the number
is read as the Word import reads it, with a note at the box saying what was changed."""

import json

import pytest

from clusterdesk.declarations.domain.editing import Change, save_changes
from clusterdesk.declarations.domain.forms import findings_of, form_of
from clusterdesk.declarations.models import Application
from clusterdesk.form.numbers import NONE_COUNT, NONE_NUMBER
from tests.factories import make_application

pytestmark = pytest.mark.django_db


def draft(officer):
    return make_application(officer=officer, data={"part1": {"cluster_name": "测试产业集群"}})


def stored(application):
    return Application.objects.get(pk=application.pk)


def test_a_number_box_holds_the_word_none_and_the_required_rule_is_met(county_officer):
    application = draft(county_officer)
    changes = [
        Change("part2.single_champions.2021", "无", None),
        Change("part2.total_output.2021", "无", None),
    ]
    result = save_changes(application, changes, county_officer)
    assert result.invalid == {}
    data = stored(application).data
    assert data["part2"]["single_champions"]["2021"] == "无"
    assert data["part2"]["total_output"]["2021"] == "无"
    form = form_of(stored(application))
    assert form.part2.single_champions["2021"] is NONE_COUNT
    assert form.part2.total_output["2021"] is NONE_NUMBER
    missing = {f.path for f in findings_of(form) if f.rule == "required"}
    assert "part2.single_champions.2021" not in missing
    assert "part2.single_champions.2020" in missing  # still empty: still asked for


def test_the_required_message_asks_for_none_as_the_instructions_do(county_officer):
    form = form_of(draft(county_officer))
    [finding] = [f for f in findings_of(form) if f.path == "part2.total_output.2021"]
    assert "无相关情况时填写“无”" in finding.message
    assert "填写0" not in finding.message


def test_a_unit_typed_into_a_number_box_is_read_and_noted(county_officer):
    application = draft(county_officer)
    changes = [
        Change("part2.total_output.2021", "108.6亿元", None),
        Change("part2.sme_output_share.2021", "36.8%", None),
        Change("part4.software_spending.2021", "0.5亿元", None),  # a 万元 box
        Change("part2.enterprises.2021", "１２０家", None),
    ]
    result = save_changes(application, changes, county_officer)
    assert result.invalid == {}
    part2 = stored(application).data["part2"]
    assert part2["total_output"]["2021"] == 108.6
    assert part2["sme_output_share"]["2021"] == 36.8
    assert part2["enterprises"]["2021"] == 120
    assert stored(application).data["part4"]["software_spending"]["2021"] == 5000
    assert result.normalised["part2.total_output.2021"] == "已按“108.6”保存（去掉单位亿元）"
    assert result.normalised["part4.software_spending.2021"] == (
        "已按“5000”保存（单位亿元换算为万元）"
    )
    assert "全角数字或符号转换为半角" in result.normalised["part2.enterprises.2021"]


def test_a_plain_number_gets_no_note_and_nonsense_is_refused_naming_none(county_officer):
    application = draft(county_officer)
    result = save_changes(
        application,
        [Change("part2.total_output.2021", "108.6", None), Change("part3.patents", "很多", None)],
        county_officer,
    )
    assert result.normalised == {}
    assert result.invalid["part3.patents"].startswith("「集群内中小企业有效发明专利拥有量」")
    assert "无相关情况时填写“无”" in result.invalid["part3.patents"]


def test_the_autosave_answer_carries_the_note_and_the_page_shows_none(client, county_officer):
    application = draft(county_officer)
    client.force_login(county_officer)
    body = {
        "changes": [
            {"path": "part2.total_output.2021", "value": "108.6亿元", "original": None},
            {"path": "part2.enterprises.2021", "value": "无", "original": None},
        ]
    }
    answer = client.post(
        f"/applications/{application.pk}/autosave/",
        json.dumps(body),
        content_type="application/json",
    ).json()
    assert answer["normalised"] == {"part2.total_output.2021": "已按“108.6”保存（去掉单位亿元）"}
    page = client.get(f"/applications/{application.pk}/form/part2/").content.decode()
    # The live check knows the words the save reads: 无 (and its variants) and the units.
    assert 'data-hint-none="无 ' in page
    units = page.split('data-hint-units="')[1].split('"')[0].split(" ")
    assert {"亿元", "万元", "%", "家"} <= set(units)
    box = page.split('id="box-part2.enterprises.2021"')[0].rsplit("<input", 1)[1]
    assert 'value="无"' in box
