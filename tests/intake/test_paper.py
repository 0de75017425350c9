"""The sealed paper set (纸质材料): receipts recorded against the submission, append-only and
superseded by the next; the desk flags units missing one after the deadline; the inbox filters."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.intake.domain.desk import desk
from clusterdesk.intake.models import PaperReceipt
from clusterdesk.shared.appendonly import AppendOnlyError
from tests.factories import (
    SHANGHAI,
    make_admin,
    make_application,
    make_city_officer,
    make_county_officer,
    make_organisation,
    make_round,
)

pytestmark = pytest.mark.django_db

AFTER_DEADLINE = dt.datetime(2023, 4, 15, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def city():
    return make_city_officer()


def post(**overrides) -> dict[str, str]:
    data = {
        "received_on": "2023-04-10",
        "received_by": "王科员",
        "originals": "2",
        "copies": "3",
        "package_sha256": "",
        "note": "密封完好",
    }
    data.update(overrides)
    return data


def text(response) -> str:
    return response.content.decode()


def submitted(round_=None, officer=None, name="测试产业集群"):
    return make_application(
        round_=round_ or make_round(), officer=officer, cluster_name=name, path=(S.SUBMITTED,)
    )


def test_a_complete_paper_set_is_recorded_against_the_latest_submission(client, city):
    app = submitted()
    snapshot = app.submissions.latest("pk")
    client.force_login(city)
    response = client.post(
        reverse("intake:receipt", args=[app.pk]), post(package_sha256=snapshot.data_sha256.upper())
    )
    assert response.status_code == 302
    receipt = PaperReceipt.objects.get()
    assert receipt.submission == snapshot
    assert (receipt.originals, receipt.copies, receipt.received_by) == (2, 3, "王科员")
    assert receipt.received_on == dt.date(2023, 4, 10)
    assert receipt.package_sha256 == snapshot.data_sha256  # upper case is read as the same
    assert receipt.matches is True
    assert receipt.recorded_by == city
    page = text(client.get(reverse("intake:application", args=[app.pk])))
    assert "齐全，一式五份" in page
    assert "与提交快照一致" in page
    assert "密封完好" in page


def test_counts_below_two_and_three_are_recorded_and_shown_short(client, city):
    app = submitted()
    client.force_login(city)
    response = client.post(
        reverse("intake:receipt", args=[app.pk]), post(originals="1", copies="1"), follow=True
    )
    assert PaperReceipt.objects.get().shortfall == "不足（缺正本 1 份、副本 2 份）"
    assert "不足（缺正本 1 份、副本 2 份）" in text(response)


def test_a_hash_that_differs_is_recorded_as_a_mismatch(client, city):
    app = submitted()
    client.force_login(city)
    client.post(reverse("intake:receipt", args=[app.pk]), post(package_sha256="ab" * 32))
    receipt = PaperReceipt.objects.get()
    assert receipt.matches is False
    page = text(client.get(reverse("intake:application", args=[app.pk])))
    assert "与提交快照不一致" in page
    assert app.submissions.latest("pk").data_sha256 in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("originals", "-1", "正本份数不能为负数。"),
        ("copies", "-3", "副本份数不能为负数。"),
        ("copies", "三", "副本份数须为整数。"),
        ("originals", "", "请填写正本份数。"),
        ("received_on", "2023-04-11", "收到日期不能晚于今天（2023-04-10）。"),
        ("received_on", "四月十日", "收到日期格式不正确"),
        ("received_by", "  ", "请填写签收人。"),
        ("package_sha256", "abc123", "电子版 SHA-256 应为 64 位十六进制字符"),
        ("package_sha256", "g" * 64, "电子版 SHA-256 应为 64 位十六进制字符"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(client, city, field, value, message):
    app = submitted()
    client.force_login(city)
    response = client.post(reverse("intake:receipt", args=[app.pk]), post(**{field: value}))
    assert response.status_code == 400
    assert message in text(response)
    assert not PaperReceipt.objects.exists()


def test_an_application_never_submitted_has_no_paper_set_to_record(client, city):
    app = make_application()
    client.force_login(city)
    response = client.post(reverse("intake:receipt", args=[app.pk]), post())
    assert response.status_code == 400
    assert "尚未提交" in text(response)
    assert not PaperReceipt.objects.exists()


def test_a_later_receipt_supersedes_and_the_earlier_stays(client, city):
    app = submitted()
    client.force_login(city)
    client.post(reverse("intake:receipt", args=[app.pk]), post(originals="1", note="少一份正本"))
    client.post(reverse("intake:receipt", args=[app.pk]), post(note="补齐正本"))
    assert PaperReceipt.objects.count() == 2
    page = text(client.get(reverse("intake:application", args=[app.pk])))
    assert "齐全，一式五份" in page  # the latest counts
    assert "已被最新记录取代" in page
    assert "少一份正本" in page
    first = PaperReceipt.objects.order_by("pk").first()
    first.copies = 5
    with pytest.raises(AppendOnlyError):
        first.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        PaperReceipt.objects.filter(pk=first.pk).update(copies=5)


def test_the_desk_flags_units_missing_a_paper_set_after_the_deadline(client, city, clock_at):
    round_ = make_round()
    missing = make_county_officer(make_organisation(name="缺材料区经济和信息化局"))
    done = make_county_officer(make_organisation(name="已交齐区经济和信息化局"))
    submitted(round_, missing)
    make_application(round_=round_, officer=missing)  # a draft expects no paper set
    app = submitted(round_, done)
    client.force_login(city)
    client.post(reverse("intake:receipt", args=[app.pk]), post())

    def row(unit) -> str:
        page = text(client.get(reverse("intake:desk"), {"round": round_.pk}))
        return page[page.index(unit.name) :].split("</tr>")[0]

    lines = {line.unit: line for line in desk(city, round_).lines}
    assert (lines[missing.organisation].paper_due, lines[missing.organisation].paper_received) == (
        1,
        0,
    )
    assert (lines[done.organisation].paper_due, lines[done.organisation].paper_received) == (1, 1)
    assert "缺纸质材料" not in row(missing.organisation)  # before the deadline: not yet
    clock_at(AFTER_DEADLINE)
    assert "缺纸质材料 1 份" in row(missing.organisation)
    assert "缺纸质材料" not in row(done.organisation)
    assert f"organisation={missing.organisation_id}&amp;paper=no" in row(missing.organisation)


def test_the_inbox_filters_by_paper_set_received(client, city):
    round_ = make_round()
    received = submitted(round_, name="已收纸质产业集群")
    submitted(round_, name="未收纸质产业集群")
    client.force_login(city)
    client.post(reverse("intake:receipt", args=[received.pk]), post())
    url = reverse("intake:inbox")
    yes = text(client.get(url, {"round": round_.pk, "paper": "yes"}))
    no = text(client.get(url, {"round": round_.pk, "paper": "no"}))
    assert "已收纸质产业集群" in yes
    assert "未收纸质产业集群" not in yes
    assert "未收纸质产业集群" in no
    assert "已收纸质产业集群" not in no
    assert "纸质材料已收到" in yes


@pytest.mark.parametrize("role", ["own", "other", "admin"])
def test_only_the_city_officer_records_a_receipt(client, role):
    officer = make_county_officer()
    app = submitted(officer=officer)
    user = {"own": officer, "other": make_county_officer(), "admin": make_admin()}[role]
    client.force_login(user)
    response = client.post(reverse("intake:receipt", args=[app.pk]), post())
    assert response.status_code == 403
    assert not PaperReceipt.objects.exists()
    if role != "admin":
        page = client.get(reverse("intake:application", args=[app.pk]))
        assert page.status_code == 403
