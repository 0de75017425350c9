"""The city's reading of one application (pre-check, consistency warnings, 2025 targets, its
Attachment 1 row, evidence previews on the read-only form pages) and the pre-check digest behind
the inbox's two filters: written on submit and resubmit, rebuilt by a command, filtered with one
join whatever the number of applications."""

from __future__ import annotations

import copy
import hashlib
import html
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clusterdesk.declarations.domain.editing import Change, save_changes
from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application, Submission
from clusterdesk.declarations.workflow import transition
from clusterdesk.evidence.domain.uploads import upload_evidence
from clusterdesk.form.example import example_json
from clusterdesk.intake.domain.digest import figures
from clusterdesk.intake.models import PrecheckDigest
from tests.evidence import hostile, samples
from tests.factories import (
    make_application,
    make_city_officer,
    make_county_officer,
    make_round,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return make_city_officer()


def failing_data(name="未达标产业集群"):
    """The example with 申报基本条件 not met (主导产业属于禁止类: 否) and a consistency warning
    (主导产业产值增速 2022 far from what its output computes to)."""
    data = copy.deepcopy(example_json())
    data["part1"]["cluster_name"] = name
    data["part1"]["not_prohibited"] = "否"
    data["part2"]["leading_output_growth"]["2022"] = "55.00"
    return data


# --- the digest -------------------------------------------------------------------------------


def test_submitting_stores_the_digest_of_the_new_submission():
    app = make_application(path=(S.SUBMITTED,))
    digest = PrecheckDigest.objects.get(application=app)
    assert digest.submission == Submission.objects.get(application=app)
    assert (digest.aspects_failed, digest.warnings) == (0, 0)


def test_a_failing_submission_is_counted_as_the_selfcheck_shows_it(client):
    app = make_application(path=(S.SUBMITTED,), data=failing_data())
    digest = PrecheckDigest.objects.get(application=app)
    assert digest.aspects_failed == 1
    assert digest.warnings >= 1
    # The same figures as the county's self-check page prints.
    client.force_login(app.created_by)
    page = client.get(reverse("county:check", args=[app.pk])).content.decode()
    assert re.search(r"申报基本条件.{0,80}未达标", page, re.S)
    assert f"{digest.warnings} 处提醒" in page


def test_resubmitting_replaces_the_digest_with_the_new_submissions_figures(city):
    app = make_application(path=(S.SUBMITTED,), data=failing_data())
    first = PrecheckDigest.objects.get(application=app)
    transition(app, S.RETURNED, city, "请核实申报基本条件")
    officer = app.created_by
    app.refresh_from_db()
    growth = app.data["part2"]["leading_output_growth"]["2022"]
    changes = [
        Change("part1.not_prohibited", "是", "否"),
        Change("part2.leading_output_growth.2022", "13.26", growth),
    ]
    assert not save_changes(app, changes, officer).conflicts
    app.refresh_from_db()
    transition(app, S.SUBMITTED, officer)

    digest = PrecheckDigest.objects.get(application=app)  # one row per application
    latest = Submission.objects.filter(application=app).latest("pk")
    assert digest.submission == latest != first.submission
    assert digest.aspects_failed == 0
    assert digest.warnings == figures(app).warnings < first.warnings


def test_returning_and_accepting_keep_the_digest(city):
    app = make_application(path=(S.SUBMITTED,), data=failing_data())
    before = PrecheckDigest.objects.get(application=app)
    transition(app, S.UNDER_REVIEW, city)
    after = PrecheckDigest.objects.get(application=app)
    assert (after.submission_id, after.computed_at) == (before.submission_id, before.computed_at)


def test_a_digest_failure_never_undoes_the_submission(monkeypatch, caplog, capsys):
    from clusterdesk.intake.domain import digest  # noqa: PLC0415

    def broken(_application):
        raise RuntimeError("boom")

    monkeypatch.setattr(digest, "figures", broken)
    app = make_application(path=(S.SUBMITTED,))
    app.refresh_from_db()
    assert app.state == S.SUBMITTED
    assert Submission.objects.filter(application=app).count() == 1
    assert not PrecheckDigest.objects.filter(application=app).exists()
    assert f"预检摘要计算失败：申报 #{app.pk}" in caplog.text
    monkeypatch.undo()
    call_command("precheck_digests")
    assert PrecheckDigest.objects.get(application=app).aspects_failed == 0


def test_the_command_counts_submissions_made_before_the_digest_existed(capsys):
    passing = make_application(path=(S.SUBMITTED,))
    failing = make_application(path=(S.SUBMITTED,), data=failing_data())
    draft = make_application()
    PrecheckDigest.objects.all().delete()

    call_command("precheck_digests")
    assert "已计算 2 份申报的预检摘要，0 份已是最新" in capsys.readouterr().out
    stored = dict(PrecheckDigest.objects.values_list("application_id", "aspects_failed"))
    assert stored == {passing.pk: 0, failing.pk: 1}
    assert draft.pk not in stored

    call_command("precheck_digests")
    assert "已计算 0 份申报的预检摘要，2 份已是最新" in capsys.readouterr().out


def test_the_command_counts_the_submission_not_the_corrections_made_since(city, capsys):
    app = make_application(path=(S.SUBMITTED,), data=failing_data())
    transition(app, S.RETURNED, city, "请修改")
    app.refresh_from_db()
    save_changes(app, [Change("part1.not_prohibited", "是", "否")], app.created_by)
    PrecheckDigest.objects.all().delete()
    call_command("precheck_digests")
    # What the city received (未达标), not the draft being corrected.
    assert PrecheckDigest.objects.get(application=app).aspects_failed == 1


# --- the inbox filters ------------------------------------------------------------------------


def inbox_names(client, round_, **params):
    response = client.get(reverse("intake:inbox"), {"round": round_.pk, **params})
    assert response.status_code == 200
    return set(
        re.findall(r'<a href="/intake/applications/\d+/">([^<]+)</a>', response.content.decode())
    )


def test_the_inbox_filters_on_the_precheck_and_on_open_warnings(client, city):
    round_ = make_round(county_limit=5)
    officer = make_county_officer()
    make_application(round_=round_, officer=officer, cluster_name="达标集群", path=(S.SUBMITTED,))
    make_application(
        round_=round_, officer=officer, path=(S.SUBMITTED,), data=failing_data("未达标集群")
    )
    make_application(round_=round_, officer=officer, cluster_name="草稿集群")
    client.force_login(city)

    assert inbox_names(client, round_, precheck="fail") == {"未达标集群"}
    assert inbox_names(client, round_, precheck="pass") == {"达标集群"}
    assert inbox_names(client, round_, warnings="yes") == {"未达标集群"}
    assert inbox_names(client, round_, warnings="no") == {"达标集群"}
    assert inbox_names(client, round_) == {"达标集群", "未达标集群", "草稿集群"}
    # An unknown choice is named on the form and lists nothing it was not asked for.
    response = client.get(reverse("intake:inbox"), {"round": round_.pk, "precheck": "maybe"})
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()


def test_the_inbox_shows_both_figures_and_sorts_by_them(client, city):
    round_ = make_round(county_limit=5)
    officer = make_county_officer()
    make_application(round_=round_, officer=officer, cluster_name="达标集群", path=(S.SUBMITTED,))
    failing = make_application(
        round_=round_, officer=officer, path=(S.SUBMITTED,), data=failing_data("未达标集群")
    )
    make_application(round_=round_, officer=officer, cluster_name="草稿集群")
    warnings = PrecheckDigest.objects.get(application=failing).warnings
    client.force_login(city)
    page = client.get(
        reverse("intake:inbox"), {"round": round_.pk, "sort": "-aspects_failed"}
    ).content.decode()
    assert "未达标方面" in page
    assert "一致性提醒" in page
    rows = re.findall(r"<tr[^>]*>.*?</tr>", page, re.S)
    failing_row = next(row for row in rows if "未达标集群" in row)
    cells = [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", failing_row, re.S)
    ]
    assert cells[-2:] == ["1", str(warnings)]
    draft_row = next(row for row in rows if "草稿集群" in row)
    assert draft_row.count("—") >= 2  # never submitted: no digest
    names = re.findall(r"(达标集群|未达标集群)", page)
    assert names.index("未达标集群") < names.index("达标集群")


def count_queries(client, **params) -> int:
    url = reverse("intake:inbox")
    client.get(url, params)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


def digested_copies(round_, officer, count, failed):
    """``count`` submitted applications with a stored digest (bulk: no workflow)."""
    apps = Application.objects.bulk_create(
        Application(
            round=round_,
            organisation=officer.organisation,
            created_by=officer,
            data=example_json(),
            state=S.SUBMITTED,
        )
        for _ in range(count)
    )
    source = make_application(round_=round_, officer=officer, path=(S.SUBMITTED,))
    submission = Submission.objects.get(application=source)
    PrecheckDigest.objects.bulk_create(
        PrecheckDigest(
            application=app,
            submission=submission,
            aspects_failed=failed,
            warnings=failed,
            computed_at=timezone.now(),
        )
        for app in apps
    )


def test_the_filtered_inbox_queries_alike_with_3_and_30_applications(client, city):
    round_ = make_round(county_limit=100)
    officers = [make_county_officer() for _ in range(3)]
    client.force_login(city)
    cases = [
        {"round": round_.pk, "precheck": "fail"},
        {"round": round_.pk, "warnings": "yes", "sort": "-open_warnings"},
        {"round": round_.pk, "precheck": "pass", "warnings": "no"},
    ]
    for officer in officers:
        digested_copies(round_, officer, 1, failed=officer.pk % 2)
    few = [count_queries(client, **case) for case in cases]
    for officer in officers:
        digested_copies(round_, officer, 9, failed=officer.pk % 2)
    assert Application.objects.filter(round=round_).count() >= 30
    assert [count_queries(client, **case) for case in cases] == few


def test_the_inbox_reads_no_form_for_its_figures(city):
    from clusterdesk.intake.domain.desk import inbox  # noqa: PLC0415

    round_ = make_round()
    app = make_application(round_=round_, path=(S.SUBMITTED,), data=failing_data())
    (listed,) = inbox(city, round_)
    assert "data" not in listed.__dict__
    assert (listed.aspects_failed, listed.open_warnings) == (
        1,
        PrecheckDigest.objects.get(application=app).warnings,
    )


# --- the application page ---------------------------------------------------------------------


def section(page: str, anchor: str) -> str:
    start = page.index(f'id="{anchor}"')
    return page[start : page.index("</section>", start)]


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)))


def test_the_application_page_shows_precheck_warnings_targets_and_the_attachment1_row(client, city):
    app = make_application(path=(S.SUBMITTED,), data=failing_data("北仑模具产业集群"))
    client.force_login(city)
    page = client.get(reverse("intake:application", args=[app.pk])).content.decode()

    precheck = text_of(section(page, "precheck"))
    assert "1 个方面未达标" in precheck
    assert re.search(r"申报基本条件 未达标", precheck)
    assert "主导产业不属于国家禁止、限制和淘汰类产业" in precheck
    assert "具有较强核心竞争力" in precheck

    warnings = section(page, "warnings")
    link = f"/applications/{app.pk}/form/part2/#field-part2.leading_output_growth.2022"
    assert f'href="{link}"' in warnings
    assert "2022年填报 55.00%" in text_of(warnings)

    targets = text_of(section(page, "targets"))
    assert "2025年目标值" in targets
    # 研发经费投入 37892.22 → 52000.00 over 2022–2025; 二氧化碳 43.85 → 35.80.
    assert re.search(r"研发经费投入 万元 37892\.22 52000\.00 年均增长 11\.13% 达标 c", targets)
    assert re.search(r"二氧化碳排放量 万吨 43\.85 35\.80 降低 18\.36% 达标 f", targets)
    assert "目标年均增速 12.00%" in targets
    assert "增加 37 家（年均 12.33 家）" in targets
    assert "模具出口交货值" in targets  # a row the cluster added

    row = section(page, "attachment1")
    headings = re.findall(r"<th[^>]*>([^<]+)</th>", row)
    assert headings == [
        "序号",
        "集群名称",
        "集群运营管理机构",
        "所在省、市、县（区）",
        "主导产业",
        "集群成立时间",
        "集群简介（150字以内）",
    ]
    cells = [text_of(cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
    assert cells[:6] == [
        "1",
        "北仑模具产业集群",
        "宁波北仑模具产业园区管理委员会",
        "浙江省宁波市北仑区",
        "模具",
        "2005年06月",
    ]
    assert cells[6].startswith("北仑模具集群以汽车模具")


def test_the_attachment1_number_follows_the_units_submitted_applications(client, city):
    round_ = make_round(county_limit=3)
    officer = make_county_officer()
    make_application(round_=round_, officer=officer, cluster_name="草稿")  # not numbered
    make_application(round_=round_, officer=officer, cluster_name="第一", path=(S.SUBMITTED,))
    second = make_application(
        round_=round_, officer=officer, cluster_name="第二", path=(S.SUBMITTED,)
    )
    client.force_login(city)
    page = client.get(reverse("intake:application", args=[second.pk])).content.decode()
    cells = re.findall(r"<td>(.*?)</td>", section(page, "attachment1"), re.S)
    assert cells[:2] == ["2", "第二"]


def test_an_application_without_warnings_says_so(client, city):
    app = make_application(path=(S.SUBMITTED,))
    client.force_login(city)
    page = client.get(reverse("intake:application", args=[app.pk])).content.decode()
    assert "没有一致性提醒" in section(page, "warnings")
    assert "没有未达标的方面" in section(page, "precheck")


# --- evidence beside each item ----------------------------------------------------------------


def test_the_city_previews_the_evidence_beside_an_item_on_the_read_only_form_page(
    client, city, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    app = make_application()
    content = hostile.clean_pdf(pages=1)
    result = upload_evidence(
        app, "part2.chain_map", [samples.upload("产业链图谱.pdf", content)], app.created_by
    )
    assert result.added == ["产业链图谱.pdf"], result.refused
    app.refresh_from_db()
    transition(app, S.SUBMITTED, app.created_by)
    sha = hashlib.sha256(content).hexdigest()

    client.force_login(city)
    page = client.get(reverse("form:page", args=[app.pk, "part2"])).content.decode()
    preview = f"/evidence/{app.pk}/{sha}/?inline=1"
    assert f'href="{preview}"' in page
    assert 'class="evidence-upload"' not in page  # read-only for the city
    assert 'class="evidence-remove"' not in page
    response = client.get(preview)
    assert response.status_code == 200
    assert "预览：产业链图谱.pdf" in response.content.decode()
    assert "data:image/jpeg;base64," in response.content.decode()
    # Another county's officer opens neither the page nor the file.
    client.force_login(make_county_officer())
    assert client.get(reverse("form:page", args=[app.pk, "part2"])).status_code == 404
    assert client.get(preview).status_code == 404


def test_a_blank_draft_reads_with_nothing_filled_in(client, city):
    app = make_application(data={})
    client.force_login(city)
    response = client.get(reverse("intake:application", args=[app.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "未评估" in section(page, "precheck")
    targets = text_of(section(page, "targets"))
    assert re.search(r"研发经费投入 万元 — — — 未评估 c", targets)
    cells = [
        text_of(c).strip()
        for c in re.findall(r"<td>(.*?)</td>", section(page, "attachment1"), re.S)
    ]
    assert cells[1:3] == ["—", "—"]


def test_each_inbox_row_shows_its_cells_read_for_the_page_in_one_query(client, city):
    round_ = make_round(county_limit=5)
    officer = make_county_officer()
    app = make_application(
        round_=round_, officer=officer, cluster_name="<b>北仑</b>集群", path=(S.SUBMITTED,)
    )
    submitted = Submission.objects.get(application=app).submitted_at
    client.force_login(city)
    page = client.get(reverse("intake:inbox"), {"round": round_.pk}).content.decode()
    row = next(r for r in re.findall(r"<tr>.*?</tr>", page, re.S) if 'name="ids"' in r)
    cells = [text_of(cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
    when = f"{timezone.localtime(submitted):%Y-%m-%d %H:%M}"
    industry = example_json()["part1"]["industry_type"]
    assert cells[1:] == [
        "<b>北仑</b>集群",
        str(officer.organisation),
        "已提交",
        industry,
        when,
        "0",
        "0",
    ]
    assert f'value="{app.pk}" aria-label="选择“&lt;b&gt;北仑&lt;/b&gt;集群”"' in row  # escaped
    assert f'href="/intake/applications/{app.pk}/"' in row
