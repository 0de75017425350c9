"""The small world tests/test_serve.py's servers work on, made in a process of its own against
the servers' database (``python -m tests.serving_world``, settings from the environment).

A round open until 2099 (the servers run on the real clock, not the tests' frozen one), a county
officer with a draft, another county's submitted application (so the inbox has something to
export), and the city bureau's officer. Prints the names and ids as JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import os

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterdesk.settings")
    django.setup()
    from clusterdesk.declarations.enums import ApplicationState  # noqa: PLC0415
    from tests import factories  # noqa: PLC0415

    round_ = factories.make_round(
        submission_deadline=dt.datetime(2099, 12, 31, 23, 59, tzinfo=factories.SHANGHAI)
    )
    county = factories.make_county_officer()
    draft = factories.make_application(
        round_=round_, officer=county, cluster_name="本县模具产业集群"
    )
    factories.make_application(
        round_=round_, cluster_name="他县纺织产业集群", path=(ApplicationState.SUBMITTED,)
    )
    city = factories.make_city_officer()
    print(
        json.dumps(
            {
                "county": county.username,
                "city": city.username,
                "password": factories.PASSWORD,
                "draft": draft.pk,
                "operator": draft.data["part1"]["operator"],
                "round": round_.pk,
            }
        )
    )


if __name__ == "__main__":
    main()
