"""The 通报 of a revocation (关于撤销…中小企业特色产业集群认定的通报) as Word.

Pure: takes a ``RevocationNotice`` of plain values and returns .docx bytes; the PDF is the same
file through ``documents.pdf`` (LibreOffice). It says what a 通报 says: which cluster, certified
by which document, why (the reason class and the facts as decided), by which decision (文号 and
date), and what follows for the county — never scores or form data.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from docx import Document

from . import docx_style as style

# 小三 (15 pt), as the other notices' titles.
TITLE_SIZE = 30
ADDRESSEES = "各区（县、市）经信局（部门），各有关单位："
DEFAULT_ISSUER = "宁波市经济和信息化局"


@dataclass(frozen=True)
class RevocationNotice:
    document_number: str  # the revocation's 文号, printed under the title
    cluster_name: str
    unit: str  # the declaring unit (申报单位)
    county: str
    certified_number: str  # the 认定 document's 文号
    certified_on: dt.date
    valid_until: dt.date
    reason_class: str  # the label: 虚假申报, 复核未通过 …
    reason: str
    decided_on: dt.date
    issuer: str = DEFAULT_ISSUER


def date_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def title_of(notice: RevocationNotice) -> str:
    return f"关于撤销{notice.cluster_name}宁波市中小企业特色产业集群认定的通报"


def _unit_text(notice: RevocationNotice) -> str:
    return f"{notice.unit}（{notice.county}）" if notice.county else notice.unit


def _sentence(text: str) -> str:
    """``text`` ending with a full stop (a reason typed without one, or with one)."""
    text = text.strip()
    return text if text.endswith(("。", "！", "？", ".", "!", "?")) else f"{text}。"


def body_paragraphs(notice: RevocationNotice) -> list[str]:
    """The 通报's text after the addressees (also what the detail page shows)."""
    history = (
        f"{date_text(notice.certified_on)}，经申报、审核、公示，我局以{notice.certified_number}"
        f"文认定{_unit_text(notice)}申报的{notice.cluster_name}为宁波市中小企业特色产业集群，"
        f"认定有效期至{date_text(notice.valid_until)}。"
    )
    finding = f"经查，该集群存在以下情形（撤销原因类别：{notice.reason_class}）：" + _sentence(
        notice.reason
    )
    decision = (
        "根据中小企业特色产业集群认定管理的有关规定，经研究，决定撤销"
        f"{notice.cluster_name}宁波市中小企业特色产业集群认定，自{date_text(notice.decided_on)}起"
        "不再享有相关称号和支持政策，并从认定名单中移除。"
    )
    follow = (
        f"请{notice.county or notice.unit}经信部门督促集群运营主体认真整改；各地要引以为戒，"
        "加强对已认定集群的培育管理和监测评价，确保申报材料真实、变更情况及时报告。"
    )
    return [history, finding, decision, follow]


def render_revocation_notice(notice: RevocationNotice) -> bytes:
    document = Document()
    style.setup(document)
    xml = "".join(
        [
            style.paragraph(notice.document_number, align="center"),
            style.paragraph(),
            style.paragraph(
                title_of(notice),
                bold=True,
                size=TITLE_SIZE,
                font=style.FONT_TITLE,
                align="center",
            ),
            style.paragraph(),
            style.paragraph(ADDRESSEES),
            *(style.paragraph(text, indent=True) for text in body_paragraphs(notice)),
            style.paragraph(),
            style.paragraph(notice.issuer, align="right", space_before=240),
            style.paragraph(date_text(notice.decided_on), align="right"),
        ]
    )
    style.append_body(document, xml)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
