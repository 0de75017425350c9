"""The Word import bounds its work: files past any limit are refused with a Chinese message that
names the file and the limit; files just under them are read.

The hostile files are those of ``make bench`` (``clusterdesk.bench_import``), built against small
limits so that the tests stay fast; the bench measures them at the real limits.
"""

from __future__ import annotations

import dataclasses
import itertools

import pytest
from lxml import etree

from clusterdesk import bench_import as hostile
from clusterdesk.cli.main import main
from clusterdesk.documents import deadline, safety
from clusterdesk.documents.attachment2_parse import parse_attachment2
from clusterdesk.documents.docx_read import read_table
from clusterdesk.documents.errors import DocumentInputError
from clusterdesk.documents.safety import ImportLimits, NamedBytes
from clusterdesk.form.example import example_application

MB = 1024 * 1024
NAME = "恶意申报表.docx"
# Small limits above the example form (17 parts, 1.6 MB, 0.8 MB document.xml, 54,000 elements).
SMALL = ImportLimits(
    file_bytes=4 * MB,
    entries=60,
    total_bytes=6 * MB,
    xml_part_bytes=2 * MB,
    xml_bytes=4 * MB,
    xml_elements=100_000,
    seconds=60.0,
)


def refusal(data: bytes, limits: ImportLimits) -> str:
    with pytest.raises(DocumentInputError) as caught:
        parse_attachment2(NamedBytes(data, NAME), limits)
    message = caught.value.message
    assert NAME in message  # the file is named
    return message


@pytest.fixture(scope="module")
def paragraphs() -> bytes:
    return hostile.cover_paragraphs(SMALL)


@pytest.fixture(scope="module")
def parts() -> bytes:
    return hostile.many_parts(SMALL)


@pytest.fixture(scope="module")
def picture() -> bytes:
    return hostile.large_picture(SMALL)


@pytest.mark.parametrize(
    "build", [hostile.cover_paragraphs, hostile.long_cells, hostile.list_rows, hostile.many_parts]
)
def test_a_file_just_under_the_limits_is_read(build):
    result = parse_attachment2(build(SMALL), SMALL)
    assert result.application.cover == example_application().cover  # the form is still read


def test_too_many_xml_elements_are_refused(paragraphs):
    message = refusal(paragraphs, dataclasses.replace(SMALL, xml_elements=80_000))
    assert "XML 元素超过 80,000 个的上限" in message


def test_an_xml_part_over_its_size_limit_is_refused():
    message = refusal(hostile.long_cells(SMALL), dataclasses.replace(SMALL, xml_part_bytes=MB))
    assert "word/document.xml 解压后为" in message
    assert "超过单个部件 1 MB 的上限" in message


def test_all_xml_parts_together_over_their_limit_are_refused(parts):
    message = refusal(parts, dataclasses.replace(SMALL, xml_bytes=3 * MB))
    assert "XML 部件解压后共" in message
    assert "超过 3 MB 的上限" in message


def test_too_many_parts_are_refused(parts):
    message = refusal(parts, dataclasses.replace(SMALL, entries=50))
    assert "内部条目过多（60 个，上限 50）" in message


def test_a_file_over_its_size_limit_is_refused(picture):
    message = refusal(picture, dataclasses.replace(SMALL, file_bytes=2 * MB))
    assert "过大" in message
    assert "超过 2 MB 的上限" in message


def test_parts_over_the_uncompressed_limit_are_refused(picture):
    message = refusal(picture, dataclasses.replace(SMALL, total_bytes=3 * MB))
    assert "解压后共" in message
    assert "超过 3 MB 的上限" in message


def test_nesting_deeper_than_the_parser_allows_is_refused():
    parts = hostile._parts(hostile.example_docx())
    nested = "<w:sdt><w:sdtContent>" * 200 + "<w:p/>" + "</w:sdtContent></w:sdt>" * 200
    body = parts["word/document.xml"].decode()
    at = body.index("<w:body>") + len("<w:body>")
    parts["word/document.xml"] = (body[:at] + nested + body[at:]).encode()
    message = refusal(hostile._zip(parts), SMALL)
    assert "嵌套过深（超过 256 层）" in message


def test_a_reading_past_its_time_limit_stops(monkeypatch):
    # A clock that moves a second at every look: the reading must give up at the limit, in
    # whichever loop it is, and say so.
    ticks = itertools.count()
    monkeypatch.setattr(deadline.time, "monotonic", lambda: float(next(ticks)))
    message = refusal(hostile.part_cells(SMALL), dataclasses.replace(SMALL, seconds=30.0))
    assert "读取超过 30 秒的上限仍未完成，已停止" in message


def test_the_default_limits_apply_when_none_are_given(monkeypatch):
    monkeypatch.setattr(safety, "IMPORT_LIMITS", dataclasses.replace(SMALL, xml_elements=50_000))
    message = refusal(hostile.example_docx(), None)
    assert "XML 元素超过 50,000 个的上限" in message


def test_hostile_table_attributes_are_read_as_harmless_numbers():
    # A span that is not a number, or spans millions of columns merged with the row above:
    # read as ordinary cells (before: a ValueError, i.e. a 500; or millions of grid positions).
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    table = etree.fromstring(
        f'<w:tbl xmlns:w="{w}"><w:tr>'
        '<w:tc><w:tcPr><w:gridSpan w:val="两列"/></w:tcPr>'
        "<w:p><w:r><w:t>甲</w:t></w:r></w:p></w:tc>"
        '<w:tc><w:p><w:r><w:sym w:font="Wingdings" w:char="zz"/></w:r></w:p></w:tc>'
        '</w:tr><w:tr><w:trPr><w:gridBefore w:val="x"/></w:trPr>'
        '<w:tc><w:tcPr><w:gridSpan w:val="999999999999999"/><w:vMerge/></w:tcPr><w:p/></w:tc>'
        "</w:tr></w:tbl>"
    )
    first, second = read_table(table, 0)
    assert [cell.text for cell in first.cells] == ["甲", ""]
    assert [cell.text for cell in second.cells] == ["甲"]  # merged with the cell above


def test_the_command_line_refuses_a_file_past_the_limits(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(safety, "IMPORT_LIMITS", dataclasses.replace(SMALL, xml_elements=50_000))
    source = tmp_path / "超限申报表.docx"
    source.write_bytes(hostile.example_docx())
    out = tmp_path / "out.json"
    assert main(["form", "parse", str(source), "-o", str(out)]) == 2
    error = capsys.readouterr().err
    assert "Traceback" not in error
    assert "超限申报表.docx" in error
    assert "XML 元素超过 50,000 个的上限" in error
    assert not out.exists()
