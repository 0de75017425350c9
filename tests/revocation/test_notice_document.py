"""The 通报 as Word (pure core): open the .docx and read what it says."""

from __future__ import annotations

import datetime as dt

from clusterdesk.documents.revocation_notice import (
    RevocationNotice,
    render_revocation_notice,
    title_of,
)
from tests.documents.helpers import docx_text

NOTICE = RevocationNotice(
    document_number="甬经信中小〔2024〕5号",
    cluster_name="鄞州模具产业集群",
    unit="鄞州区经济和信息化局",
    county="鄞州区",
    certified_number="甬经信中小〔2023〕12号",
    certified_on=dt.date(2023, 4, 20),
    valid_until=dt.date(2026, 4, 19),
    reason_class="重大变更未报告",
    reason="2023年9月集群运营主体变更为宁波某园区管委会，未按规定报告",
    decided_on=dt.date(2024, 3, 8),
)


def test_the_notice_says_what_was_decided_and_why():
    text = docx_text(render_revocation_notice(NOTICE))
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0] == "甬经信中小〔2024〕5号"
    assert lines[1] == "关于撤销鄞州模具产业集群宁波市中小企业特色产业集群认定的通报"
    assert lines[1] == title_of(NOTICE)
    assert lines[2] == "各区（县、市）经信局（部门），各有关单位："
    assert (
        "2023年4月20日，经申报、审核、公示，我局以甬经信中小〔2023〕12号文认定"
        "鄞州区经济和信息化局（鄞州区）申报的鄞州模具产业集群为宁波市中小企业特色产业集群，"
        "认定有效期至2026年4月19日。"
    ) in text
    # The class and the reason, closed with a full stop once.
    assert (
        "（撤销原因类别：重大变更未报告）：2023年9月集群运营主体变更为宁波某园区管委会，"
        "未按规定报告。"
    ) in text
    assert "决定撤销鄞州模具产业集群宁波市中小企业特色产业集群认定，自2024年3月8日起" in text
    assert "请鄞州区经信部门督促集群运营主体认真整改" in text
    assert lines[-2:] == ["宁波市经济和信息化局", "2024年3月8日"]
    # Nothing of the form or the review.
    assert "得分" not in text
    assert "专家" not in text


def test_a_reason_with_its_own_full_stop_keeps_one():
    notice = RevocationNotice(**{**NOTICE.__dict__, "reason": "发生重大安全生产事故。"})
    text = docx_text(render_revocation_notice(notice))
    assert "：发生重大安全生产事故。根据" not in text  # paragraphs stay apart
    assert "发生重大安全生产事故。。" not in text
    assert "（撤销原因类别：重大变更未报告）：发生重大安全生产事故。" in text


def test_characters_word_cannot_hold_do_not_break_the_file():
    notice = RevocationNotice(**{**NOTICE.__dict__, "reason": "理由\x00含控制字符\x0b"})
    text = docx_text(render_revocation_notice(notice))
    assert "理由含控制字符" in text
