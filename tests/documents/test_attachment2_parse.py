"""Word import: parse(render(app)) == app, the report, and files that are not the form."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import docx
import pytest
from hypothesis import HealthCheck, given, settings

from clusterdesk.documents.attachment2_parse import parse_attachment2
from clusterdesk.documents.attachment2_render import render_attachment2
from clusterdesk.documents.errors import DocumentInputError
from clusterdesk.form.example import example_application
from clusterdesk.form.schema import Application
from tests.form.strategies import applications


def imported(app: Application) -> Application:
    """What an import gives back: everything but the 真实性声明, which is never ticked by an
    import (the officer ticks it in the web form)."""
    copy = app.model_copy(deep=True)
    copy.part9.accepted = False
    return copy


@pytest.fixture(scope="module")
def example_result():
    return parse_attachment2(render_attachment2(example_application()))


def test_the_example_round_trips_exactly(example_result):
    assert example_result.application == imported(example_application())


def test_the_report_of_a_clean_round_trip(example_result):
    report = example_result.report
    assert report.not_found == []
    (declaration,) = report.interpreted  # the declaration ticked in the file is not taken
    assert declaration.path == "part9.accepted"
    assert declaration.value is False
    paths = {item.path for item in report.read}
    assert {"part2.total_output.2022", "part3.patents_list", "evidence", "cover.county"} <= paths
    read = {item.path: item for item in report.read}
    assert read["part2.total_output.2022"].label == "集群总产值（亿元）（2022年）"
    assert read["part2.total_output.2022"].raw == "121.80"


def test_report_text_and_json(example_result):
    assert example_result.report_text().startswith("导入结果：读取")
    data = json.loads(json.dumps(example_result.as_json(), ensure_ascii=False))
    assert data["application"]["part3"]["patents"] == 386
    assert data["report"]["not_found"] == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(applications())
def test_generated_applications_round_trip(app):
    assert parse_attachment2(render_attachment2(app)).application == imported(app)


def test_a_blank_draft_round_trips():
    assert parse_attachment2(render_attachment2(Application())).application == Application()


def test_a_third_decimal_is_kept_for_the_validator():
    app = example_application()
    app.part2.total_output["2022"] = Decimal("121.805")
    parsed = parse_attachment2(render_attachment2(app)).application
    assert parsed.part2.total_output["2022"] == Decimal("121.805")


def test_a_path_is_accepted(tmp_path):
    path = tmp_path / "申报表.docx"
    path.write_bytes(render_attachment2(example_application()))
    assert parse_attachment2(path).application == imported(example_application())


def _docx(*lines: str) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_file_that_is_not_the_form_is_refused():
    with pytest.raises(DocumentInputError, match="不是《中小企业特色产业集群申报表》"):
        parse_attachment2(_docx("关于召开年度工作会议的通知", "各单位："))


def test_garbage_is_refused_in_chinese():
    with pytest.raises(DocumentInputError) as error:
        parse_attachment2(b"this is not a word file at all")
    assert "docx" in error.value.message
