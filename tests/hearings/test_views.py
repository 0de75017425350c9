"""The hearings pages per role: the city schedules, records and uploads; bad input is answered
in Chinese and changes nothing; the county sees its own slot; the expert a read-only schedule;
the 日程表 opens in Word and PDF; a visit file downloads with its SHA-256 checked."""

from __future__ import annotations

import hashlib
import html
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.urls import reverse

from clusterdesk.hearings.domain.defence import schedule_defence
from clusterdesk.hearings.domain.visits import attach_visit_file, plan_visit
from clusterdesk.hearings.models import DefenceRecord, DefenceSlot, SiteVisit, SiteVisitFile
from clusterdesk.review.models import Assignment
from clusterdesk.shared.blobstore import default_store
from tests.documents.helpers import docx_text, needs_pdf_tools, pdf_pages
from tests.evidence import samples
from tests.factories import TEST_NOW, make_application, make_round
from tests.hearings.world import PLACE, SLOT_DAY, VISIT_DAY, at

pytestmark = pytest.mark.django_db

SLOT_POST = {"date": "2023-05-16", "start": "09:00", "end": "09:40", "place": PLACE}


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _slot(review, application=None, **fields):
    return schedule_defence(
        review.phase,
        application or review.own,
        starts_at=at(SLOT_DAY, *fields.pop("start", (9, 0))),
        ends_at=at(SLOT_DAY, *fields.pop("end", (9, 40))),
        place=fields.pop("place", PLACE),
        actor=review.city,
    )


def test_the_city_schedules_a_defence(client, review):
    client.force_login(review.city)
    url = reverse("hearings:slot_new", args=[review.phase.pk])
    page = client.get(url, {"application": review.own.pk})
    assert page.status_code == 200
    assert "本县模具产业集群" in _text(page)
    response = client.post(url, {**SLOT_POST, "application": review.own.pk})
    assert response.status_code == 302
    assert response.url == reverse("hearings:round", args=[review.round.pk])
    slot = DefenceSlot.objects.get()
    assert (slot.application, slot.place) == (review.own, PLACE)
    overview = _text(client.get(response.url))
    assert "2023-05-16 09:00—09:40" in overview
    assert "已安排“本县模具产业集群”的现场答辩" in overview  # the message


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end": "08:30"}, "结束时间必须晚于开始时间。"),
        ({"date": "16/05/2023"}, "答辩日期格式不正确"),
        ({"start": ""}, "请填写开始时间。"),
        ({"place": ""}, "请填写答辩地点或线上会议链接（至少一项）。"),
        ({"application": "foreign"}, "所选申报不在本轮可安排的申报之中"),
        ({"application": "draft"}, "所选申报不在本轮可安排的申报之中"),
    ],
)
def test_bad_slots_are_refused_with_nothing_changed(client, review, changes, message):
    foreign = make_application(round_=make_round())  # an application of another round
    draft = make_application(round_=review.round)
    ids = {"foreign": foreign.pk, "draft": draft.pk}
    data = {**SLOT_POST, "application": review.own.pk, **changes}
    data["application"] = ids.get(data["application"], data["application"])
    client.force_login(review.city)
    response = client.post(reverse("hearings:slot_new", args=[review.phase.pk]), data)
    assert response.status_code == 400
    assert message in _text(response)
    assert not DefenceSlot.objects.exists()


def test_an_overlapping_slot_is_refused(client, review):
    _slot(review)
    client.force_login(review.city)
    response = client.post(
        reverse("hearings:slot_new", args=[review.phase.pk]),
        {**SLOT_POST, "start": "09:20", "end": "10:00", "application": review.other.pk},
    )
    assert response.status_code == 400
    assert f"答辩地点“{PLACE}”在 2023年05月16日 09:00—09:40 已安排" in _text(response)
    assert DefenceSlot.objects.count() == 1


def test_editing_and_cancelling_before_the_defence(client, review):
    slot = _slot(review)
    client.force_login(review.city)
    edit = reverse("hearings:slot_edit", args=[slot.pk])
    assert 'value="2023-05-16"' in client.get(edit).content.decode()
    response = client.post(edit, {**SLOT_POST, "start": "14:00", "end": "14:30"})
    assert response.status_code == 302
    slot.refresh_from_db()
    assert slot.ends_at == at(SLOT_DAY, 14, 30)
    response = client.post(reverse("hearings:slot_delete", args=[slot.pk]), {"reason": "改期"})
    assert response.status_code == 302
    assert not DefenceSlot.objects.exists()


def test_recording_a_defence_after_it_happened(client, review, clock_at):
    slot = _slot(review)
    client.force_login(review.city)
    url = reverse("hearings:slot_record", args=[slot.pk])
    early = client.post(url, {"attended": "no"})
    assert early.status_code == 400
    assert "尚未开始，不能记录答辩情况" in _text(early)
    clock_at(at(SLOT_DAY, 10))
    response = client.post(
        url,
        {
            "attended": "yes",
            "attendees": "张三（集群运营机构主任）",
            "question": ["研发投入如何核算？", "", "龙头企业有几家？"],
            "answer": ["按审计报告口径", "", "5 家"],
            "notes": "材料齐全",
        },
    )
    assert response.status_code == 302
    record = DefenceRecord.objects.get()
    assert record.questions == [
        {"question": "研发投入如何核算？", "answer": "按审计报告口径"},
        {"question": "龙头企业有几家？", "answer": "5 家"},
    ]
    page = _text(client.get(url))
    assert "按审计报告口径" in page
    overview = _text(client.get(reverse("hearings:round", args=[review.round.pk])))
    assert "到场，问答 2 组" in overview


def test_a_county_sees_its_own_slot_only(client, review):
    _slot(review)
    _slot(review, review.other, place="会议室B")
    client.force_login(review.county)
    page = _text(client.get(reverse("hearings:my")))
    assert "本县模具产业集群" in page
    assert "2023-05-16 09:00—09:40" in page
    assert PLACE in page
    assert "他县纺织产业集群" not in page
    assert "会议室B" not in page
    assert client.get(reverse("hearings:round", args=[review.round.pk])).status_code == 403


def test_the_expert_reads_the_schedule_of_an_assignment(client, review):
    _slot(review)
    _slot(review, review.other, place="会议室B")
    Assignment.objects.create(
        phase=review.phase,
        application=review.own,
        expert=review.expert,
        why="领域匹配",
        created_at=TEST_NOW,
    )
    client.force_login(review.expert)
    page = _text(client.get(reverse("hearings:expert")))
    assert "本县模具产业集群" in page
    assert PLACE in page
    assert "他县纺织产业集群" not in page
    assert "<form" not in page.split('id="main"')[1]  # read only
    assert client.get(reverse("hearings:round", args=[review.round.pk])).status_code == 403


def test_the_schedule_as_word(client, review):
    _slot(review)
    _slot(review, review.other, start=(9, 40), end=(10, 20))
    client.force_login(review.admin)  # admins read
    response = client.get(reverse("hearings:schedule_docx", args=[review.round.pk]))
    assert response.status_code == 200
    assert "现场答辩日程表.docx" in unquote(response["Content-Disposition"])
    text = docx_text(response.content)
    assert f"{review.round.name}中小企业特色产业集群现场答辩日程表" in text
    assert "专家评审（含现场答辩）" in text
    assert "2023年05月16日\n（星期二）" in text
    assert "09:00—09:40" in text
    assert "09:40—10:20" in text
    assert text.index("本县模具产业集群") < text.index("他县纺织产业集群")
    assert PLACE in text
    assert str(review.own.organisation) in text


@needs_pdf_tools
def test_the_schedule_as_pdf(client, review, tmp_path):
    _slot(review)
    client.force_login(review.city)
    response = client.get(reverse("hearings:schedule_pdf", args=[review.round.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    path = Path(tmp_path) / "schedule.pdf"
    path.write_bytes(response.content)
    text = "".join("".join(pdf_pages(path)).split())  # pdftotext spaces out mixed scripts
    assert f"{review.round.name}中小企业特色产业集群现场答辩日程表" in text
    assert "本县模具产业集群" in text
    assert "09:00—09:40" in text


# --- visits -----------------------------------------------------------------------------------


def _visit(review):
    return plan_visit(
        review.round, review.own, planned_on=VISIT_DAY, members="王科长", actor=review.city
    )


def test_the_city_plans_and_records_a_visit(client, review):
    client.force_login(review.city)
    new = reverse("hearings:visit_new", args=[review.round.pk])
    assert "李教授（宁波大学）" in _text(client.get(new))  # the pool
    response = client.post(
        new,
        {"application": review.own.pk, "planned_on": "2023-04-07", "experts": [review.expert.pk]},
    )
    assert response.status_code == 302
    visit = SiteVisit.objects.get()
    page = _text(client.get(response.url))
    assert "具有较强协同创新能力" in page  # the rubric's aspects, to record against
    record = reverse("hearings:visit_record", args=[visit.pk])
    refused = client.post(record, {"conclusion": "false", "finding_innovation": "研发中心未见"})
    assert refused.status_code == 400
    assert "核查结论为“不属实”时必须填写结论说明" in _text(refused)
    visit.refresh_from_db()
    assert visit.conclusion == ""
    response = client.post(
        record,
        {"conclusion": "false", "finding_innovation": "研发中心未见", "notes": "研发中心系租用"},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.conclusion, visit.findings) == ("false", {"innovation": "研发中心未见"})
    page = _text(client.get(reverse("hearings:visit", args=[visit.pk])))
    assert "不属实" in page
    assert "研发中心系租用" in page


def test_a_visit_of_another_rounds_application_is_refused(client, review):
    foreign = make_application(round_=make_round())
    client.force_login(review.city)
    response = client.post(
        reverse("hearings:visit_new", args=[review.round.pk]),
        {"application": foreign.pk, "planned_on": "2023-04-07", "members": "王科长"},
    )
    assert response.status_code == 400
    assert "所选申报不在本轮可安排的申报之中" in _text(response)
    assert not SiteVisit.objects.exists()


def test_uploading_and_downloading_visit_files(client, review):
    visit = _visit(review)
    client.force_login(review.city)
    upload = reverse("hearings:visit_upload", args=[visit.pk])
    png = samples.png()
    response = client.post(
        upload,
        {"file": [samples.upload("厂区.png", png), samples.upload("照片.jpg", samples.EXE)]},
        follow=True,
    )
    text = _text(response)
    assert "已上传“厂区.png”" in text
    assert "“照片.jpg”的文件内容与扩展名不符" in text
    stored = SiteVisitFile.objects.get()
    download = client.get(reverse("hearings:visit_file", args=[visit.pk, stored.pk]))
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    assert hashlib.sha256(content).hexdigest() == stored.blob.sha256
    assert download["Content-Type"] == "image/png"
    assert "attachment" in download["Content-Disposition"]


def test_an_oversized_upload_is_dropped(client, review, settings):
    settings.CLUSTERDESK_EVIDENCE_MAX_MB = 1
    visit = _visit(review)
    client.force_login(review.city)
    big = samples.upload("大图.png", samples.png() + b"\0" * (1 << 20))
    response = client.post(
        reverse("hearings:visit_upload", args=[visit.pk]), {"file": big}, follow=True
    )
    assert "“大图.png”超过了每个文件 1 MB 的上限，未上传。" in _text(response)
    assert not SiteVisitFile.objects.exists()


def test_a_corrupted_file_is_not_served(client, review):
    visit = _visit(review)
    attach_visit_file(visit, [samples.upload("记录.pdf", samples.PDF)], actor=review.city)
    stored = SiteVisitFile.objects.get()
    default_store().path_of(stored.blob.sha256).write_bytes(b"%PDF-1.4 tampered")
    client.force_login(review.city)
    response = client.get(reverse("hearings:visit_file", args=[visit.pk, stored.pk]))
    assert response.status_code == 500
    assert "SHA-256 不一致" in response.content.decode()


def test_counties_and_experts_never_reach_a_visit(client, review):
    visit = _visit(review)
    attach_visit_file(visit, [samples.upload("记录.pdf", samples.PDF)], actor=review.city)
    stored = SiteVisitFile.objects.get()
    for user in (review.county, review.expert):
        client.force_login(user)
        assert client.get(reverse("hearings:visit", args=[visit.pk])).status_code == 403
        url = reverse("hearings:visit_file", args=[visit.pk, stored.pk])
        assert client.get(url).status_code == 403


def test_the_overview_costs_the_same_queries_for_more_slots(client, review):
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    client.force_login(review.city)
    url = reverse("hearings:round", args=[review.round.pk])
    counts = []
    for hour in (9, 10):
        for minute in (0, 20, 40):
            app = make_application(
                round_=review.round, path=review.own_path, city_officer=review.city
            )
            _slot(review, app, start=(hour, minute), end=(hour, minute + 19))
            plan_visit(review.round, app, planned_on=VISIT_DAY, members="王科长", actor=review.city)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_automatic_scheduling_from_the_overview(client, review):
    client.force_login(review.city)
    overview = reverse("hearings:round", args=[review.round.pk])
    assert "按序号自动排期（2 份" in _text(client.get(overview))
    url = reverse("hearings:slot_auto", args=[review.phase.pk])
    post = {"date": "2023-05-16", "first_start": "09:00", "minutes": "30", "gap": "5"}
    refused = client.post(url, {**post, "minutes": "500", "place": PLACE}, follow=True)
    assert "未排期：每场时长（分钟）：每场时长不能超过 180 分钟。" in _text(refused)
    refused = client.post(url, post, follow=True)  # neither place nor link
    assert "请填写答辩地点或线上会议链接" in _text(refused)
    assert not DefenceSlot.objects.exists()
    done = client.post(url, {**post, "place": PLACE}, follow=True)
    assert "已按序号安排 2 场答辩" in _text(done)
    assert "09:35—10:05" in _text(done)


class _Labels(HTMLParser):
    """The ids named by a <label for>, the fields that need a name, and the legends' count."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.named: list[str] = []
        self.fields: list[dict[str, str]] = []
        self.legends = 0
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "label" and "for" in attrs:
            self.named.append(attrs["for"])
        elif tag == "legend":
            self.legends += 1
        elif tag in {"input", "textarea", "select"} and attrs.get("type") not in {
            "hidden",
            "radio",
            "checkbox",
        }:
            self.fields.append(attrs)


@pytest.mark.parametrize("page", ["slot_record", "visit_new"])
def test_every_field_of_the_record_and_visit_forms_has_a_label(client, review, page):
    """A legend does not name a textarea, nor does an empty <label for> name a group (axe)."""
    client.force_login(review.city)
    if page == "slot_record":
        url = reverse("hearings:slot_record", args=[_slot(review).pk])
    else:
        url = reverse("hearings:visit_new", args=[review.round.pk])
    response = client.get(url)
    found = _Labels(response.content.decode())
    assert "" not in found.named  # <label for=""> names nothing
    unnamed = [f.get("name") for f in found.fields if f.get("id") and f["id"] not in found.named]
    with_id = [f for f in found.fields if f.get("id")]
    assert with_id
    assert unnamed == []
    assert found.legends >= 1  # the radios (到场情况) or the experts' checkboxes
    text = _text(response)
    if page == "slot_record":
        assert "<legend>到场情况</legend>" in text
        assert '<label for="id_attendees">到场人员（姓名、单位、职务）</label>' in text
        assert '<label for="id_notes">备注</label>' in text
    else:
        assert "<legend>走访专家（专家库）</legend>" in text
