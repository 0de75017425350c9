"""The scoring pages per role: the expert's home and sheet (autosave, submit, evidence), the
city's progress (sealed scores), ranking and the sheets behind it, and the documents."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application
from clusterdesk.evidence.domain.uploads import upload_evidence
from clusterdesk.review.domain.settings import review_settings
from clusterdesk.review.enums import AssignmentStatus
from clusterdesk.review.models import Assignment
from clusterdesk.scoring.domain.sheets import submit_sheet
from clusterdesk.scoring.models import ScoreSheet, SheetStatus
from tests.evidence import samples
from tests.factories import make_county_officer
from tests.scoring.world import close, full_sheet, make_expert, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world(applications=2, experts=3)


def _login(client, user):
    client.force_login(user)
    return client


def _text(response) -> str:
    return response.content.decode()


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


# --- the expert -------------------------------------------------------------------------------


def test_the_expert_lands_on_their_open_assignments_only(client, world):
    stranger_world = make_world(applications=1, experts=1)
    close_world = make_world(applications=1, experts=1)
    close(close_world.phase)
    expert = world.experts[0]
    submit_sheet(world.of(1, 0), full_sheet(), 0, expert)
    page = _text(_login(client, expert).get(reverse("scoring:home")))
    assert "评分测试0号产业集群" in page
    assert "评分测试1号产业集群" in page
    assert "未评" in page
    assert "已提交" in page
    assert reverse("scoring:sheet", args=[world.of(0, 0).pk]) in page
    assert reverse("scoring:sheet", args=[stranger_world.of(0, 0).pk]) not in page
    assert "评审任务</a>" in page  # the navigation link
    # An assignment of another expert, or of a closed phase, is a 404 (ids leak nothing).
    for other in (world.of(0, 1), stranger_world.of(0, 0), close_world.of(0, 0)):
        response = client.get(reverse("scoring:sheet", args=[other.pk]))
        assert response.status_code == 404
    _login(client, close_world.experts[0])
    assert "目前没有进行中的评审任务" in _text(client.get(reverse("scoring:home")))


def test_the_sheet_page_shows_the_application_and_the_rubric(client, world):
    assignment = world.of(0, 0)
    response = _login(client, world.experts[0]).get(reverse("scoring:sheet", args=[assignment.pk]))
    assert response.status_code == 200
    page = _text(response)
    for text in (
        "专家评分表",
        "具有较强核心竞争力",
        "具有较强治理和服务能力",
        "认定标准预检",
        "一致性提醒",
        "一、基本情况",
        "九、真实性声明及推荐意见",
        "有效发明专利清单",
        world.applications[0].organisation.county,
        'data-save-url="' + reverse("scoring:save", args=[assignment.pk]),
    ):
        assert text in page, text
    assert "<script>" not in page  # CSP: the autosave is a static file
    assert "scoring-autosave.js" in page


def test_the_expert_recuses_from_the_sheet_and_the_task_list(client, world):
    """An expert who reads the application and finds a conflict recuses where they read it: the
    sheet carries the review app's recusal form, the task list a 申请回避 link to it."""
    expert = world.experts[0]
    first, second = world.of(0, 0), world.of(1, 0)
    submit_sheet(second, full_sheet(), 0, expert)
    home = _text(_login(client, expert).get(reverse("scoring:home")))
    mine = reverse("review:my_assignments")
    assert f'{mine}#assignment-{first.pk}">申请回避</a>' in home
    assert f"#assignment-{second.pk}" not in home  # already scored and submitted
    assert f'id="assignment-{first.pk}"' in _text(client.get(mine))  # the link's target

    sheet = _text(client.get(reverse("scoring:sheet", args=[first.pk])))
    recuse = reverse("review:recuse", args=[first.pk])
    assert f'action="{recuse}"' in sheet
    assert '<label for="recusal-reason">回避理由</label>' in sheet
    assert "申请回避</button>" in sheet
    assert "review:recuse" not in _text(client.get(reverse("scoring:sheet", args=[second.pk])))

    response = client.post(recuse, {"reason": "本人曾为该集群龙头企业提供咨询服务"}, follow=True)
    assert "已对" in _text(response)
    assert "申请回避" in _text(response)
    first.refresh_from_db()
    assert first.status == AssignmentStatus.RECUSED
    assert first.recusal_reason == "本人曾为该集群龙头企业提供咨询服务"
    assert Assignment.objects.get(pk=second.pk).status == AssignmentStatus.ACTIVE
    home = _text(client.get(reverse("scoring:home")))
    assert reverse("scoring:sheet", args=[first.pk]) not in home  # gone from the tasks


def test_the_county_is_hidden_when_the_round_anonymises_it(client, world):
    settings = review_settings(world.round)
    settings.anonymise_county = True
    settings.save()
    county = world.applications[0].organisation.county
    page = _text(
        _login(client, world.experts[0]).get(reverse("scoring:sheet", args=[world.of(0, 0).pk]))
    )
    assert "匿名评审" in page
    assert county not in page
    assert "北仑区" not in page  # the example's 封面 所属地区
    docx = client.get(reverse("scoring:sheet_docx", args=[world.of(0, 0).pk])).content
    assert county not in _docx_text(docx)


def test_autosave_posts_json_with_the_version(client, world):
    assignment = world.of(0, 0)
    url = reverse("scoring:save", args=[assignment.pk])
    _login(client, world.experts[0])

    def post(body):
        return client.post(url, json.dumps(body), content_type="application/json")

    response = post({"version": 0, "scores": {"digital": "7"}, "comments": {"digital": "较好"}})
    assert response.status_code == 200
    assert response.json()["version"] == 1
    response = post({"version": 0, "scores": {"digital": "9"}})
    assert response.status_code == 409
    assert "其他窗口" in response.json()["error"]
    response = post({"version": 1, "scores": {"digital": "11"}})
    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == "digital"
    assert "超出范围" in response.json()["error"]
    assert client.post(url, "not json", content_type="application/json").status_code == 400
    assert post({"scores": {}}).status_code == 400  # no version
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert (sheet.scores, sheet.version) == ({"digital": "7"}, 1)
    # Another expert's assignment: 404, nothing saved.
    assert (
        client.post(
            reverse("scoring:save", args=[world.of(0, 1).pk]),
            json.dumps({"version": 0, "scores": {"digital": "1"}}),
            content_type="application/json",
        ).status_code
        == 404
    )
    assert not ScoreSheet.objects.filter(assignment=world.of(0, 1)).exists()


def _form(data, version=0):
    post = {
        "version": str(version),
        "opinion": data["opinion"],
        "opinion_reason": data["opinion_reason"],
    }
    post.update({f"score-{k}": v for k, v in data["scores"].items()})
    post.update({f"comment-{k}": v for k, v in data["comments"].items()})
    return post


def test_submit_by_form_locks_and_errors_name_the_field(client, world):
    assignment = world.of(0, 0)
    _login(client, world.experts[0])
    bad = full_sheet()
    bad["scores"]["green"] = "12"
    response = client.post(reverse("scoring:submit", args=[assignment.pk]), _form(bad))
    assert response.status_code == 400
    page = _text(response)
    assert "“具有较高绿色化发展水平”的得分 12 超出范围（0–10 分）。" in page
    assert 'value="12"' in page  # what was typed stays in its box
    assert not ScoreSheet.objects.filter(assignment=assignment).exists()
    response = client.post(reverse("scoring:submit", args=[assignment.pk]), _form(full_sheet("9")))
    assert response.status_code == 302
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert sheet.status == SheetStatus.SUBMITTED
    page = _text(client.get(reverse("scoring:sheet", args=[assignment.pk])))
    assert "已提交" in page
    assert "90.00" in page
    assert "<fieldset disabled>" in page


def test_scoring_after_the_phase_closed_is_refused(client, world):
    assignment = world.of(0, 0)
    _login(client, world.experts[0])
    close(world.phase)
    response = client.post(
        reverse("scoring:submit", args=[assignment.pk]), _form(full_sheet()), follow=True
    )
    assert "未提交：“专家评审（含现场答辩）”阶段已结束，不能再评分或修改评分。" in _text(response)
    response = client.post(
        reverse("scoring:save", args=[assignment.pk]),
        json.dumps({"version": 0, "scores": {"digital": "7"}}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "阶段已结束" in response.json()["error"]
    assert not ScoreSheet.objects.exists()
    # The application itself is out of reach once the phase closed.
    assert client.get(reverse("scoring:sheet", args=[assignment.pk])).status_code == 404


def test_the_expert_opens_the_applications_evidence_through_the_assignment(
    client, world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    application = world.applications[0]
    county = make_county_officer(application.organisation)
    # Evidence is uploaded while the application is editable (a draft), then it moves back.
    Application.objects.filter(pk=application.pk).update(state=ApplicationState.DRAFT)
    application.refresh_from_db()
    upload_evidence(
        application, "part2.chain_map", [SimpleUploadedFile("产业链图谱.pdf", samples.PDF)], county
    )
    Application.objects.filter(pk=application.pk).update(state=ApplicationState.UNDER_REVIEW)
    sha = hashlib.sha256(samples.PDF).hexdigest()
    _login(client, world.experts[0])
    page = _text(client.get(reverse("scoring:sheet", args=[world.of(0, 0).pk])))
    url = reverse("scoring:evidence", args=[world.of(0, 0).pk, sha])
    assert url in page
    assert "产业链图谱.pdf" in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(url + "?inline=1").status_code == 200  # the preview
    # The evidence app's own URL stays closed to experts; other experts get nothing.
    assert client.get(reverse("evidence:download", args=[application.pk, sha])).status_code == 404
    _login(client, world.experts[1])
    assert client.get(url).status_code == 404
    assert client.get(reverse("scoring:evidence", args=[world.of(0, 1).pk, sha])).status_code == 200
    assert client.get(reverse("scoring:evidence", args=[world.of(1, 1).pk, sha])).status_code == 404


def test_the_experts_own_sheet_as_word(client, world):
    assignment = world.of(0, 0)
    submit_sheet(assignment, full_sheet("8"), 0, world.experts[0])
    response = _login(client, world.experts[0]).get(
        reverse("scoring:sheet_docx", args=[assignment.pk])
    )
    assert response.status_code == 200
    text = _docx_text(response.content)
    for expected in (
        "专家评分表",
        "评分测试0号产业集群",
        "具有较强核心竞争力",
        "80.00",
        "推荐认定",
        "专家签名",
        "专家0",
        "宁波大学",
    ):
        assert expected in text, expected


# --- the city -----------------------------------------------------------------------------------


def test_the_city_sees_progress_but_not_scores_while_open(client, world):
    submit_sheet(world.of(0, 0), full_sheet("7.25"), 0, world.experts[0])
    _login(client, world.city)
    page = _text(client.get(reverse("scoring:round", args=[world.round.pk])))
    assert "专家0" in page
    assert "评分内容不公开" in page
    assert "72.50" not in page
    assert "7.25" not in page
    ranking = _text(client.get(reverse("scoring:ranking", args=[world.round.pk])))
    assert "评审阶段结束后才显示排名" in ranking
    assert "72.50" not in ranking
    scores = _text(
        client.get(reverse("scoring:application", args=[world.round.pk, world.applications[0].pk]))
    )
    assert "72.50" not in scores
    sheet = ScoreSheet.objects.get()
    assert (
        client.get(reverse("scoring:city_sheet_docx", args=[world.round.pk, sheet.pk])).status_code
        == 404
    )


def test_the_city_reopens_a_sheet_from_the_progress_page(client, world):
    submit_sheet(world.of(0, 0), full_sheet(), 0, world.experts[0])
    sheet = ScoreSheet.objects.get()
    _login(client, world.city)
    url = reverse("scoring:reopen", args=[world.round.pk, sheet.pk])
    assert url in _text(client.get(reverse("scoring:round", args=[world.round.pk])))
    client.post(url, {"reason": ""})
    assert ScoreSheet.objects.get().status == SheetStatus.SUBMITTED
    response = client.post(url, {"reason": "请补充评语"}, follow=True)
    assert "评分表已退回专家重新评分" in _text(response)
    assert ScoreSheet.objects.get().status == SheetStatus.DRAFT
    _login(client, world.experts[0])
    page = _text(client.get(reverse("scoring:sheet", args=[world.of(0, 0).pk])))
    assert "市经信局已退回此评分表" in page
    assert "请补充评语" in page


def test_the_ranking_after_close_links_every_figure_to_the_sheets(client, world):
    for expert, value in enumerate(["9", "8", "4"]):
        submit_sheet(world.of(0, expert), full_sheet(value), 0, world.experts[expert])
    for expert in range(3):
        submit_sheet(world.of(1, expert), full_sheet("8"), 0, world.experts[expert])
    close(world.phase)
    _login(client, world.city)
    page = _text(client.get(reverse("scoring:ranking", args=[world.round.pk])))
    scores_url = reverse("scoring:application", args=[world.round.pk, world.applications[0].pk])
    assert scores_url in page
    assert "去掉一个最高分和一个最低分后的平均分" in page
    assert "1（并列）" in page  # both at 80.00 trimmed
    assert "专家意见分歧（极差 50.00 分）" in page
    assert "70.00" in page  # the mean of 90, 80, 40
    detail = _text(client.get(scores_url))
    for expected in ("专家0", "专家2", "90.00", "40.00", "具有较强核心竞争力", "论据充分"):
        assert expected in detail, expected
    sheet = ScoreSheet.objects.filter(assignment=world.of(0, 0)).get()
    docx = client.get(reverse("scoring:city_sheet_docx", args=[world.round.pk, sheet.pk]))
    assert "90.00" in _docx_text(docx.content)
    summary = _docx_text(client.get(reverse("scoring:ranking_docx", args=[world.round.pk])).content)
    for expected in (
        "评审汇总表",
        "评分测试0号产业集群",
        "80.00",
        "70.00",
        "1（并列）",
        "专家意见分歧",
    ):
        assert expected in summary, expected
    book = load_workbook(
        io.BytesIO(client.get(reverse("scoring:ranking_xlsx", args=[world.round.pk])).content)
    )
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row if c is not None]
    assert "评分测试0号产业集群" in cells
    assert 90.0 in cells
    assert 80.0 in cells


def test_the_city_edits_the_rubric_with_chinese_errors(client, world):
    _login(client, world.city)
    url = reverse("scoring:rubric", args=[world.round.pk])
    page = _text(client.get(url))
    assert "具有较强核心竞争力" in page
    post = {
        "aspect-0-key": "a",
        "aspect-0-name": "核心竞争力",
        "aspect-0-weight": "70",
        "aspect-0-max_score": "100",
        "aspect-0-comment_required": "on",
        "aspect-1-key": "b",
        "aspect-1-name": "治理",
        "aspect-1-weight": "20",
        "aggregate": "median",
        "disagreement_margin": "12",
    }
    response = client.post(url, post)
    assert response.status_code == 400
    assert "各评分项权重之和必须为 100，当前为 90。" in _text(response)
    post["aspect-1-weight"] = "30"
    assert client.post(url, post).status_code == 302
    world.round.scoring_settings.refresh_from_db()
    assert [a["key"] for a in world.round.scoring_settings.rubric["aspects"]] == ["a", "b"]
    assert world.round.scoring_settings.aggregate == "median"


# --- everyone else ----------------------------------------------------------------------------


def test_counties_never_see_scores_or_expert_names(client, world):
    submit_sheet(world.of(0, 0), full_sheet(), 0, world.experts[0])
    close(world.phase)
    county = make_county_officer(world.applications[0].organisation)
    _login(client, county)
    sheet = ScoreSheet.objects.get()
    for url in (
        reverse("scoring:home"),
        reverse("scoring:rounds"),
        reverse("scoring:round", args=[world.round.pk]),
        reverse("scoring:ranking", args=[world.round.pk]),
        reverse("scoring:ranking_xlsx", args=[world.round.pk]),
        reverse("scoring:application", args=[world.round.pk, world.applications[0].pk]),
        reverse("scoring:city_sheet_docx", args=[world.round.pk, sheet.pk]),
        reverse("scoring:sheet", args=[world.of(0, 0).pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "专家0" not in _text(response)


def test_an_expert_cannot_open_the_city_pages(client, world):
    _login(client, make_expert())
    assert client.get(reverse("scoring:ranking", args=[world.round.pk])).status_code == 403
    assert client.get(reverse("scoring:round", args=[world.round.pk])).status_code == 403
