"""The world the cultivation walk (集群培育) starts from, built in the walk server's own database.

Run inside the server's environment (``manage.py shell -c``), like ``review_world``: the test
process's database is pytest-django's. Four clusters of four counties certified by one 发文 in
April 2023 (valid to April 2026, so each is due for 复核 at the walk's "now", 10 February 2026);
the city's annual rounds of 2023–2025 with the default windows (the 2025 one open now); 余姚's
cluster with its 2023 and 2024 reports accepted, one target (有效发明专利) far behind its path. What
the issue's "Done when" lists is then done in the browser by ``test_monitoring_walkthrough.py``.

``build()`` prints one JSON line (the ids the test needs) after the marker ``WORLD:``.
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "test-password-2023"  # tests.factories.PASSWORD
CERTIFIED_AT = dt.datetime(2023, 4, 10, 9, 30, tzinfo=SHANGHAI)  # the factories' round is open
NOW = dt.datetime(2026, 2, 10, 9, 0, tzinfo=SHANGHAI)  # inside the 2025 reports' window
DOCUMENT_NUMBER = "甬经信中小〔2023〕12号"

# key: (county, officer's username, cluster name, leading industry)
CLUSTERS = {
    "report": ("北仑区", "beilun", "北仑模具产业集群", "模具"),
    "lagging": ("余姚市", "yuyao", "余姚塑料制品产业集群", "塑料制品"),
    "recheck": ("宁海县", "ninghai", "宁海文具产业集群", "文具"),
    "revoke": ("慈溪市", "cixi", "慈溪小家电产业集群", "小家电"),
}
# 余姚's reports: its 2024 有效发明专利 far below the path its plan implies (严重滞后), the other
# figures those of the example report.
LAGGING_FIGURES = {2023: {}, 2024: {"patents": 320}}


def build() -> None:
    from django.db import transaction  # noqa: PLC0415

    from clusterdesk.accounts.enums import OrganisationKind, Role  # noqa: PLC0415
    from clusterdesk.declarations import clock  # noqa: PLC0415
    from clusterdesk.monitoring.domain.windows import open_annual_round  # noqa: PLC0415
    from clusterdesk.registry.domain.publish import publish  # noqa: PLC0415
    from clusterdesk.registry.models import Certification  # noqa: PLC0415
    from tests import factories  # noqa: PLC0415
    from tests.registry import world as registry_world  # noqa: PLC0415
    from tests.tracking.world import file_report, report_data  # noqa: PLC0415

    with transaction.atomic():
        city = factories.make_user(
            Role.CITY_OFFICER,
            factories.make_organisation(
                OrganisationKind.CITY_BUREAU, name="宁波市经济和信息化局", county=""
            ),
            username="city",
        )
        with clock.frozen(CERTIFIED_AT):
            round_ = factories.make_round(name="2023年度")
            applications = {}
            for key, (county, username, name, leading) in CLUSTERS.items():
                unit = factories.make_organisation(county=county, name=f"{county}经济和信息化局")
                officer = factories.make_county_officer(unit, username=username)
                applications[key] = registry_world.proposed(
                    round_, city, name, leading, officer=officer
                )
            registry_world.publicise(round_, city)
        with clock.frozen(registry_world.AFTER_PUBLICITY):
            publish(
                round_,
                list(applications.values()),
                DOCUMENT_NUMBER,
                registry_world.ISSUED_ON,
                city,
            )
        certifications = {
            key: Certification.objects.get(application=application)
            for key, application in applications.items()
        }
        for year in (2023, 2024, 2025):
            with clock.frozen(dt.datetime(year, 12, 1, 10, 0, tzinfo=SHANGHAI)):
                open_annual_round(year, actor=city)
        for year, figures in LAGGING_FIGURES.items():
            with clock.frozen(dt.datetime(year + 1, 3, 2, 10, 0, tzinfo=SHANGHAI)):
                data = report_data(year, **figures)
                data["basics"]["cluster_name"] = CLUSTERS["lagging"][2]
                file_report(certifications["lagging"], year, data, city=city)
    print(
        "WORLD:"
        + json.dumps({key: certification.pk for key, certification in certifications.items()})
    )
