"""A decided round as the demo has them: two counties' applications submitted (one returned
and submitted again), scored by three experts in a closed phase, decided at the 会审, under a
公示 that ended, and certified by one 文号; one with evidence on file; a draft never submitted
and a deleted draft beside them. ``revoked_and_renewed`` plays the years after: the first
cluster's certification revoked, the second's renewed by a 复核. Every step through the apps'
own doors."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from clusterdesk.accounts.models import User
from clusterdesk.declarations import clock
from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application
from clusterdesk.declarations.workflow import transition
from clusterdesk.evidence.domain.uploads import upload_evidence
from clusterdesk.publicity.domain.decision import Choice, record_decision
from clusterdesk.publicity.domain.publicity import start_publicity
from clusterdesk.recheck.domain.rounds import open_recheck
from clusterdesk.recheck.models import RecheckCase
from clusterdesk.registry.domain.publish import publish
from clusterdesk.registry.models import Certification
from clusterdesk.review.models import ReviewSettings
from clusterdesk.revocation.domain.revoke import revoke
from clusterdesk.revocation.enums import RevocationReason
from clusterdesk.rounds.models import Round
from clusterdesk.scoring.domain.sheets import submit_sheet
from tests.evidence import samples
from tests.factories import (
    SHANGHAI,
    make_application,
    make_city_officer,
    make_county_officer,
    make_round,
)
from tests.recheck.world import DUE_DAY
from tests.registry.world import AFTER_PUBLICITY, ISSUED_ON, publicise
from tests.scoring.world import assign, close, full_sheet, make_expert, make_phase

NUMBER = "甬经信中小〔2023〕12号"
EVIDENCE_PATH = "part2.chain_map"
EVIDENCE_NAME = "北仑产业链图谱.pdf"
REFUSAL = "集群主导产业占比未达到认定条件"
EXPERT_NAMES = ("王评审", "李评审", "赵评审")
EXPERT_PHONE = "13900000001"

# The committed JSON Schema of the format (docs/round-export.schema.json).
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "round-export.schema.json"
# Version 1's, for the files written before version 2 (still read).
SCHEMA_V1_PATH = SCHEMA_PATH.with_name("round-export.v1.schema.json")


def schema(version: int = 2) -> dict:
    return json.loads((SCHEMA_PATH if version == 2 else SCHEMA_V1_PATH).read_text("utf-8"))


@dataclass
class World:
    round: Round
    city: User
    county: User
    other_county: User
    certified: list[Application]  # ranked first and second
    rejected: Application
    draft: Application
    deleted: Application
    experts: list[User]


def decided_round(n: int = 3, name: str = "2023年度（导出测试）", number: str = NUMBER) -> World:
    """``n`` ≥ 3 applications decided: the first two certified, the rest refused."""
    round_ = make_round(name=name, county_limit=n + 2)
    ReviewSettings.objects.create(round=round_, anonymise_county=True)
    city = make_city_officer()
    county, other = make_county_officer(), make_county_officer()
    others = [f"余姚光电{i}号产业集群" for i in range(n - 2)]
    names = ["北仑模具产业集群", "慈溪家电产业集群", *others]
    applications = []
    for index, cluster in enumerate(names):
        officer = county if index % 2 == 0 else other
        application = make_application(round_=round_, officer=officer, cluster_name=cluster)
        if index == 0:
            upload = SimpleUploadedFile(EVIDENCE_NAME, samples.PDF, content_type="application/pdf")
            upload_evidence(application, EVIDENCE_PATH, [upload], officer)
            application.refresh_from_db()
        transition(application, S.SUBMITTED, officer)
        if index == 1:  # returned once and submitted again: an earlier snapshot
            transition(application, S.RETURNED, city, reason="请补充产业链图谱")
            transition(application, S.SUBMITTED, officer)
        transition(application, S.UNDER_REVIEW, city)
        applications.append(application)
    experts = [make_expert(name, phone=EXPERT_PHONE) for name in EXPERT_NAMES]
    phase = make_phase(round_)
    for rank, application in enumerate(applications):
        for expert in experts:
            score = str(9 - min(rank, 2))  # 9, 8, 7, 7…: the first two rank first and second
            submit_sheet(assign(phase, application, expert), full_sheet(score), 0, expert)
    close(phase)
    choices = [Choice(a.pk, True) for a in applications[:2]]
    choices += [Choice(a.pk, False, reason=REFUSAL) for a in applications[2:]]
    record_decision(round_, dt.date(2023, 4, 7), "张三、李四", "经会审研究……", choices, city)
    publicise(round_, city)
    applications = [Application.objects.get(pk=a.pk) for a in applications]
    with clock.frozen(AFTER_PUBLICITY):
        publish(round_, applications[:2], number, ISSUED_ON, city)
    draft = make_application(round_=round_, officer=other, cluster_name="镇海石化产业集群")
    deleted = make_application(
        round_=round_, officer=county, cluster_name="已删除产业集群", path=(S.DELETED,)
    )
    return World(
        round=round_,
        city=city,
        county=county,
        other_county=other,
        certified=applications[:2],
        rejected=applications[2],
        draft=draft,
        deleted=deleted,
        experts=experts,
    )


# --- the years after: a revocation and a renewal ------------------------------------------------

REVOCATION_NUMBER = "甬经信中小〔2023〕45号"
REVOCATION_REASON = "经核查，该集群申报的2022年工业总产值与统计部门数据严重不符，属虚假申报"
REVOKED_ON = dt.date(2023, 6, 1)
RECHECK_NAME = "2025年度到期复核（导出测试）"
RENEWAL_NUMBER = "甬经信中小〔2025〕20号"
RENEWED_ON = dt.date(2025, 6, 16)
# After the renewal's 发文; its validity starts the day after the old one ends (2026-04-20).
SEEN_AT = dt.datetime(2025, 6, 16, 15, 0, tzinfo=SHANGHAI)


@dataclass
class Afterwards:
    recheck: Round
    revoked: Certification  # the first cluster's: 虚假申报
    renewed: Certification  # the second cluster's, renewed by ``renewal``
    renewal: Certification  # in the 复核 round


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=SHANGHAI)


def revoked_and_renewed(world: World) -> Afterwards:
    """The first certified cluster revoked (2023-06-01); the second due for 复核 on 2025-06-02,
    passed at the 会审 that day, publicised from 9 June and renewed by a new 文号 on 16 June."""
    first, second = (Certification.objects.get(application=a) for a in world.certified)
    with clock.frozen(_at(REVOKED_ON, 10)):
        revoke(
            first,
            reason_class=RevocationReason.FALSE_DECLARATION,
            reason=REVOCATION_REASON,
            document_number=REVOCATION_NUMBER,
            decided_on=REVOKED_ON,
            actor=world.city,
        )
    with clock.frozen(DUE_DAY):
        recheck = open_recheck(RECHECK_NAME, [second], world.city)
        case = RecheckCase.objects.get(round=recheck)
        choices = [Choice(case.application_id, True)]
        record_decision(
            recheck, DUE_DAY.date(), "局务会成员", "同意复核通过。", choices, world.city
        )
    with clock.frozen(_at(dt.date(2025, 6, 9), 9)):
        start_publicity(recheck, dt.date(2025, 6, 9), "中小企业处 张三 0574-87000000", world.city)
    with clock.frozen(_at(RENEWED_ON, 10)):
        application = Application.objects.get(pk=case.application_id)
        publish(recheck, [application], RENEWAL_NUMBER, RENEWED_ON, world.city)
    return Afterwards(
        recheck=recheck,
        revoked=Certification.objects.get(pk=first.pk),
        renewed=Certification.objects.get(pk=second.pk),
        renewal=Certification.objects.get(application_id=case.application_id),
    )
