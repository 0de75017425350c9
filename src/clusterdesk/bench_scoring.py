"""What the expert review's scoring costs, for ``make bench``:

- the ranking (``scoring.domain.ranking.ranking_for``): 1,000 applications × 5 experts'
  submitted sheets of a closed scored phase, read from the database and aggregated (trimmed
  mean), ranked with ties — goal < 200 ms;
- the expert's scoring page (``/scoring/sheets/<assignment>/``: the example application, 386
  patents, every part read-only with the pre-check, beside the sheet) — goal < 150 ms, reported
  with the bare logged-in view (``bench_urls.bare``) measured in turn.

Rows are written directly (the bench measures reading, not the workflow). SQLite by default (a
temporary file); when ``DATABASE_URL`` names PostgreSQL, a database ``<name>_bench_scoring``
beside it, dropped afterwards. Runs in its own process and prints its figures as JSON on the
last line.

    python -m clusterdesk.bench_scoring
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from .bench_isolated import child, run_child

APPLICATIONS = 1_000
EXPERTS_PER_APPLICATION = 5
EXPERTS = 60
RANKING_GOAL_MS = 200.0
PAGE_GOAL_MS = 150.0
RUNS = 15  # ranking runs; the median is reported
SAMPLES = 25  # page requests (and as many of the bare view, in turn)


@dataclass(frozen=True)
class Result:
    ranking_ms: float
    # The same in this process's CPU time: on a machine busy with other work the wall clock
    # says more about the neighbours than about the ranking (SQLite's work is in it).
    ranking_cpu_ms: float
    ranked: int
    sheets: int
    page_ms: float
    bare_ms: float
    queries: int  # the scoring page's database queries


def measure() -> Result:
    figures = run_child(
        "clusterdesk.bench_scoring",
        "_bench_scoring",
        "专家评分",
        "clusterdesk.bench_settings",
        {"CLUSTERDESK_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost", "CLUSTERDESK_HTTPS": "0"},
    )
    return Result(**figures)


def main() -> bool:
    result = measure()
    ranking_ok = result.ranking_ms < RANKING_GOAL_MS
    page_ok = result.page_ms < PAGE_GOAL_MS
    print("\n专家评分（排名与专家评分页）")
    print(
        f"评审排名：{result.ranked} 份申报 × {EXPERTS_PER_APPLICATION} 名专家"
        f"（{result.sheets} 张已提交评分表，含数据库读取，去掉最高分和最低分后平均）："
        f"中位数 {result.ranking_ms:.1f} ms（CPU {result.ranking_cpu_ms:.1f} ms；"
        f"目标 < {RANKING_GOAL_MS:g} ms，"
        f"{'达标' if ranking_ok else '未达标'}）"
    )
    print(
        f"专家评分页（示例申报，386 项专利）：中位数 {result.page_ms:.1f} ms"
        f"（目标 < {PAGE_GOAL_MS:g} ms，{'达标' if page_ok else '未达标'}）；"
        f"基线：空白登录视图 {result.bare_ms:.1f} ms（{result.page_ms / result.bare_ms:.1f} 倍）；"
        f"{result.queries} 次数据库查询"
    )
    return ranking_ok and page_ok


# --- the child process -----------------------------------------------------------------------


def _run() -> Result:
    import django  # noqa: PLC0415

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    from clusterdesk.bench_urls import BARE_URL  # noqa: PLC0415
    from clusterdesk.scoring.domain.ranking import ranking_for  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    world = _world()
    ranking_for(world["round"])  # warm: imports, the rubric's parse
    times, cpu_times = [], []
    for _ in range(RUNS):
        start, cpu = time.perf_counter(), time.process_time()
        ranked = ranking_for(world["round"])
        times.append((time.perf_counter() - start) * 1000)
        cpu_times.append((time.process_time() - cpu) * 1000)
    if sum(row.rank is not None for row in ranked) != APPLICATIONS:
        raise AssertionError("评审排名没有排出全部申报")
    client = Client()
    client.force_login(world["expert"])
    page = f"/scoring/sheets/{world['assignment']}/"
    for _ in range(3):
        response = client.get(page)
        if response.status_code != 200:
            raise AssertionError(f"专家评分页返回 {response.status_code}")
    queries: list[str] = []
    # Counted by a wrapper: CaptureQueriesContext loses them to request_started's reset.
    with connection.execute_wrapper(lambda run, sql, *args: queries.append(sql) or run(sql, *args)):
        client.get(page)
    page_times, bare_times = [], []
    for _ in range(SAMPLES):
        for path, into in ((BARE_URL, bare_times), (page, page_times)):
            start = time.perf_counter()
            client.get(path)
            into.append((time.perf_counter() - start) * 1000)
    return Result(
        ranking_ms=statistics.median(times),
        ranking_cpu_ms=statistics.median(cpu_times),
        ranked=len(ranked),
        sheets=world["sheets"],
        page_ms=statistics.median(page_times),
        bare_ms=statistics.median(bare_times),
        queries=len(queries),
    )


def _world() -> dict:
    import datetime as dt  # noqa: PLC0415
    from decimal import Decimal  # noqa: PLC0415

    from django.db import transaction  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    from clusterdesk.accounts.enums import OrganisationKind, Role  # noqa: PLC0415
    from clusterdesk.accounts.models import Organisation, User  # noqa: PLC0415
    from clusterdesk.declarations.enums import ApplicationState  # noqa: PLC0415
    from clusterdesk.declarations.models import Application  # noqa: PLC0415
    from clusterdesk.form.example import example_application  # noqa: PLC0415
    from clusterdesk.panel.rubric import default_rubric  # noqa: PLC0415
    from clusterdesk.review.enums import PhaseKind, PhaseStatus  # noqa: PLC0415
    from clusterdesk.review.models import Assignment, ExpertProfile, ReviewPhase  # noqa: PLC0415
    from clusterdesk.rounds.models import Round  # noqa: PLC0415
    from clusterdesk.scoring.models import ScoreSheet, SheetStatus  # noqa: PLC0415

    now = timezone.now()
    rubric = default_rubric()
    with transaction.atomic():
        units = [
            Organisation.objects.create(
                kind=OrganisationKind.COUNTY, county=f"基准{n}区", name=f"基准{n}区经济和信息化局"
            )
            for n in range(10)
        ]
        officer = User.objects.create(
            username="bench-county", role=Role.COUNTY_OFFICER, organisation=units[0]
        )
        pool = Organisation.objects.create(kind=OrganisationKind.EXPERT_POOL, name="专家库")
        experts = []
        for n in range(EXPERTS):
            user = User.objects.create(username=f"expert{n}", role=Role.EXPERT, organisation=pool)
            ExpertProfile.objects.create(
                user=user, name=f"专家{n}", organisation_name=f"宁波第{n}研究院"
            )
            experts.append(user)
        round_ = Round.objects.create(
            name="2023年度",
            first_data_year=2020,
            last_data_year=2022,
            reference_date=dt.date(2022, 12, 31),
            submission_deadline=dt.datetime(2023, 4, 14, 15, 59, tzinfo=dt.UTC),
            county_limit=2,
        )
        example = example_application().model_dump(mode="json")
        apps = Application.objects.bulk_create(
            Application(
                round=round_,
                organisation=units[n % len(units)],
                state=ApplicationState.UNDER_REVIEW,
                data=example if n == 0 else {"part1": {"cluster_name": f"基准{n}号产业集群"}},
                created_by=officer,
            )
            for n in range(APPLICATIONS)
        )
        closed = ReviewPhase.objects.create(
            round=round_,
            kind=PhaseKind.EXPERT_REVIEW,
            name="专家评审（含现场答辩）",
            scored=True,
            status=PhaseStatus.CLOSED,
            opens_at=now - dt.timedelta(days=10),
            closes_at=now - dt.timedelta(days=1),
            closed_at=now - dt.timedelta(days=1),
        )
        assignments = Assignment.objects.bulk_create(
            Assignment(
                phase=closed,
                application=app,
                expert=experts[(n * EXPERTS_PER_APPLICATION + k) % EXPERTS],
                why="基准",
                created_at=now,
            )
            for n, app in enumerate(apps)
            for k in range(EXPERTS_PER_APPLICATION)
        )
        sheets = []
        for n, assignment in enumerate(assignments):
            scores = {a.key: str(4 + (n * 7 + i) % 7) for i, a in enumerate(rubric.aspects)}
            total = sum(
                (Decimal(scores[a.key]) / 10 * a.weight for a in rubric.aspects), Decimal(0)
            )
            sheets.append(
                ScoreSheet(
                    assignment=assignment,
                    scores=scores,
                    comments={a.key: "论据充分" for a in rubric.aspects},
                    opinion="recommend",
                    status=SheetStatus.SUBMITTED,
                    version=1,
                    total=total.quantize(Decimal("0.01")),
                    submitted_at=now,
                )
            )
        ScoreSheet.objects.bulk_create(sheets, batch_size=1000)
        # The expert's page: the example application in a scored phase open now.
        open_phase = ReviewPhase.objects.create(
            round=round_,
            kind=PhaseKind.SITE_VISIT,
            name="复评",
            position=2,
            scored=True,
            status=PhaseStatus.OPEN,
            opens_at=now - dt.timedelta(days=1),
            closes_at=now + dt.timedelta(days=7),
        )
        assignment = Assignment.objects.create(
            phase=open_phase, application=apps[0], expert=experts[0], why="基准", created_at=now
        )
    return {
        "round": round_,
        "expert": experts[0],
        "assignment": assignment.pk,
        "sheets": len(sheets),
    }


if __name__ == "__main__":
    child(_run)
