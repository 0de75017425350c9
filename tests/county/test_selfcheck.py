import html
import re
from decimal import Decimal

import pytest

from clusterdesk.declarations.domain.editing import replace_form
from clusterdesk.form.example import example_application
from tests.declarations.county_world import ROLES, assert_login_redirect, client_for, make_world
from tests.factories import make_application, make_county_officer

pytestmark = pytest.mark.django_db


def test_a_complete_application_shows_no_errors_and_the_criteria_aspect_by_aspect(client):
    world = make_world()
    app = world.application
    page = client_for(client, world, "own").get(f"/county/applications/{app.pk}/check/")
    page = page.content.decode()
    assert '<strong class="error">0</strong> 处错误' in page
    assert "认定标准预检" in page
    for aspect in ("具有较强核心竞争力", "优质中小企业梯度培育成效显著", "具有较强治理和服务能力"):
        assert aspect in page
    for status in ("达标", "需专家评议", "未评估"):
        assert f'class="status status-{status}"' in page
    assert "近三年集群总产值每年均不低于40亿元" in page
    assert "2022年 121.80" in page  # the figure the rule compared
    # The 2025 targets, rules a–g of the notice.
    assert "2025年目标值检查" in page
    for rule in ("产值年均增速不低于10%", "二氧化碳排放量降低达到18%左右"):
        assert rule in page
    assert f"/county/applications/{app.pk}/submit/" in page


def test_findings_are_grouped_by_part_and_link_to_their_field(client):
    officer = make_county_officer()
    form = example_application()
    form.part1.operator = None
    form.part8.goals.targets.output_growth.target = (
        form.part8.goals.targets.output_growth.target / 2
    )
    app = make_application(officer=officer)
    replace_form(app, form, officer)
    client.force_login(officer)
    page = client.get(f"/county/applications/{app.pk}/check/").content.decode()
    # Details fold below the summary; a part with errors opens by itself.
    assert '<details id="page-part1" open>' in page
    assert "<summary><h3>一、基本情况</h3>" in page
    assert f'<a href="/applications/{app.pk}/form/part1/#field-part1.operator">' in page
    assert '<span class="level error">错误</span>' in page
    # The failed target rule a links to the target cell in part 八.
    target = "part8.goals.targets.output_growth.target"
    assert f'href="/applications/{app.pk}/form/part8/#field-{target}"' in page
    assert 'class="status status-未达标">未达标' in page
    assert f"/county/applications/{app.pk}/submit/" not in page  # errors: no submit link


def test_parts_come_in_the_official_order(client):
    officer = make_county_officer()
    app = make_application(officer=officer, data={})
    client.force_login(officer)
    page = client.get(f"/county/applications/{app.pk}/check/").content.decode()
    positions = [page.index(f'id="page-{name}"') for name in ("cover", "part1", "part2", "part9")]
    assert positions == sorted(positions)


EXPECTED = {"own": 200, "other_county": 404, "city": 200, "expert": 404, "admin": 200}


@pytest.mark.parametrize("role", ROLES)
def test_selfcheck_access(client, role):
    world = make_world()
    response = client_for(client, world, role).get(
        f"/county/applications/{world.application.pk}/check/"
    )
    if role == "anonymous":
        assert_login_redirect(response)
        return
    assert response.status_code == EXPECTED[role]
    if response.status_code == 200:
        assert "本县模具产业集群" in response.content.decode()
    # Guessing IDs: the other county's application is just as invisible to the own county.
    other = client.get(f"/county/applications/{world.other_application.pk}/check/")
    assert other.status_code == (404 if role in ("own", "expert") else 200)


# --- the summary, the verdict and values as the form shows them ----------------------------------


def _section(page: str, section_id: str) -> str:
    start = page.index(f'<section class="card" id="{section_id}">')
    return page[start : page.index("</section>", start)]


def test_the_page_opens_with_a_summary_of_parts_aspects_and_targets(client):
    world = make_world()
    app = world.application
    page = client_for(client, world, "own").get(f"/county/applications/{app.pk}/check/")
    page = page.content.decode()
    summary = _section(page, "summary")
    assert page.index('id="summary"') < page.index('id="findings"') < page.index('id="criteria"')
    assert '<strong class="error">0</strong> 处错误' in summary
    # Errors and warnings per part, every part of the form.
    assert summary.count("<tr>") == 1 + 11  # the header and cover, 一–九, 附件1
    assert '<th scope="row">八、未来三年中小企业特色产业集群发展规划</th>' in summary
    # One badge per aspect (with the declarations) and per 2025 target.
    aspects = summary[summary.index('id="summary-aspects"') : summary.index('id="summary-targets"')]
    assert aspects.count('class="status status-') == 9
    assert (
        '<a href="#aspect-5">数字化转型效果明显</a> <span class="status status-未评估">' in aspects
    )
    targets = summary[summary.index('id="summary-targets"') :]
    assert targets.count('class="status status-') == 7
    # The verdict: which aspects have which status, and what that means for the officer.
    assert "具有较强协同创新能力、数字化转型效果明显" in summary
    assert "市经信局尚未设定本轮的阈值" in summary
    assert "由专家评审时判断" in summary
    assert "4 项条件的阈值市经信局尚未设定" in summary
    # The details are folded below.
    assert _section(page, "criteria").count("<details") == 9


def test_values_read_like_the_form_never_like_python(client):
    officer = make_county_officer()
    form = example_application()
    form.part3.rd_intensity = {"2020": Decimal("3.12"), "2021": "无", "2022": None}
    form.part2.single_champions = {**form.part2.single_champions, "2022": "无"}
    app = make_application(officer=officer)
    replace_form(app, form, officer)
    client.force_login(officer)
    page = client.get(f"/county/applications/{app.pk}/check/").content.decode()
    text = html.unescape(re.sub(r"<[^>]+>", " ", page[page.index('id="summary"') :]))
    assert "集群中小企业近三年研发投入强度（%）：2020年 3.12；2021年 无；2022年 未填写" in text
    assert "集群是否绘制产业链图谱：☑ 是" in text
    for python in ("Decimal(", "None", "True", "False", "{'", "NONE_"):
        assert python not in text, python


def test_an_empty_target_row_is_not_evaluated_rather_than_met(client):
    officer = make_county_officer()
    form = example_application()
    form.part8.goals.targets.patents.target = None
    app = make_application(officer=officer)
    replace_form(app, form, officer)
    client.force_login(officer)
    page = client.get(f"/county/applications/{app.pk}/check/").content.decode()
    targets = page[page.index('id="summary-targets"') :]
    assert '有效发明专利数年均增长不低于15%</a> <span class="status status-未评估">' in targets
    assert "申报表八中本项的基准值或目标值尚未填写" in page
