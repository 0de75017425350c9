"""无 in a number box (form.numbers): the Word/PDF form prints 无, never 0 or a blank, and the
Word import reads it back as 无."""

import io

import docx

from clusterdesk.documents.attachment2_parse import parse_attachment2
from clusterdesk.documents.attachment2_render import render_attachment2
from clusterdesk.form.example import example_application
from clusterdesk.form.numbers import NONE_COUNT, NONE_NUMBER
from tests.documents.test_messy_forms import value_cell


def with_none():
    app = example_application()
    app.part6.overseas_branches = "无"
    app.part3.rd_staff_share = "无"
    app.part2.single_champions = {**app.part2.single_champions, "2022": "无"}
    app.part3.platforms.other.count = "无"
    app.part3.platforms.other.names = []
    app.part3.standards["2022"].international.led = "无"
    app.part8.goals.targets.industrial_internet.baseline = "无"
    return app


def test_the_form_prints_none_where_a_number_box_holds_none():
    rendered = render_attachment2(with_none())
    document = docx.Document(io.BytesIO(rendered))
    assert value_cell(document, "集群或集群内企业在境外设立分支机构数量").text.strip() == "无"
    assert value_cell(document, "集群内研发人员占从业人员比例").text.strip() == "无"
    assert "数量：无" in value_cell(document, "其他平台名称及数量").text
    assert "数量：无个" not in value_cell(document, "其他平台名称及数量").text


def test_a_printed_none_is_read_back_as_none():
    result = parse_attachment2(render_attachment2(with_none()))
    app = result.application
    assert app.part6.overseas_branches is NONE_COUNT
    assert app.part3.rd_staff_share is NONE_NUMBER
    assert app.part2.single_champions["2022"] is NONE_COUNT


def test_tables_print_none_too():
    document = docx.Document(io.BytesIO(render_attachment2(with_none())))
    rows = [
        [cell.text.strip() for cell in row.cells] for table in document.tables for row in table.rows
    ]
    internet = next(r for r in rows if any("工业互联网普及率" in c for c in r[:3]))
    assert "无" in internet
    standards = next(r for r in rows if r[:2] == ["", "国际"] or "国际" in r[:3])
    assert standards.count("无") == 1
