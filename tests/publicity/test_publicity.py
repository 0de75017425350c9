"""公示: a working-day start, the end by the official calendar, the public page and the notice;
objections; the guard on 认定."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application
from clusterdesk.declarations.workflow import TransitionRefused, refusal, transition
from clusterdesk.publicity.domain.decision import Choice, record_decision
from clusterdesk.publicity.domain.objections import (
    ObjectionRefused,
    handle_objection,
    override_objection,
    record_objection,
    reject_proposed,
)
from clusterdesk.publicity.domain.publicity import (
    PublicityRefused,
    ended_publicities,
    leading_industry,
    publicity_for,
    start_publicity,
)
from clusterdesk.publicity.models import Objection, ObjectionStep, Outcome, Publicity
from tests.documents.helpers import docx_text, needs_pdf_tools, pdf_pages
from tests.publicity.conftest import on

pytestmark = pytest.mark.django_db

CONTACT = "市经信局中小企业处 张三 0574-89180000"


@pytest.fixture
def proposed(panel, clock_at):
    """The 会审 on 2023-09-25 proposes the first two, refuses the third."""
    clock_at(on(2023, 9, 25))
    first, second, third = panel.apps
    record_decision(
        panel.round,
        dt.date(2023, 9, 25),
        "张三、李四",
        "纪要",
        [Choice(first.pk, True), Choice(second.pk, True), Choice(third.pk, False, reason="不符")],
        panel.city,
    )
    return panel


def test_a_start_on_a_saturday_is_refused_and_nothing_is_created(proposed):
    with pytest.raises(PublicityRefused) as refused:
        start_publicity(proposed.round, dt.date(2023, 9, 23), CONTACT, proposed.city)
    assert refused.value.message.startswith("公示开始日期：2023年9月23日（周末）不是工作日")
    assert not Publicity.objects.exists()


def test_the_end_skips_the_national_day_holiday(proposed):
    publicity = start_publicity(proposed.round, dt.date(2023, 9, 27), CONTACT, proposed.city)
    assert publicity.ends_on == dt.date(2023, 10, 9)
    assert publicity.title == "关于2023年度宁波市中小企业特色产业集群拟认定名单的公示"
    assert [item.cluster_name for item in publicity.items.all()] == [
        "北仑模具产业集群",
        "慈溪家电产业集群",
    ]
    assert publicity_for(proposed.apps[0]) == publicity
    assert publicity_for(proposed.apps[2]) is None
    # Once started, nothing is left to publicise.
    with pytest.raises(PublicityRefused, match="没有待公示的拟认定集群"):
        start_publicity(proposed.round, dt.date(2023, 9, 28), CONTACT, proposed.city)


def test_the_start_form_refuses_in_chinese(client, proposed):
    client.force_login(proposed.city)
    url = reverse("publicity:start", args=[proposed.round.pk])
    response = client.post(url, {"starts_on": "2023-10-02", "contact": CONTACT}, follow=True)
    assert (
        "公示未发起：公示开始日期：2023年10月2日（国庆节）不是工作日" in response.content.decode()
    )
    response = client.post(url, {"starts_on": "2023-09-27", "contact": ""}, follow=True)
    assert "异议受理联系人及方式：请填写" in response.content.decode()
    assert not Publicity.objects.exists()
    response = client.post(url, {"starts_on": "2023-09-27", "contact": CONTACT}, follow=True)
    assert "2023-09-27至2023-10-09（5个工作日）" in response.content.decode()


def test_the_public_page_shows_only_what_a_publicity_shows(client, proposed, clock_at):
    start_publicity(proposed.round, dt.date(2023, 9, 27), CONTACT, proposed.city)
    clock_at(on(2023, 9, 28))
    page = client.get(reverse("gongshi:current")).content.decode()  # not signed in
    first = proposed.apps[0]
    assert "北仑模具产业集群" in page
    assert "慈溪家电产业集群" in page
    assert "余姚光电产业集群" not in page  # refused at the 会审: not in the 公示
    assert first.organisation.name in page
    assert first.organisation.county in page
    assert "模具" in page  # 附件1 · 主导产业
    assert "公示期为2023年9月27日至2023年10月9日（5个工作日）" in page
    assert CONTACT in page
    assert "匿名异议不予受理" in page
    for private in ("91.50", "得分", "排名", first.data["part1"]["operator"]):
        assert private not in page
    assert reverse("gongshi:notice", args=[Publicity.objects.get().pk, "docx"]) in page
    clock_at(on(2023, 10, 10))
    assert "北仑模具产业集群" not in client.get(reverse("gongshi:current")).content.decode()


def test_the_notice_opens_with_the_list_the_period_and_how_to_object(client, proposed, clock_at):
    publicity = start_publicity(proposed.round, dt.date(2023, 9, 27), CONTACT, proposed.city)
    clock_at(on(2023, 9, 27))
    response = client.get(reverse("gongshi:notice", args=[publicity.pk, "docx"]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    text = docx_text(response.content)
    assert "关于2023年度宁波市中小企业特色产业集群拟认定名单的公示" in text
    assert "公示期为2023年9月27日至2023年10月9日（5个工作日）" in text
    assert "以单位名义提出的须加盖公章，以个人名义提出的须署真实姓名并提供联系方式，" in text
    assert "匿名异议不予受理" in text
    assert CONTACT in text
    first = proposed.apps[0]
    assert "北仑模具产业集群" in text
    assert f"{first.organisation.name}（{first.organisation.county}）" in text
    assert "余姚光电产业集群" not in text
    assert "91.50" not in text
    assert client.get(reverse("gongshi:notice", args=[publicity.pk, "exe"])).status_code == 404


def test_a_notice_is_not_public_before_its_start(client, proposed):
    publicity = start_publicity(proposed.round, dt.date(2023, 9, 27), CONTACT, proposed.city)
    # The clock stands at 2023-09-25: the 公示 is announced but has not started.
    assert client.get(reverse("gongshi:notice", args=[publicity.pk, "docx"])).status_code == 404
    assert "北仑模具产业集群" not in client.get(reverse("gongshi:current")).content.decode()


# --- objections ---------------------------------------------------------------------------------


@pytest.fixture
def running(proposed, clock_at):
    publicity = start_publicity(proposed.round, dt.date(2023, 9, 27), CONTACT, proposed.city)
    clock_at(on(2023, 9, 28))
    return proposed, publicity


def _object(world, publicity, name="王五", contact="13800000000", **fields):
    return record_objection(
        publicity,
        fields.pop("application", world.apps[0]),
        name,
        fields.pop("organisation", ""),
        contact,
        fields.pop("content", "该集群产值数据与统计年鉴不符"),
        fields.pop("received_on", dt.date(2023, 9, 28)),
        world.city,
    )


def test_an_anonymous_objection_is_recorded_but_not_accepted(running):
    world, publicity = running
    anonymous = _object(world, publicity, name="", contact="")
    assert not anonymous.signed
    assert (
        anonymous.not_accepted_reason
        == "匿名异议（未署真实姓名），不予受理。未提供联系方式，不予受理。"
    )
    no_contact = _object(world, publicity, contact="")
    assert not no_contact.signed
    assert no_contact.not_accepted_reason == "未提供联系方式，不予受理。"
    with pytest.raises(ObjectionRefused, match="不予受理"):
        handle_objection(anonymous, world.city, "核实", Outcome.DISMISSED)
    assert Objection.objects.count() == 2


def test_objection_input_is_checked_by_field(running):
    world, publicity = running
    with pytest.raises(ObjectionRefused, match="异议内容：请填写"):
        _object(world, publicity, content=" ")
    with pytest.raises(ObjectionRefused, match="异议对象"):
        _object(world, publicity, application=world.apps[2])  # not in the 公示
    with pytest.raises(ObjectionRefused, match="收到日期：不能晚于今天"):
        _object(world, publicity, received_on=dt.date(2023, 9, 29))
    with pytest.raises(ObjectionRefused, match="异议人姓名：不能超过 50 字"):
        _object(world, publicity, name="王" * 51)
    assert not Objection.objects.exists()


def test_the_objection_form_records_an_anonymous_one_as_not_accepted(client, running):
    world, publicity = running
    client.force_login(world.city)
    response = client.post(
        reverse("publicity:objection_new", args=[publicity.pk]),
        {"application": world.apps[0].pk, "content": "匿名举报", "received_on": "2023-09-28"},
        follow=True,
    )
    assert "已登记异议，不予受理：匿名异议（未署真实姓名），不予受理。" in response.content.decode()
    assert Objection.objects.get().signed is False


def test_a_nul_character_in_an_objection_is_refused_naming_the_field(client, running):
    # PostgreSQL cannot store it: without the check it was a 500 there.
    world, publicity = running
    client.force_login(world.city)
    response = client.post(
        reverse("publicity:objection_new", args=[publicity.pk]),
        {
            "application": world.apps[0].pk,
            "name": "张三",
            "contact": "13800000000",
            "content": "举报\x00内容",
            "received_on": "2023-09-28",
        },
        follow=True,
    )
    assert "异议未登记：异议内容：含有无法保存的控制字符" in response.content.decode()
    assert not Objection.objects.exists()


# --- the guard on 认定 -------------------------------------------------------------------------


def test_certification_waits_for_the_publicity_to_end(proposed, clock_at):
    first = Application.objects.get(pk=proposed.apps[0].pk)
    assert (
        refusal(first, S.CERTIFIED, proposed.city)
        == "“北仑模具产业集群”尚未公示，公示期满后方可认定。"
    )
    start_publicity(proposed.round, dt.date(2023, 9, 27), CONTACT, proposed.city)
    clock_at(on(2023, 10, 9, 17))  # the last day of the 公示
    assert refusal(first, S.CERTIFIED, proposed.city) == (
        "“北仑模具产业集群”的公示期至2023年10月9日，公示期满后方可认定。"
    )
    clock_at(on(2023, 10, 10))
    assert ended_publicities(proposed.round)
    transition(first, S.CERTIFIED, proposed.city)
    assert Application.objects.get(pk=first.pk).state == S.CERTIFIED


def test_a_pending_objection_blocks_then_an_upheld_one_needs_a_decision(running, clock_at):
    world, publicity = running
    first = Application.objects.get(pk=world.apps[0].pk)
    objection = _object(world, publicity)
    _object(world, publicity, name="")  # anonymous: not accepted, blocks nothing
    clock_at(on(2023, 10, 10))
    assert "有 1 件异议尚未处理完毕" in refusal(first, S.CERTIFIED, world.city)
    handle_objection(objection, world.city, "已约谈申报单位，正在核实统计数据")
    assert "尚未处理完毕" in refusal(first, S.CERTIFIED, world.city)
    handle_objection(objection, world.city, "经核实，产值数据确有出入", Outcome.UPHELD)
    assert "有异议经调查成立，须先记录会审研究决定" in refusal(first, S.CERTIFIED, world.city)
    with pytest.raises(TransitionRefused):
        transition(first, S.CERTIFIED, world.city)
    with pytest.raises(ObjectionRefused, match="请填写理由"):
        override_objection(objection, world.city, " ")
    override_objection(objection, world.city, "经会审研究仍予认定：出入不影响认定条件")
    assert refusal(first, S.CERTIFIED, world.city) is None
    kinds = list(ObjectionStep.objects.values_list("kind", flat=True).order_by("pk"))
    assert kinds == ["note", "note", "outcome", "override"]


def test_a_dismissed_objection_lets_certification_through(running, clock_at):
    world, publicity = running
    objection = _object(world, publicity)
    handle_objection(objection, world.city, "经核实数据无误", Outcome.DISMISSED)
    clock_at(on(2023, 10, 10))
    first = Application.objects.get(pk=world.apps[0].pk)
    assert refusal(first, S.CERTIFIED, world.city) is None
    with pytest.raises(ObjectionRefused, match="只有经调查成立的异议"):
        override_objection(objection, world.city, "仍予认定")


def test_the_city_may_refuse_a_proposed_cluster_after_an_upheld_objection(running):
    world, _ = running
    first = Application.objects.get(pk=world.apps[0].pk)
    with pytest.raises(ObjectionRefused, match="理由"):
        reject_proposed(first, world.city, "")
    reject_proposed(first, world.city, "异议成立：产值数据不实")
    assert Application.objects.get(pk=first.pk).state == S.REJECTED


def test_records_are_append_only(running):
    world, publicity = running
    objection = _object(world, publicity)
    with pytest.raises(Exception, match="只能新增"):
        objection.save()
    with pytest.raises(Exception, match="只能新增"):
        publicity.delete()


@needs_pdf_tools
def test_the_notice_pdf_reads_like_the_word_file(client, proposed, clock_at, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    publicity = start_publicity(proposed.round, dt.date(2023, 9, 27), CONTACT, proposed.city)
    clock_at(on(2023, 9, 27))
    response = client.get(reverse("gongshi:notice", args=[publicity.pk, "pdf"]))
    assert response.status_code == 200
    path = tmp_path / "notice.pdf"
    path.write_bytes(response.content)
    text = "".join(pdf_pages(path)).replace(" ", "").replace("\n", "")
    assert "拟认定名单的公示" in text
    assert "北仑模具产业集群" in text
    assert "匿名异议不予受理" in text
    # Kept: the second download is the same file, made once.
    again = client.get(reverse("gongshi:notice", args=[publicity.pk, "pdf"]))
    assert again.content == response.content


def test_the_leading_industry_is_the_summary_list_s_else_the_name_s(panel):
    first = Application.objects.get(pk=panel.apps[0].pk)
    assert leading_industry(first) == "模具"  # 附件1 · 主导产业 of the example form
    first.data["attachment1"]["leading_industry"] = ""
    first.data["part1"]["cluster_name"] = "宁波北仑模具中小企业特色产业集群（模具产业）"
    assert leading_industry(first) == "模具产业"
    first.data["part1"]["cluster_name"] = "北仑模具产业集群"
    assert leading_industry(first) == "第二产业"


def test_a_proposal_taken_back_and_made_again_needs_a_new_publicity(running, clock_at):
    world, _publicity = running
    first = Application.objects.get(pk=world.apps[0].pk)
    transition(first, S.UNDER_REVIEW, world.city, reason="撤回拟认定，重新会审")
    transition(first, S.PROPOSED, world.city)
    clock_at(on(2023, 10, 10))  # the first 公示 is over, but it covered the earlier proposal
    assert publicity_for(first) is None
    assert "尚未公示" in refusal(first, S.CERTIFIED, world.city)
    again = start_publicity(world.round, dt.date(2023, 10, 10), CONTACT, world.city)
    assert [item.application_id for item in again.items.all()] == [first.pk]
    assert publicity_for(first) == again


def test_the_city_pages_show_the_publicity_and_its_objections(client, running):
    world, publicity = running
    objection = _object(world, publicity)
    _object(world, publicity, name="")
    handle_objection(objection, world.city, "经核实数据无误", Outcome.DISMISSED)
    client.force_login(world.city)
    home = client.get(reverse("publicity:home"), {"round": world.round.pk}).content.decode()
    assert publicity.title in home
    assert "公示中" in home
    detail = client.get(reverse("publicity:detail", args=[publicity.pk])).content.decode()
    assert "不成立" in detail
    assert "经核实数据无误" in detail
    assert "匿名异议（未署真实姓名），不予受理。" in detail
    handle = reverse("publicity:objection_handle", args=[objection.pk])
    response = client.post(handle, {"notes": "", "outcome": "upheld"}, follow=True)
    assert "未保存：调查核实情况：请填写调查核实的情况。" in response.content.decode()
    docx = client.get(reverse("publicity:notice", args=[publicity.pk, "docx"]))
    assert "拟认定名单的公示" in docx_text(docx.content)


def test_the_objection_reads_with_the_contract_s_names(running):
    world, publicity = running
    objection = _object(world, publicity)
    assert objection.outcome == Outcome.PENDING
    handle_objection(objection, world.city, "核实一", Outcome.UPHELD)
    handle_objection(objection, world.city, "复核后认为不成立", Outcome.DISMISSED)
    objection = Objection.objects.get(pk=objection.pk)
    assert objection.outcome == Outcome.DISMISSED
    assert objection.handling_notes == "核实一\n复核后认为不成立"
