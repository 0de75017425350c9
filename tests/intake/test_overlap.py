"""交叉比对 kept in the database: each submission indexed after its move commits, a resubmission
replacing the application's flags, earlier rounds compared, two workers kept in step, the
city's dismissals kept across re-indexing and rebuilds, and no county ever shown a flag."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from clusterdesk.form import overlap as core
from clusterdesk.form.overlap import FlagKind, OverlapIndex
from clusterdesk.intake.domain import overlap
from clusterdesk.intake.domain.overlap_flags import flags_for, marked
from clusterdesk.intake.models import OverlapDismissal, OverlapEntry, OverlapFlag
from clusterdesk.rounds.enums import RoundStatus
from tests.factories import (
    make_admin,
    make_city_officer,
    make_county_officer,
    make_round,
)
from tests.intake.overlap_world import own_data, passage, resubmit, submitted, with_passage
from tests.queues import BACKENDS, Queue, redis_problem

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def indexed(django_capture_on_commit_callbacks, settings):
    """Run what the moves leave for after their commit (queueing the indexing) as it would run,
    with a queue that runs each task as it is queued (the worker itself: see
    test_the_worker_indexes_what_the_submission_queued)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CLUSTERDESK_TASKS_QUEUE = "default"
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def city():
    return make_city_officer()


@pytest.fixture
def pair(indexed):
    """Two counties' applications of one round, the second copying 120 characters of the
    first's 发展成效 into its own."""
    round_ = make_round()
    first, second = make_county_officer(), make_county_officer()
    data = own_data("北仑模具产业集群", 1)
    copied = passage(data)
    with indexed():
        a = submitted(round_, first, "北仑模具产业集群", data)
        b = submitted(
            round_,
            second,
            "慈溪家电产业集群",
            with_passage(own_data("慈溪家电产业集群", 2), copied),
        )
    return a, b, copied, first, second


def text_flags():
    return list(OverlapFlag.objects.filter(kind=FlagKind.TEXT))


def test_two_counties_sharing_a_passage_are_flagged_with_both_passages_shown(client, city, pair):
    a, b, copied, *_ = pair
    [flag] = text_flags()
    assert (flag.earlier_id, flag.later_id) == (a.pk, b.pk)
    assert (
        flag.earlier_place
        == flag.later_place
        == "八、未来三年中小企业特色产业集群发展规划 · 发展成效"
    )
    assert copied[5:-5] in flag.earlier_text
    assert copied[5:-5] in flag.later_text
    client.force_login(city)
    page = client.get(reverse("intake:overlap"), {"round": a.round_id}).content.decode()
    assert "北仑模具产业集群" in page
    assert "慈溪家电产业集群" in page
    assert str(a.organisation) in page
    assert str(b.organisation) in page
    assert page.count("八、未来三年中小企业特色产业集群发展规划 · 发展成效") == 2
    assert page.count("<mark>") >= 2  # the shared text marked on both sides
    # On each application's page too, and the desk counts it for the round.
    for app in (a, b):
        shown = client.get(reverse("intake:application", args=[app.pk])).content.decode()
        assert "文本雷同" in shown
        assert "待核实" in shown
    desk = client.get(reverse("intake:desk"), {"round": a.round_id}).content.decode()
    assert "交叉比对：待核实 1 条" in desk


def test_the_shared_text_is_marked_and_the_rest_not():
    left, right = marked("甲乙丙丁戊己庚辛壬癸", "甲乙丙丁X己庚辛壬癸")
    assert [(p.text, p.shared) for p in left] == [
        ("甲乙丙丁", True),
        ("戊", False),
        ("己庚辛壬癸", True),
    ]
    assert [(p.text, p.shared) for p in right] == [
        ("甲乙丙丁", True),
        ("X", False),
        ("己庚辛壬癸", True),
    ]


def test_a_resubmission_that_removes_the_copied_passage_clears_the_flag(pair, city, indexed):
    _a, b, _copied, _, second = pair
    assert len(text_flags()) == 1
    with indexed():
        resubmit(b, second, city, own_data("慈溪家电产业集群", 2))
    assert text_flags() == []
    assert OverlapEntry.objects.get(application=b).submission == b.submissions.latest("pk")


def test_a_resubmission_keeping_the_passage_replaces_its_flag(pair, city, indexed):
    a, b, copied, first, _ = pair
    with indexed():  # now the first application is the later one to be indexed
        resubmit(a, first, city, with_passage(own_data("北仑模具产业集群", 1), copied, at=0))
    [flag] = text_flags()
    assert (flag.earlier_id, flag.later_id) == (b.pk, a.pk)


def test_the_same_patent_number_claimed_by_two_clusters_is_flagged(indexed):
    round_ = make_round()
    first = own_data("甲产业集群", 3)
    second = own_data("乙产业集群", 4)
    second["part3"]["patents_list"][7]["number"] = first["part3"]["patents_list"][2]["number"]
    with indexed():
        a = submitted(round_, make_county_officer(), "甲产业集群", first)
        b = submitted(round_, make_county_officer(), "乙产业集群", second)
    [flag] = OverlapFlag.objects.all()
    assert (flag.kind, flag.earlier_id, flag.later_id) == (FlagKind.PATENT, a.pk, b.pk)
    assert flag.earlier_text == flag.later_text == first["part3"]["patents_list"][2]["number"]
    assert flag.later_place.endswith("有效发明专利清单 · 第8行")


def test_an_earlier_rounds_application_is_compared_and_counted_on_the_new_round(
    client, city, indexed
):
    earlier_round = make_round(status=RoundStatus.OPEN)
    data = own_data("镇海石化产业集群", 5)
    with indexed():
        old = submitted(earlier_round, make_county_officer(), "镇海石化产业集群", data)
    earlier_round.status = RoundStatus.CLOSED
    earlier_round.save()
    new_round = make_round()
    copy = with_passage(own_data("宁海文具产业集群", 6), passage(data))
    with indexed():
        new = submitted(new_round, make_county_officer(), "宁海文具产业集群", copy)
    [flag] = text_flags()
    assert (flag.earlier_id, flag.later_id) == (old.pk, new.pk)
    client.force_login(city)
    page = client.get(reverse("intake:overlap"), {"round": new_round.pk}).content.decode()
    assert earlier_round.name in page
    assert new_round.name in page


def test_one_unit_declaring_the_same_cluster_again_in_a_later_round_is_not_flagged(indexed):
    officer = make_county_officer()
    data = own_data("象山海洋产业集群", 7)
    with indexed():
        submitted(make_round(), officer, "象山海洋产业集群", data)
        submitted(make_round(), officer, "象山海洋产业集群", own_data("象山海洋产业集群", 7))
    assert not OverlapFlag.objects.exists()


def test_a_dismissal_says_who_and_why_and_survives_a_rebuild_and_a_resubmission(
    client, city, pair, indexed
):
    a, b, copied, _, second = pair
    [flag] = text_flags()
    client.force_login(city)
    url = reverse("intake:overlap_dismiss", args=[flag.pk])
    page = client.post(url, {"reason": "同一龙头企业的公开资料"}, follow=True).content.decode()
    assert "已核实，非抄袭" in page
    assert "同一龙头企业的公开资料" in page
    dismissal = OverlapDismissal.objects.get()
    assert (dismissal.dismissed_by, dismissal.reason) == (city, "同一龙头企业的公开资料")

    out = _rebuild()
    assert "已重建交叉比对：2 份申报，1 条提示（其中 1 条此前已核实为非抄袭）" in out
    [again] = text_flags()
    assert again.pk != flag.pk
    assert again.dismissal == dismissal

    with indexed():  # the same passage, resubmitted with other edits elsewhere
        changed = with_passage(own_data("慈溪家电产业集群", 2), copied)
        changed["part8"]["problems"] = changed["part8"]["problems"][::-1]
        resubmit(b, second, city, changed)
    [after] = text_flags()
    assert after.dismissal == dismissal
    listed = client.get(reverse("intake:overlap"), {"round": a.round_id, "status": "open"})
    assert "没有交叉比对提示" in listed.content.decode()


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "请填写核实说明"), ("  ", "请填写核实说明"), ("理" * 501, "核实说明最多 500 字")],
)
def test_a_dismissal_without_a_fitting_reason_changes_nothing(client, city, pair, reason, message):
    [flag] = text_flags()
    client.force_login(city)
    url = reverse("intake:overlap_dismiss", args=[flag.pk])
    page = client.post(url, {"reason": reason}, follow=True).content.decode()
    assert message in page
    assert not OverlapDismissal.objects.exists()
    flag.refresh_from_db()
    assert flag.dismissal is None


def test_dismissing_twice_says_who_did_it_first(client, city, pair):
    [flag] = text_flags()
    client.force_login(city)
    url = reverse("intake:overlap_dismiss", args=[flag.pk])
    client.post(url, {"reason": "已电话核实"})
    other = make_city_officer(username="city2")
    client.force_login(other)
    page = client.post(url, {"reason": "再次核实"}, follow=True).content.decode()
    assert "无需重复核实" in page
    assert "已电话核实" in page
    assert OverlapDismissal.objects.get().dismissed_by == city


def test_a_county_never_sees_a_flag_and_admins_read_without_dismissing(client, pair):
    a, _b, _, first, second = pair
    [flag] = text_flags()
    for officer in (first, second):
        assert not flags_for(officer).exists()
        client.force_login(officer)
        assert client.get(reverse("intake:overlap")).status_code == 403
        response = client.post(reverse("intake:overlap_dismiss", args=[flag.pk]), {"reason": "x"})
        assert response.status_code == 403
    admin = make_admin()
    client.force_login(admin)
    page = client.get(reverse("intake:overlap"), {"round": a.round_id}).content.decode()
    assert "文本雷同" in page
    assert "已核实，非抄袭</button>" not in page
    assert (
        client.post(reverse("intake:overlap_dismiss", args=[flag.pk]), {"reason": "x"}).status_code
        == 403
    )
    assert not OverlapDismissal.objects.exists()


def test_filters_by_kind_and_status(client, city, pair):
    a, *_ = pair
    client.force_login(city)
    url = reverse("intake:overlap")
    assert (
        "文本雷同：" in client.get(url, {"round": a.round_id, "kind": "文本雷同"}).content.decode()
    )
    page = client.get(url, {"round": a.round_id, "kind": "专利号重复"}).content.decode()
    assert "没有交叉比对提示" in page
    page = client.get(url, {"round": a.round_id, "status": "dismissed"}).content.decode()
    assert "没有交叉比对提示" in page
    # Values it does not know filter nothing; an unknown round is not found.
    assert "文本雷同：" in client.get(url, {"round": a.round_id, "kind": "x'"}).content.decode()
    assert client.get(url, {"round": "99999"}).status_code == 404
    assert client.get(url, {"round": "abc"}).status_code == 404


def test_a_second_worker_catches_up_before_it_compares(indexed):
    """Two workers, each with its own index in memory: what one indexed, the other reads
    (by the entries' seq) before comparing its own submission."""
    round_ = make_round()
    data = own_data("余姚光电产业集群", 8)
    with indexed():
        submitted(round_, make_county_officer(), "余姚光电产业集群", own_data("江北产业集群", 9))
    worker_one = overlap._worker.cache
    assert worker_one is not None
    assert len(worker_one.index) == 1
    overlap.forget_cache()  # worker two starts
    with indexed():
        b = submitted(round_, make_county_officer(), "余姚光电产业集群", data)
    overlap._worker.cache = worker_one  # worker one, behind by one submission, gets the next
    with indexed():
        c = submitted(
            round_,
            make_county_officer(),
            "奉化汽配产业集群",
            with_passage(own_data("奉化汽配产业集群", 10), passage(data)),
        )
    [flag] = text_flags()
    assert (flag.earlier_id, flag.later_id) == (b.pk, c.pk)
    assert len(overlap._worker.cache.index) == 3


def test_the_rebuild_finds_what_the_submissions_found(pair):
    before = sorted(OverlapFlag.objects.values_list("kind", "earlier_id", "later_id", "signature"))
    out = _rebuild()
    assert "已重建交叉比对：2 份申报，1 条提示" in out
    after = sorted(OverlapFlag.objects.values_list("kind", "earlier_id", "later_id", "signature"))
    assert after == before
    assert OverlapEntry.objects.filter(submission__isnull=False).count() == 2


def test_the_rebuild_command_refuses_an_argument_in_chinese_with_exit_code_2(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "overlap_rebuild", "--round", "2023"],
        capture_output=True,
        text=True,
        env={"DATABASE_URL": f"sqlite:///{tmp_path / 'none.sqlite3'}", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 2
    assert "参数有误" in result.stderr
    assert "overlap_rebuild" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_huge_box_costs_a_bounded_alignment(monkeypatch):
    """A box at the schema's hard cap (ten times 3000字) copied whole: the copy is found, and
    rapidfuzz never aligns more than ``ALIGN_LIMIT`` characters of a box."""
    aligned = []
    real = core.Indel.opcodes

    def opcodes(a, b):
        aligned.append(max(len(a), len(b)))
        return real(a, b)

    monkeypatch.setattr(core.Indel, "opcodes", opcodes)
    huge = own_data("甲产业集群", 11)["part8"]["achievements"] * 200
    huge = huge[:30_000]
    index = OverlapIndex()
    index.add("a", "甲", {"part8": {"achievements": huge}})
    flags = index.add("b", "乙", {"part8": {"achievements": huge}})
    assert any(flag.kind is FlagKind.TEXT for flag in flags)
    assert aligned
    assert max(aligned) <= core.ALIGN_LIMIT


def _rebuild() -> str:
    from io import StringIO  # noqa: PLC0415

    out = StringIO()
    call_command("overlap_rebuild", stdout=out)
    return out.getvalue()


def test_nothing_is_indexed_before_the_submission_commits():
    submitted(make_round(), make_county_officer(), "甲产业集群", own_data("甲产业集群", 12))
    assert not OverlapEntry.objects.exists()


def test_an_indexing_failure_never_undoes_the_submission(indexed, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("索引出错")

    monkeypatch.setattr(OverlapIndex, "add", broken)
    with indexed():
        app = submitted(
            make_round(), make_county_officer(), "甲产业集群", own_data("甲产业集群", 13)
        )
    app.refresh_from_db()
    assert app.state == "submitted"
    assert app.submissions.count() == 1
    assert not OverlapEntry.objects.exists()
    assert overlap._worker.cache is None  # read again on next use
    assert "索引出错" in caplog.text


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_worker_indexes_what_the_submission_queued(backend, django_capture_on_commit_callbacks):
    """The submission only queues the indexing (the county's request never pays for a worker
    reading every snapshot); the background worker, on either queue, finds the copy."""
    if backend == "redis" and (problem := redis_problem()):
        pytest.fail(problem)
    queue = Queue(backend, f"test-overlap-{uuid.uuid4().hex[:12]}")
    with override_settings(**queue.settings()):
        try:
            round_ = make_round()
            data = own_data("北仑模具产业集群", 21)
            with django_capture_on_commit_callbacks(execute=True):
                a = submitted(round_, make_county_officer(), "北仑模具产业集群", data)
                b = submitted(
                    round_,
                    make_county_officer(),
                    "慈溪家电产业集群",
                    with_passage(own_data("慈溪家电产业集群", 22), passage(data)),
                )
            assert not OverlapEntry.objects.exists()
            assert queue.queued() == 2
            queue.work()
            assert queue.queued() == 0
            assert set(OverlapEntry.objects.values_list("application_id", flat=True)) == {
                a.pk,
                b.pk,
            }
            [flag] = text_flags()
            assert (flag.earlier_id, flag.later_id) == (a.pk, b.pk)
        finally:
            queue.clean()
