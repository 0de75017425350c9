"""Three clusters certified on 20 April 2023 (valid to 19 April 2026) by ``registry.world``,
seen from 2 June 2025: due for 复核. Helpers to play a 复核 through the review machinery."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clusterdesk.accounts.models import User
from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application
from clusterdesk.form.annual.example import EXAMPLE_YEARS, example_report_data
from clusterdesk.monitoring.models import ClusterReport
from clusterdesk.recheck.domain.rounds import open_recheck
from clusterdesk.recheck.models import RecheckCase
from clusterdesk.registry.models import Certification
from clusterdesk.rounds.enums import RoundKind, RoundStatus
from clusterdesk.rounds.models import Round
from tests.factories import SHANGHAI, make_round
from tests.registry.world import certified_world

DUE_DAY = dt.datetime(2025, 6, 2, 10, 0, tzinfo=SHANGHAI)  # a Monday
NOT_YET = dt.datetime(2025, 4, 1, 10, 0, tzinfo=SHANGHAI)  # 19 April 2026 is over a year away
RECHECK_NAME = "2025年度到期复核"


@dataclass
class World:
    city: User
    certifications: list[Certification]

    def cert(self, index: int) -> Certification:
        return Certification.objects.get(pk=self.certifications[index].pk)


def certified() -> World:
    world = certified_world()
    certs = [Certification.objects.get(application=app) for app in world.applications]
    return World(world.city, certs)


def opened(world: World, indexes=(0,), name: str = RECHECK_NAME) -> tuple[Round, list]:
    round_ = open_recheck(name, [world.certifications[i] for i in indexes], world.city)
    cases = list(RecheckCase.objects.filter(round=round_).order_by("pk"))
    return round_, cases


def annual_report(
    certification: Certification, year: int, state: str = S.SUBMITTED
) -> ClusterReport:
    """A report of ``year`` in its annual round (made on the models: the monitoring app's doors
    are another helper's), ``state`` as given."""
    round_ = Round.objects.filter(kind=RoundKind.ANNUAL, last_data_year=year).first()
    if round_ is None:
        round_ = make_round(
            name=f"{year}年度发展情况报告",
            kind=RoundKind.ANNUAL,
            first_data_year=year,
            last_data_year=year,
            reference_date=dt.date(year, 12, 31),
            form_version="annual-2024",
            status=RoundStatus.OPEN,
        )
    source = certification.application
    data_year = year if year in EXAMPLE_YEARS else EXAMPLE_YEARS[-1]
    application = Application.objects.create(
        round=round_,
        organisation=source.organisation,
        created_by=source.created_by,
        data=example_report_data(data_year),
        state=state,
    )
    return ClusterReport.objects.create(
        application=application, certification=certification, year=year
    )


# --- the access matrix's world ------------------------------------------------------------------

MATRIX_CLUSTER = "复核矩阵集群"


@dataclass
class MatrixWorld:
    case: RecheckCase  # a third county's cluster under 复核 (never the own or the other county's)
    assignment: object  # the world's expert's open assignment to it
    report: ClusterReport  # its submitted 2024 report


def matrix_world(expert: User, city: User) -> MatrixWorld:
    """Built once per world: a third county's cluster certified, under 复核 since 2 June 2025,
    with a submitted annual report and the world's expert assigned in a phase open now."""
    from clusterdesk.declarations import clock  # noqa: PLC0415
    from clusterdesk.review.models import Assignment, ExpertProfile  # noqa: PLC0415
    from tests.factories import make_application  # noqa: PLC0415
    from tests.registry.world import certify  # noqa: PLC0415
    from tests.scoring.world import assign, make_phase  # noqa: PLC0415

    ExpertProfile.objects.get_or_create(
        user=expert,
        defaults={"name": "矩阵专家", "organisation_name": "宁波第一研究院", "fields": ["模具"]},
    )
    case = RecheckCase.objects.filter(application__listed_name=MATRIX_CLUSTER).first()
    if case is None:
        application = make_application(round_=make_round(), cluster_name=MATRIX_CLUSTER)
        certification = certify(application, city, number="甬经信中小〔2023〕77号")
        with clock.frozen(DUE_DAY):
            round_ = open_recheck("矩阵复核", [certification], city)
        case = RecheckCase.objects.get(round=round_)
        annual_report(certification, 2024)
        assign(make_phase(round_, name="矩阵复核评审"), case.application, expert)
    return MatrixWorld(
        case=case,
        assignment=Assignment.objects.get(application=case.application, expert=expert),
        report=ClusterReport.objects.get(certification=case.certification),
    )
