"""Risky evidence files are refused, with a Chinese message naming the file, and nothing stored.

Every hostile sample here was accepted and stored before these checks (see hostile.py).
"""

import io

import pytest

from clusterdesk.evidence import contentcheck, pdfcheck
from clusterdesk.evidence.domain.uploads import upload_evidence
from clusterdesk.evidence.models import Blob
from clusterdesk.evidence.sniffing import RefusedFile, check_file
from clusterdesk.shared.blobstore import default_store
from tests import factories
from tests.evidence import hostile, samples

PATH = "part2.chain_map"
PDF_ADVICE = "请用“打印为 PDF”或“另存为 PDF”重新生成不含脚本、附件和动作的文件后上传。"


def refusal(name, content):
    with pytest.raises(RefusedFile) as refused:
        check_file(name, len(content), io.BytesIO(content), 20 << 20)
    message = refused.value.message
    assert f"“{name}”" in message
    return message


def accepted(name, content):
    return check_file(name, len(content), io.BytesIO(content), 20 << 20).key


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (hostile.pdf_open_action_js, "含有 JavaScript 脚本"),
        (hostile.pdf_open_action_js_hidden, "含有 JavaScript 脚本"),
        (hostile.pdf_named_javascript, "含有 JavaScript 脚本"),
        (hostile.pdf_page_aa_uri, "含有打开文件或翻页时自动执行的动作（OpenAction/AA）"),
        (hostile.pdf_launch_link, "含有启动外部程序的动作（Launch）"),
        (hostile.pdf_embedded_file, "内嵌了附件文件"),
        (hostile.pdf_xfa_script, "是 XFA 动态表单"),
    ],
)
def test_pdfs_with_active_content_are_refused(build, reason):
    message = refusal("证书.pdf", build())
    assert message.startswith(f"“证书.pdf”{reason}")
    assert message.endswith(f"不予接收：{PDF_ADVICE}")


def test_a_hidden_script_is_found_by_parsing_not_by_bytes():
    content = hostile.pdf_open_action_js_hidden()
    assert b"JavaScript" not in content
    assert b"/JS" not in content
    assert "JavaScript" in refusal("证书.pdf", content)


def test_pdfs_needing_a_password_are_refused():
    assert refusal("加密.pdf", hostile.pdf_encrypted()) == (
        "“加密.pdf”设有打开密码，无法检查其内容，未上传：请上传未加密的 PDF 文件。"
    )


def test_pdfs_that_only_restrict_editing_are_checked_and_accepted():
    assert accepted("证书.pdf", hostile.pdf_owner_password_only()) == "pdf"


def test_clean_files_are_accepted():
    assert accepted("报告.pdf", hostile.clean_pdf(pages=3)) == "pdf"
    assert accepted("旧报告.pdf", samples.PDF) == "pdf"  # no xref table: qpdf repairs it
    assert accepted("链接.pdf", hostile.pdf_with_link_and_outline()) == "pdf"
    assert accepted("照片.png", hostile.real_image("PNG")) == "png"
    assert accepted("照片.jpg", hostile.real_image("JPEG")) == "jpeg"
    assert accepted("照片.gif", hostile.real_image("GIF")) == "gif"
    assert accepted("照片.webp", hostile.real_image("WEBP")) == "webp"
    assert accepted("办法.docx", samples.docx_bytes()) == "docx"
    assert accepted("清单.xlsx", samples.xlsx_bytes()) == "xlsx"


@pytest.mark.parametrize(
    ("name", "build", "reason"),
    [
        ("网页.pdf", hostile.pdf_html_polyglot, "既是PDF 文件又是网页（夹带了网页代码 <script>…）"),
        ("图谱.png", hostile.png_html_polyglot, "既是图片又是网页（夹带了网页代码 <svg onload=…）"),
        ("照片.jpg", hostile.jpeg_html_polyglot, "既是图片又是网页（夹带了网页代码 <script>…）"),
        ("动图.gif", hostile.gif_js_polyglot, "既是图片又是一段 JavaScript 脚本"),
        ("动图.gif", hostile.gif_js_polyglot_in_comment, "既是图片又是一段 JavaScript 脚本"),
        ("动图.gif", hostile.gif_with_zip, "的末尾附带了一个压缩包"),
    ],
)
def test_polyglots_are_refused(name, build, reason):
    assert refusal(name, build()).startswith(f"“{name}”{reason}")


def test_office_zip_bombs_are_refused():
    message = refusal("办法.docx", hostile.docx_bomb(64))
    assert message.startswith("文件 “办法.docx” 疑似压缩炸弹：条目 word/media/image1.png")


def test_office_files_with_absurdly_many_parts_are_refused():
    count = contentcheck.OFFICE_MAX_ENTRIES + 1
    message = refusal("办法.docx", hostile.docx_many_entries(count))
    assert "内部条目过多" in message


def test_office_files_that_fetch_a_template_from_the_network_are_refused():
    message = refusal("办法.docx", hostile.docx_remote_template())
    assert message.startswith(
        "“办法.docx”在打开时会自动从外部地址加载内容（http://evil.example/t.dotm）"
    )


def test_excel_4_macro_sheets_are_macros():
    assert "含有宏代码" in refusal("清单.xlsx", hostile.xlsx_macro_sheet())


def test_pdfs_with_absurdly_many_objects_are_refused(monkeypatch):
    monkeypatch.setattr(pdfcheck, "MAX_OBJECTS", 100)
    message = refusal("图谱.pdf", hostile.pdf_many_objects(150))
    assert "的内部对象过多" in message
    assert "上限 100 个" in message
    assert accepted("图谱.pdf", hostile.pdf_many_objects(50)) == "pdf"


def test_a_pdf_that_inflates_past_the_memory_limit_is_refused(monkeypatch):
    # Read in the web worker, this 0.4 MB file takes 2 GB and half a minute; the child gives
    # up at its limit. The script behind the filler must not pass unseen.
    monkeypatch.setattr(pdfcheck, "MEMORY_MB", 256)
    message = refusal("图谱.pdf", hostile.pdf_object_stream_bomb(400))
    assert "结构过于复杂，无法在限定的时间和内存内完成安全检查" in message
    # Small enough to read: the script is found.
    assert "JavaScript" in refusal("图谱.pdf", hostile.pdf_object_stream_bomb(2))


def test_a_pdf_check_that_runs_out_of_time_refuses_the_file(monkeypatch):
    monkeypatch.setattr(pdfcheck, "CHECK_TIMEOUT_SECONDS", 0.001)
    assert "结构过于复杂" in refusal("图谱.pdf", hostile.clean_pdf())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("脚本.pdf", hostile.pdf_open_action_js),
        ("网页.pdf", hostile.pdf_html_polyglot),
        ("动图.gif", hostile.gif_js_polyglot),
        ("照片.jpg", hostile.jpeg_html_polyglot),
        ("炸弹.docx", hostile.docx_bomb),
    ],
)
def test_a_refused_upload_leaves_nothing_behind(client, name, build):
    application = factories.make_application(data={})
    client.force_login(application.created_by)
    response = client.post(
        f"/evidence/{application.pk}/upload/",
        {"path": PATH, "file": [samples.upload(name, build())]},
        HTTP_X_EVIDENCE_WIDGET="1",
    )
    assert response.status_code == 400
    assert f"“{name}”" in response.content.decode()
    assert "不予接收" in response.content.decode() or "已拒绝" in response.content.decode()
    application.refresh_from_db()
    assert application.version == 1
    assert PATH not in (application.data.get("evidence") or {})
    assert Blob.objects.count() == 0
    assert not [p for p in default_store().root.rglob("*") if p.is_file()]


@pytest.mark.django_db
def test_clean_files_still_upload():
    application = factories.make_application(data={})
    files = [
        samples.upload("报告.pdf", hostile.clean_pdf()),
        samples.upload("照片.png", hostile.real_image("PNG")),
        samples.upload("照片.jpg", hostile.real_image("JPEG")),
        samples.upload("办法.docx", samples.docx_bytes()),
    ]
    result = upload_evidence(application, PATH, files, application.created_by)
    assert result.refused == []
    assert result.added == ["报告.pdf", "照片.png", "照片.jpg", "办法.docx"]


def test_a_pdf_uploaded_again_is_not_parsed_again(monkeypatch):
    content = hostile.clean_pdf(text="Again")
    runs = []
    real = pdfcheck._run
    monkeypatch.setattr(pdfcheck, "_run", lambda *args, **kw: runs.append(1) or real(*args, **kw))
    assert accepted("第一次.pdf", content) == "pdf"
    assert accepted("第二次.pdf", content) == "pdf"
    assert len(runs) == 1
