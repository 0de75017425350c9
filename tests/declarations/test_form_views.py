"""The web form pages and the autosave door: labels, widgets, saving, and who may see or change."""

import html
import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from clusterdesk.accounts.enums import Role
from clusterdesk.declarations.domain.forms import PAGES
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application
from clusterdesk.form.example import example_application
from tests.factories import (
    make_admin,
    make_application,
    make_city_officer,
    make_county_officer,
    make_round,
    make_user,
)
from tests.labels import normalise, official_labels

pytestmark = pytest.mark.django_db

PAGE_KEYS = [key for key, _ in PAGES]


def page_url(application, page="part2"):
    return f"/applications/{application.pk}/form/{page}/"


def save_url(application):
    return f"/applications/{application.pk}/autosave/"


def post_changes(client, application, *changes):
    body = {"changes": [{"path": p, "value": v, "original": o} for p, v, o in changes]}
    return client.post(save_url(application), json.dumps(body), content_type="application/json")


def text_of(page: str) -> str:
    """What a reader sees: tags out, entities decoded."""
    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture
def application(county_officer):
    return make_application(officer=county_officer)


@pytest.fixture
def blank(county_officer):
    return make_application(officer=county_officer, data={"part1": {"cluster_name": "空白集群"}})


@pytest.fixture
def officer_client(client, county_officer):
    client.force_login(county_officer)
    return client


# --- the pages ------------------------------------------------------------------------------


def test_the_pages_together_carry_every_official_label(officer_client, application):
    seen = ""
    for key in PAGE_KEYS:
        response = officer_client.get(page_url(application, key))
        assert response.status_code == 200, key
        seen += normalise(text_of(response.content.decode()))
    missing = [label for label in official_labels("attachment-2") if normalise(label) not in seen]
    assert missing == []


@pytest.mark.parametrize("key", PAGE_KEYS)
def test_every_page_lists_all_pages_with_their_completeness(officer_client, application, key):
    page = officer_client.get(page_url(application, key)).content.decode()
    assert page.count('class="page-link') == len(PAGES)
    assert 'aria-current="page"' in page
    assert 'id="autosave-status"' in page
    for _, title in PAGES:
        assert title in page
    assert re.search(r'<span class="percent">\d+%</span>', page)


def test_year_columns_units_and_number_boxes(officer_client, application):
    page = officer_client.get(page_url(application, "part2")).content.decode()
    header = re.search(r"<thead>(.*?)</thead>", page, flags=re.S).group(1)
    assert text_of(header).split() == ["主导产业情况（近三年）", "2020年", "2021年", "2022年"]
    cell = re.search(r'<input[^>]*data-path="part2.total_output.2021"[^>]*>', page).group(0)
    assert 'inputmode="decimal"' in cell
    assert 'data-original="108.60"' in cell  # 保留小数点后2位
    assert 'value="108.60"' in cell
    assert 'type="number"' not in page  # the browser would round away a third decimal
    assert '<span class="unit">亿元</span>' in page
    assert '<span class="unit">%</span>' in page
    assert '<span class="unit">家</span>' in page
    counts = re.search(r'<input[^>]*data-path="part2.enterprises.2020"[^>]*>', page).group(0)
    assert 'data-decimals="0"' in counts  # whole things: the live hint asks for an integer
    assert 'data-decimals="2"' in cell  # 填报说明 2, as form.rules says


def test_narratives_count_characters_against_their_limit(officer_client, blank):
    page = officer_client.get(page_url(blank, "part2")).content.decode()
    area = re.search(r'<textarea[^>]*data-path="part2.chain_cultivation"[^>]*>', page).group(0)
    assert 'data-max-chars="200" data-count="non-space"' in area  # as rules.char_count counts
    assert '已输入 <span class="n">0</span> / 200 字' in page


def test_choices_are_radio_buttons_with_the_official_options(officer_client, application):
    page = officer_client.get(page_url(application, "part1")).content.decode()
    options = re.findall(r'name="part1.industry_type" value="([^"]+)"', page)
    assert options == ["第一产业", "第二产业", "第三产业"]
    assert re.search(r'value="第二产业"[^>]*checked', page)
    assert re.findall(r'name="part1.energy_efficiency" value="([^"]+)"', page) == [
        "是",
        "否",
        "不涉及",
    ]


def test_ticks_have_the_evidence_widget_beside_them(officer_client, application):
    page = officer_client.get(page_url(application, "part2")).content.decode()
    ticked = 'data-evidence-for="part2.resource_sharing_work.integrated_mechanism"'
    unticked = 'data-evidence-for="part2.resource_sharing_work.shared_workshops"'
    assert re.search(ticked + r' data-evidence-when="ticked">', page)
    assert re.search(unticked + r' data-evidence-when="ticked" hidden>', page)
    box = re.search(r'<input type="checkbox"[^>]*shared_manufacturing"[^>]*>', page).group(0)
    assert 'data-original="true"' in box
    assert "checked" in box
    # A 是 that needs evidence shows the widget too.
    assert 'data-evidence-for="part2.chain_map" data-evidence-when="is:是">' in page
    # Only boxes carry data-path (autosave.js and the browser tests select by it); the widget
    # names its item with data-evidence-path.
    assert 'data-evidence-path="part2.chain_map"' in page
    for element in re.findall(r'<[^>]*data-path="part2.chain_map"[^>]*>', page):
        assert "data-kind=" in element


def test_part3_has_the_standards_grid_platforms_and_lists(officer_client, application):
    page = officer_client.get(page_url(application, "part3")).content.decode()
    assert 'data-path="part3.standards.2022.group.joined"' in page
    assert 'data-path="part3.platforms.national.count"' in page
    names = re.search(
        r'<textarea[^>]*data-path="part3.platforms.provincial.names"[^>]*>(.*?)</textarea>',
        page,
        flags=re.S,
    )
    assert names.group(1).splitlines()[0] == "浙江省模具产业创新服务综合体"
    patents = re.search(r'<table[^>]*data-path="part3.patents_list"[^>]*>', page).group(0)
    assert 'data-kind="list"' in patents
    original = json.loads(html.unescape(re.search(r"data-original='([^']*)'", patents).group(1)))
    assert len(original) == len(application.data["part3"]["patents_list"])
    assert "从 Excel 粘贴多行" in page
    assert "添加一行" in page


def test_list_rows_are_escaped_and_keep_their_choices(client):
    data = example_application().model_dump(mode="json")
    data["part3"]["patents_list"] = [
        {"kind": "国防专利", "title": '<script>alert("x")</script> & 模具', "number": None},
        {"kind": "发明专利", "title": "一种压铸模具", "number": "ZL 2021 1 0000001.2"},
    ]
    application = make_application(data=data)
    client.force_login(application.created_by)
    page = client.get(page_url(application, "part3")).content.decode()
    table = re.search(r'<table[^>]*data-path="part3.patents_list".*?</table>', page, re.S).group(0)
    rows = re.findall(r'<tr class="list-item">.*?</tr>', table, re.S)
    assert len(rows) == 2
    assert "<script>" not in table
    assert 'value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 模具"' in rows[0]
    assert '<option value="国防专利" selected>' in rows[0]
    assert '<option value="发明专利" selected>' in rows[1]
    assert 'aria-label="删除第2行"' in rows[1]
    patents_row = page[page.index('data-row="part3.patents_list"') :]
    blank = re.search(r'<template class="list-blank-row">(.*?)</template>', patents_row, re.S)
    blank = blank.group(1)
    assert blank.count("<td>") == 4  # one box per column
    assert " selected" not in blank

    city = make_city_officer()
    client.force_login(city)
    readonly = client.get(page_url(application, "part3")).content.decode()
    table = re.search(r'<table[^>]*data-path="part3.patents_list".*?</table>', readonly, re.S)
    # Read-only, a row is its values as text (compact: no boxes to disable).
    assert "<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 模具</td>" in table.group(0)
    assert "<td>国防专利</td>" in table.group(0)
    assert "<input" not in table.group(0)
    assert "remove-row" not in table.group(0)


def test_part8_has_the_targets_table_and_the_total_count(officer_client, application):
    page = officer_client.get(page_url(application, "part8")).content.decode()
    table = re.search(r'<table class="grid targets-table">.*?</table>', page, flags=re.S).group(0)
    headers = re.findall(r"<th scope=\"col\">([^<]+)</th>", table)
    assert headers == ["方向", "指标", "2022年基准值", "2025年目标值"]
    assert 'data-path="part8.goals.targets.output_growth.target"' in table
    assert 'data-path="part8.goals.targets.extra"' in page
    assert re.search(r'data-total-limit="3000">本部分合计 已输入 <span class="n">\d+</span>', page)


def test_findings_are_shown_at_their_field(officer_client, application):
    data = application.data
    data["part2"]["total_output"]["2022"] = 121.805
    Application.objects.filter(pk=application.pk).update(data=data)
    page = officer_client.get(page_url(application, "part2")).content.decode()
    holder = re.search(
        r'<ul class="field-findings" data-for="part2.total_output"[^>]*>(.*?)</ul>', page, re.S
    )
    assert "保留小数点后2位" in holder.group(1)
    assert 'class="finding error rule-decimals"' in holder.group(1)


def test_empty_boxes_of_one_table_make_one_line(officer_client, blank):
    page = officer_client.get(page_url(blank, "part3")).content.decode()
    holder = re.search(
        r'<ul class="field-findings" data-for="part3.standards"[^>]*>(.*?)</ul>', page, re.S
    ).group(1)
    assert holder.count("<li") == 1
    assert "有24处必填项未填写" in holder


def test_an_unknown_page_is_not_found(officer_client, application):
    assert officer_client.get(page_url(application, "part10")).status_code == 404


def test_the_form_starts_at_the_cover(officer_client, application):
    response = officer_client.get(f"/applications/{application.pk}/form/")
    assert response.status_code == 302
    assert response.url == page_url(application, "cover")


def test_the_cover_shows_the_instructions(officer_client, application):
    page = officer_client.get(page_url(application, "cover")).content.decode()
    assert "填报说明" in page
    assert "数据有小数时，保留小数点后2位" in page


def test_the_static_files_are_found():
    assert finders.find("clusterdesk/autosave.js")
    assert finders.find("clusterdesk/autosave-queue.js")
    assert finders.find("clusterdesk/form-live.js")
    assert finders.find("clusterdesk/form.css")


# --- autosave -------------------------------------------------------------------------------


def post_from_page(client, application, page, *changes):
    """As the page posts: its key with the changes, so that the answer renders its parts."""
    body = {
        "page": page,
        "changes": [{"path": p, "value": v, "original": o} for p, v, o in changes],
    }
    return client.post(save_url(application), json.dumps(body), content_type="application/json")


def test_autosave_applies_and_answers_findings_and_progress(officer_client, blank):
    response = post_from_page(
        officer_client, blank, "part2", ("part2.total_output.2021", "108.605", "")
    )
    assert response.status_code == 200
    body = response.json()
    assert body["applied"] == ["part2.total_output.2021"]
    assert body["version"] == blank.version + 1
    assert body["conflicts"] == []
    assert body["invalid"] == {}
    holder = re.search(
        r'<ul class="field-findings" data-for="part2.total_output" id="findings-part2.total_output"'
        r"[^>]*>(.*?)</ul>",
        body["html"],
        re.S,
    ).group(1)
    # Each line has an id, which the boxes it names point at (aria-describedby).
    decimals = (
        r'class="finding error rule-decimals" id="finding-part2\.total_output-\d+"'
        r' data-paths="part2\.total_output\.2021">'
    )
    assert re.search(decimals, holder)
    assert "保留小数点后2位" in holder
    nav = re.search(r'<nav class="form-pages" id="form-pages".*?</nav>', body["html"], re.S)
    assert re.findall(r'<li class="page-link[^"]*" data-page="([^"]+)"', nav.group(0)) == PAGE_KEYS
    assert 'aria-current="page">二、主导产业情况</a>' in nav.group(0)
    assert re.search(r'title="必填项已填 \d+ / \d+"', nav.group(0))
    assert re.search(r'<span class="percent">\d+%</span>', nav.group(0))
    assert re.search(r'<span class="errors">\d+ 处错误</span>', nav.group(0))
    stored = Application.objects.get(pk=blank.pk)
    assert stored.data["part2"]["total_output"]["2021"] == 108.605


@pytest.mark.parametrize("key", PAGE_KEYS)
def test_the_answer_replaces_what_the_page_shows(officer_client, application, key):
    """Each findings list, the page list and the part's total come back with the page's ids."""
    page = officer_client.get(page_url(application, key)).content.decode()
    body = post_from_page(officer_client, application, key).json()
    ids = re.compile(
        r'<(?:ul class="field-findings"|nav|div class="char-count total)[^>]* id="([^"]+)"'
    )
    # Within the form: the site's header (its menu's nav) is not part of the answer.
    on_page = ids.findall(page.split('id="application-form"', 1)[1])
    assert len(on_page) == len(set(on_page))  # each replaces one element
    assert set(ids.findall(body["html"])) == set(on_page)
    assert body["applied"] == []


def test_autosave_without_a_page_answers_no_html(officer_client, blank):
    response = post_changes(officer_client, blank, ("part1.operator", "甲", ""))
    assert response.json()["html"] == ""
    refused = post_from_page(officer_client, blank, "part10", ("part1.operator", "乙", "甲"))
    assert refused.status_code == 400
    assert "page" in refused.json()["error"]


def test_the_page_carries_the_hint_texts_of_the_core(officer_client, application):
    page = officer_client.get(page_url(application, "part2")).content.decode()
    root = re.search(r'<div id="application-form"[^>]*>', page).group(0)
    # What a save answers for 约120, with the 填报说明's 无 for a box with nothing to report.
    assert 'data-hint-number="应为数字；无相关情况时填写“无”"' in root
    assert 'data-hint-integer="应为整数；无相关情况时填写“无”"' in root
    assert 'data-hint-decimals="数据有小数时应保留小数点后2位（填报说明第2条）' in root


def test_autosave_reports_a_conflict_in_the_body(officer_client, blank, county_officer):
    colleague = make_county_officer(organisation=county_officer.organisation)
    other = Client()
    other.force_login(colleague)
    post_changes(other, blank, ("part1.operator", "甲管委会", ""))
    response = post_changes(officer_client, blank, ("part1.operator", "乙管委会", ""))
    assert response.status_code == 200
    assert response.json()["conflicts"] == [
        {"path": "part1.operator", "yours": "乙管委会", "theirs": "甲管委会"}
    ]


def test_autosave_keeps_an_invalid_value_out(officer_client, blank):
    response = post_changes(officer_client, blank, ("part2.enterprises.2021", "约120", ""))
    body = response.json()
    assert body["applied"] == []
    assert body["invalid"]["part2.enterprises.2021"].startswith("「集群企业数量」·2021年：应为整数")
    assert "part2" not in Application.objects.get(pk=blank.pk).data  # nothing was written


def test_autosave_refuses_a_malformed_body(officer_client, blank):
    response = officer_client.post(save_url(blank), "not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["error"]
    response = officer_client.post(save_url(blank), "{}", content_type="application/json")
    assert response.status_code == 400


def test_autosave_needs_the_csrf_header(county_officer, blank):
    client = Client(enforce_csrf_checks=True)
    client.force_login(county_officer)
    client.get(page_url(blank, "part1"))  # sets the CSRF cookie
    body = json.dumps({"changes": [{"path": "part1.operator", "value": "甲", "original": ""}]})
    refused = client.post(save_url(blank), body, content_type="application/json")
    assert refused.status_code == 403
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        save_url(blank), body, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 200


def test_autosave_only_by_post(officer_client, blank):
    assert officer_client.get(save_url(blank)).status_code == 405


# --- who may see and who may change ---------------------------------------------------------


def is_editable(page: str) -> bool:
    return "clusterdesk/autosave.js" in page and "disabled" not in page


def test_anonymous_is_sent_to_login_and_autosave_answers_401(client, application):
    response = client.get(page_url(application))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")
    saved = post_changes(client, application, ("part1.operator", "甲", ""))
    assert saved.status_code == 401
    assert saved.json()["error"] == "登录已过期，请在新窗口重新登录后自动保存"


def test_own_county_officer_edits(officer_client, application):
    page = officer_client.get(page_url(application)).content.decode()
    assert is_editable(page)
    assert f'data-autosave-url="/applications/{application.pk}/autosave/"' in page


def test_another_county_sees_nothing(client, application):
    client.force_login(make_county_officer())
    assert client.get(page_url(application)).status_code == 404
    assert client.get(f"/applications/{application.pk}/form/").status_code == 404
    assert post_changes(client, application, ("part1.operator", "甲", "")).status_code == 404
    missing = Application.objects.order_by("-pk").first().pk + 1000
    assert client.get(f"/applications/{missing}/form/part1/").status_code == 404


@pytest.mark.parametrize("make", [make_city_officer, make_admin])
def test_city_officer_and_admin_read_only(client, application, make):
    client.force_login(make())
    response = client.get(page_url(application))
    page = response.content.decode()
    assert response.status_code == 200
    assert not is_editable(page)
    assert "clusterdesk/autosave.js" not in page
    assert 'data-state="readonly"' in page
    assert "只有本单位的区县经信部门可以修改该申报" in page
    saved = post_changes(client, application, ("part1.operator", "甲", ""))
    assert saved.status_code == 403
    assert saved.json()["error"] == "只有本单位的区县经信部门可以修改该申报。"


def test_expert_sees_nothing_yet(client, application):
    client.force_login(make_user(Role.EXPERT))
    assert client.get(page_url(application)).status_code == 404
    assert post_changes(client, application, ("part1.operator", "甲", "")).status_code == 404


def test_submitted_application_is_read_only(officer_client, county_officer):
    submitted = make_application(officer=county_officer, path=(ApplicationState.SUBMITTED,))
    page = officer_client.get(page_url(submitted)).content.decode()
    assert not is_editable(page)
    assert "已提交" in page
    saved = post_changes(officer_client, submitted, ("part1.operator", "甲", ""))
    assert saved.status_code == 403
    assert "不能修改" in saved.json()["error"]


def test_page_queries_do_not_grow_with_the_number_of_applications(officer_client, application):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert officer_client.get(page_url(application, "part3")).status_code == 200
        return len(queries)

    count()  # the first reading of a version renders it (and loads the form's JSON for that)
    few = count()
    round_ = make_round()
    for _ in range(50):
        make_application(round_=round_, data={})
    assert count() == few
    assert few <= 8


def test_every_input_has_the_anchor_the_self_check_links_to(client):
    application = make_application()
    client.force_login(application.created_by)
    html = client.get(f"/applications/{application.pk}/form/part2/").content.decode()
    assert 'id="field-part2.total_output.2021"' in html
    assert 'id="field-part2.resource_sharing_work.shared_workshops"' in html


def test_numbers_with_decimals_show_two_places_and_a_third_is_kept(client):
    application = make_application()
    data = application.data
    data["part2"]["total_output"].update({"2020": 92.4, "2021": 108.605, "2022": 121})
    application.data = data
    application.save()
    client.force_login(application.created_by)
    html = client.get(f"/applications/{application.pk}/form/part2/").content.decode()
    assert 'data-path="part2.total_output.2020" data-kind="number" data-original="92.40"' in html
    assert 'value="108.605"' in html
    assert 'data-original="121"' in html
