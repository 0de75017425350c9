"""The certified clusters' cultivation (集群培育, issue 12): annual reports, targets against
actuals, 复核 and revocation, played on the 2022年度 round's three clusters (``demo.earlier``).

The earlier round is placed two to three years before the demo's today (``timeline.earlier_shift``;
seeded on 2026-12-01: 发文 on 2024-09-26, valid until 2027-09-25). Its clusters report on every
year of their validity that the annual report form covers (``ANNUAL_2024.data_years``, 2023–2025)
and whose window (1 January – 30 March of the next year) has opened by today — seeded on
2026-12-01, on 2024 and 2025: two years of reports each, accepted by the city in April. Each
year's annual round is created by the city in December through monitoring's door, each report
started, filled, submitted and accepted through monitoring's and the county board's doors at the
dates of its window, every step only if its time has come (a demo seeded inside a window shows
that year's reports submitted, not yet accepted).

- 宁海县 (``DUE``): on track on every target; its validity ends within the coming year, so it is on
  the city's 到期待复核 list.
- 余姚市's 泗门 cluster (``LAGGING``): two targets well behind the path they imply — 研发经费投入
  20 % below it (严重滞后) and 工业互联网普及率 10 % below it (滞后) — the others on track. Also
  due; the city opened its 复核 a week before today (``RECHECK_NAME``), the lagging reports the
  experts' material.
- 慈溪市's 周巷 cluster (``REVOKED``): both reports filed, then revoked in June of the last
  reported year's following year for a major change it did not report (its 运营主体 changed),
  with its 通报 (``REVOCATION_NUMBER``).

Played once: when no annual round exists yet and the earlier round's clusters are certified. A
demo seeded before any report is due (the official 2023 dates, as the tests' clock has it) plays
nothing: no report year, nothing to revoke after, no cluster due for 复核.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any

from clusterdesk.accounts.models import Organisation, User
from clusterdesk.county.domain.board import submit
from clusterdesk.declarations import clock
from clusterdesk.declarations.domain.forms import form_of
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application
from clusterdesk.demo import earlier
from clusterdesk.demo import timeline as t
from clusterdesk.demo.chain import at, step
from clusterdesk.demo.seed import SeedReport, find_application, upload_demo_evidence
from clusterdesk.form.annual.example import example_report_data
from clusterdesk.form.annual.version import ANNUAL_2024
from clusterdesk.monitoring.domain.reports import accept_report, fill_report, start_report
from clusterdesk.monitoring.domain.windows import annual_round_of, annual_rounds, open_annual_round
from clusterdesk.panel.tracking import RULES, Rule, plan_from_application, trajectory
from clusterdesk.recheck.domain.due import due_refusal
from clusterdesk.recheck.domain.rounds import open_recheck
from clusterdesk.registry.models import Certification
from clusterdesk.revocation.domain import revocation_refusal, revoke
from clusterdesk.revocation.enums import RevocationReason
from clusterdesk.rounds.models import Round
from clusterdesk.tracking.domain.compute import refresh as refresh_tracking

State = ApplicationState

DUE = "宁海县"
LAGGING = "余姚市"
REVOKED = "慈溪市"

# The lagging cluster's actuals as a share of the trajectory (thresholds 5 % / 15 % by default):
# 20 % behind is 严重滞后, 10 % behind 滞后. Every other actual is a little ahead of its path.
LAG_SHARES: dict[str, Decimal] = {
    "rd_spending": Decimal("0.80"),
    "industrial_internet": Decimal("0.90"),
}
AHEAD = Decimal("0.02")

RECHECK_NAME = "{year}年度到期集群复核（第一批）"
RECHECK_DAYS_AGO = 7

REVOCATION_CLASS = RevocationReason.UNREPORTED_CHANGE
REVOCATION_NUMBER = "甬经信中小〔{year}〕21号"
REVOCATION_REASON = (
    "经核查，该集群运营主体已于{changed}变更为宁波慈溪周巷家电模具产业服务有限公司，"
    "集群未按规定及时报告，{year}年度发展情况报告“重大变更”部分亦填报为无变更。"
)


def report_years(certification: Certification, today: dt.date) -> list[int]:
    """The years ``certification`` reports on by ``today``: within its validity, covered by the
    report form, their window (from 1 January of the next year) opened."""
    return [
        year
        for year in ANNUAL_2024.data_years
        if certification.valid_from.year <= year <= certification.valid_until.year
        and dt.date(year + 1, 1, 1) <= today
    ]


def earlier_certifications(
    officers: dict[str, tuple[Organisation, User]],
) -> dict[str, Certification]:
    """The 2022年度 round's certifications by county (those that exist)."""
    round_ = Round.objects.filter(name=earlier.ROUND_NAME).first()
    found: dict[str, Certification] = {}
    if round_ is None:
        return found
    for demo, _ in earlier.CLUSTERS:
        application = find_application(round_, officers[demo.county][0], demo)
        certification = (
            Certification.objects.filter(application=application).first() if application else None
        )
        if certification is not None:
            found[demo.county] = certification
    return found


def seed_cultivation(
    report: SeedReport, officers: dict[str, tuple[Organisation, User]], city: User
) -> None:
    if annual_rounds().exists():
        return
    certifications = earlier_certifications(officers)
    if len(certifications) != len(earlier.CLUSTERS) or any(
        c.application.state != State.CERTIFIED for c in certifications.values()
    ):
        return
    today = t.today()
    years = sorted({y for c in certifications.values() for y in report_years(c, today)})
    for year in years:
        if annual_round_of(year) is None:
            step(at(t.working_day_on_or_before(dt.date(year, 12, 10)), 10), _open, year, city)
            report.rounds_created += 1
    for position, (demo, _) in enumerate(earlier.CLUSTERS):
        certification = certifications[demo.county]
        officer = officers[demo.county][1]
        for year in report_years(certification, today):
            _report(report, certification, year, position, officer, city)
    _revoke(certifications[REVOKED], city, today)
    _recheck(report, certifications[LAGGING], city, today)
    # The dashboard's first view reads stored summaries (as after ``manage.py refresh_tracking``).
    refresh_tracking()


def _open(year: int, city: User) -> Round:
    return open_annual_round(year, actor=city)


def _report(  # noqa: PLR0917 - the report's own particulars
    report: SeedReport,
    certification: Certification,
    year: int,
    position: int,
    officer: User,
    city: User,
) -> None:
    """The report on ``year`` started, filled, submitted and accepted, each step at its date in
    the year's window if that has come."""
    now = clock.now()
    started = at(t.working_day_on_or_after(dt.date(year + 1, 1, 8 + 2 * position)), 9)
    submitted = at(t.working_day_on_or_after(dt.date(year + 1, 3, 2 + 4 * position)), 15)
    accepted = at(t.working_day_on_or_after(dt.date(year + 1, 4, 8 + 2 * position)), 10)
    if started > now:
        return
    application = step(started, start_report, certification, year, officer)
    report.reports_created += 1
    data = report_data(application, certification, year)
    step(started + dt.timedelta(hours=1), fill_report, application, data, officer)
    # each typical case's files, uploaded as the officer would (the register is the uploads')
    cases = example_report_data(2024)["evidence"]
    step(started + dt.timedelta(hours=2), upload_demo_evidence, application, cases, officer)
    if submitted > now:
        return
    application.refresh_from_db()
    step(submitted, submit, application, officer)
    if accepted > now:
        return
    application.refresh_from_db()
    step(accepted, accept_report, application, city)


def report_data(application: Application, certification: Certification, year: int) -> dict:
    """The prefilled draft completed: the example report's texts, cases and figures, its target
    figures set against the declaration's trajectory (``actual_figures``)."""
    data = copy.deepcopy(application.data)
    example = example_report_data(2024)
    for part in ("work", "cases", "outlook", "changes"):
        if part == "work":
            extra = data.get("work", {}).get("extra") or []
            data["work"] = {**example["work"], "extra": _extra_actuals(extra)}
        else:
            data[part] = example[part]
    data["basics"] = {**data.get("basics", {}), "year": year}
    figures = copy.deepcopy(example["figures"])
    declaration = form_of(certification.application)
    county = certification.application.organisation.county
    shares = LAG_SHARES if county == LAGGING else {}
    for key, value in actual_figures(declaration, year, shares).items():
        _set_figure(figures, key, value)
    data["figures"] = figures
    return data


def _extra_actuals(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The plan's own indicators with an actual of the year: its target, as printed."""
    return [{**row, "actual": row.get("actual") or row.get("target") or "无"} for row in rows]


def actual_figures(declaration: Any, year: int, shares: dict[str, Decimal]) -> dict[str, Decimal]:
    """Each target's actual of ``year``: its trajectory value a little ahead (``AHEAD``), or the
    share of it ``shares`` gives (behind)."""
    plan = plan_from_application(declaration)
    span = plan.target_year - plan.base_year
    actuals: dict[str, Decimal] = {}
    for rule in RULES:
        goal = plan.goals[rule.key]
        if goal.baseline is None or goal.target is None or span <= 0:
            continue
        path = trajectory(rule, goal, span, range(plan.base_year + 1, year + 1))[year]
        share = shares.get(rule.key)
        if share is None:
            share = 1 - AHEAD if rule.decreasing else 1 + AHEAD
        actuals[rule.key] = _rounded(rule, path * share)
    return actuals


def _rounded(rule: Rule, value: Decimal) -> Decimal:
    if rule.whole:
        return value.quantize(Decimal(1), rounding=ROUND_CEILING)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# Where each target's actual goes in the report's figures (``form.annual.metrics``).
FIGURE_PATHS = {
    "output": ("industry", "total_output"),
    "rd_spending": ("innovation", "rd_spending"),
    "patents": ("innovation", "patents"),
    "industrial_internet": ("digital", "industrial_internet"),
    "co2_emissions": ("green", "co2_emissions"),
    "energy_intensity": ("green", "energy_intensity"),
}


def _set_figure(figures: dict[str, Any], key: str, value: Decimal) -> None:
    if key == "quality_smes":  # 专精特新 + “小巨人” + 单项冠军: the first takes the rest
        industry = figures["industry"]
        others = industry["little_giants"] + industry["single_champions"]
        industry["specialised_smes"] = max(int(value) - others, 0)
        return
    part, name = FIGURE_PATHS[key]
    figures[part][name] = int(value) if value == value.to_integral_value() else float(value)


# --- revocation and 复核 --------------------------------------------------------------------------


def revocation_day(certification: Certification, today: dt.date) -> dt.date:
    """Mid-June after the last reported year (when its report was accepted and the change came
    to light), or a fortnight ago if that is still to come — a working day after the 发文."""
    years = report_years(certification, today)
    day = dt.date(years[-1] + 1, 6, 16) if years else today
    day = min(day, today - dt.timedelta(days=14))
    return t.working_day_on_or_before(max(day, certification.valid_from + dt.timedelta(days=30)))


def _revoke(certification: Certification, city: User, today: dt.date) -> None:
    """Revoked after its reports (none yet: a demo seeded in the first year, nothing to tell)."""
    years = report_years(certification, today)
    if not years or revocation_refusal(certification) is not None:
        return
    decided = revocation_day(certification, today)
    last = years[-1]
    step(
        at(decided, 15),
        revoke,
        certification,
        reason_class=REVOCATION_CLASS,
        reason=REVOCATION_REASON.format(changed=f"{last}年11月", year=last),
        document_number=REVOCATION_NUMBER.format(year=decided.year),
        decided_on=decided,
        actor=city,
    )


def recheck_name(today: dt.date) -> str:
    return RECHECK_NAME.format(year=today.year)


def _recheck(report: SeedReport, certification: Certification, city: User, today: dt.date) -> None:
    """The 复核 of the lagging cluster opened a week ago."""
    opened = at(t.working_day_on_or_before(today - dt.timedelta(days=RECHECK_DAYS_AGO)), 10)
    if due_refusal(certification, opened.date()) is not None:
        return  # an older demo database, whose clusters are not due yet
    step(opened, open_recheck, recheck_name(today), [certification], city, at=opened)
    report.rounds_created += 1
