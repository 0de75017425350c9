import io
import json
import zipfile
from urllib.parse import quote

import docx
import openpyxl
import pytest
from django.test import Client, override_settings

from clusterdesk.county.domain import documents as county_documents
from clusterdesk.county.views.documents import heavy_slots
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import SummaryHeader
from clusterdesk.documents import pdf
from clusterdesk.documents.errors import PdfUnavailable
from clusterdesk.slots import SlotsBusy
from tests.declarations.county_world import ROLES, assert_login_redirect, client_for, make_world
from tests.factories import make_application

pytestmark = pytest.mark.django_db
S = ApplicationState
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _text(document: docx.Document) -> str:
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_attachment2_docx_opens_and_names_the_cluster(client):
    world = make_world()
    app = world.application
    response = client_for(client, world, "own").get(
        f"/county/applications/{app.pk}/attachment2.docx"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    name = quote("附件2-申报表-本县模具产业集群.docx")
    assert f"filename*=utf-8''{name}" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment;")
    text = _text(docx.Document(io.BytesIO(response.content)))
    assert "本县模具产业集群" in text
    assert "中小企业特色产业集群申报表" in text


def test_summary_lists_the_submitted_applications_with_the_saved_header(client):
    world = make_world()
    make_application(
        round_=world.round, officer=world.own, cluster_name="本县第二集群", path=(S.SUBMITTED,)
    )
    SummaryHeader.objects.create(
        round=world.round,
        organisation=world.own.organisation,
        department="测试区经济和信息化局",
        contact="王芳",
        mobile="13800001234",
    )
    client_for(client, world, "own")
    word = client.get("/county/summary.docx")
    assert word.status_code == 200
    assert "filename*=utf-8''" in word["Content-Disposition"]
    text = _text(docx.Document(io.BytesIO(word.content)))
    assert "本县第二集群" in text
    assert "本县模具产业集群" not in text  # still a draft: the submitted one is listed
    assert "他县纺织产业集群" not in text
    assert "测试区经济和信息化局" in text
    assert "13800001234" in text

    excel = client.get("/county/summary.xlsx")
    assert excel.status_code == 200
    assert excel["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spread")
    sheet = openpyxl.load_workbook(io.BytesIO(excel.content)).active
    cells = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "本县第二集群" in cells
    assert "他县纺织产业集群" not in cells


def test_summary_before_any_submission_is_a_preview_of_the_drafts(client):
    world = make_world(name="2023年度")
    client_for(client, world, "own")
    assert "汇总表按现有草稿生成预览" in client.get("/county/").content.decode()
    text = _text(docx.Document(io.BytesIO(client.get("/county/summary.docx").content)))
    assert "2023年度中小企业特色产业集群推荐汇总表" in text
    assert "本县模具产业集群" in text
    assert "他县纺织产业集群" not in text


def test_package_holds_the_county_documents_and_a_manifest(client):
    world = make_world()
    response = client_for(client, world, "own").get("/county/package.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "filename*=utf-8''" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert "附件1-推荐汇总表.docx" in names
    assert "附件1-推荐汇总表.xlsx" in names
    assert "1-本县模具产业集群/附件2-申报表.docx" in names
    assert not any("他县" in name for name in names)
    manifest = json.loads(archive.read("manifest.json"))
    assert [app["cluster_name"] for app in manifest["applications"]] == ["本县模具产业集群"]
    form = docx.Document(io.BytesIO(archive.read("1-本县模具产业集群/附件2-申报表.docx")))
    assert "本县模具产业集群" in _text(form)


def test_pdf_without_libreoffice_says_so(client, monkeypatch):
    world = make_world()

    def unavailable(*args, **kwargs):
        raise PdfUnavailable()

    monkeypatch.setattr(county_documents, "convert_to_pdf", unavailable)
    response = client_for(client, world, "own").get(
        f"/county/applications/{world.application.pk}/attachment2.pdf"
    )
    assert response.status_code == 503
    page = response.content.decode()
    assert "未安装 LibreOffice" in page
    assert f"/county/applications/{world.application.pk}/attachment2.docx" in page
    # Nothing else breaks: Word still downloads.
    word = client.get(f"/county/applications/{world.application.pk}/attachment2.docx")
    assert word.status_code == 200


@pytest.mark.pdf
@pytest.mark.skipif(not pdf.libreoffice_available(), reason="LibreOffice is not installed")
def test_pdf_with_libreoffice(client):
    world = make_world()
    response = client_for(client, world, "own").get(
        f"/county/applications/{world.application.pk}/attachment2.pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert quote("附件2-申报表-本县模具产业集群.pdf") in response["Content-Disposition"]


# --- expensive downloads run in slots -------------------------------------------------------


def hold(user):
    """Take one of ``user``'s slots, as a download of theirs still running would."""
    return heavy_slots().acquire(str(user.pk))


def pdf_url(world) -> str:
    return f"/county/applications/{world.application.pk}/attachment2.pdf"


def assert_busy(response, message: str) -> None:
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert message in response.content.decode()


@pytest.mark.usefixtures("fake_pdf")
def test_a_second_heavy_download_of_the_same_user_is_refused_at_once(client):
    world = make_world()
    client_for(client, world, "own")
    with hold(world.own):  # the first download is still running
        busy = "您已有 1 个生成 PDF 或电子版的请求正在进行，请等它完成后再试。"
        assert_busy(client.get(pdf_url(world)), busy)
        assert_busy(client.get("/county/package.zip"), busy)
        # Another county officer is not held up by this one.
        other = client_for(Client(), world, "other_county").get("/county/package.zip")
        assert other.status_code == 200
        b"".join(other.streaming_content)
        assert client.get("/county/summary.docx").status_code == 200  # cheap: no slot
    assert client.get(pdf_url(world)).status_code == 200


@pytest.mark.usefixtures("fake_pdf")
@override_settings(CLUSTERDESK_HEAVY_TOTAL=2)
def test_heavy_downloads_are_limited_overall(client):
    world = make_world()
    with hold(world.city), hold(world.other_county):
        response = client_for(client, world, "own").get(pdf_url(world))
        assert_busy(response, "服务器正忙：同时生成 PDF 或电子版的请求已达 2 个的上限")
    assert client.get(pdf_url(world)).status_code == 200


@pytest.mark.usefixtures("fake_pdf")
def test_the_slot_is_free_again_after_the_response(client):
    world = make_world()
    assert client_for(client, world, "own").get(pdf_url(world)).status_code == 200
    hold(world.own).release()  # would raise SlotsBusy if the download had kept it


def test_a_streamed_package_keeps_its_slot_until_the_stream_is_closed(client):
    world = make_world()
    response = client_for(client, world, "own").get("/county/package.zip")
    assert response.status_code == 200
    with pytest.raises(SlotsBusy):  # the file is still being sent
        hold(world.own)
    zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))  # the last byte: closed
    hold(world.own).release()


def test_a_failing_download_frees_its_slot(client, monkeypatch):
    world = make_world()

    def fail(application):
        raise RuntimeError("LibreOffice crashed")

    monkeypatch.setattr(county_documents, "attachment2_pdf", fail)
    with pytest.raises(RuntimeError):
        client_for(client, world, "own").get(pdf_url(world))
    hold(world.own).release()


# --- access ---------------------------------------------------------------------------------

OBJECT_VIEWS = ("attachment2.docx", "attachment2.pdf")
COUNTY_VIEWS = ("summary.docx", "summary.xlsx", "package.zip")
OBJECT_EXPECTED = {"own": 200, "other_county": 404, "city": 200, "expert": 404, "admin": 200}
COUNTY_EXPECTED = {"own": 200, "other_county": 200, "city": 403, "expert": 403, "admin": 403}


@pytest.fixture
def fake_pdf(monkeypatch):
    monkeypatch.setattr(county_documents, "attachment2_pdf", lambda application: b"%PDF-1.7")


@pytest.mark.usefixtures("fake_pdf")
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", OBJECT_VIEWS)
def test_application_document_access(client, role, view):
    world = make_world()
    response = client_for(client, world, role).get(
        f"/county/applications/{world.application.pk}/{view}"
    )
    if role == "anonymous":
        assert_login_redirect(response)
    else:
        assert response.status_code == OBJECT_EXPECTED[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", COUNTY_VIEWS)
def test_county_document_access(client, role, view):
    world = make_world()
    response = client_for(client, world, role).get(f"/county/{view}")
    if role == "anonymous":
        assert_login_redirect(response)
        return
    assert response.status_code == COUNTY_EXPECTED[role]
    if response.status_code == 200 and view == "summary.docx":
        text = _text(docx.Document(io.BytesIO(response.content)))
        mine, theirs = "本县模具产业集群", "他县纺织产业集群"
        if role == "other_county":
            mine, theirs = theirs, mine
        assert mine in text
        assert theirs not in text
