"""发文: certification by a document number after the 公示, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from clusterdesk.declarations import clock
from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application, ApplicationEvent
from clusterdesk.errors import DomainError
from clusterdesk.registry.domain.numbers import clean_number, number_key
from clusterdesk.registry.domain.publish import candidates, publish
from clusterdesk.registry.domain.settings import registry_settings, validity
from clusterdesk.registry.models import Certification, Publication
from clusterdesk.shared.appendonly import AppendOnlyError
from tests.factories import SHANGHAI, make_admin
from tests.registry.world import (
    AFTER_PUBLICITY,
    ISSUED_ON,
    PUBLICITY_ENDS,
    certified_world,
    proposed_world,
)

pytestmark = pytest.mark.django_db


def states(applications) -> list[str]:
    return [Application.objects.get(pk=app.pk).state for app in applications]


def test_publish_certifies_with_the_document_and_three_years_of_validity():
    world = certified_world()
    publication = world.publication
    assert publication.document_number == "甬经信中小〔2023〕12号"
    assert states(world.applications) == [S.CERTIFIED] * 3
    for application in world.applications:
        certification = Certification.objects.get(application=application)
        assert certification.publication == publication
        assert certification.valid_from == dt.date(2023, 4, 20)
        assert certification.valid_until == dt.date(2026, 4, 19)
        event = application.events.latest("pk")
        assert (event.from_state, event.to_state, event.actor) == (
            S.PROPOSED,
            S.CERTIFIED,
            world.city,
        )


def test_validity_follows_the_round_setting_and_29_february():
    assert validity(dt.date(2024, 2, 29), 3) == dt.date(2027, 2, 28)
    world = proposed_world()
    settings = registry_settings(world.round)
    settings.validity_years = 5
    settings.save()
    with clock.frozen(AFTER_PUBLICITY):
        publish(world.round, world.applications[:1], "甬经信中小〔2023〕7号", ISSUED_ON, world.city)
    certification = Certification.objects.get(application=world.applications[0])
    assert certification.valid_until == dt.date(2028, 4, 19)


def test_before_the_publicity_ends_nothing_changes():
    world = proposed_world()
    events = ApplicationEvent.objects.count()
    on_last_day = dt.datetime.combine(PUBLICITY_ENDS, dt.time(16), tzinfo=SHANGHAI)
    with clock.frozen(on_last_day), pytest.raises(DomainError) as refused:
        publish(world.round, world.applications, "甬经信中小〔2023〕12号", ISSUED_ON, world.city)
    assert "公示期满后方可认定" in refused.value.message
    assert "所有集群均未认定" in refused.value.message
    assert states(world.applications) == [S.PROPOSED] * 3
    assert not Publication.objects.exists()
    assert not Certification.objects.exists()
    assert ApplicationEvent.objects.count() == events
    # The caller's objects say what the database says.
    assert [app.state for app in world.applications] == [S.PROPOSED] * 3


@pytest.mark.parametrize(
    "variant",
    [
        "甬经信中小〔2023〕12号",
        "甬经信中小[2023]12号",
        "甬经信中小（2023）12号",
        "甬经信中小(2023)12号",
        " 甬经信中小 〔2023〕 12号 ",
        "甬经信中小【２０２３】１２号",
    ],
)
def test_a_duplicate_document_number_is_refused_whatever_its_brackets(variant):
    certified_world()
    again = proposed_world(clusters=(("北仑汽车零部件产业集群", "汽车零部件"),))
    with clock.frozen(AFTER_PUBLICITY), pytest.raises(DomainError) as refused:
        publish(again.round, again.applications, variant, ISSUED_ON, again.city)
    assert "已被使用" in refused.value.message
    assert "甬经信中小〔2023〕12号" in refused.value.message
    assert states(again.applications) == [S.PROPOSED]
    assert Publication.objects.count() == 1


def test_the_number_is_printed_with_official_brackets():
    assert clean_number(" 甬经信中小[2023] 12号") == "甬经信中小〔2023〕12号"
    assert number_key("甬经信中小(2023)12号") == number_key("甬经信中小〔2023〕12号")
    assert number_key("甬经信中小〔2023〕12号") != number_key("甬经信中小〔2023〕13号")


@pytest.mark.parametrize(
    ("number", "issued_on", "applications", "message"),
    [
        ("", ISSUED_ON, 1, "文号：请填写"),
        ("甬" * 61, ISSUED_ON, 1, "文号：不能超过 60 个字符"),
        ("甬经信中小〔2023〕12号", None, 1, "发文日期"),
        ("甬经信中小〔2023〕12号", ISSUED_ON, 0, "请至少选择"),
    ],
)
def test_bad_input_is_refused_in_chinese(number, issued_on, applications, message):
    world = proposed_world()
    with clock.frozen(AFTER_PUBLICITY), pytest.raises(DomainError) as refused:
        publish(world.round, world.applications[:applications], number, issued_on, world.city)
    assert message in refused.value.message
    assert not Publication.objects.exists()


def test_only_the_city_bureau_publishes():
    world = proposed_world()
    with clock.frozen(AFTER_PUBLICITY), pytest.raises(DomainError) as refused:
        publish(world.round, world.applications, "甬经信中小〔2023〕12号", ISSUED_ON, make_admin())
    assert refused.value.message == "只有市经信局可以办理认定发文和择优推荐。"


def test_an_application_of_another_round_is_refused():
    world = proposed_world()
    other = proposed_world(clusters=(("北仑汽车零部件产业集群", "汽车零部件"),))
    with clock.frozen(AFTER_PUBLICITY), pytest.raises(DomainError) as refused:
        publish(
            world.round,
            [*world.applications, *other.applications],
            "甬经信中小〔2023〕12号",
            ISSUED_ON,
            world.city,
        )
    assert "不属于" in refused.value.message
    assert states(world.applications) == [S.PROPOSED] * 3


def test_candidates_say_why_not_yet():
    world = proposed_world()
    listed = candidates(world.round, world.city)
    assert [c.application.pk for c in listed] == [a.pk for a in world.applications]
    assert all("公示期满后方可认定" in c.refusal for c in listed)
    with clock.frozen(AFTER_PUBLICITY):
        assert [c.refusal for c in candidates(world.round, world.city)] == [None] * 3


def test_records_are_append_only():
    world = certified_world()
    publication = world.publication
    publication.document_number = "甬经信中小〔2023〕99号"
    with pytest.raises(AppendOnlyError):
        publication.save()
    with pytest.raises(AppendOnlyError):
        Certification.objects.first().delete()
