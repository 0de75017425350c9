import io

import pytest

from clusterdesk.evidence import polyglot
from clusterdesk.evidence.sniffing import RefusedFile, check_file, clean_name, identify
from tests.evidence import hostile, samples

MB = 1 << 20


def check(name, content, limit=20 * MB):
    return check_file(name, len(content), io.BytesIO(content), limit)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("产业链图谱.pdf", samples.PDF, "pdf"),
        ("商标注册证.JPG", samples.JPEG, "jpeg"),
        ("照片.jpeg", samples.JPEG, "jpeg"),
        ("截图.png", samples.png(), "png"),
        ("动图.gif", samples.GIF, "gif"),
        ("照片.webp", samples.WEBP, "webp"),
        ("管理办法.docx", samples.docx_bytes(), "docx"),
        ("难点清单.xlsx", samples.xlsx_bytes(), "xlsx"),
        ("旧版文件.doc", samples.DOC, "doc"),
        ("旧版表格.xls", samples.XLS, "xls"),
        ("电子公文.ofd", samples.ofd_bytes(), "ofd"),
    ],
)
def test_accepted_kinds(name, content, kind):
    assert check(name, content).key == kind


@pytest.mark.parametrize(
    ("name", "content", "found"),
    [
        ("报告.pdf", samples.EXE, "实际内容不是允许的格式"),
        ("报告.pdf", samples.TEXT, "实际内容不是允许的格式"),
        ("报告.pdf", samples.docx_bytes(), "实际内容是Word 文档（DOCX）"),
        ("清单.xlsx", samples.docx_bytes(), "实际内容是Word 文档（DOCX）"),
        ("照片.png", samples.JPEG, "实际内容是JPEG 图片"),
        ("文件.docx", samples.zip_bytes({"a.txt": b"hi"}), "实际内容不是允许的格式"),
        ("表格.xls", samples.DOC, "实际内容是Word 97-2003 文档（DOC）"),
        ("文件.doc", samples.ole2("PowerPoint Document"), "实际内容不是允许的格式"),
        ("文件.docx", b"PK\x03\x04 broken zip", "实际内容不是允许的格式"),
    ],
)
def test_content_must_agree_with_the_extension(name, content, found):
    with pytest.raises(RefusedFile) as refused:
        check(name, content)
    assert refused.value.message.startswith(f"“{name}”的文件内容与扩展名不符")
    assert found in refused.value.message


@pytest.mark.parametrize("name", ["程序.exe", "说明.txt", "材料.zip", "页面.html", "无扩展名"])
def test_other_extensions_are_refused(name):
    with pytest.raises(RefusedFile, match=f"“{name}”的格式不能作为佐证材料上传：只接受PDF"):
        check(name, samples.PDF)


def test_over_the_limit_is_refused_naming_file_and_limit():
    with pytest.raises(RefusedFile) as refused:
        check("扫描件.pdf", samples.PDF + b"\0" * (2 * MB), limit=2 * MB)
    assert refused.value.message == "“扫描件.pdf”（2.0 MB）超过了每个文件 2 MB 的上限，未上传。"


def test_empty_files_are_refused():
    with pytest.raises(RefusedFile) as refused:
        check("空.pdf", b"")
    assert refused.value.message == "“空.pdf”是空文件，未上传。"


def test_office_files_with_macros_are_refused():
    with pytest.raises(RefusedFile, match="含有宏代码"):
        check("宏.docx", samples.docm_bytes())
    with pytest.raises(RefusedFile, match="含有宏代码"):
        check("宏.xls", samples.ole2("Workbook", storages=("_VBA_PROJECT_CUR",)))


def test_a_word_document_with_an_embedded_workbook_is_either():
    both = samples.ole2("WordDocument", "Workbook")
    assert identify(io.BytesIO(both)) == (frozenset({"doc", "xls"}), False)


def test_ole2_names_count_only_as_directory_entries():
    # The name as data (not at an entry's place, or with a wrong length field) is not a stream.
    name = ("WordDocument" + "\0").encode("utf-16-le")
    fake = samples.ole2("Other") + b"\0" * 3 + name + b"\0" * 200
    assert identify(io.BytesIO(fake)) == (frozenset(), False)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("C:\\Users\\张三\\桌面\\图谱.pdf", "图谱.pdf"),
        ("../../etc/图谱.pdf", "图谱.pdf"),
        ("a\x00b\r\nc.pdf", "a b c.pdf"),
        ('a<b>:"c|d?*.pdf', "a_b___c_d__.pdf"),
        ("  材料  清单 .pdf.  ", "材料 清单 .pdf"),
        (".pdf", "佐证材料.pdf"),
        ("", "佐证材料"),
    ],
)
def test_names_are_cleaned_for_display(raw, clean):
    assert clean_name(raw) == clean


def test_long_names_keep_their_extension():
    name = clean_name("长" * 300 + ".docx")
    assert len(name) == 255
    assert name.endswith("长.docx")


def test_activex_controls_count_as_macros():
    content = samples.zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document/>",
            "word/activeX/activeX1.xml": b"<ax:ocx/>",
        }
    )
    with pytest.raises(RefusedFile, match="含有宏代码"):
        check("控件.docx", content)


XMP = (
    b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description rdf:about="" '
    b'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Microsoft Word"/>'
    b"</rdf:RDF></x:xmpmeta>"
)
RICH_TEXT = '<body xmlns="http://www.w3.org/1999/xhtml"><p dir="ltr">批注</p></body>'.encode()


@pytest.mark.parametrize(
    ("content", "found"),
    [
        (XMP, None),  # metadata of every PDF and many photos
        (RICH_TEXT, None),  # the rich text of a PDF comment: inert
        (b"x<iframe src=//evil.example>", "<iframe "),
        (b"\x00<img src=x onerror=alert(1)>", "<img src=x onerror="),
        (b"<svg/onload=alert(1)>", "<svg/onload="),
        (b'<meta http-equiv="refresh" content="0;url=//evil.example">', "<meta http-equiv="),
        (b"<a href=javascript:alert(1)>", "<a href=javascript:"),
    ],
)
def test_active_markup_is_told_from_inert_markup(content, found):
    assert polyglot.active_html(content) == found


@pytest.mark.parametrize("kind", ["GIF", "PNG", "JPEG", "WEBP"])
def test_real_images_are_not_scripts(kind):
    assert not polyglot.could_be_javascript(hostile.real_image(kind))


@pytest.mark.parametrize(
    "script",
    [
        b"GIF89a/*\x00\x01binary*/=alert(1);",
        b"GIF89a=1;x='\x00\x01';alert(1)//\x02\x03",
        b"\xff\xd8\xff\xe0/*\x00JFIF*/=alert(1)",  # a JPEG read as windows-1252
        b"a = /[/]\x7f/.source; b = `\n\x01`",
    ],
)
def test_scripts_hiding_binary_in_comments_and_strings_lex_to_the_end(script):
    assert polyglot.could_be_javascript(script)


@pytest.mark.parametrize("content", [b"GIF89a/*unclosed", b"GIF89a\x00", b"GIF89a'\n'"])
def test_invalid_scripts_do_not_lex(content):
    assert not polyglot.could_be_javascript(content)


def test_office_links_opened_on_a_click_or_on_the_authors_disk_are_fine():
    members = {
        "[Content_Types].xml": b"<Types/>",
        "word/document.xml": b"<w:document/>",
        "word/_rels/document.xml.rels": (
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/hyperlink" Target="https://www.ningbo.gov.cn/"'
            b' TargetMode="External"/></Relationships>'
        ),
        "word/_rels/settings.xml.rels": (
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/attachedTemplate" Target="file:///C:\\Users\\'
            b'a\\Templates\\Normal.dotm" TargetMode="External"/></Relationships>'
        ),
    }
    assert check("办法.docx", samples.zip_bytes(members)).key == "docx"
