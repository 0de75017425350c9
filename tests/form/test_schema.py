"""The schema carries every official label and accepts exactly what the form holds."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings

from clusterdesk.form.example import EXAMPLE, example_application, example_json
from clusterdesk.form.findings import Level
from clusterdesk.form.loading import ApplicationInputError, application_from_data
from clusterdesk.form.schema import Application
from clusterdesk.form.validation import validate
from tests.form.strategies import applications
from tests.labels import normalise, official_labels


def test_every_attachment2_label_is_in_the_json_schema():
    blob = normalise(json.dumps(Application.model_json_schema(), ensure_ascii=False))
    missing = [label for label in official_labels("attachment-2") if normalise(label) not in blob]
    assert len(official_labels("attachment-2")) > 150
    assert missing == []


def test_label_check_would_catch_a_dropped_label():
    schema = Application.model_json_schema()
    blob = normalise(json.dumps(schema, ensure_ascii=False).replace("制造业单项冠军企业数量", ""))
    assert normalise("制造业单项冠军企业数量") not in blob


def test_field_titles_are_the_official_labels_verbatim():
    fields = Application.model_json_schema()["$defs"]["LeadingIndustry"]["properties"]
    assert fields["total_output"]["title"] == "集群总产值（亿元）"
    assert fields["total_output"]["x-form"]["unit"] == "亿元"
    assert fields["little_giants"]["title"] == "专精特新“小巨人”企业数量"
    assert fields["chain_map"]["x-form"]["evidence"] == "if-yes"
    assert fields["chain_cultivation"]["x-form"]["max_chars"] == 200


def test_schema_lists_instructions_and_data_years():
    schema = Application.model_json_schema()
    assert schema["title"] == "中小企业特色产业集群申报表"
    assert schema["x-instructions"]["title"] == "填报说明"
    assert len(schema["x-instructions"]["items"]) == 11
    assert schema["x-data-years"]["labels"] == ["2020年", "2021年", "2022年"]


def test_empty_draft_is_a_readable_application():
    draft = Application()
    assert draft.part2.total_output == {}
    assert Application.model_validate_json(draft.model_dump_json()) == draft


def test_example_validates_without_errors_or_warnings():
    findings = validate(example_application())
    assert [f for f in findings if f.level != Level.INFO] == []


def test_example_json_round_trip_is_exact():
    data = example_json()
    again = Application.model_validate_json(json.dumps(data, ensure_ascii=False))
    assert again == example_application()
    assert again.model_dump(mode="json") == data
    assert data["part2"]["total_output"]["2021"] == 108.6  # numbers stay JSON numbers


def test_example_is_a_fresh_copy_each_time():
    first = example_application()
    first.part1.cluster_name = "改过的名称"
    assert example_application().part1.cluster_name == EXAMPLE["part1"]["cluster_name"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["part1"].update(surprise=1), "part1.surprise：不是申报表中的栏目"),
        (lambda d: d["part2"]["total_output"].update({"2021": "很多"}), "应为数字"),
        (lambda d: d["part2"]["enterprises"].update({"2021": 1.5}), "应为整数"),
        (lambda d: d["part1"].update(not_prohibited="对"), "应为以下之一"),
        (lambda d: d["cover"].update(declared_on="4月10日"), "应为日期"),
        (lambda d: d["part2"]["total_output"].update({"21": 3}), "格式不正确"),
    ],
)
def test_unreadable_data_names_the_path_and_the_label(change, expected):
    data = example_json()
    change(data)
    with pytest.raises(ApplicationInputError) as caught:
        application_from_data(data, "a.json")
    assert expected in str(caught.value)
    assert "a.json" in str(caught.value)


def test_unreadable_data_message_carries_the_official_label():
    data = example_json()
    data["part2"]["total_output"]["2021"] = "很多"
    with pytest.raises(ApplicationInputError) as caught:
        application_from_data(data)
    assert "part2.total_output.2021「集群总产值（亿元）」" in str(caught.value)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(applications())
def test_generated_applications_round_trip_and_pass_the_validator(application):
    text = application.model_dump_json()
    assert Application.model_validate_json(text) == application
    errors = [f for f in validate(application) if f.level == Level.ERROR]
    assert errors == []
