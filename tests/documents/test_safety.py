"""Opening untrusted .docx files: every hostile or broken file gets a Chinese message."""

from __future__ import annotations

import pytest

from clusterdesk.documents import safety
from clusterdesk.documents.attachment2_parse import parse_attachment2
from clusterdesk.documents.errors import DocumentInputError
from clusterdesk.documents.safety import open_docx

from .malicious import MALICIOUS, huge_file, plain_docx, rewrite_part


@pytest.mark.parametrize(
    ("content", "expected"),
    [pytest.param(content, expected, id=name) for name, content, expected in MALICIOUS],
)
def test_a_hostile_or_broken_file_is_refused_with_a_chinese_message(content, expected):
    with pytest.raises(DocumentInputError) as caught:
        open_docx(content, "申报表.docx")
    assert expected in caught.value.message
    assert "申报表.docx" in caught.value.message  # the message names the file


@pytest.mark.parametrize(("name", "content", "expected"), MALICIOUS, ids=[m[0] for m in MALICIOUS])
def test_a_hostile_file_on_disk_is_refused_too(tmp_path, name, content, expected):
    path = tmp_path / f"{name}.docx"
    path.write_bytes(content)
    with pytest.raises(DocumentInputError) as caught:
        open_docx(path)
    assert expected in caught.value.message
    assert path.name in caught.value.message


def test_a_file_far_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = huge_file(tmp_path / "巨大.docx")
    monkeypatch.setattr(type(path), "read_bytes", lambda self: pytest.fail("read a huge file"))
    with pytest.raises(DocumentInputError, match="过大") as caught:
        open_docx(path)
    assert "50 MB" in caught.value.message


def test_bytes_over_the_size_limit_are_refused(monkeypatch):
    monkeypatch.setattr(safety, "MAX_DOCX_BYTES", 1000)
    with pytest.raises(DocumentInputError, match="过大"):
        safety.check_size(1001)


def test_a_total_uncompressed_size_over_the_limit_is_a_bomb(monkeypatch):
    monkeypatch.setattr(safety, "MAX_UNCOMPRESSED_BYTES", 1000)
    with pytest.raises(DocumentInputError, match="压缩炸弹"):
        open_docx(plain_docx())


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(DocumentInputError, match="找不到文件"):
        open_docx(tmp_path / "没有.docx")


def test_a_plain_word_document_opens():
    document = open_docx(plain_docx("你好"))
    assert document.paragraphs[0].text == "你好"


def test_the_error_is_a_value_error_with_the_message_as_text():
    error = DocumentInputError("文件 x 不是 Word 文档（.docx）")
    assert isinstance(error, ValueError)
    assert str(error) == error.message


def test_broken_xml_inside_a_zip_is_named_as_damage():
    broken = rewrite_part(plain_docx(), "word/document.xml", lambda data: data[:-40])
    with pytest.raises(DocumentInputError, match=r"已损坏：word/document.xml 不是有效的 XML"):
        open_docx(broken)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        *[pytest.param(content, expected, id=name) for name, content, expected in MALICIOUS],
        pytest.param(plain_docx(), "不是《中小企业特色产业集群申报表》", id="word-not-the-form"),
    ],
)
def test_the_form_import_refuses_every_bad_file_with_a_chinese_message(content, expected):
    with pytest.raises(DocumentInputError) as caught:
        parse_attachment2(content)
    assert expected in caught.value.message
