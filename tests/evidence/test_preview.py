"""The PDF preview: a sandboxed page showing the document as images drawn on the server."""

import base64
import hashlib
import io
import re

import pytest
from PIL import Image

from clusterdesk.evidence import pdfcheck
from clusterdesk.evidence.domain.uploads import upload_evidence
from clusterdesk.shared.blobstore import default_store
from tests import factories
from tests.evidence import hostile, samples

pytestmark = pytest.mark.django_db

PATH = "part2.chain_map"
IMAGE = re.compile(r'<img src="data:image/jpeg;base64,([A-Za-z0-9+/=]+)" width="(\d+)"')


def upload(application, content, name="产业链图谱.pdf"):
    officer = application.created_by
    result = upload_evidence(application, PATH, [samples.upload(name, content)], officer)
    assert result.added == [name], result.refused
    sha = hashlib.sha256(content).hexdigest()
    return f"/evidence/{application.pk}/{sha}/?inline=1"


def page_images(response):
    return [
        Image.open(io.BytesIO(base64.b64decode(data)))
        for data, _ in IMAGE.findall(response.content.decode())
    ]


def test_the_preview_is_sandboxed_and_shows_page_one_as_an_image(client, application, officer):
    url = upload(application, hostile.clean_pdf(pages=2))
    response = client.get(url)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "sandbox" in policy.split("; ")
    assert "allow-scripts" not in policy
    assert "default-src 'none'" in policy
    assert "img-src data:" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    page = response.content.decode()
    assert "预览：产业链图谱.pdf" in page
    assert "第 1–2 页，共 2 页" in page
    assert "<script" not in page
    images = page_images(response)
    assert [image.format for image in images] == ["JPEG", "JPEG"]
    # Page 1 as drawn: white paper with the blue square of the content stream on it.
    first = images[0].convert("RGB")
    assert first.width > first.height * 0.6
    assert first.getpixel((5, 5)) == pytest.approx((255, 255, 255), abs=8)
    width, height = first.size
    blue = first.getpixel((int(width * 200 / 595), int(height * (842 - 350) / 842)))
    assert blue == pytest.approx((0, 0, 255), abs=40)


def test_long_documents_are_previewed_a_few_pages_at_a_time(client, application, officer):
    url = upload(application, hostile.clean_pdf(pages=pdfcheck.PREVIEW_PAGES + 2))
    first = client.get(url)
    assert len(page_images(first)) == pdfcheck.PREVIEW_PAGES
    assert f"第 1–{pdfcheck.PREVIEW_PAGES} 页，共 7 页" in first.content.decode()
    next_url = url + f"&amp;page={pdfcheck.PREVIEW_PAGES + 1}"
    assert f'href="{next_url}">下一组' in first.content.decode()

    rest = client.get(url + f"&page={pdfcheck.PREVIEW_PAGES + 1}")
    page = rest.content.decode()
    assert len(page_images(rest)) == 2
    assert "第 6–7 页，共 7 页" in page
    assert "上一组" in page
    assert "下一组" not in page

    beyond = client.get(url + "&page=99").content.decode()
    assert "该文件共 7 页，没有第 99 页" in beyond
    assert client.get(url + "&page=abc").status_code == 200  # page 1


def test_a_preview_that_cannot_be_drawn_in_time_says_so(client, application, officer, monkeypatch):
    url = upload(application, hostile.clean_pdf())
    monkeypatch.setattr(pdfcheck, "RENDER_TIMEOUT_SECONDS", 0.001)
    response = client.get(url)
    assert response.status_code == 200
    assert "sandbox" in response["Content-Security-Policy"]
    assert "无法在限定的时间和内存内生成预览" in response.content.decode()
    assert "ETag" not in response  # the next request tries again


def test_a_damaged_stored_file_gets_a_message_not_an_error(client, application, officer):
    url = upload(application, hostile.clean_pdf())
    default_store().path_of(url.split("/")[3]).write_bytes(b"%PDF-1.4 changed on disk")
    response = client.get(url)
    assert response.status_code == 200
    assert "sandbox" in response["Content-Security-Policy"]
    assert "该佐证材料的文件已丢失或损坏" in response.content.decode()


def test_a_file_pdfium_cannot_read_is_not_previewed():
    # Files stored before the upload checks existed are drawn out of process like any other.
    rendering = pdfcheck.render_pages(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n", 1)
    assert rendering.images == []
    assert rendering.problem == "该文件无法读取，不能生成预览，请下载后查看。"


def test_an_unchanged_preview_is_not_drawn_again(client, application, officer, monkeypatch):
    url = upload(application, hostile.clean_pdf())
    etag = client.get(url)["ETag"]
    monkeypatch.setattr(pdfcheck, "render_pages", lambda *args: pytest.fail("drawn again"))
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert "sandbox" in again["Content-Security-Policy"]


def test_another_county_gets_no_preview(client, application, officer):
    url = upload(application, hostile.clean_pdf())
    client.force_login(factories.make_application().created_by)
    assert client.get(url).status_code == 404


def test_images_are_still_served_as_themselves_in_a_sandbox(client, application, officer):
    content = hostile.real_image("PNG")
    url = upload(application, content, name="照片.png")
    response = client.get(url)
    assert response["Content-Type"] == "image/png"
    assert "sandbox" in response["Content-Security-Policy"]
