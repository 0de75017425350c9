"""The world the review walk starts from, built in the walk server's own database.

Run inside the server's environment (``manage.py shell -c``), not in the test process, whose
database is pytest-django's. What typing through the pages would add nothing to is made here
with the domain functions: the city bureau, two county bureaus, six experts of the pool (the
seventh is added through the pool's page by the walk), and the 2023年度 round closed after its
deadline with the counties' applications accepted (审核中), each with its evidence uploaded.
Everything the issue's "Done when" lists is then done in the browser by
``test_review_walkthrough.py``.

``build()`` prints one JSON line (the ids the test needs) after the marker ``WORLD:``.
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "Ningbo-2023"  # the demo's, which conftest.log_in types

CITY_BUREAU = "宁波市经济和信息化局"
EXPERT_POOL = "宁波市中小企业特色产业集群评审专家库"
ROUND_NAME = "2023年度"
DEADLINE = dt.datetime(2023, 4, 14, 23, 59, tzinfo=SHANGHAI)
SUBMITTED_AT = dt.datetime(2023, 4, 10, 10, 0, tzinfo=SHANGHAI)
ACCEPTED_AT = dt.datetime(2023, 5, 8, 10, 0, tzinfo=SHANGHAI)

# (county, username) of the units whose applications are reviewed; the first is the one the
# conflicted expert advises.
COUNTIES = (("北仑区", "beilun"), ("余姚市", "yuyao"))

# (username, name, organisation, title, fields): seven experts for five per application, so
# that one can recuse and be replaced while another is kept out by a conflict.
EXPERTS = (
    ("expert1", "张建国", "宁波大学机械工程与力学学院", "教授", ["模具", "装备制造"]),
    ("expert2", "李明华", "浙江大学宁波理工学院", "研究员", ["模具", "新材料"]),
    ("expert3", "王志强", "宁波市模具行业协会", "高级工程师", ["模具"]),
    ("expert4", "陈晓燕", "宁波工程学院", "副教授", ["模具", "产业经济"]),
    ("expert5", "刘海涛", "中国科学院宁波材料技术与工程研究所", "研究员", ["新材料", "模具"]),
    ("expert6", "周文斌", "宁波市产业技术研究院", "正高级工程师", ["装备制造", "模具"]),
    ("expert7", "吴丽娟", "宁波市中小企业服务中心", "高级经济师", ["产业经济", "模具"]),
)


def cluster_name(county: str) -> str:
    from clusterdesk.demo.seed import DemoApplication  # noqa: PLC0415 - runs in the server

    return DemoApplication(county).cluster_name


def build() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: PLC0415
    from django.db import transaction  # noqa: PLC0415

    from clusterdesk.accounts.enums import OrganisationKind, Role  # noqa: PLC0415
    from clusterdesk.accounts.models import Organisation, User  # noqa: PLC0415
    from clusterdesk.declarations import clock  # noqa: PLC0415
    from clusterdesk.declarations.domain.applications import create_application  # noqa: PLC0415
    from clusterdesk.declarations.enums import ApplicationState  # noqa: PLC0415
    from clusterdesk.declarations.workflow import transition  # noqa: PLC0415
    from clusterdesk.demo.evidence import demo_pdf  # noqa: PLC0415
    from clusterdesk.demo.seed import demo_form_data  # noqa: PLC0415
    from clusterdesk.evidence.domain.uploads import upload_evidence  # noqa: PLC0415
    from clusterdesk.rounds.domain import close_round  # noqa: PLC0415
    from clusterdesk.rounds.enums import RoundStatus  # noqa: PLC0415
    from clusterdesk.rounds.models import Round  # noqa: PLC0415

    def user(username, role, organisation, **fields):
        account = User(username=username, role=role, organisation=organisation, **fields)
        account.set_password(PASSWORD)
        account.full_clean()
        account.save()
        return account

    with transaction.atomic():
        city_bureau = Organisation.objects.create(
            name=CITY_BUREAU, kind=OrganisationKind.CITY_BUREAU, county="", position=0
        )
        Organisation.objects.create(
            name=EXPERT_POOL, kind=OrganisationKind.EXPERT_POOL, county="", position=900
        )
        city = user("city", Role.CITY_OFFICER, city_bureau)
        user("admin", Role.ADMIN, None, is_staff=True, is_superuser=True)
        round_ = Round.objects.create(
            name=ROUND_NAME,
            first_data_year=2020,
            last_data_year=2022,
            reference_date=dt.date(2022, 12, 31),
            submission_deadline=DEADLINE,
            notice_deadline=DEADLINE,
            county_limit=2,
            form_version="2023",
            criteria_profile="ningbo-2023",
            status=RoundStatus.OPEN,
        )
        applications = {}
        for position, (county, username) in enumerate(COUNTIES, start=10):
            unit = Organisation.objects.create(
                name=f"{county}经济和信息化局",
                kind=OrganisationKind.COUNTY,
                county=county,
                position=position,
            )
            officer = user(username, Role.COUNTY_OFFICER, unit)
            with clock.frozen(SUBMITTED_AT):
                data = demo_form_data(county, cluster_name(county))
                register = data.pop("evidence", {})
                application = create_application(
                    round_=round_, organisation=unit, actor=officer, data=data
                )
                for path, entries in register.items():
                    for entry in entries:
                        name = entry["name"]
                        content = demo_pdf(name.rsplit(".", 1)[0], [f"文件名：{name}"])
                        upload = SimpleUploadedFile(name, content, content_type="application/pdf")
                        result = upload_evidence(application, path, [upload], officer)
                        if result.refused:
                            raise RuntimeError("；".join(result.refused))
                transition(application, ApplicationState.SUBMITTED, officer)
            with clock.frozen(ACCEPTED_AT):
                application.refresh_from_db()
                transition(application, ApplicationState.UNDER_REVIEW, city)
            applications[county] = application.pk
        close_round(round_, actor=city)  # the deadline passed long ago
        _expert_pool(city)
    print("WORLD:" + json.dumps({"round": round_.pk, "applications": applications}))


def _expert_pool(city) -> None:
    """The expert pool (专家库) as the city would have entered it, but for the last expert, whom
    the walk adds through the pool's page (and who declares their conflict on their own)."""
    from clusterdesk.review.domain.experts import create_expert  # noqa: PLC0415

    for username, name, organisation, title, fields in EXPERTS[:-1]:
        create_expert(
            actor=city,
            username=username,
            password=PASSWORD,
            name=name,
            organisation_name=organisation,
            title=title,
            fields=fields,
            phone=phone(username),
        )


def phone(username: str) -> str:
    return f"1380574{int(username.removeprefix('expert')):04d}"
