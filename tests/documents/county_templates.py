"""Attachment 2 as counties really fill it: the notice's Word template, typed into by hand.

Built with python-docx from the notice's layout (附件2 of the 2023 notice), never with the
project's own renderer, so that the import is measured against what arrives from the counties:

- part 八 is ONE bordered box: a single table cell holding the headings 一、集群基本情况简介 …
  四、… with the narrative under each, and the targets table nested inside that same cell;
- the template's hints stay in the cells the officer typed into (`312 个（需提供清单）`);
- a value typed once into a cell merged across the three year columns (gridSpan);
- WPS habits: full-width digits, spaces inside labels, √ for ☑, □√, runs split mid-word;
- a LibreOffice round trip of one of them.

Every template is filled from an ``Application`` (the example form, sometimes adjusted), so the
expected values are known; ``recovered`` measures how many of them an import gives back.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx

from clusterdesk.form.example import example_application
from clusterdesk.form.fields import form_fields
from clusterdesk.form.schema import Application

YEARS = ("2020", "2021", "2022")
YEAR_LABELS = tuple(f"{year}年" for year in YEARS)
FULL_WIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")


@dataclass(frozen=True)
class Habits:
    """How one county's officer fills the template."""

    wps: bool = False  # full-width digits, √ ticks, spaces in labels, runs split mid-word
    keep_notes: bool = True  # the notice's guidance under part 八's headings left in place
    plan_beside_label: bool = False  # part 八's box as the second cell of a row: 发展规划 | box
    units_typed: bool = False  # 121.8亿元 instead of 121.8
    merged_years: tuple[str, ...] = ()  # yearly fields typed once into a merged cell
    tick_declaration: bool = False  # ☑ typed before the 真实性声明 in Word


@dataclass
class Template:
    name: str
    application: Application  # what the officer meant to enter
    data: bytes
    habits: Habits = field(default_factory=Habits)


# ---------------------------------------------------------------- typing as people do


class Typist:
    def __init__(self, habits: Habits) -> None:
        self.habits = habits

    def number(self, value: Any, unit: str = "") -> str:
        if value is None:
            return ""
        text = format(Decimal(str(value)).normalize(), "f")
        if self.habits.units_typed and unit:
            text += unit
        return text.translate(FULL_WIDTH) if self.habits.wps else text

    def tick(self, on: bool, option: str, number: int = 0) -> str:
        if not on:
            return f"□{option}"
        if not self.habits.wps:
            return f"☑{option}"
        return (f"√{option}", f"□√{option}", f"☑ {option}")[number % 3]

    def label(self, text: str) -> str:
        """WPS users pad labels with spaces to line them up."""
        if not self.habits.wps or len(text) < 6:
            return text
        # half-width brackets typed over the template's (％ stays full-width)
        text = text.replace("（%）", "(％)")
        return text[:2] + " " + text[2:4] + "　" + text[4:]


def put(cell, lines: list[str] | str, habits: Habits | None = None) -> None:
    """Write paragraphs into a cell; with WPS habits, each paragraph in split runs."""
    lines = [lines] if isinstance(lines, str) else lines
    first = True
    for line in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        if habits is not None and habits.wps and len(line) > 3:
            cut = len(line) // 2
            paragraph.add_run(line[:cut])
            run = paragraph.add_run(line[cut:])
            run.font.name = "宋体"
        else:
            paragraph.add_run(line)


def span(row, start: int, end: int):
    """Merge the row's grid cells start..end (inclusive) into one: w:gridSpan."""
    return row.cells[start].merge(row.cells[end])


def vmerge(table, column: int, first: int, last: int):
    return table.cell(first, column).merge(table.cell(last, column))


# ---------------------------------------------------------------- the parts


def _choice(t: Typist, options: list[str], chosen: Any) -> list[str]:
    return [t.tick(option == chosen, option, i) for i, option in enumerate(options)]


def _ticks(t: Typist, model, note: str) -> list[str]:
    options = _options(type(model))
    lines = [
        t.tick(bool(getattr(model, name)), label, i) for i, (name, label) in enumerate(options)
    ]
    return [*lines, note]


NOTE_TICK = "（注：勾选需提供佐证材料）"
NOTE_IF = "（如涉及，需提供佐证材料）"
NOTE_LIST = "（需提供清单）"
NOTE_PROOF = "（需提供相关佐证材料）"
LIMIT = "（200字以内）"


def _options(model_type) -> list[tuple[str, str]]:
    return [(name, spec.label) for name, spec in form_fields(model_type)]


class Builder:
    def __init__(self, app: Application, habits: Habits) -> None:
        self.app = app
        self.habits = habits
        self.t = Typist(habits)
        self.doc = docx.Document()

    # helpers
    def heading(self, text: str) -> None:
        self.doc.add_paragraph().add_run(text).bold = True

    def table(self, columns: int):
        table = self.doc.add_table(rows=0, cols=columns)
        table.style = "Table Grid"
        return table

    def row(self, table, label: str | list[str], value: list[str] | str, *, note: str = ""):
        """label | value spanning the rest of the row."""
        row = table.add_row()
        columns = len(row.cells)
        label_lines = [label] if isinstance(label, str) else label
        put(row.cells[0], [self.t.label(label_lines[0]), *label_lines[1:]], self.habits)
        cell = span(row, 1, columns - 1) if columns > 2 else row.cells[1]
        put(cell, value if isinstance(value, list) else [value])
        return row

    def years_row(self, table, label: str, values: dict, unit: str, field_name: str):
        row = table.add_row()
        put(row.cells[0], self.t.label(label), self.habits)
        if field_name in self.habits.merged_years:
            # one value typed once into the three year cells merged together
            cell = span(row, 1, 3)
            put(cell, self.t.number(values.get("2021"), unit))
            return
        for index, year in enumerate(YEARS):
            put(row.cells[1 + index], self.t.number(values.get(year), unit))

    # cover
    def cover(self) -> None:
        a, doc = self.app, self.doc
        doc.add_paragraph("附件2")
        doc.add_paragraph("中小企业特色产业集群申报表")
        doc.add_paragraph(f"集群名称：{a.part1.cluster_name}")
        doc.add_paragraph("（中小企业特色产业集群（XX产业））")
        region = (
            f"所属地区：浙江省宁波市（区）{a.cover.county} 县（市、区）"
            if self.habits.wps
            else f"所属地区：浙江省宁波市{a.cover.county}"
        )
        doc.add_paragraph(region)
        doc.add_paragraph(f"县（市、区）中小企业主管部门（盖章）：{a.part1.department}")
        doc.add_paragraph(f"集群运营管理机构：{a.part1.operator}")
        day = a.cover.declared_on
        doc.add_paragraph(f"申报时间：{day.year}年{day.month}月{day.day}日")
        doc.add_paragraph(f"联系人及联系电话：{a.cover.contact}")
        doc.add_paragraph("工业和信息化部 制")
        doc.add_paragraph("填报说明")
        doc.add_paragraph(
            "2. 各必填栏目不得空缺，无相关情况时应填写“无”；数据有小数时，保留小数点后2位。"
        )

    def part1(self) -> None:
        p, t = self.app.part1, self.t
        self.heading("一、基本情况")
        table = self.table(4)
        self.row(table, ["集群名称：", "（中小企业特色产业集群（XX产业））"], p.cluster_name)
        self.row(table, "县（市、区）中小企业主管部门", p.department)
        for contact, phone in (
            (p.department_contact, p.department_phone),
            (p.operator_contact, p.operator_phone),
        ):
            if contact is p.operator_contact:
                self.row(table, "集群运营管理机构", p.operator)
            row = table.add_row()
            for cell, text in zip(row.cells, ("联系人", contact, "联系方式", phone), strict=True):
                put(cell, text)
        self.row(table, "集群占地面积（平方公里）", t.number(p.area_km2, "平方公里"))
        self.row(
            table,
            "主导产业所属产业类型",
            _choice(t, ["第一产业", "第二产业", "第三产业"], p.industry_type),
        )
        for name, label, options in (
            ("not_prohibited", "集群主导产业不属于国家规定的禁止、限制和淘汰类产业", ["是", "否"]),
            (
                "no_major_incidents",
                "近三年未发生较大及以上安全、质量、环境污染等事故，重大及以上网络安全事件和数据安全事件",
                ["是", "否"],
            ),
            (
                "no_violations",
                "不存在偷税漏税、违法违规、严重失信和其他重大问题的行为",
                ["是", "否"],
            ),
            (
                "energy_efficiency",
                "属于高耗能行业的集群，能效水平高于行业基准值",
                ["是", "否", "不涉及"],
            ),
            (
                "water_efficiency",
                "属于高用水行业的集群，水效水平高于行业基准值",
                ["是", "否", "不涉及"],
            ),
            ("provincial_cluster", "获得省级中小企业特色产业集群", ["是", "否"]),
        ):
            self.row(table, label, _choice(t, options, getattr(p, name)))

    def part2(self) -> None:

        p, t = self.app.part2, self.t
        self.heading("二、主导产业情况")
        table = self.table(4)
        header = table.add_row()
        for cell, text in zip(header.cells, ("主导产业情况（近三年）", *YEAR_LABELS), strict=True):
            put(cell, text)
        for name, label, unit in (
            ("total_output", "集群总产值（亿元）", "亿元"),
            ("sme_output_share", "集群内中小企业产值占集群总产值比例（%）", "%"),
            ("leading_output_share", "集群主导产业产值占集群总产值比例（%）", "%"),
            ("leading_output_growth", "集群主导产业产值增速（%）", "%"),
        ):
            self.years_row(table, label, getattr(p, name), unit, f"part2.{name}")
        self.row(table, "近三年主导产业产值年均增速（%）", t.number(p.leading_output_cagr, "%"))
        for name, label in (
            ("enterprises", "集群企业数量"),
            ("smes", "其中：集群中小企业数量"),
            ("specialised_smes", "专精特新中小企业数量"),
            ("little_giants", "专精特新“小巨人”企业数量"),
            ("single_champions", "制造业单项冠军企业数量"),
            ("high_tech_and_innovative", "国家级高新技术企业和创新型中小企业数量"),
        ):
            self.years_row(table, label, getattr(p, name), "家", f"part2.{name}")
        chain = "  ".join(_choice(t, ["是", "否"], p.chain_map))
        self.row(table, "集群是否绘制产业链图谱", [chain, "", NOTE_IF])
        self.row(table, "集群产业链培育和招商情况（200字以内）", p.chain_cultivation)
        self.row(table, ["集群供应链风险评估情况", "", LIMIT], p.supply_chain_risk)
        self.row(table, ["集群制造资源共享情况", "", LIMIT], p.resource_sharing)
        self.row(
            table,
            "集群已开展的制造资源共享工作",
            _ticks(t, p.resource_sharing_work, NOTE_TICK),
        )
        self.row(
            table,
            [
                "集群协同发展情况",
                "",
                "（与先进制造业集群、国家新型工业化产业示范基地或龙头企业合作情况，200字以内）",
            ],
            p.collaboration,
        )
        self.row(table, ["集群质量品牌建设情况", "", LIMIT], p.quality_brand)
        self.row(
            table,
            "集群已开展的质量品牌建设工作",
            _ticks(t, p.quality_brand_work, NOTE_TICK),
        )

    def part3(self) -> None:

        p, t = self.app.part3, self.t
        self.heading("三、创新能力情况")
        table = self.table(10)
        header = table.add_row()
        put(header.cells[0], "年度")
        for index, label in enumerate(YEAR_LABELS):
            put(span(header, 1 + 3 * index, 3 + 3 * index), label)
        for name, label in (
            ("rd_intensity", "集群中小企业近三年研发投入强度（%）"),
            ("rd_growth", "集群近三年研发经费增速（%）"),
        ):
            row = table.add_row()
            put(row.cells[0], t.label(label), self.habits)
            values = getattr(p, name)
            if f"part3.{name}" in self.habits.merged_years:
                put(span(row, 1, 9), t.number(values.get("2021"), "%"))
                continue
            for index, year in enumerate(YEARS):
                put(span(row, 1 + 3 * index, 3 + 3 * index), t.number(values.get(year), "%"))
        first = len(table.rows)
        row = table.add_row()
        put(
            row.cells[0],
            "集群中小企业近三年主持（起草单位排名前三位）或参与制修订标准数量情况（需提供清单）",
        )
        for index in range(3):
            for offset, text in enumerate(("类别", "主持数量", "参与数量")):
                put(row.cells[1 + 3 * index + offset], text)
        categories = (("国际", "international"), ("国家", "national"), ("行业", "industry"))
        for category, field_name in (*categories, ("团体", "group")):
            row = table.add_row()
            for index, year in enumerate(YEARS):
                counts = getattr(p.standards[year], field_name) if year in p.standards else None
                put(row.cells[1 + 3 * index], category)
                put(row.cells[2 + 3 * index], t.number(counts.led if counts else None))
                put(row.cells[3 + 3 * index], t.number(counts.joined if counts else None))
        vmerge(table, 0, first, len(table.rows) - 1)
        first = len(table.rows)
        for name, label in (
            ("national", "国家制造业创新中心或国家级创新平台名称及数量"),
            ("provincial", "省级制造业创新中心或省级创新平台名称及数量"),
            ("other", "其他平台名称及数量"),
        ):
            platform = getattr(p.platforms, name)
            row = table.add_row()
            put(row.cells[0], "创新平台建设情况" if name == "national" else "")
            put(span(row, 1, 4), label)
            names = "；".join(platform.names) or "无"
            put(span(row, 5, 9), [f"数量：{t.number(platform.count)}个", f"名称：{names}"])
        vmerge(table, 0, first, len(table.rows) - 1)
        for name, label, unit in (
            ("sme_employees", "集群内中小企业从业人员数量", "人"),
            ("rd_staff_share", "集群内研发人员占从业人员比例（%）", "%"),
            ("patent_growth", "集群有效发明专利年均增速（%）", "%"),
            ("patents_per_10k", "集群每万人有效发明专利拥有量", ""),
        ):
            self.row(table, label, t.number(getattr(p, name), unit))
        # the officer types the count into the cell that still holds “个” and the hint
        self.row(
            table,
            "集群内中小企业有效发明专利拥有量（包括发明专利、国防专利、 植物新品种、"
            "国家级农作物品种、国家新药、国家一级中药保护品种、集成电路布图设计专有权等）",
            [f"{t.number(p.patents)} 个{NOTE_LIST}"]
            if self.habits.wps
            else [f"      {t.number(p.patents)}            个", "", NOTE_LIST],
        )
        self.row(table, ["协同创新总体情况", "", LIMIT], p.collaborative_innovation)
        self.row(
            table,
            "集群已开展的协同创新工作",
            _ticks(t, p.collaborative_innovation_work, NOTE_TICK),
        )

    def part4(self) -> None:

        p, t = self.app.part4, self.t
        self.heading("四、数字化升级情况")
        table = self.table(4)
        self.row(table, "企业上云比例（%）", t.number(p.cloud_adoption, "%"))
        self.row(table, "集群工业互联网平台应用普及率（%）", t.number(p.industrial_internet, "%"))
        self.row(
            table,
            "工业软件应用率稳步提升",
            " " + " ".join(_choice(t, ["是", "否"], p.software_rising)),
        )
        head = table.add_row()
        for cell, text in zip(head.cells, ("工业软件采购金额（万元）", *YEAR_LABELS), strict=True):
            put(cell, text)
        row = table.add_row()
        for index, year in enumerate(YEARS):
            put(row.cells[1 + index], t.number(p.software_spending.get(year), "万元"))
        vmerge(table, 0, len(table.rows) - 2, len(table.rows) - 1)
        self.row(table, ["数字化服务总体情况", "", LIMIT], p.digital_services)
        self.row(
            table,
            "集群已开展的数字化服务工作",
            _ticks(t, p.digital_service_work, NOTE_TICK),
        )
        row = table.add_row()
        put(row.cells[0], "数字化新模式新业态推广情况")
        put(
            row.cells[1],
            "智能制造、工业互联网以及其它新模式新业态试点示范建设或应用情况（200字以内）",
        )
        put(span(row, 2, 3), p.new_models)
        row2 = table.add_row()
        lines = ["集群已开展的数字化新模式新业态推广工作：", ""]
        lines += _ticks(t, p.new_model_work, NOTE_TICK)
        put(span(row2, 1, 3), lines)
        vmerge(table, 0, len(table.rows) - 2, len(table.rows) - 1)

    def years_down(self, table, label: str, values: dict, unit: str, note: str | None = None):
        first = len(table.rows)
        for index, year in enumerate(YEARS):
            row = table.add_row()
            put(row.cells[0], label if index == 0 else "")
            put(row.cells[1], YEAR_LABELS[index])
            put(span(row, 2, 3), self.t.number(values.get(year), unit))
        if note:
            row = table.add_row()
            put(span(row, 1, 3), note)
        vmerge(table, 0, first, len(table.rows) - 1)

    def part5(self) -> None:

        p, t = self.app.part5, self.t
        self.heading("五、绿色化转型情况")
        table = self.table(4)
        mark = "  ".join(_choice(t, ["是", "否"], p.carbon_monitoring))
        self.row(table, "建立了集群碳排放监测机制", f"{mark}{NOTE_IF}")
        self.years_down(
            table,
            "近三年单位产值二氧化碳排放量（吨二氧化碳/万元）",
            p.carbon_intensity,
            "",
            "（注：单位产值二氧化碳排放量需提供计算公式）",
        )
        # the narrative typed before the hint that stays in the cell
        self.row(
            table,
            "开展碳达峰碳中和相关宣传、监测等工作情况（200字以内）",
            [p.carbon_work or "", NOTE_PROOF],
        )
        self.row(table, "近三年单位工业产值能耗降低率（%）", t.number(p.energy_reduction, "%"))
        above = ["是", "否", "非工业集群，不适用"]
        self.row(table, "大宗工业固废综合利用率（%）", t.number(p.solid_waste_use, "%"))
        self.row(
            table, "是否高于行业平均水平", "  ".join(_choice(t, above, p.solid_waste_above_average))
        )
        self.row(table, "工业用水重复利用率（%）", t.number(p.water_reuse, "%"))
        self.row(
            table, "是否高于行业平均水平", "  ".join(_choice(t, above, p.water_reuse_above_average))
        )
        self.row(table, ["能源和资源综合利用工作情况", "", LIMIT], p.resource_use)
        self.row(
            table,
            "集群已开展的能源和资源综合利用工作",
            _ticks(t, p.resource_use_work, NOTE_TICK),
        )
        self.row(table, ["绿色低碳公共服务总体情况", "", LIMIT], p.green_services)
        self.row(
            table,
            "集群已具备绿色低碳公共服务能力",
            _ticks(t, p.green_service_capabilities, NOTE_TICK),
        )

    def part6(self) -> None:

        p, t = self.app.part6, self.t
        self.heading("六、开放合作情况")
        table = self.table(4)
        self.row(table, ["集群国际合作交流总体情况", "", LIMIT], p.international)
        self.row(
            table,
            "集群已开展的国际合作交流活动",
            _ticks(t, p.international_activities, NOTE_TICK),
        )
        self.row(
            table,
            "集群或集群内企业在境外设立分支机构数量",
            [f"    {t.number(p.overseas_branches)}      个", NOTE_PROOF],
        )
        self.years_down(table, "近三年集群主导产品出口贸易额增长率（%）", p.export_growth, "%")
        self.years_down(table, "近三年集群外商直接投资额增长率（%）", p.fdi_growth, "%")

    def part7(self) -> None:

        p, t = self.app.part7, self.t
        self.heading("七、治理和服务水平")
        table = self.table(4)
        self.row(table, ["治理和服务水平情况", "", LIMIT], p.overview)
        for name, label, head, _model in (
            (
                "service_platforms",
                "中小企业公共服务平台建设情况",
                "集群已建设的中小企业公共服务平台：",
                None,
            ),
            (
                "public_services",
                "集群提供中小企业公共服务情况",
                "集群已提供的中小企业公共服务：",
                None,
            ),
            ("governance_work", "集群治理情况", "集群开展的治理工作：", None),
        ):
            self.row(table, label, [head, "", *_ticks(t, getattr(p, name), NOTE_TICK)])

    def part8(self) -> None:
        """One bordered box: every heading, text and the nested targets table in one cell."""
        p = self.app.part8
        keep = self.habits.keep_notes
        self.heading("八、未来三年中小企业特色产业集群发展规划")
        box = self.doc.add_table(rows=1, cols=2 if self.habits.plan_beside_label else 1)
        box.style = "Table Grid"
        if self.habits.plan_beside_label:
            put(box.cell(0, 0), "发展规划")
        cell = box.cell(0, len(box.columns) - 1)
        lines = ["（3000字以内）", "一、集群基本情况简介"]
        if keep:
            lines += [
                "包括总体情况、主导产业、产业集群相关政策制定与实施情况、优质主体培育、品牌打造、"
                "产业链供应链建设等方面近三年来发展情况、在行业中所处的地位等。"
            ]
        lines += [p.overview or "", "二、发展成效"]
        if keep:
            lines += [
                "包括提升集群主导产业优势、激发集群创新活力、推进集群数字化升级、加快集群绿色低碳转型、"
                "深化集群开放合作、提升集群治理和服务能力等方面开展的工作和取得的成绩。"
            ]
        lines += [p.achievements or ""]
        lines += ["3、 存在的问题", p.problems or ""]
        lines += ["四、未来三年中小企业特色产业集群发展规划", "（1） 总体思路", p.approach or ""]
        lines += ["（2） 发展目标", "1.三年总体目标"]
        if keep:
            lines += [
                "（集群须围绕主导产业、创新、数字化、绿色化、开放合作、治理和服务等方面设定清晰、"
                "可考核的发展目标，鼓励集群根据自身特色增加考核指标，不局限于以上方面）"
            ]
        put(cell, lines, self.habits)
        self.targets(cell)
        stages = p.goals.stages
        after = [
            "（备注：基准值须符合中小企业特色产业集群认定标准，2025年目标值须符合以下要求：",
            "a. 产值年均增速不低于10%",
            "b. 优质中小企业数量逐年增加",
            "g. 集群单位工业产值能耗下降达到13.5%左右）",
            "2.阶段性目标",
            "（1）2023年度",
            stages.first or "",
            "（2）2024年度",
            stages.second or "",
            "（3）2025年度",
            stages.third or "",
            "（3） 重点任务",
            p.key_tasks or "",
            "（4） 保障措施",
            p.safeguards or "",
        ]
        for line in after:
            cell.add_paragraph(line)

    def targets(self, cell) -> None:
        targets = self.app.part8.goals.targets
        t = self.t
        nested = cell.add_table(rows=1, cols=4)
        nested.style = "Table Grid"
        for c, text in zip(
            nested.rows[0].cells, ("方向", "指标", "2022年基准值", "2025年目标值"), strict=True
        ):
            put(c, text)
        numeric = {
            "主导产业": [
                ("集群产值年均增速", "output_growth"),
                ("优质中小企业数量", "quality_smes"),
            ],
            "创新": [("研发经费投入", "rd_spending"), ("有效发明专利数量", "patents")],
            "数字化": [("工业互联网普及率", "industrial_internet")],
            "绿色化": [
                ("二氧化碳排放量", "co2_emissions"),
                ("单位工业产值能耗", "energy_intensity"),
            ],
        }
        for direction in ("主导产业", "创新", "数字化", "绿色化", "开放合作", "治理和服务", "其它"):
            first = len(nested.rows)
            rows: list[tuple[str, str, str]] = []
            for label, name in numeric.get(direction, []):
                value = getattr(targets, name)
                rows.append((label, t.number(value.baseline), t.number(value.target)))
            if direction in ("开放合作", "治理和服务"):
                value = getattr(targets, "openness" if direction == "开放合作" else "governance")
                rows.append(("定性描述", value.baseline or "", value.target or ""))
            extras = [e for e in targets.extra if e.direction == direction]
            for extra in extras:
                label = f"{extra.indicator}（{extra.unit}）" if extra.unit else extra.indicator
                rows.append((label, extra.baseline, extra.target))
            if direction not in ("开放合作", "治理和服务") and not extras:
                rows.append(("......", "", ""))
            for label, baseline, target in rows:
                row = nested.add_row()
                for c, text in zip(row.cells, (direction, label, baseline, target), strict=True):
                    put(c, text)
            if len(nested.rows) - first > 1:
                merged = vmerge(nested, 0, first, len(nested.rows) - 1)
                for paragraph in merged.paragraphs[1:]:
                    paragraph._p.getparent().remove(paragraph._p)

    def part9(self) -> None:
        p = self.app.part9
        self.heading("九、真实性声明及推荐意见")
        table = self.table(2)
        mark = "☑" if self.habits.tick_declaration else ""
        day = p.signed_on
        self.row(
            table,
            "真实性声明",
            [
                f"{mark}本单位承诺此次申报中小企业特色产业集群的申请材料(包括附件资料)真实、合法。"
                "如有不实之处，本单位愿意负相应法律责任，并承担由此产生的一切后果。",
                "",
                f"单位负责人（签字）：{p.responsible_person or ''}",
                "",
                "县（市、区）中小企业主管部门（公章）：",
                "",
                f"                                 {day.year}年{day.month}月{day.day}日",
            ],
        )
        self.row(
            table,
            "省级中小企业主管部门推荐意见",
            ["推荐单位（公章）：       ", "     年    月    日          "],
        )

    def build(self) -> bytes:
        self.cover()
        for part in (self.part1, self.part2, self.part3, self.part4, self.part5, self.part6):
            part()
        self.part7()
        self.part8()
        self.part9()
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def fill(app: Application, habits: Habits = Habits()) -> bytes:
    return Builder(app, habits).build()


# ---------------------------------------------------------------- the set


def _merged_years_application() -> Application:
    """The example with two yearly rows holding one value for every year, as the officer
    means when typing it once into the merged year cells."""
    app = example_application()
    app.part2.single_champions = dict.fromkeys(YEARS, app.part2.single_champions["2021"])
    app.part3.rd_growth = dict.fromkeys(YEARS, app.part3.rd_growth["2021"])
    return app


def libreoffice_round_trip(data: bytes) -> bytes:
    """Open and save the file in LibreOffice, as a county using it does."""
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        (folder / "申报表.docx").write_bytes(data)
        subprocess.run(
            [
                "/usr/bin/soffice",
                f"-env:UserInstallation=file://{folder}/profile",
                "--headless",
                "--convert-to",
                "docx",
                "--outdir",
                str(folder / "back"),
                str(folder / "申报表.docx"),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return (folder / "back" / "申报表.docx").read_bytes()


WORD = Habits()
WPS = Habits(wps=True, keep_notes=False, units_typed=True, tick_declaration=True)
MERGED = Habits(merged_years=("part2.single_champions", "part3.rd_growth"))


def templates(*, with_libreoffice: bool = True) -> list[Template]:
    example = example_application()
    made = [
        Template("Word，保留模板提示", example, fill(example, WORD), WORD),
        Template("WPS习惯（全角数字、√、标签空格、勾选声明）", example, fill(example, WPS), WPS),
        Template("三个年度合并为一格", _merged_years_application(), b"", MERGED),
    ]
    made[2].data = fill(made[2].application, MERGED)
    if with_libreoffice:
        made.append(
            Template("WPS文件经LibreOffice另存", example, libreoffice_round_trip(made[1].data), WPS)
        )
    return made


# ---------------------------------------------------------------- measuring

# What the official form has no box for: the 清单s, the register and Attachment 1 go elsewhere.
NOT_ON_THE_FORM = (
    "form_version",
    "evidence",
    "attachment1",
    "part3.patents_list",
    "part3.standards_list",
    "part5.carbon_formula",
    "part9.accepted",  # ticked by the officer in the web form, never by an import
)


def leaves(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for key, value in data.items():
            out |= leaves(value, f"{prefix}.{key}" if prefix else key)
        return out
    return {prefix: data}


def values_on_the_form(app: Application) -> dict[str, Any]:
    return {
        path: value
        for path, value in leaves(app.model_dump(mode="python")).items()
        if not any(path == skip or path.startswith(skip + ".") for skip in NOT_ON_THE_FORM)
    }


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float | Decimal) and isinstance(b, int | float | Decimal):
        if isinstance(a, bool) or isinstance(b, bool):
            return a is b
        return Decimal(str(a)) == Decimal(str(b))
    return a == b


def recovered(expected: Application, parsed: Application) -> tuple[int, int, list[str]]:
    """(values recovered, values on the form, the paths missed)."""
    want = values_on_the_form(expected)
    have = values_on_the_form(parsed)
    missed = [path for path, value in want.items() if not _same(value, have.get(path))]
    return len(want) - len(missed), len(want), missed
