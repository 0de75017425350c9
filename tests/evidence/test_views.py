import hashlib
from urllib.parse import quote

import pytest
from django.template.loader import render_to_string
from django.test import Client

from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.workflow import transition
from clusterdesk.evidence.domain.uploads import upload_evidence
from clusterdesk.evidence.views import widget_context
from clusterdesk.shared.blobstore import default_store
from tests import factories
from tests.evidence import samples

pytestmark = pytest.mark.django_db

PATH = "part2.chain_map"
WIDGET = {"HTTP_X_EVIDENCE_WIDGET": "1"}
PDF_SHA = hashlib.sha256(samples.PDF).hexdigest()


def post_upload(client, application, *files, path=PATH, **extra):
    data = {"path": path, "file": list(files), **extra.pop("data", {})}
    return client.post(f"/evidence/{application.pk}/upload/", data, **extra)


def test_upload_from_the_widget_returns_the_new_widget(client, application, officer):
    response = post_upload(
        client, application, samples.upload("产业链图谱.pdf", samples.PDF), **WIDGET
    )
    assert response.status_code == 200
    assert response["X-Evidence-Widget"] == "1"
    page = response.content.decode()
    assert 'data-evidence-path="part2.chain_map"' in page
    assert "产业链图谱.pdf" in page
    assert "已上传“产业链图谱.pdf”。" in page
    assert f"/evidence/{application.pk}/{PDF_SHA}/?inline=1" in page  # preview link
    assert 'class="evidence-remove"' in page
    assert "<script" not in page  # the page already has the script
    application.refresh_from_db()
    assert application.version == 2
    assert application.data["evidence"][PATH][0]["sha256"] == PDF_SHA


def test_several_files_in_one_post(client, application, officer):
    response = post_upload(
        client,
        application,
        samples.upload("a.pdf", samples.PDF),
        samples.upload("b.docx", samples.docx_bytes()),
        samples.upload("c.pdf", samples.EXE),
        **WIDGET,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "已上传“a.pdf”。" in page
    assert "已上传“b.docx”。" in page
    assert "“c.pdf”的文件内容与扩展名不符" in page
    application.refresh_from_db()
    assert [e["name"] for e in application.data["evidence"][PATH]] == ["a.pdf", "b.docx"]


def test_a_refused_upload_returns_the_widget_with_the_reason(client, application, officer):
    response = post_upload(client, application, samples.upload("说明.pdf", samples.TEXT), **WIDGET)
    assert response.status_code == 400
    assert response["X-Evidence-Widget"] == "1"
    assert "“说明.pdf”的文件内容与扩展名不符" in response.content.decode()
    application.refresh_from_db()
    assert application.version == 1


def test_an_upload_without_files_says_so(client, application, officer):
    response = post_upload(client, application, **WIDGET)
    assert response.status_code == 400
    assert "请选择要上传的文件。" in response.content.decode()


def test_an_oversized_file_is_dropped_while_streaming(client, application, officer, settings):
    settings.CLUSTERDESK_EVIDENCE_MAX_MB = 1
    big = samples.PDF + b"\0" * (1 << 20)
    response = post_upload(
        client,
        application,
        samples.upload("扫描件.pdf", big),
        samples.upload("小文件.pdf", samples.PDF),
        **WIDGET,
    )
    page = response.content.decode()
    assert "“扫描件.pdf”超过了每个文件 1 MB 的上限，未上传。" in page
    assert "已上传“小文件.pdf”。" in page
    store_files = [p for p in default_store().root.rglob("*") if p.is_file()]
    assert [p.name for p in store_files] == [PDF_SHA]


def test_without_javascript_the_upload_redirects_back(client, application, officer):
    back = f"/applications/{application.pk}/part2/"
    response = post_upload(
        client, application, samples.upload("图谱.pdf", samples.PDF), data={"next": back}
    )
    assert response.status_code == 302
    assert response.url == back
    shown = [str(m) for m in response.wsgi_request._messages]
    assert shown == ["已上传“图谱.pdf”。"]


def test_a_redirect_never_leaves_the_site(client, application, officer):
    response = post_upload(
        client,
        application,
        samples.upload("图谱.pdf", samples.PDF),
        data={"next": "https://evil.example/"},
    )
    assert response.url == f"/evidence/{application.pk}/"


def test_uploads_need_the_csrf_token(application):
    client = Client(enforce_csrf_checks=True)
    client.force_login(application.created_by)
    response = post_upload(client, application, samples.upload("图谱.pdf", samples.PDF))
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.version == 1


def test_remove_while_draft(client, application, officer):
    upload_evidence(application, PATH, [samples.upload("图谱.pdf", samples.PDF)], officer)
    response = client.post(
        f"/evidence/{application.pk}/remove/", {"path": PATH, "sha256": PDF_SHA}, **WIDGET
    )
    assert response.status_code == 200
    assert "已删除“图谱.pdf”。" in response.content.decode()
    application.refresh_from_db()
    assert PATH not in application.data["evidence"]
    assert default_store().exists(PDF_SHA)  # the file stays: history is never lost


def test_remove_is_refused_once_submitted(client, officer):
    application = factories.make_application(officer=officer)
    upload_evidence(application, PATH, [samples.upload("图谱.pdf", samples.PDF)], officer)
    transition(application, ApplicationState.SUBMITTED, officer, reason="")
    url = f"/evidence/{application.pk}/remove/"
    removal = {"path": PATH, "sha256": PDF_SHA}

    response = client.post(url, removal, **WIDGET)
    assert response.status_code == 403
    assert response.json()["error"] == "申报当前为“已提交”，不能修改；被退回后方可修改。"

    page = client.post(url, removal)  # without JavaScript: the 403 page says why
    assert page.status_code == 403
    assert "申报当前为“已提交”，不能修改" in page.content.decode()
    application.refresh_from_db()
    assert application.data["evidence"][PATH][-1]["sha256"] == PDF_SHA


def test_download_sends_the_file_under_its_chinese_name(client, application, officer):
    upload_evidence(application, PATH, [samples.upload("产业链 图谱.pdf", samples.PDF)], officer)
    response = client.get(f"/evidence/{application.pk}/{PDF_SHA}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''{quote('产业链 图谱.pdf')}"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-cache"


def test_preview_of_a_pdf_is_a_sandboxed_page_of_images(client, application, officer):
    # The PDF itself is never handed to the browser's viewer (see test_preview.py).
    upload_evidence(application, PATH, [samples.upload("图谱.pdf", samples.PDF)], officer)
    response = client.get(f"/evidence/{application.pk}/{PDF_SHA}/?inline=1")
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "sandbox" in policy
    assert '<img src="data:image/jpeg;base64,' in response.content.decode()


def test_preview_of_an_image_is_inline_and_sandboxed(client, application, officer):
    content = samples.png()
    upload_evidence(application, PATH, [samples.upload("照片.png", content)], officer)
    sha = hashlib.sha256(content).hexdigest()
    response = client.get(f"/evidence/{application.pk}/{sha}/?inline=1")
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Type"] == "image/png"
    assert "sandbox" in response["Content-Security-Policy"]


def test_word_files_are_downloaded_even_when_a_preview_is_asked(client, application, officer):
    content = samples.docx_bytes()
    upload_evidence(application, PATH, [samples.upload("办法.docx", content)], officer)
    sha = hashlib.sha256(content).hexdigest()
    response = client.get(f"/evidence/{application.pk}/{sha}/?inline=1")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_damaged_file_is_not_sent(client, application, officer):
    upload_evidence(application, PATH, [samples.upload("图谱.pdf", samples.PDF)], officer)
    default_store().path_of(PDF_SHA).write_bytes(b"%PDF-1.4 changed on disk")
    response = client.get(f"/evidence/{application.pk}/{PDF_SHA}/")
    assert response.status_code == 500
    assert "校验失败" in response.content.decode()


def test_a_lost_file_is_404(client, application, officer):
    upload_evidence(application, PATH, [samples.upload("图谱.pdf", samples.PDF)], officer)
    default_store().path_of(PDF_SHA).unlink()
    assert client.get(f"/evidence/{application.pk}/{PDF_SHA}/").status_code == 404


def test_the_list_page_groups_evidence_by_part_and_item(client, officer):
    application = factories.make_application(officer=officer)  # the example: names only
    upload_evidence(application, PATH, [samples.upload("新图谱.png", samples.png())], officer)
    page = client.get(f"/evidence/{application.pk}/").content.decode()
    assert "佐证材料：测试产业集群" in page
    for text in ("二、主导产业情况", "五、绿色化转型情况", "集群是否绘制产业链图谱", "新图谱.png"):
        assert text in page
    assert "北仑模具产业链图谱.pdf" in page
    assert "仅登记了文件名，尚未上传文件" in page
    assert "?inline=1" in page
    assert "clusterdesk/evidence.js" in page
    assert page.index("二、主导产业情况") < page.index("五、绿色化转型情况")


def test_the_list_page_is_read_only_for_the_city(client, application):
    upload_evidence(
        application, PATH, [samples.upload("图谱.pdf", samples.PDF)], application.created_by
    )
    client.force_login(factories.make_city_officer())
    page = client.get(f"/evidence/{application.pk}/").content.decode()
    assert "图谱.pdf" in page
    assert "evidence-upload" not in page
    assert "evidence-remove" not in page


def test_the_widget_as_the_form_pages_include_it(rf, application):
    upload_evidence(
        application, PATH, [samples.upload("图谱.pdf", samples.PDF)], application.created_by
    )
    request = rf.get(f"/applications/{application.pk}/part2/")
    request.user = application.created_by
    context = widget_context(application, PATH, application.created_by)
    html = render_to_string("evidence/widget.html", context, request=request)
    assert 'name="next" value="/applications/' in html
    assert 'accept=".pdf,.jpg,.jpeg,.png,.gif,.webp,.docx,.doc,.xlsx,.xls,.ofd"' in html
    assert 'data-max-mb="20"' in html
    assert "每个文件不超过 20 MB" in html
    assert html.count("<script") == 1

    request.user = city = factories.make_city_officer()
    html = render_to_string(
        "evidence/widget.html", widget_context(application, PATH, city), request=request
    )
    assert "图谱.pdf" in html
    assert "<form" not in html
