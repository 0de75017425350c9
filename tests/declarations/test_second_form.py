"""An application whose round uses another form runs through the web side unchanged: editable
paths, the editing door (merge, conflicts, refusals), findings, progress, the pages, autosave and
the history all take the form from the round, with no machinery written for the toy 年度报告."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from clusterdesk.declarations.domain.editing import Change, save_changes
from clusterdesk.declarations.domain.form_paths import editable_paths
from clusterdesk.declarations.domain.forms import (
    field_findings,
    findings_of,
    form_definition,
    form_of,
    progress,
)
from clusterdesk.declarations.models import Application
from clusterdesk.form import registry
from clusterdesk.form.attachment2 import ATTACHMENT2_2023
from tests.factories import make_application, make_round
from tests.form.second_form import ANNUAL_REPORT, AnnualReport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def annual_report():
    registry.register(ANNUAL_REPORT)
    yield ANNUAL_REPORT
    registry.unregister(ANNUAL_REPORT)


@pytest.fixture
def report(county_officer):
    round_ = make_round(
        form_version=ANNUAL_REPORT.key,
        first_data_year=2022,
        last_data_year=2023,
        reference_date=dt.date(2023, 12, 31),
    )
    return make_application(round_=round_, officer=county_officer, data={})


def stored(application: Application) -> dict:
    return Application.objects.get(pk=application.pk).data


def test_the_round_says_which_form_the_application_holds(report):
    assert form_definition(report) is ANNUAL_REPORT
    assert isinstance(form_of(report), AnnualReport)


def test_editable_paths_are_the_boxes_of_the_second_form():
    assert editable_paths(ANNUAL_REPORT) == {
        "basics.cluster_name",
        "basics.contact",
        "basics.summary",
        "figures.output.2022",
        "figures.output.2023",
        "figures.enterprises",
        "figures.certified",
        "members.members",
    }
    assert "part1.cluster_name" in editable_paths(ATTACHMENT2_2023)


def test_changes_merge_and_stale_ones_are_conflicts(report, county_officer):
    first = save_changes(
        report,
        [Change("basics.cluster_name", "测试集群"), Change("figures.output.2022", "10.50")],
        county_officer,
    )
    assert first.applied == ["basics.cluster_name", "figures.output.2022"]
    # A second tab that still shows the empty form: its name is a conflict, its contact merges,
    # and 10.50 against the stored 10.5 is the same number, not a conflict.
    second = save_changes(
        report,
        [
            Change("basics.cluster_name", "别的集群", original=None),
            Change("basics.contact", "李四", original=None),
            Change("figures.output.2022", "11", original="10.50"),
        ],
        county_officer,
    )
    assert second.applied == ["basics.contact", "figures.output.2022"]
    assert [(c.path, c.yours, c.theirs) for c in second.conflicts] == [
        ("basics.cluster_name", "别的集群", "测试集群")
    ]
    data = stored(report)
    assert data["form_version"] == "toy-2024"  # stored canonically, as the form says
    assert data["basics"] == {"cluster_name": "测试集群", "contact": "李四", "summary": None}
    assert data["figures"]["output"] == {"2022": 11}
    assert report.version == second.version == 3


def test_a_list_is_stored_as_its_rows_so_a_second_edit_is_no_conflict(report, county_officer):
    rows = [{"name": "甲公司", "staff": "30"}]
    save_changes(report, [Change("members.members", rows, original=[])], county_officer)
    assert stored(report)["members"]["members"] == [{"name": "甲公司", "staff": 30}]
    more = [*rows, {"name": "乙公司", "staff": ""}]
    again = save_changes(report, [Change("members.members", more, original=rows)], county_officer)
    assert again.conflicts == []
    assert [row["name"] for row in stored(report)["members"]["members"]] == ["甲公司", "乙公司"]


def test_refusals_name_the_boxes_of_the_second_form(report, county_officer):
    result = save_changes(
        report,
        [
            Change("part1.cluster_name", "模具集群"),  # a box of Attachment 2, not of this form
            Change("figures.enterprises", "很多"),
            Change("basics.contact", "王五"),
        ],
        county_officer,
    )
    assert result.applied == ["basics.contact"]
    assert result.invalid["part1.cluster_name"] == "不是申报表中可填写的栏目，未保存"
    assert result.invalid["figures.enterprises"].startswith("「重点企业数量」：应为整数")


def test_findings_and_progress_follow_the_second_form(report, county_officer):
    form = form_of(report)
    findings = findings_of(form)
    assert field_findings(report, form) == findings  # no criteria profile checks in this form
    assert {f.path for f in findings if f.rule == "required"} >= {"basics.cluster_name"}
    pages = progress(form, findings, ANNUAL_REPORT)
    assert [(p.page, p.title, p.filled, p.required) for p in pages] == [
        ("info", "基本信息", 0, 3),
        ("figures", "年度数据与重点企业", 0, 3),
    ]
    changes = [Change("basics.cluster_name", "测试集群"), Change("basics.contact", "张三")]
    changes.append(Change("basics.summary", "无"))
    save_changes(report, changes, county_officer)
    form = form_of(report)
    info, figures = progress(form, findings_of(form))
    assert (info.filled, info.required, info.complete) == (3, 3, True)
    assert (figures.errors, figures.complete) == (3, False)


def test_the_pages_show_the_second_forms_labels(client, report, county_officer):
    client.force_login(county_officer)
    base = f"/applications/{report.pk}/form/"
    assert client.get(base).url == f"{base}info/"
    info = client.get(f"{base}info/").content.decode()
    for text in ("年度报告", "基本信息", "集群名称", "年度工作总结", 'data-path="basics.contact"'):
        assert text in info
    assert "中小企业特色产业集群申报表" not in info
    assert info.count('class="page-link') == 2
    figures = client.get(f"{base}figures/").content.decode()
    for text in (
        "二、年度数据",
        "三、重点企业",  # two sections on one page, each under its heading
        "集群年度总产值（亿元）",
        "2022年",
        "2023年",
        'data-path="figures.output.2023"',
        "重点企业清单",
        "企业名称",
        "集群通过了区域品牌认证",
        'data-evidence-for="figures.certified"',
    ):
        assert text in figures, text
    assert "2021年" not in figures
    assert client.get(f"{base}part2/").status_code == 404  # a page of Attachment 2


def test_autosave_and_history_work_on_the_second_form(client, report, county_officer):
    client.force_login(county_officer)
    body = {"changes": [{"path": "basics.cluster_name", "value": "测试集群", "original": ""}]}
    response = client.post(
        f"/applications/{report.pk}/autosave/", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["applied"] == ["basics.cluster_name"]
    assert stored(report)["basics"]["cluster_name"] == "测试集群"
    history = client.get(f"/applications/{report.pk}/history/").content.decode()
    assert "集群名称" in history
