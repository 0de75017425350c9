"""Forms as people really fill them in Word or WPS: each edit made to a rendered example."""

from __future__ import annotations

import copy
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from clusterdesk.documents.attachment2_parse import ParseResult, parse_attachment2
from clusterdesk.documents.attachment2_render import render_attachment2
from clusterdesk.form.example import example_application
from clusterdesk.form.numbers import NONE_COUNT
from tests.documents.test_attachment2_parse import imported
from tests.labels import normalise

EXAMPLE_DOCX = render_attachment2(example_application())


def open_example():
    return docx.Document(io.BytesIO(EXAMPLE_DOCX))


def parse(document) -> ParseResult:
    buffer = io.BytesIO()
    document.save(buffer)
    return parse_attachment2(buffer.getvalue())


def distinct(row):
    cells = []
    for cell in row.cells:
        if not cells or cells[-1]._tc is not cell._tc:
            cells.append(cell)
    return cells


def find_row(document, label: str):
    """The first table row whose first distinct cell starts with the label."""
    key = normalise(label)
    for table in document.tables:
        for row in table.rows:
            cells = distinct(row)
            if any(normalise(cell.text).startswith(key) for cell in cells[:2]):
                return row
    raise LookupError(label)


def value_cell(document, label: str, offset: int = 1):
    row = find_row(document, label)
    cells = distinct(row)
    at = next(i for i, c in enumerate(cells) if normalise(c.text).startswith(normalise(label)))
    return cells[at + offset]


def set_text(cell, text: str) -> None:
    """Type into a cell as a person does: one paragraph per line."""
    for paragraph in cell.paragraphs[1:]:
        paragraph._p.getparent().remove(paragraph._p)
    lines = text.split("\n")
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def interpreted(result: ParseResult, path: str) -> list[str]:
    return [item.why for item in result.report.interpreted if item.path == path]


# ---------------------------------------------------------------- ticks


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("□第一产业\n√第二产业\n□第三产业", "√视为勾选"),
        ("□第一产业\n✓第二产业\n□第三产业", "✓视为勾选"),
        ("□第一产业\n■第二产业\n□第三产业", "■视为勾选"),
        ("□第一产业\n□√第二产业\n□第三产业", "□旁写√视为勾选"),
        ("□第一产业\n□第二产业√\n□第三产业", "选项后的√视为勾选"),
        ("☒第二产业", "☒视为勾选"),
        ("第二产业", "未见勾选框，保留的选项视为选中"),
    ],
)
def test_tick_marks_people_use(typed, why):
    document = open_example()
    set_text(value_cell(document, "主导产业所属产业类型"), typed)
    result = parse(document)
    assert result.application.part1.industry_type == "第二产业"
    assert interpreted(result, "part1.industry_type") == [why]


def test_ticks_in_a_checkbox_group_and_a_yes_no_row():
    document = open_example()
    cell = value_cell(document, "集群已开展的制造资源共享工作")
    text = cell.text.replace("☑", "√").replace("□建立了共享车间", "■建立了共享车间")
    set_text(cell, text)
    set_text(
        value_cell(document, "集群是否绘制产业链图谱"), "□是√  □否\n（如涉及，需提供佐证材料）"
    )
    result = parse(document)
    work = result.application.part2.resource_sharing_work
    assert (work.integrated_mechanism, work.shared_workshops) == (True, True)
    assert interpreted(result, "part2.resource_sharing_work.shared_workshops") == ["■视为勾选"]
    assert result.application.part2.chain_map == "是"
    assert interpreted(result, "part2.chain_map") == ["选项后的√视为勾选"]


def test_a_wingdings_symbol_from_insert_symbol_is_a_tick():
    document = open_example()
    paragraph = value_cell(document, "集群主导产业不属于国家规定的禁止").paragraphs[0]
    for run in paragraph.runs:
        run.text = run.text.replace("☑是", "是")
    sym = parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:sym w:font="Wingdings" w:char="F0FE"/></w:r>'
    )
    paragraph._p.insert(1, sym)  # after pPr, before the text
    result = parse(document)
    assert result.application.part1.not_prohibited == "是"


def test_two_ticks_in_a_choice_are_reported_not_guessed():
    document = open_example()
    set_text(value_cell(document, "工业软件应用率稳步提升"), "☑是  ☑否")
    result = parse(document)
    assert result.application.part4.software_rising is None
    assert "勾选了多个选项" in interpreted(result, "part4.software_rising")[0]


# ---------------------------------------------------------------- numbers


def test_full_width_digits_and_units_typed_into_cells():
    document = open_example()
    total = find_row(document, "集群总产值（亿元）")
    set_text(distinct(total)[3], "１２１．８０")
    set_text(distinct(total)[2], "108.6亿元")
    set_text(distinct(find_row(document, "集群主导产业产值占集群总产值比例"))[3], "82％")
    set_text(value_cell(document, "集群或集群内企业在境外设立分支机构数量"), "14 个")
    software = find_row(document, "工业软件采购金额")
    values_row = software.table.rows[software._index + 1]
    set_text(distinct(values_row)[3], "4,105.8万元")
    set_text(distinct(values_row)[2], "0.34205亿元")
    result = parse(document)
    app = result.application
    assert app.part2.total_output == {
        "2020": Decimal("92.40"),
        "2021": Decimal("108.6"),
        "2022": Decimal("121.80"),
    }
    assert app.part2.leading_output_share["2022"] == Decimal(82)
    assert app.part6.overseas_branches == 14
    assert app.part4.software_spending["2022"] == Decimal("4105.8")
    assert app.part4.software_spending["2021"] == Decimal("3420.5")
    assert interpreted(result, "part2.total_output.2022") == ["全角数字或符号转换为半角"]
    assert interpreted(result, "part2.total_output.2021") == ["去掉单位亿元"]
    assert "去掉单位%" in interpreted(result, "part2.leading_output_share.2022")
    assert interpreted(result, "part6.overseas_branches") == []  # the form prints 个 itself
    assert interpreted(result, "part4.software_spending.2022") == ["去掉千位分隔符", "去掉单位万元"]
    assert interpreted(result, "part4.software_spending.2021") == ["单位亿元换算为万元"]


def test_the_word_none_and_line_breaks():
    document = open_example()
    set_text(value_cell(document, "集群供应链风险评估情况"), "无")
    set_text(value_cell(document, "集群或集群内企业在境外设立分支机构数量"), "无")
    set_text(value_cell(document, "集群占地面积"), "36.5\n平方公里")
    set_text(value_cell(document, "集群运营管理机构"), "宁波北仑模具产业园区\n管理委员会")
    set_text(value_cell(document, "其他平台名称及数量"), "数量：0个\n名称：无")
    result = parse(document)
    app = result.application
    assert app.part2.supply_chain_risk == "无"
    # 无 in a number box is kept as 无 (printed 无, counted as 0): no interpretation to report.
    assert app.part6.overseas_branches is NONE_COUNT
    assert interpreted(result, "part6.overseas_branches") == []
    assert app.part1.area_km2 == Decimal("36.5")
    assert app.part1.operator == "宁波北仑模具产业园区\n管理委员会"
    assert (app.part3.platforms.other.count, app.part3.platforms.other.names) == (0, [])


# ---------------------------------------------------------------- labels, rows and cells


def test_spaces_and_line_breaks_inside_labels():
    document = open_example()
    set_text(distinct(find_row(document, "集群总产值（亿元）"))[0], "集群 总产值 （亿元）")
    set_text(distinct(find_row(document, "集群占地面积"))[0], "集群占地面积\n(平方公里)")
    set_text(
        distinct(find_row(document, "协同创新总体情况"))[0], "协同创新 总体情况\n（200 字以内）"
    )
    result = parse(document)
    assert result.application == imported(example_application())
    assert result.report.not_found == []


def test_rows_in_another_order():
    document = open_example()
    first = find_row(document, "集群企业数量")._tr
    second = find_row(document, "国家级高新技术企业和创新型中小企业数量")._tr
    first.addprevious(copy.deepcopy(second))
    second.getparent().remove(second)
    assert parse(document).application == imported(example_application())


def test_merged_and_unmerged_cells():
    document = open_example()
    # the platform group cell split back into three cells, two of them blank
    for tc in document.element.body.iter(qn("w:tc")):
        merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
        if merge is not None:
            merge.getparent().remove(merge)
    # 联系方式 and its value merged into one cell, typed “联系方式：…”
    row = find_row(document, "联系人")
    label, value = distinct(row)[2], distinct(row)[3]
    merged = label.merge(value)
    set_text(merged, "联系方式：0574-86781234")
    result = parse(document)
    app = result.application
    assert app.part1.department_phone == "0574-86781234"
    assert app.part3.platforms == example_application().part3.platforms
    assert app.part5.carbon_intensity == example_application().part5.carbon_intensity
    assert app.part6.fdi_growth == example_application().part6.fdi_growth


def test_a_deleted_row_is_reported_not_found():
    document = open_example()
    row = find_row(document, "集群占地面积")
    row._tr.getparent().remove(row._tr)
    result = parse(document)
    assert result.application.part1.area_km2 is None
    assert [(i.path, i.label) for i in result.report.not_found] == [
        ("part1.area_km2", "集群占地面积（平方公里）")
    ]
    assert "未找到的栏目" in result.report_text()


# ---------------------------------------------------------------- LibreOffice / WPS


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="需要系统软件包 libreoffice-writer-nogui"
)
def test_a_form_saved_as_doc_and_back_through_libreoffice(tmp_path: Path):
    source = tmp_path / "申报表.docx"
    source.write_bytes(EXAMPLE_DOCX)
    profile = (tmp_path / "profile").as_uri()

    def convert(path: Path, target: str, outdir: Path) -> Path:
        outdir.mkdir(exist_ok=True)
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(outdir),
                str(path),
            ],
            check=True,
            timeout=180,
            capture_output=True,
        )
        return outdir / f"{path.stem}.{target.split(':', maxsplit=1)[0]}"

    doc = convert(source, "doc", tmp_path / "doc")
    back = convert(doc, "docx:MS Word 2007 XML", tmp_path / "back")
    result = parse_attachment2(back)
    assert result.report.not_found == []
    assert result.application == imported(example_application())
