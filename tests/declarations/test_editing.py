"""The door for changing a form: merge, conflicts, refused values, who may edit, what is stored."""

import pytest

from clusterdesk.declarations.domain.editing import (
    Change,
    Conflict,
    EditRefused,
    edit_refusal,
    replace_form,
    save_changes,
)
from clusterdesk.declarations.domain.evidence_register import add_evidence, remove_evidence
from clusterdesk.declarations.domain.form_paths import editable_paths
from clusterdesk.declarations.domain.forms import findings_of, form_of
from clusterdesk.declarations.domain.values import same
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application
from clusterdesk.evidence.models import Blob, Upload
from clusterdesk.form.attachment2 import ATTACHMENT2_2023
from clusterdesk.form.example import example_application
from clusterdesk.form.schema import Application as Form
from tests.factories import make_admin, make_application, make_city_officer, make_county_officer

pytestmark = pytest.mark.django_db

SHA = "a" * 64


def draft(officer):
    """A draft with only its name filled in, so that every change below is a real change."""
    return make_application(officer=officer, data={"part1": {"cluster_name": "测试产业集群"}})


def stored(application):
    return Application.objects.get(pk=application.pk)


def test_a_change_is_applied_and_the_version_increments(county_officer):
    application = draft(county_officer)
    before = application.version
    result = save_changes(
        application, [Change("part2.total_output.2021", "108.60", None)], county_officer
    )
    assert result.applied == ["part2.total_output.2021"]
    assert (result.conflicts, result.invalid) == ([], {})
    assert result.version == before + 1 == stored(application).version
    assert result.previous_version == before
    assert stored(application).data["part2"]["total_output"]["2021"] == 108.6


def test_stored_json_is_the_canonical_json_of_the_core(county_officer):
    application = draft(county_officer)
    save_changes(application, [Change("part2.enterprises.2020", "120", None)], county_officer)
    data = stored(application).data
    assert data == Form.model_validate(data).model_dump(mode="json")
    assert data["part2"]["enterprises"]["2020"] == 120  # a number, not the string typed
    assert data["part1"]["cluster_name"] == "测试产业集群"  # the rest of the form is kept
    assert "part9" in data  # every field present


def test_a_retried_change_is_applied_without_a_new_version(county_officer):
    application = draft(county_officer)
    change = Change("part1.operator", "宁波模具产业园区管委会", "")
    first = save_changes(application, [change], county_officer)
    again = save_changes(application, [change], county_officer)
    assert again.applied == ["part1.operator"]
    assert again.version == first.version


def test_someone_else_changed_the_same_field_is_a_conflict(county_officer):
    application = draft(county_officer)
    colleague = make_county_officer(organisation=county_officer.organisation)
    save_changes(application, [Change("part1.operator", "甲管委会", None)], colleague)

    stale = Application.objects.get(pk=application.pk)
    result = save_changes(stale, [Change("part1.operator", "乙管委会", None)], county_officer)
    assert result.applied == []
    assert result.conflicts == [Conflict("part1.operator", "乙管委会", "甲管委会")]
    assert stored(application).data["part1"]["operator"] == "甲管委会"  # never overwritten


def test_changes_to_other_fields_merge(county_officer):
    application = draft(county_officer)
    colleague = make_county_officer(organisation=county_officer.organisation)
    save_changes(application, [Change("part1.operator", "甲管委会", None)], colleague)
    # The second tab still shows the old operator, but changes another field only.
    result = save_changes(application, [Change("part1.area_km2", "12.5", None)], county_officer)
    assert result.applied == ["part1.area_km2"]
    part1 = stored(application).data["part1"]
    assert (part1["operator"], part1["area_km2"]) == ("甲管委会", 12.5)


def test_an_invalid_number_is_kept_out_with_a_chinese_message(county_officer):
    application = draft(county_officer)
    version = application.version
    result = save_changes(
        application,
        [
            Change("part2.enterprises.2021", "十二", None),
            Change("part2.total_output.2021", "abc", None),
            Change("part1.area_km2", "3.5", None),
        ],
        county_officer,
    )
    assert result.applied == ["part1.area_km2"]
    assert result.invalid["part2.enterprises.2021"].startswith("「集群企业数量」·2021年：应为整数")
    assert "应为数字" in result.invalid["part2.total_output.2021"]
    data = stored(application).data
    assert data["part2"]["enterprises"] == {}
    assert data["part2"]["total_output"] == {}
    assert stored(application).version == version + 1


def test_a_batch_of_changes_is_validated_once_not_once_per_change(county_officer, monkeypatch):
    # A pasted page sends ~100 changes; validating the form after each took seconds.
    application = draft(county_officer)
    changes = [
        Change(f"part2.{name}.{year}", str(10 + index), None)
        for index, (name, year) in enumerate(
            (name, year)
            for name in ("enterprises", "smes", "total_output", "leading_output_growth")
            for year in ("2020", "2021", "2022")
        )
    ]
    calls = []
    validate = Form.model_validate
    monkeypatch.setattr(Form, "model_validate", lambda data: calls.append(1) or validate(data))
    result = save_changes(application, changes, county_officer)
    assert result.applied == [change.path for change in changes]
    assert len(calls) <= 3  # the stored form, the batch, the canonical JSON to store


def test_a_fraction_is_refused_for_a_count(county_officer):
    application = draft(county_officer)
    result = save_changes(application, [Change("part3.patents", "12.5", None)], county_officer)
    assert "应为整数" in result.invalid["part3.patents"]


def test_three_decimals_are_stored_as_typed_and_reported_by_the_rule(county_officer):
    application = draft(county_officer)
    result = save_changes(
        application, [Change("part2.total_output.2022", "108.605", None)], county_officer
    )
    assert result.applied == ["part2.total_output.2022"]
    assert stored(application).data["part2"]["total_output"]["2022"] == 108.605  # not rounded
    findings = findings_of(form_of(stored(application)))
    decimals = [f for f in findings if f.rule == "decimals"]
    assert [f.path for f in decimals] == ["part2.total_output.2022"]
    assert "保留小数点后2位" in decimals[0].message


def test_typed_separators_and_full_width_digits_are_read_as_the_number(county_officer):
    application = draft(county_officer)
    result = save_changes(
        application, [Change("part2.total_output.2020", "1,234．５", None)], county_officer
    )
    assert result.applied == ["part2.total_output.2020"]
    assert stored(application).data["part2"]["total_output"]["2020"] == 1234.5


def test_text_that_looks_like_a_number_is_compared_as_text(county_officer):
    application = draft(county_officer)
    save_changes(application, [Change("part1.department_phone", "5741234", None)], county_officer)
    result = save_changes(
        application, [Change("part1.department_phone", "05741234", "5741234")], county_officer
    )
    assert result.applied == ["part1.department_phone"]
    assert stored(application).data["part1"]["department_phone"] == "05741234"


def test_numbers_are_compared_as_numbers():
    assert same("108.60", 108.6)
    assert same("", None)
    assert not same("0574", "574", numeric=False)
    assert same([{"year": "2021", "code": ""}], [{"year": 2021, "code": None}])


def test_blank_clears_a_field(county_officer):
    application = draft(county_officer)
    save_changes(application, [Change("part1.operator", "甲管委会", None)], county_officer)
    save_changes(application, [Change("part1.operator", "  ", "甲管委会")], county_officer)
    assert stored(application).data["part1"]["operator"] is None


def test_lists_and_platform_names_are_edited_as_a_whole(county_officer):
    application = draft(county_officer)
    rows = [
        {
            "kind": "发明专利",
            "title": "一种模具冷却结构",
            "number": "ZL2021100000001",
            "holder": "",
        },
    ]
    result = save_changes(
        application,
        [
            Change("part3.patents_list", rows, []),
            Change("part3.platforms.national.names", ["国家模具创新中心"], []),
            Change("part3.standards.2021.national.led", "2", None),
        ],
        county_officer,
    )
    assert result.invalid == {}
    part3 = stored(application).data["part3"]
    assert part3["patents_list"][0]["holder"] is None
    assert part3["platforms"]["national"]["names"] == ["国家模具创新中心"]
    assert part3["standards"]["2021"]["national"]["led"] == 2


def test_an_incomplete_list_row_names_its_row_and_column(county_officer):
    application = draft(county_officer)
    rows = [{"year": 2021, "category": "国家", "role": "主持", "name": "  "}]
    result = save_changes(application, [Change("part3.standards_list", rows, [])], county_officer)
    message = result.invalid["part3.standards_list"]
    assert message.startswith("「标准清单」·第1行·「标准名称」")


def test_a_list_edited_again_from_the_same_page_is_no_conflict(county_officer):
    # The page sends a 清单 row as typed ("2020"); the store keeps the core's JSON (2020). The
    # next edit names what the page sent as its original: the same rows, not someone else's.
    application = draft(county_officer)
    row = {"year": "2020", "category": "国家", "role": "参与", "name": "模具标准", "code": "GB 1"}
    first = save_changes(application, [Change("part3.standards_list", [row], [])], county_officer)
    assert first.applied == ["part3.standards_list"]
    more = [row, {**row, "year": "2021", "code": "GB 2"}]
    result = save_changes(
        application, [Change("part3.standards_list", more, [row])], county_officer
    )
    assert (result.applied, result.conflicts) == (["part3.standards_list"], [])
    assert [r["year"] for r in stored(application).data["part3"]["standards_list"]] == [2020, 2021]


def test_a_list_changed_by_someone_else_is_still_a_conflict(county_officer):
    application = draft(county_officer)
    row = {"year": "2020", "category": "国家", "role": "参与", "name": "模具标准", "code": "GB 1"}
    save_changes(application, [Change("part3.standards_list", [row], [])], county_officer)
    theirs = [{**row, "year": "2021"}]
    save_changes(application, [Change("part3.standards_list", theirs, [row])], county_officer)
    mine = [{**row, "name": "另一标准"}]
    result = save_changes(
        application, [Change("part3.standards_list", mine, [row])], county_officer
    )
    assert result.applied == []
    assert [c.path for c in result.conflicts] == ["part3.standards_list"]


def test_an_unknown_path_is_refused_alone(county_officer):
    application = draft(county_officer)
    result = save_changes(
        application,
        [Change("part1.no_such_field", "x", None), Change("part1.operator", "甲", None)],
        county_officer,
    )
    assert result.applied == ["part1.operator"]
    assert "不是申报表中可填写的栏目" in result.invalid["part1.no_such_field"]


def test_editable_paths_name_cells_not_columns():
    paths = editable_paths(ATTACHMENT2_2023)
    assert "part2.total_output.2021" in paths
    assert "part2.total_output" not in paths
    assert "part3.standards.2021" not in paths
    assert "part3.standards.2021.group.joined" in paths
    assert "part3.platforms.other.names" in paths
    assert "part2" not in paths


def test_another_county_may_not_edit(county_officer):
    application = draft(county_officer)
    other = make_county_officer()
    assert "本单位" in edit_refusal(application, other)
    with pytest.raises(EditRefused, match="只有本单位的区县经信部门可以修改该申报"):
        save_changes(application, [Change("part1.operator", "甲", None)], other)
    assert stored(application).data["part1"].get("operator") is None


@pytest.mark.parametrize("make_user", [make_city_officer, make_admin])
def test_city_officer_and_admin_do_not_edit(county_officer, make_user):
    application = draft(county_officer)
    assert edit_refusal(application, make_user())


def test_a_submitted_application_is_not_edited(county_officer):
    application = make_application(officer=county_officer, path=(ApplicationState.SUBMITTED,))
    assert "已提交" in edit_refusal(application, county_officer)
    with pytest.raises(EditRefused, match="不能修改"):
        save_changes(application, [Change("part1.operator", "甲", None)], county_officer)


def test_a_returned_application_is_edited_again(county_officer):
    application = make_application(
        officer=county_officer,
        path=(
            ApplicationState.SUBMITTED,
            ApplicationState.UNDER_REVIEW,
            ApplicationState.RETURNED,
        ),
    )
    assert edit_refusal(application, county_officer) is None


def test_the_refusal_is_checked_against_the_stored_state(county_officer):
    application = draft(county_officer)
    Application.objects.filter(pk=application.pk).update(state=ApplicationState.SUBMITTED)
    with pytest.raises(EditRefused):  # the object in memory still says draft
        save_changes(application, [Change("part1.operator", "甲", None)], county_officer)


def test_inactive_user_may_not_edit(county_officer):
    application = draft(county_officer)
    county_officer.is_active = False
    assert edit_refusal(application, county_officer) == "您的账户已停用。"


def given(application, officer, name="共享车间证明.pdf", sha256=SHA, size=1024):
    """A file uploaded to ``application`` (its Upload), without going through the store."""
    blob, _ = Blob.objects.get_or_create(
        sha256=sha256, defaults={"size": size, "kind": "pdf", "content_type": "application/pdf"}
    )
    return Upload.objects.create(application=application, blob=blob, name=name, uploaded_by=officer)


def test_evidence_is_registered_once_and_removed(county_officer):
    application = draft(county_officer)
    path = "part2.resource_sharing_work.shared_workshops"
    upload = given(application, county_officer)
    first = add_evidence(application, path, upload, county_officer)
    assert add_evidence(application, path, upload, county_officer) == first  # no duplicate
    file = {"name": "共享车间证明.pdf", "sha256": SHA, "size": 1024}
    assert stored(application).data["evidence"][path] == [file]
    remove_evidence(application, path, SHA, county_officer)
    assert path not in stored(application).data["evidence"]


def test_evidence_only_against_a_field(county_officer):
    application = draft(county_officer)
    with pytest.raises(EditRefused, match="不是申报表中的栏目"):
        add_evidence(application, "part2", given(application, county_officer), county_officer)


def test_replace_form_keeps_the_evidence(county_officer):
    application = draft(county_officer)
    path = "part2.chain_map"
    add_evidence(application, path, given(application, county_officer, "图谱.pdf"), county_officer)
    form = example_application()  # its register names other files under the same item
    replace_form(application, form, county_officer)
    data = stored(application).data
    assert data["part1"]["cluster_name"] == form.part1.cluster_name
    assert data["evidence"] == {path: [{"name": "图谱.pdf", "sha256": SHA, "size": 1024}]}
