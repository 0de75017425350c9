"""The 公示 notice (关于…拟认定名单的公示) as Word: the list, the period, how to object.

A 复核 round's 公示 is of clusters already certified whose 复核 is to pass (the notice: 有效期
为3年，期满后可申请复核), so it speaks of 复核通过名单 and 拟通过复核的集群, never of 拟认定.

Pure: takes a ``PublicityNotice`` of plain values and returns .docx bytes; the PDF is the same
file through ``documents.pdf`` (LibreOffice). Only what a 公示 shows is in it: names, units,
counties, industries, the period and the contact — never scores or form data.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document

from . import docx_style as style

OBJECTION_RULES = (
    "以单位名义提出的须加盖公章，以个人名义提出的须署真实姓名并提供联系方式，匿名异议不予受理。"
)
# 小三 (15 pt): the title's 26 characters fit one line of the A4 text width.
TITLE_SIZE = 30
COLUMNS = (("序号", 900), ("集群名称", 3300), ("申报单位（所在区县）", 2700), ("主导产业", 1700))


@dataclass(frozen=True)
class NoticeLine:
    position: int
    cluster_name: str
    unit: str
    county: str
    industry: str

    @property
    def unit_text(self) -> str:
        return f"{self.unit}（{self.county}）" if self.county else self.unit


@dataclass(frozen=True)
class PublicityNotice:
    title: str
    year: int
    lines: Sequence[NoticeLine]
    starts_on: dt.date
    ends_on: dt.date
    working_days: int
    contact: str
    issuer: str
    issued_on: dt.date
    recheck: bool = False


def title_text(year: int, *, recheck: bool = False) -> str:
    what = "复核通过名单" if recheck else "拟认定名单"
    return f"关于{year}年度宁波市中小企业特色产业集群{what}的公示"


def list_heading(year: int, *, recheck: bool = False) -> str:
    if recheck:
        return f"{year}年度拟通过复核的宁波市中小企业特色产业集群名单"
    return f"{year}年度宁波市中小企业特色产业集群拟认定名单"


def objection_text(*, recheck: bool = False, to: str = "我局") -> str:
    """How to object (also on the public page, which names the issuer ``to`` instead of 我局)."""
    listed = "拟通过复核的集群" if recheck else "拟认定名单"
    return f"公示期间，如对{listed}有异议，请以书面形式向{to}反映，并提供必要的证明材料。"


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def period_text(notice: PublicityNotice) -> str:
    return (
        f"公示期为{_date(notice.starts_on)}至{_date(notice.ends_on)}"
        f"（{notice.working_days}个工作日）。"
    )


def body_paragraphs(notice: PublicityNotice) -> list[str]:
    """The notice's text before and after the list (also what the public page shows)."""
    if notice.recheck:
        intro = (
            "宁波市中小企业特色产业集群认定有效期为3年，期满后进行复核。对认定有效期届满的集群，"
            "经复核材料审查（三年培育计划完成情况和年度发展情况报告）、专家评审和会审研究，"
            f"以下{len(notice.lines)}个集群拟通过复核，现予以公示。"
        )
    else:
        intro = (
            f"根据《关于组织开展{notice.year}年度宁波市中小企业特色产业集群申报认定工作的通知》"
            f"要求，经区县推荐、专家评审、实地走访和会审研究，拟认定以下{len(notice.lines)}个"
            f"集群为{notice.year}年度宁波市中小企业特色产业集群，现予以公示。"
        )
    objection = objection_text(recheck=notice.recheck) + OBJECTION_RULES
    return [intro, period_text(notice), objection, f"联系人及电话：{notice.contact}"]


def render_publicity_notice(notice: PublicityNotice) -> bytes:
    document = Document()
    style.setup(document)
    intro, period, objection, contact = body_paragraphs(notice)
    widths = [width for _, width in COLUMNS]
    rows = [[style.Cell((label,), bold=True, center=True) for label, _ in COLUMNS]]
    rows += [
        [
            style.Cell((str(line.position),), center=True),
            style.Cell((line.cluster_name,)),
            style.Cell((line.unit_text,)),
            style.Cell((line.industry,), center=True),
        ]
        for line in notice.lines
    ]
    xml = "".join(
        [
            style.paragraph(
                notice.title,
                bold=True,
                size=TITLE_SIZE,
                font=style.FONT_TITLE,
                align="center",
            ),
            style.paragraph(),
            style.paragraph(intro, indent=True),
            style.paragraph(period, indent=True),
            style.paragraph(objection, indent=True),
            style.paragraph(contact, indent=True),
            style.paragraph(),
            style.paragraph(
                list_heading(notice.year, recheck=notice.recheck),
                bold=True,
                align="center",
                keep_next=True,
            ),
            style.table(widths, rows, header_rows=1),
            style.paragraph(),
            style.paragraph(notice.issuer, align="right", space_before=240),
            style.paragraph(_date(notice.issued_on), align="right"),
        ]
    )
    style.append_body(document, xml)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
