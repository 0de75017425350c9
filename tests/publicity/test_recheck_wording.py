"""A 复核 round's 公示 reads as a 复核: 复核通过名单 / 拟通过复核的集群, never 拟认定名单
(the notice: 有效期为3年，期满后可申请复核), in the Word notice and on the public page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from clusterdesk.documents.publicity_notice import body_paragraphs
from clusterdesk.publicity.domain.decision import Choice, record_decision
from clusterdesk.publicity.domain.publicity import notice_of, start_publicity
from tests.documents.helpers import docx_text
from tests.factories import SHANGHAI
from tests.recheck.world import DUE_DAY, certified, opened

pytestmark = pytest.mark.django_db

CONTACT = "中小企业处 张三 0574-87000000"


@pytest.fixture
def recheck_publicity(clock_at):
    """The first cluster's 复核 passes the 会审 on Monday 2 June 2025; 公示 from 9 June."""
    world = certified()
    clock_at(DUE_DAY)
    round_, [case] = opened(world)
    record_decision(
        round_,
        dt.date(2025, 6, 2),
        "局务会成员",
        "同意复核通过。",
        [Choice(case.application.pk, True)],
        world.city,
    )
    clock_at(dt.datetime(2025, 6, 9, 9, 0, tzinfo=SHANGHAI))
    publicity = start_publicity(round_, dt.date(2025, 6, 9), CONTACT, world.city)
    return publicity, case.application


def test_the_recheck_notice_speaks_of_passing_the_recheck(client, recheck_publicity):
    publicity, application = recheck_publicity
    assert publicity.title == "关于2025年度宁波市中小企业特色产业集群复核通过名单的公示"
    intro, period, objection, contact = body_paragraphs(notice_of(publicity))
    assert "以下1个集群拟通过复核，现予以公示。" in intro
    assert "认定有效期为3年，期满后进行复核" in intro
    assert period == "公示期为2025年6月9日至2025年6月13日（5个工作日）。"
    assert objection.startswith("公示期间，如对拟通过复核的集群有异议，请以书面形式向我局反映")
    assert contact == f"联系人及电话：{CONTACT}"

    response = client.get(reverse("gongshi:notice", args=[publicity.pk, "docx"]))
    assert response.status_code == 200
    text = docx_text(response.content)
    assert "关于2025年度宁波市中小企业特色产业集群复核通过名单的公示" in text
    assert "2025年度拟通过复核的宁波市中小企业特色产业集群名单" in text
    assert str(application) in text
    assert "拟认定" not in text
    assert "申报认定工作的通知" not in text  # not a declaration's 公示


def test_the_public_page_lists_it_as_a_recheck(client, recheck_publicity):
    _, application = recheck_publicity
    page = client.get(reverse("gongshi:current")).content.decode()  # not signed in
    assert "关于2025年度宁波市中小企业特色产业集群复核通过名单的公示" in page
    assert str(application) in page
    assert "公示期间，如对拟通过复核的集群有异议，请以书面形式向宁波市经济和信息化局反映" in page
    assert "拟认定" not in page.split("<main", 1)[-1]
