"""实地走访 in the domain: the plan, findings per rubric aspect, the conclusion (notes required
for 部分属实 and 不属实), photos and PDFs checked like evidence, and the flags on the ranking."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from clusterdesk.accounts.enums import Role
from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.hearings.domain import visits
from clusterdesk.hearings.domain.defence import HearingRefused
from clusterdesk.hearings.domain.visits import (
    aspects_for,
    attach_visit_file,
    conclusions_for,
    plan_visit,
    ranking_flags,
    record_visit,
)
from clusterdesk.hearings.models import HearingAction, HearingEvent, SiteVisit, SiteVisitFile
from clusterdesk.panel.rubric import default_rubric
from clusterdesk.scoring.domain import ranking
from clusterdesk.shared.blobstore import default_store
from tests.evidence import samples
from tests.factories import make_application, make_round, make_user
from tests.hearings.conftest import make_expert

pytestmark = pytest.mark.django_db

VISIT_DAY = dt.date(2023, 4, 7)  # before the tests' clock (2023-04-10)


def _plan(review, application=None, **fields):
    fields.setdefault("members", "市经信局 王科长；区经信局 陈科员")
    return plan_visit(
        review.round,
        application or review.own,
        planned_on=fields.pop("planned_on", VISIT_DAY),
        actor=fields.pop("actor", review.city),
        **fields,
    )


def test_planning_a_visit_with_experts_from_the_pool(review):
    visit = _plan(review, experts=[review.expert])
    assert list(visit.experts.all()) == [review.expert]
    event = HearingEvent.objects.get()
    assert (event.action, event.visit, event.actor) == (
        HearingAction.VISIT_PLANNED,
        visit,
        review.city,
    )
    assert event.detail["experts"] == [review.expert.pk]


def test_bad_plans_are_refused(review):
    outsider = make_user(Role.EXPERT)  # no profile: not in the pool
    with pytest.raises(HearingRefused, match="不是专家库中的在用专家"):
        _plan(review, experts=[outsider])
    with pytest.raises(HearingRefused, match="不是专家库中的在用专家"):
        _plan(review, experts=[review.county])
    with pytest.raises(HearingRefused, match="请填写走访人员或选择走访专家"):
        _plan(review, members="  ")
    with pytest.raises(HearingRefused, match="走访人员不能超过 500 个字"):
        _plan(review, members="人" * 501)
    elsewhere = make_application(
        round_=make_round(), path=(S.SUBMITTED, S.UNDER_REVIEW), city_officer=review.city
    )
    with pytest.raises(HearingRefused, match="所选申报不属于本申报轮次"):
        _plan(review, elsewhere)
    with pytest.raises(HearingRefused, match="只有审核中或拟认定的申报"):
        _plan(review, make_application(round_=review.round))
    with pytest.raises(HearingRefused, match="只有市经信局"):
        _plan(review, actor=review.county)
    assert not SiteVisit.objects.exists()
    assert not HearingEvent.objects.exists()
    _plan(review)
    with pytest.raises(HearingRefused, match="已安排实地走访"):
        _plan(review)
    assert SiteVisit.objects.count() == 1


def test_the_aspects_are_the_rounds_rubric(review):
    keys = [aspect.key for aspect in aspects_for(review.round)]
    assert keys == [aspect.key for aspect in default_rubric().aspects]
    assert "具有较强协同创新能力" in [aspect.name for aspect in aspects_for(review.round)]


def test_recording_findings_and_a_conclusion(review):
    visit = _plan(review)
    record_visit(
        visit,
        findings={"innovation": "  研发中心实地查看属实 ", "digital": ""},
        conclusion="true",
        actor=review.city,
    )
    visit.refresh_from_db()
    assert visit.findings == {"innovation": "研发中心实地查看属实"}
    assert (visit.conclusion, visit.recorded_by) == ("true", review.city)
    assert visit.get_conclusion_display() == "属实"


@pytest.mark.parametrize(("conclusion", "label"), [("false", "不属实"), ("partly", "部分属实")])
def test_not_true_needs_notes(review, conclusion, label):
    visit = _plan(review)
    with pytest.raises(HearingRefused) as refused:
        record_visit(visit, findings={}, conclusion=conclusion, notes=" ", actor=review.city)
    assert refused.value.message == (
        f"核查结论为“{label}”时必须填写结论说明（哪些内容与申报不符）。"
    )
    visit.refresh_from_db()
    assert visit.conclusion == ""
    assert HearingEvent.objects.filter(action=HearingAction.VISIT_RECORDED).count() == 0


def test_other_bad_records_are_refused(review):
    visit = _plan(review)
    with pytest.raises(HearingRefused, match="“secret”不是本轮评分标准中的评审方面"):
        record_visit(visit, findings={"secret": "x"}, conclusion="true", actor=review.city)
    with pytest.raises(HearingRefused, match="请选择核查结论"):
        record_visit(visit, findings={}, conclusion="maybe", actor=review.city)
    with pytest.raises(HearingRefused, match="核查情况不能超过 2000 字"):
        record_visit(visit, findings={"green": "字" * 2001}, conclusion="true", actor=review.city)
    later = _plan(review, review.other, planned_on=dt.date(2023, 5, 20))
    with pytest.raises(HearingRefused, match="走访定于 2023-05-20，尚未进行"):
        record_visit(later, findings={}, conclusion="true", actor=review.city)
    visit.refresh_from_db()
    assert visit.conclusion == ""


def test_flags_on_the_ranking_and_the_conclusions(review, django_assert_num_queries):
    assert ranking_flags in ranking.RANKING_FLAGS  # registered by HearingsConfig.ready()
    own, other = _plan(review), _plan(review, review.other)
    third = make_application(
        round_=review.round, path=(S.SUBMITTED, S.UNDER_REVIEW), city_officer=review.city
    )
    _plan(review, third)  # planned, not yet recorded
    record_visit(own, findings={}, conclusion="false", notes="产值数据无法核实", actor=review.city)
    record_visit(other, findings={}, conclusion="partly", notes="平台未投用", actor=review.city)
    ids = [review.own.pk, review.other.pk, third.pk]
    with django_assert_num_queries(1):
        flags = ranking_flags(review.round, ids)
    assert flags == {
        review.own.pk: ["实地走访：不属实"],
        review.other.pk: ["实地走访：部分属实"],
    }
    record_visit(own, findings={}, conclusion="true", actor=review.city)  # a correction
    assert ranking_flags(review.round, ids) == {review.other.pk: ["实地走访：部分属实"]}
    assert set(conclusions_for(review.round)) == {review.own.pk, review.other.pk}
    assert conclusions_for(review.round)[review.own.pk].conclusion == "true"
    assert conclusions_for(make_round()) == {}


# --- files ------------------------------------------------------------------------------------


def test_photos_and_pdfs_are_stored_by_sha256(review):
    visit = _plan(review)
    png = samples.png()
    result = attach_visit_file(
        visit,
        [samples.upload("厂区照片.png", png), samples.upload("核查记录.pdf", samples.PDF)],
        actor=review.city,
    )
    assert result.added == ["厂区照片.png", "核查记录.pdf"]
    assert result.refused == []
    photo = SiteVisitFile.objects.get(name="厂区照片.png")
    assert photo.blob.sha256 == hashlib.sha256(png).hexdigest()
    with default_store().open(photo.blob.sha256) as stream:
        assert stream.read() == png
    assert HearingEvent.objects.filter(action=HearingAction.VISIT_FILE).count() == 2


def test_refused_files(review, settings):
    visit = _plan(review)
    result = attach_visit_file(
        visit,
        [
            samples.upload("照片.png", samples.EXE),  # an executable under a photo's name
            samples.upload("记录.docx", samples.DOC_X),  # evidence may be Word; a visit not
            samples.upload("空.pdf", b""),
        ],
        actor=review.city,
    )
    assert result.added == []
    assert "“照片.png”的文件内容与扩展名不符" in result.refused[0]
    assert result.refused[1] == (
        "“记录.docx”不能作为走访文件上传：只接受PDF 和图片（JPG、PNG、GIF、WebP）。"
    )
    assert "空文件" in result.refused[2]
    settings.CLUSTERDESK_EVIDENCE_MAX_MB = 1
    big = samples.png() + b"\0" * (1 << 20)
    result = attach_visit_file(visit, [samples.upload("大照片.png", big)], actor=review.city)
    assert result.refused == ["“大照片.png”（1.0 MB）超过了每个文件 1 MB 的上限，未上传。"]
    assert not SiteVisitFile.objects.exists()
    assert not HearingEvent.objects.filter(action=HearingAction.VISIT_FILE).exists()


def test_the_same_file_twice_is_stored_once(review):
    visit = _plan(review)
    attach_visit_file(visit, [samples.upload("a.pdf", samples.PDF)], actor=review.city)
    result = attach_visit_file(visit, [samples.upload("b.pdf", samples.PDF)], actor=review.city)
    assert result.refused == ["“b.pdf”已上传过（内容相同），未重复上传。"]
    assert SiteVisitFile.objects.count() == 1


def test_only_the_city_attaches(review):
    visit = _plan(review)
    with pytest.raises(HearingRefused, match="只有市经信局"):
        attach_visit_file(visit, [samples.upload("a.pdf", samples.PDF)], actor=review.admin)
    assert not SiteVisitFile.objects.exists()


def test_at_most_fifty_files(review, monkeypatch):
    monkeypatch.setattr(visits, "MAX_FILES", 1)
    visit = _plan(review)
    result = attach_visit_file(
        visit,
        [samples.upload("a.pdf", samples.PDF), samples.upload("b.png", samples.png())],
        actor=review.city,
    )
    assert result.added == ["a.pdf"]
    assert result.refused == ["“b.png”未上传：每次走访最多 1 个文件。"]


def test_an_upload_that_fills_the_last_place_meanwhile_is_counted(review, monkeypatch):
    # Two officers upload at once: the other's file lands after this upload counted the visit's
    # files but before it stores its own; the count under the row lock refuses the extra one.
    monkeypatch.setattr(visits, "MAX_FILES", 1)
    visit = _plan(review)

    def files():
        attach_visit_file(visit, [samples.upload("a.pdf", samples.PDF)], actor=review.city)
        yield samples.upload("b.png", samples.png())

    result = attach_visit_file(visit, files(), actor=review.city)
    assert result.added == []
    assert result.refused == ["“b.png”未上传：每次走访最多 1 个文件。"]
    assert list(SiteVisitFile.objects.values_list("name", flat=True)) == ["a.pdf"]


def test_another_expert_of_the_pool(review):
    second = make_expert("王研究员")
    visit = _plan(review, experts=[review.expert, second], members="")
    assert set(visit.experts.all()) == {review.expert, second}


def test_the_ranking_shows_the_flag(db):
    from clusterdesk.scoring.domain.ranking import ranking_for  # noqa: PLC0415
    from clusterdesk.scoring.domain.sheets import submit_sheet  # noqa: PLC0415
    from tests.scoring.world import close, full_sheet, make_world  # noqa: PLC0415

    world = make_world(applications=2, experts=1)
    for index in range(2):
        submit_sheet(world.of(index, 0), full_sheet("8"), 0, world.experts[0])
    close(world.phase)
    flagged, clean = world.applications
    visit = plan_visit(
        world.round, flagged, planned_on=VISIT_DAY, members="王科长", actor=world.city
    )
    record_visit(visit, findings={}, conclusion="false", notes="企业数量不实", actor=world.city)
    flags = {row.application.pk: row.flags for row in ranking_for(world.round)}
    assert "实地走访：不属实" in flags[flagged.pk]
    assert not any(flag.startswith("实地走访") for flag in flags[clean.pk])
