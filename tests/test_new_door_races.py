"""The same action twice at the same moment on issue 12's doors: exactly one wins, the other is
refused in Chinese, and nothing is doubled.

The pattern and the conditions are ``tests/declarations/test_locks.py``'s (its ``Race``): two
threads with their own connections on committed data; the first stops just before it writes an
``Application`` until the second is either blocked by the first's lock (PostgreSQL shows it),
or has come as far as its own write (no lock: a unique constraint must then refuse it). On
SQLite the IMMEDIATE transactions serialise the writers, so the tests pass there without proving
the locks; PostgreSQL's run does.
"""

from __future__ import annotations

import datetime as dt

import pytest

from clusterdesk.declarations import clock
from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application, ApplicationEvent
from clusterdesk.declarations.workflow import transition
from clusterdesk.errors import DomainError
from clusterdesk.form.annual.example import example_report_data
from clusterdesk.monitoring.domain import reports, windows
from clusterdesk.monitoring.models import ClusterReport
from clusterdesk.recheck.domain.rounds import RecheckRefused, open_recheck
from clusterdesk.recheck.models import RecheckCase
from clusterdesk.revocation.domain import revoke
from clusterdesk.revocation.enums import RevocationReason
from clusterdesk.revocation.models import Revocation
from clusterdesk.rounds.enums import RoundKind
from clusterdesk.rounds.models import Round
from tests.declarations.test_locks import Race
from tests.factories import SHANGHAI
from tests.monitoring.world import file_cases
from tests.recheck.world import DUE_DAY
from tests.registry.world import certified_world

pytestmark = pytest.mark.django_db(transaction=True)

IN_WINDOW = dt.datetime(2024, 2, 1, 10, 0, tzinfo=SHANGHAI)
REVOKE_DAY = dt.datetime(2023, 6, 1, 10, 0, tzinfo=SHANGHAI)


def only_one_won(race: Race) -> DomainError:
    """The first won, the second was refused with a Chinese ``DomainError``."""
    assert "first" in race.results, race.errors
    assert list(race.errors) == ["second"], race.errors
    refused = race.errors["second"]
    assert isinstance(refused, DomainError), refused
    return refused


def assert_locked(race: Race) -> None:
    race.assert_second_waited_for_the_first()


def test_two_acceptances_of_one_report(monkeypatch):
    world = certified_world()
    certification = world.applications[0].certification
    officer = world.applications[0].created_by
    windows.open_annual_round(2023, actor=world.city)
    with clock.frozen(IN_WINDOW):
        application = reports.start_report(certification, 2023, officer)
        data = example_report_data(2023)
        data["basics"]["cluster_name"] = "鄞州模具产业集群"
        reports.fill_report(application, data, officer)
        file_cases(application, officer)
        transition(application, S.SUBMITTED, officer)
        race = Race()
        race.pause_first_write(monkeypatch)
        race.run(
            lambda: reports.accept_report(Application.objects.get(pk=application.pk), world.city),
            lambda: reports.accept_report(Application.objects.get(pk=application.pk), world.city),
        )
    refused = only_one_won(race)
    assert refused.message.endswith("已审核通过，不能重复审核。")
    assert Application.objects.get(pk=application.pk).state == S.ACCEPTED
    assert (
        ApplicationEvent.objects.filter(application=application, to_state=S.ACCEPTED).count() == 1
    )
    assert_locked(race)


def test_two_revocations_of_one_certification(monkeypatch):
    world = certified_world()
    certification = world.applications[0].certification
    with clock.frozen(REVOKE_DAY):

        def revoke_as(number: str):
            return lambda: revoke(
                certification,
                reason_class=RevocationReason.FALSE_DECLARATION,
                reason="经核查属虚假申报",
                document_number=number,
                decided_on=REVOKE_DAY.date(),
                actor=world.city,
            )

        race = Race()
        race.pause_first_write(monkeypatch)
        race.run(revoke_as("甬经信中小〔2023〕45号"), revoke_as("甬经信中小〔2023〕46号"))
    refused = only_one_won(race)
    assert "不能重复撤销" in refused.message
    assert Revocation.objects.count() == 1
    assert Revocation.objects.get().document_number == "甬经信中小〔2023〕45号"
    assert ApplicationEvent.objects.filter(to_state=S.REVOKED).count() == 1
    assert_locked(race)


def test_two_starts_of_the_same_report(monkeypatch):
    world = certified_world()
    certification = world.applications[0].certification
    officer = world.applications[0].created_by
    windows.open_annual_round(2023, actor=world.city)
    with clock.frozen(IN_WINDOW):
        race = Race()
        race.pause_first_write(monkeypatch)
        race.run(
            lambda: reports.start_report(certification, 2023, officer),
            lambda: reports.start_report(certification, 2023, officer),
        )
    refused = only_one_won(race)
    assert refused.message == "“鄞州模具产业集群”的2023年度发展情况报告已经建立，不能重复填报。"
    assert ClusterReport.objects.filter(certification=certification, year=2023).count() == 1
    annual = Round.objects.get(kind=RoundKind.ANNUAL)
    assert annual.applications.count() == 1  # the loser's draft rolled back with it
    assert_locked(race)


def test_two_rechecks_of_the_same_certification(monkeypatch):
    world = certified_world()
    certification = world.applications[0].certification
    with clock.frozen(DUE_DAY):
        race = Race()
        race.pause_first_write(monkeypatch)
        race.run(
            lambda: open_recheck("2025年度到期复核", [certification], world.city),
            lambda: open_recheck("2025年度到期复核（第二批）", [certification], world.city),
        )
    refused = only_one_won(race)
    assert isinstance(refused, RecheckRefused)
    assert refused.message.startswith("未发起复核：")
    assert "复核" in refused.problems[0]
    assert RecheckCase.objects.filter(certification=certification).count() == 1
    assert list(Round.objects.filter(kind=RoundKind.RECHECK).values_list("name", flat=True)) == [
        "2025年度到期复核"
    ]
    assert_locked(race)
