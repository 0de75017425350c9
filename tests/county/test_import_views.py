import io
from dataclasses import replace
from typing import ClassVar

import docx
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.test import Client, override_settings

from clusterdesk import bench_import as hostile
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application
from clusterdesk.documents import safety
from clusterdesk.documents.attachment2_render import render_attachment2
from clusterdesk.form.example import example_application
from tests.declarations.county_world import ROLES, assert_login_redirect, client_for, make_world
from tests.factories import make_application

pytestmark = pytest.mark.django_db
S = ApplicationState
EXAMPLE_NAME = example_application().part1.cluster_name


@pytest.fixture(scope="module")
def example_docx() -> bytes:
    return render_attachment2(example_application())


def _upload(content: bytes, name: str = "申报表.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_import_of_a_rendered_example_fills_a_new_draft(client, example_docx):
    world = make_world()
    client_for(client, world, "own")
    form_page = client.get("/county/import/").content.decode()
    assert f'value="new-{world.round.pk}"' in form_page
    assert f'value="{world.application.pk}"' in form_page
    assert f'value="{world.other_application.pk}"' not in form_page

    response = client.post(
        "/county/import/", {"target": f"new-{world.round.pk}", "file": _upload(example_docx)}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "已新建草稿并导入" in page
    for heading in ("已读取", "未找到", "经过解释的值"):
        assert heading in page
    created = Application.objects.filter(organisation=world.own.organisation).latest("pk")
    assert created.pk != world.application.pk
    assert created.state == S.DRAFT
    assert created.cluster_name == EXAMPLE_NAME
    assert created.data["part2"]["total_output"]["2022"] == 121.8
    assert f'href="/applications/{created.pk}/form/"' in page  # 逐页核对


def test_import_into_an_existing_draft(client, example_docx):
    world = make_world()
    app = world.application
    response = client_for(client, world, "own").post(
        f"/county/applications/{app.pk}/import/", {"file": _upload(example_docx)}
    )
    assert response.status_code == 200
    assert "确认导入" in response.content.decode()  # asks first: see test_import_preview
    token = client.session["clusterdesk.pending_import"]["token"]
    response = client.post(f"/county/applications/{app.pk}/import/confirm/", {"token": token})
    assert "已导入到现有草稿" in response.content.decode()
    app.refresh_from_db()
    assert app.cluster_name == EXAMPLE_NAME
    assert Application.objects.filter(organisation=world.own.organisation).count() == 1


def test_a_submitted_application_cannot_be_overwritten(client, example_docx):
    world = make_world()
    submitted = make_application(
        round_=world.round, officer=world.own, cluster_name="已交集群", path=(S.SUBMITTED,)
    )
    client_for(client, world, "own")
    response = client.post(
        f"/county/applications/{submitted.pk}/import/", {"file": _upload(example_docx)}
    )
    assert response.status_code == 400
    assert "不能修改" in response.content.decode()
    via_list = client.post(
        "/county/import/", {"target": str(submitted.pk), "file": _upload(example_docx)}
    )
    assert via_list.status_code == 400
    assert "只能导入到本单位的草稿中" in via_list.content.decode()
    submitted.refresh_from_db()
    assert submitted.cluster_name == "已交集群"


def test_another_countys_draft_cannot_be_chosen(client, example_docx):
    world = make_world()
    client_for(client, world, "own")
    response = client.post(
        "/county/import/",
        {"target": str(world.other_application.pk), "file": _upload(example_docx)},
    )
    assert response.status_code == 400
    world.other_application.refresh_from_db()
    assert world.other_application.cluster_name == "他县纺织产业集群"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7 not a word file", "不是 Word 文档"),
        (b"PK\x03\x04 broken zip", "已损坏"),
        (b"", "空文件"),
    ],
)
def test_bad_files_are_refused_in_chinese_and_nothing_is_saved(client, content, message):
    world = make_world()
    before = Application.objects.count()
    response = client_for(client, world, "own").post(
        "/county/import/", {"target": f"new-{world.round.pk}", "file": _upload(content)}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "导入失败，未保存任何内容" in page
    assert message in page
    assert Application.objects.count() == before


def test_a_word_file_that_is_not_the_form_is_refused(client):
    document = docx.Document()
    document.add_paragraph("会议通知")
    buffer = io.BytesIO()
    document.save(buffer)
    world = make_world()
    response = client_for(client, world, "own").post(
        f"/county/applications/{world.application.pk}/import/", {"file": _upload(buffer.getvalue())}
    )
    assert response.status_code == 400
    assert "该文件不是《" in response.content.decode()
    world.application.refresh_from_db()
    assert world.application.cluster_name == "本县模具产业集群"


@override_settings(CLUSTERDESK_IMPORT_MAX_MB=1)
def test_the_size_limit_comes_from_settings(client):
    world = make_world()
    response = client_for(client, world, "own").post(
        f"/county/applications/{world.application.pk}/import/",
        {"file": _upload(b"PK\x03\x04" + b"0" * (1024 * 1024 + 1))},
    )
    assert response.status_code == 400
    assert "超过 1 MB 的上限" in response.content.decode()


class RecordingHandler(FileUploadHandler):
    """Stands where Django's own handlers store an upload: counts the bytes that reach it."""

    received: ClassVar[list[int]] = []

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        RecordingHandler.received.append(len(raw_data))
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@override_settings(
    CLUSTERDESK_IMPORT_MAX_MB=1,
    FILE_UPLOAD_HANDLERS=[
        "tests.county.test_import_views.RecordingHandler",
        *django_settings.FILE_UPLOAD_HANDLERS,
    ],
)
def test_an_oversized_file_is_dropped_while_it_streams_in(client):
    world = make_world()
    before = Application.objects.count()
    RecordingHandler.received.clear()
    response = client_for(client, world, "own").post(
        "/county/import/",
        {"target": f"new-{world.round.pk}", "file": _upload(b"PK" * (3 * 1024 * 1024), "大.docx")},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "导入失败，未保存任何内容：文件 大.docx 过大，超过 1 MB 的上限" in page
    # The handlers that would keep the file saw no more than the limit of its 6 MB.
    assert sum(RecordingHandler.received) <= 1024 * 1024
    assert Application.objects.count() == before


def test_the_import_still_checks_the_csrf_token(example_docx):
    # The views are csrf_exempt only so that the size limit goes in first; _import checks it.
    world = make_world()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.own)
    response = strict.post(
        f"/county/applications/{world.application.pk}/import/", {"file": _upload(example_docx)}
    )
    assert response.status_code == 403
    world.application.refresh_from_db()
    assert world.application.cluster_name == "本县模具产业集群"


def test_a_word_file_past_the_reading_limits_is_refused_naming_it(client):
    parts = hostile._parts(hostile.example_docx())
    nested = "<w:sdt><w:sdtContent>" * 300 + "<w:p/>" + "</w:sdtContent></w:sdt>" * 300
    body = parts["word/document.xml"].decode()
    at = body.index("<w:body>") + len("<w:body>")
    parts["word/document.xml"] = (body[:at] + nested + body[at:]).encode()
    world = make_world()
    response = client_for(client, world, "own").post(
        f"/county/applications/{world.application.pk}/import/",
        {"file": _upload(hostile._zip(parts), "嵌套.docx")},
    )
    assert response.status_code == 400
    assert "文件 嵌套.docx 结构嵌套过深（超过 256 层）" in response.content.decode()
    world.application.refresh_from_db()
    assert world.application.cluster_name == "本县模具产业集群"


def test_the_reading_limits_apply_to_the_web_import(client, example_docx, monkeypatch):
    monkeypatch.setattr(safety, "IMPORT_LIMITS", replace(safety.IMPORT_LIMITS, xml_elements=1000))
    world = make_world()
    before = Application.objects.count()
    response = client_for(client, world, "own").post(
        "/county/import/", {"target": f"new-{world.round.pk}", "file": _upload(example_docx)}
    )
    assert response.status_code == 400
    assert "文件 申报表.docx 内容过于庞大：XML 元素超过 1,000 个的上限" in response.content.decode()
    assert Application.objects.count() == before


def test_missing_file_or_target_is_explained(client, example_docx):
    world = make_world()
    client_for(client, world, "own")
    no_file = client.post("/county/import/", {"target": f"new-{world.round.pk}"})
    assert no_file.status_code == 400
    assert "请选择要导入的 Word 文件" in no_file.content.decode()
    no_target = client.post("/county/import/", {"file": _upload(example_docx)})
    assert no_target.status_code == 400
    assert "请选择导入到新建草稿还是现有草稿" in no_target.content.decode()


# --- access ---------------------------------------------------------------------------------

EXPECTED_NEW = {"own": 200, "other_county": 200, "city": 403, "expert": 403, "admin": 403}
EXPECTED_INTO = {"own": 200, "other_county": 404, "city": 403, "expert": 403, "admin": 403}


@pytest.mark.parametrize("role", ROLES)
def test_import_access(client, role, example_docx):
    world = make_world()
    client_for(client, world, role)
    pages = (
        (client.get("/county/import/"), EXPECTED_NEW),
        (client.get(f"/county/applications/{world.application.pk}/import/"), EXPECTED_INTO),
    )
    posted = client.post(
        f"/county/applications/{world.application.pk}/import/", {"file": _upload(example_docx)}
    )
    for response, expected in pages:
        if role == "anonymous":
            assert_login_redirect(response)
        else:
            assert response.status_code == expected[role]
    if role == "anonymous":
        assert_login_redirect(posted)
    else:
        assert posted.status_code == EXPECTED_INTO[role]
    world.application.refresh_from_db()
    # Nobody's upload overwrites the draft: the own county gets a preview to confirm first.
    assert world.application.cluster_name == "本县模具产业集群"
