"""The web part of ``make bench``: form pages and autosave with 1,000 applications stored.

Runs against a throw-away SQLite database in a temporary directory (the embedded default), so it
never touches ``var/``. Query counts are taken at two database sizes to show they do not grow
with the number of applications.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

APPLICATIONS = 1000
SMALL = 10


def configure(var_dir: Path) -> None:
    """Point Django at a fresh SQLite file before it reads its settings."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "clusterdesk.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{var_dir / 'bench.sqlite3'}"
    os.environ["CLUSTERDESK_VAR_DIR"] = str(var_dir)
    os.environ["CLUSTERDESK_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["CLUSTERDESK_HTTPS"] = "0"  # the test client speaks plain http
    import django  # noqa: PLC0415 - settings must be configured first

    django.setup()


def run(median_ms: Callable[[Callable[[], object], int], float], measurement: type) -> list[Any]:
    with tempfile.TemporaryDirectory(prefix="clusterdesk-bench-web-") as var:
        configure(Path(var))
        return _measure(median_ms, measurement)


def _measure(median_ms: Callable[..., float], measurement: type) -> list[Any]:
    # Django is configured by now; these imports need it.
    from django.core.management import call_command  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    from clusterdesk.accounts.models import User  # noqa: PLC0415
    from clusterdesk.declarations.domain.forms import PAGES  # noqa: PLC0415
    from clusterdesk.declarations.models import Application  # noqa: PLC0415
    from clusterdesk.demo.seed import seed_demo  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    seed_demo()
    officer = User.objects.get(username="haishu")
    target = Application.objects.filter(organisation=officer.organisation).first()
    client = Client()
    client.force_login(officer)

    def get(page: str) -> None:
        response = client.get(f"/applications/{target.pk}/form/{page}/")
        assert response.status_code == 200, (page, response.status_code)

    values = iter(range(10**9))

    def autosave() -> None:
        value = f"{100 + next(values) % 900}.50"
        change = {"path": "part2.total_output.2022", "value": value, "original": None}
        # As the page sends it: with its key, so the answer renders the page's findings.
        body = {"page": "part2", "changes": [change]}
        target.refresh_from_db(fields=["data"])
        body["changes"][0]["original"] = target.data["part2"]["total_output"].get("2022")
        response = client.post(
            f"/applications/{target.pk}/autosave/",
            data=json.dumps(body),
            content_type="application/json",
        )
        assert response.status_code == 200, response.content

    def queries() -> dict[str, int]:
        counts = {}
        for page, _title in PAGES:
            with CaptureQueriesContext(connection) as captured:
                get(page)
            counts[page] = len(captured)
        return counts

    _fill(Application, target, SMALL)
    small = queries()
    _fill(Application, target, APPLICATIONS)
    large = queries()
    stored = Application.objects.count()

    results = [
        measurement(f"表单页（{title}）", median_ms(lambda p=page: get(p), 5), goal_ms=150.0)
        for page, title in PAGES
    ]
    results.append(measurement("自动保存（一个栏目）", median_ms(autosave, 5), goal_ms=150.0))
    print(f"\n数据库中共 {stored} 份申报（SQLite）。每页查询次数：{SMALL} 份时 → {stored} 份时")
    for page, title in PAGES:
        verdict = "不随申报数增长" if large[page] <= small[page] else "随申报数增长！"
        print(f"  {title}：{small[page]} → {large[page]}  {verdict}")
    return results


def _fill(model: Any, template: Any, total: int) -> None:
    """Copies of the demo application spread over the demo counties, up to ``total`` rows."""
    existing = model.objects.count()
    if existing >= total:
        return
    sources = list(model.objects.select_related("round", "organisation"))
    rows = [
        model(
            round=source.round,
            organisation=source.organisation,
            created_by=source.created_by,
            data=template.data,
        )
        for index in range(total - existing)
        for source in [sources[index % len(sources)]]
    ]
    model.objects.bulk_create(rows, batch_size=200)
