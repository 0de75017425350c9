"""The 现场答辩日程表 renderer on plain data: what a reader finds in the Word file."""

from __future__ import annotations

import datetime as dt

from clusterdesk.documents.defence_schedule import (
    SchedulePhase,
    ScheduleRow,
    render_schedule_docx,
)
from tests.documents.helpers import docx_text


def _row(hour: int, name: str, **where) -> ScheduleRow:
    return ScheduleRow(
        starts_at=dt.datetime(2023, 5, 16, hour, 0),
        ends_at=dt.datetime(2023, 5, 16, hour, 40),
        cluster_name=name,
        organisation="北仑区经济和信息化局",
        **where,
    )


def test_rows_in_order_with_place_and_link():
    phase = SchedulePhase(
        "专家评审（含现场答辩）",
        [
            _row(9, "北仑模具产业集群", place="市经信局三楼会议室"),
            _row(10, "北仑汽配产业集群", online_link="https://meeting.example.cn/123"),
        ],
    )
    text = docx_text(render_schedule_docx("2023年度", [phase], dt.date(2023, 5, 1)))
    assert "2023年度中小企业特色产业集群现场答辩日程表" in text
    assert "制表日期：2023年05月01日" in text
    assert text.index("北仑模具产业集群") < text.index("北仑汽配产业集群")
    assert "09:00—09:40" in text
    assert "10:00—10:40" in text
    assert "市经信局三楼会议室" in text
    assert "线上：https://meeting.example.cn/123" in text
    assert "（星期二）" in text
    for heading in ("序号", "日期", "时间", "集群名称", "申报单位", "答辩地点"):
        assert heading in text


def test_an_empty_schedule_says_so():
    text = docx_text(render_schedule_docx("2023年度", [SchedulePhase("专家评审", [])]))
    assert "尚未安排现场答辩。" in text
    assert "集群名称" not in text


def test_text_that_xml_cannot_hold_is_dropped():
    phase = SchedulePhase("专家评审", [_row(9, "模具\x0b产业集群", place="会议室")])
    assert "模具产业集群" in docx_text(render_schedule_docx("2023年度", [phase]))
