"""The demo looks real: its applications have their evidence files, and every download of the
demo county works (issue 9, item 10); the demo's own deadline is marked 演示."""

import datetime as dt
import hashlib
import html
import io
import json
import re
import zipfile

import pytest
from django.test import Client

from clusterdesk.accounts.models import User
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application
from clusterdesk.demo.seed import OFFICIAL_DEADLINE, seed_demo
from clusterdesk.evidence import pdfcheck
from clusterdesk.evidence.models import Upload
from clusterdesk.rounds.models import Round
from clusterdesk.shared.blobstore import default_store
from tests.documents.helpers import needs_pdf_tools

pytestmark = pytest.mark.django_db
HREF = re.compile(r'href="([^"]+)"')


def logged_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def links(page: str, pattern: str) -> list[str]:
    return sorted({html.unescape(href) for href in HREF.findall(page) if re.search(pattern, href)})


def test_every_register_entry_is_an_uploaded_pdf_that_passes_the_evidence_checks(world):
    for application in Application.objects.all():
        register = application.data["evidence"]
        entries = [entry for files in register.values() for entry in files]
        assert len(entries) == 45
        uploads = {upload.blob_id: upload for upload in application.uploads.select_related("blob")}
        for entry in entries:
            upload = uploads[entry["sha256"]]  # given to this application, like an officer's
            assert entry["name"].endswith(".pdf")
            assert upload.blob.size == entry["size"]
            assert upload.blob.kind == "pdf"
    one = Upload.objects.select_related("blob").first()
    with default_store().open(one.blob_id) as stream:
        data = stream.read()
    assert hashlib.sha256(data).hexdigest() == one.blob_id
    assert pdfcheck.check_pdf(one.name, data) is None


def test_every_evidence_download_and_preview_of_the_submitted_application_works(world):
    submitted = Application.objects.get(
        state=ApplicationState.SUBMITTED, organisation__county="江北区"
    )
    client = logged_in("jiangbei")
    page = client.get(f"/evidence/{submitted.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "尚未上传文件" not in text
    downloads = links(text, rf"^/evidence/{submitted.pk}/[0-9a-f]{{64}}/$")
    previews = links(text, rf"^/evidence/{submitted.pk}/[0-9a-f]{{64}}/\?inline=1$")
    assert len(downloads) == len(previews) == 45
    for url in downloads:
        response = client.get(url)
        assert response.status_code == 200, url
        assert body(response).startswith(b"%PDF-")
    for url in previews:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "data:image/jpeg;base64," in response.content.decode(), url


def test_the_demo_county_documents_and_package_download_with_every_file(world):
    client = logged_in("jiangbei")
    dashboard = client.get("/county/").content.decode()
    urls = [url for url in links(dashboard, r"\.(docx|xlsx|zip)(\?|$)") if "pdf=1" not in url]
    assert any("package.zip" in url for url in urls)
    assert any("attachment2.docx" in url for url in urls)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert body(response)  # read to the end: a streamed package holds its slot until then
    (package_url,) = [url for url in urls if "package.zip" in url and "pdf=1" not in url]
    package = client.get(package_url)
    archive = zipfile.ZipFile(io.BytesIO(body(package)))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["missing_evidence"] == []
    (application,) = manifest["applications"]
    assert len(application["evidence"]) == 45
    submitted = Application.objects.get(organisation__county="江北区")
    registered = {e["sha256"] for files in submitted.data["evidence"].values() for e in files}
    assert {record["sha256"] for record in application["evidence"]} == registered


@pytest.mark.pdf
@needs_pdf_tools
def test_the_demo_county_pdf_downloads_work(world):
    client = logged_in("jiangbei")
    dashboard = client.get("/county/").content.decode()
    urls = links(dashboard, r"(attachment2\.pdf|pdf=1)")
    assert len(urls) == 2
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert body(response).startswith((b"%PDF-", b"PK"))


def test_a_demo_seeded_after_the_notice_deadline_marks_its_deadline_as_the_demos(clock_at):
    clock_at(dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC))
    seed_demo()
    round_ = Round.objects.get(name="2023年度")
    assert round_.notice_deadline == OFFICIAL_DEADLINE
    assert round_.deadline_is_demo
    mark = "演示</span>（通知规定的截止时间为2023年4月14日 23:59"
    assert mark in logged_in("jiangbei").get("/county/").content.decode()
    assert mark in logged_in("city").get("/intake/").content.decode()  # the desk
    assert mark in logged_in("city").get("/rounds/").content.decode()
    assert mark in logged_in("city").get(f"/rounds/{round_.pk}/edit/").content.decode()
    assert mark in Client().get("/").content.decode()


def test_a_demo_seeded_before_the_notice_deadline_has_no_mark(world):
    # The world is seeded at the tests' clock, before 2023-04-14.
    round_ = Round.objects.get(name="2023年度")
    assert not round_.deadline_is_demo
    assert "演示</span>" not in logged_in("jiangbei").get("/county/").content.decode()
    assert "演示</span>" not in Client().get("/").content.decode()
