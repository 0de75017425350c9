"""复核 from the due list to a renewed certification, through the review machinery as it is:
experts on the plan-completion rubric, 会审, 公示, 发文 with a new 文号."""

from __future__ import annotations

import datetime as dt

import pytest

from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application, Submission
from clusterdesk.notifications.enums import NotificationKind
from clusterdesk.notifications.models import Notification
from clusterdesk.panel.rubric import RECOMMEND, plan_completion_rubric
from clusterdesk.publicity.domain.decision import Choice, record_decision
from clusterdesk.publicity.domain.publicity import start_publicity
from clusterdesk.recheck.domain.due import due_certifications, due_count
from clusterdesk.recheck.domain.registry_notes import renewal_notes
from clusterdesk.registry.domain.publish import publish
from clusterdesk.registry.domain.registry import Status, public_rows, registry_rows
from clusterdesk.registry.models import Certification
from clusterdesk.rounds.enums import RoundKind, RoundStatus
from clusterdesk.scoring.domain.ranking import ranking_for
from clusterdesk.scoring.domain.settings import rubric_of, scoring_settings
from clusterdesk.scoring.domain.sheets import submit_sheet
from tests.factories import SHANGHAI
from tests.recheck.world import DUE_DAY, RECHECK_NAME, certified, opened
from tests.scoring.world import assign, close, make_expert, make_phase

pytestmark = pytest.mark.django_db


def at(day: int, hour: int = 10, month: int = 6) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, 0, tzinfo=SHANGHAI)


def plan_sheet(score: str = "8") -> dict:
    rubric = plan_completion_rubric()
    return {
        "scores": {aspect.key: score for aspect in rubric.aspects},
        "comments": {aspect.key: f"{aspect.name}：基本完成" for aspect in rubric.aspects},
        "opinion": RECOMMEND,
        "opinion_reason": "",
    }


def test_the_whole_chain_renews_the_certification(clock_at):
    world = certified()
    clock_at(DUE_DAY)
    assert [c.pk for c in due_certifications()] == [c.pk for c in world.certifications]
    old = world.cert(0)
    round_, [case] = opened(world)

    # The round: a 复核, closed to counties, on the declaration's form, the plan rubric.
    assert (round_.name, round_.kind, round_.status) == (
        RECHECK_NAME,
        RoundKind.RECHECK,
        RoundStatus.CLOSED,
    )
    assert round_.form_version == old.application.round.form_version
    assert rubric_of(scoring_settings(round_)) == plan_completion_rubric()
    # The case: an application under review with the certified data and its snapshot.
    app = case.application
    assert app.state == S.UNDER_REVIEW
    assert app.organisation == old.application.organisation
    certified_data = Submission.objects.filter(application=old.application).latest("pk").data
    assert app.data == certified_data
    assert Submission.objects.get(application=app).data == certified_data
    assert [(e.from_state, e.to_state) for e in app.events.order_by("pk")] == [
        ("", S.DRAFT),
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.UNDER_REVIEW),
    ]
    assert Notification.objects.filter(kind=NotificationKind.RECHECK, application=app).exists()
    assert due_count() == 2  # the one under 复核 left the list

    # Experts score it on the plan-completion rubric; the phase closes: it is ranked.
    phase = make_phase(round_, opens_at=at(2, 9), closes_at=at(6, 17))
    experts = [make_expert(f"复核专家{i}") for i in range(3)]
    for expert in experts:
        submit_sheet(assign(phase, app, expert), plan_sheet(), 0, expert)
    close(phase)
    assert [row.application.pk for row in ranking_for(round_)] == [app.pk]

    # 会审 → 公示 (Monday 9 June, 5 working days) → 发文 with a new 文号.
    clock_at(at(6, 16))
    record_decision(
        round_,
        dt.date(2025, 6, 6),
        "局务会成员",
        "同意复核通过。",
        [Choice(app.pk, True)],
        world.city,
    )
    clock_at(at(9, 9))
    start_publicity(round_, dt.date(2025, 6, 9), "中小企业处 张三 0574-87000000", world.city)
    clock_at(at(16))
    publish(
        round_,
        [Application.objects.get(pk=app.pk)],
        "甬经信中小〔2025〕20号",
        dt.date(2025, 6, 16),
        world.city,
    )

    new = Certification.objects.get(application=app)
    assert new.renews == old
    assert new.publication.document_number == "甬经信中小〔2025〕20号"
    # Validity renewed without a gap: from the day after the old one ends, for three years.
    assert (new.valid_from, new.valid_until) == (dt.date(2026, 4, 20), dt.date(2029, 4, 19))
    assert Application.objects.get(pk=old.application_id).state == S.CERTIFIED  # history kept

    today = dt.date(2025, 6, 16)
    status = {row.pk: row.status for row in registry_rows(today)}
    assert status[old.pk] == Status.RENEWED
    assert Status.LABELS[Status.RENEWED] == "已复核续期"
    assert status[new.pk] == Status.VALID
    name = old.application.listed_name
    assert [row.pk for row in public_rows(today) if row.cluster_name == name] == [new.pk]
    assert due_count() == 2  # neither the renewed nor the renewal is due
    notes = renewal_notes(list(registry_rows(today)), world.city)
    assert [n.text for n in notes[old.pk]] == [
        "已复核续期：甬经信中小〔2025〕20号，有效期至2029年4月19日"
    ]
    assert [n.text for n in notes[new.pk]] == ["复核续期（原认定甬经信中小〔2023〕12号）"]
    assert notes[new.pk][0].url == f"/recheck/case/{app.recheck_case.pk}/"
    assert {c.pk for c in due_certifications()} == {
        world.certifications[1].pk,
        world.certifications[2].pk,
    }


def test_a_late_publication_starts_the_renewal_on_its_own_day(clock_at):
    world = certified()
    clock_at(DUE_DAY)
    round_, [case] = opened(world)
    record_decision(
        round_,
        dt.date(2025, 6, 2),
        "局务会成员",
        "同意。",
        [Choice(case.application.pk, True)],
        world.city,
    )
    clock_at(dt.datetime(2026, 5, 4, 9, 0, tzinfo=SHANGHAI))  # after the old validity ended
    start_publicity(round_, dt.date(2026, 5, 6), "中小企业处 张三", world.city)
    clock_at(dt.datetime(2026, 5, 14, 9, 0, tzinfo=SHANGHAI))
    app = Application.objects.get(pk=case.application_id)
    publish(round_, [app], "甬经信中小〔2026〕3号", dt.date(2026, 5, 14), world.city)
    new = Certification.objects.get(application=app)
    assert (new.valid_from, new.renews_id) == (dt.date(2026, 5, 14), world.certifications[0].pk)
