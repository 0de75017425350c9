"""Targets against actuals for one certified cluster or all of them, in a fixed number of queries.

Queries, whatever the number of clusters: the certifications with their cached plan (1), the
counted reports with their cached figures (1), the thresholds of the rounds concerned (1). Only
when a cache row is missing or stale (a plan never derived, a report submitted again) are the
forms read — the missing ones only, in one query each — and the rows written (see ``models``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery

from clusterdesk.declarations import clock
from clusterdesk.declarations.domain.lru import Lru
from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application, Submission
from clusterdesk.form.annual.metrics import target_actuals
from clusterdesk.form.annual.schema import AnnualReport
from clusterdesk.form.loading import application_from_data
from clusterdesk.form.registry import definition_for
from clusterdesk.monitoring.models import ClusterReport
from clusterdesk.panel.tracking import (
    DEFAULT_THRESHOLDS,
    ClusterTrack,
    Goal,
    PlanTargets,
    Thresholds,
    plan_from_application,
    track,
)
from clusterdesk.registry.models import Certification
from clusterdesk.tracking.models import ClusterPlan, ReportFigures, TrackingSettings

# Each cluster's track by everything it is computed from (the plan's values, each counted year's
# actual values, the thresholds, the last year): a kept track is never stale, and the dashboard
# does not recompute 500 unchanged clusters (≈1 ms each) on every view.
TRACKS: Lru[ClusterTrack] = Lru(20_000)

# The reports whose figures count: accepted, and (marked as such) submitted ones not yet accepted.
COUNTED = (S.SUBMITTED, S.UNDER_REVIEW, S.ACCEPTED)


@dataclass(frozen=True)
class ReportRef:
    application_id: int
    year: int
    state: str

    @property
    def accepted(self) -> bool:
        return self.state == S.ACCEPTED

    @property
    def state_label(self) -> str:
        return S(self.state).label


@dataclass
class TrackedCluster:
    certification: Cert
    name: str
    county: str
    leading_industry: str
    plan: PlanTargets | None
    reports: dict[int, ReportRef] = field(default_factory=dict)
    track: ClusterTrack | None = None
    thresholds: Thresholds = DEFAULT_THRESHOLDS

    @property
    def pk(self) -> int:
        return self.certification.pk

    @property
    def unaccepted_years(self) -> list[int]:
        return sorted(year for year, ref in self.reports.items() if not ref.accepted)


def certifications(
    *, round_id: int | None = None, organisation_id: int | None = None
) -> QuerySet[Certification]:
    """The certified clusters tracked: certified (not revoked), and not renewed by a later
    certification (the renewing one is tracked instead)."""
    rows = Certification.objects.filter(
        application__state=S.CERTIFIED, renewed_by__isnull=True
    ).order_by("application__organisation__position", "pk")
    if round_id is not None:
        rows = rows.filter(application__round_id=round_id)
    if organisation_id is not None:
        rows = rows.filter(application__organisation_id=organisation_id)
    return rows


CERT_FIELDS = (
    "pk",
    "application_id",
    "application__round_id",
    "application__round__form_version",
    "application__listed_name",
    "application__organisation__county",
    "application__organisation__name",
    "leading_industry",
    "valid_from",
    "valid_until",
    "publication__document_number",
    "tracking_plan__base_year",
    "tracking_plan__target_year",
    "tracking_plan__goals",
)


@dataclass(frozen=True)
class Cert:
    """What the pages show of a certification (read as values: no model instances)."""

    pk: int
    application_id: int
    round_id: int
    form_version: str
    valid_from: dt.date
    valid_until: dt.date
    document_number: str


def tracked(rows: QuerySet[Certification], *, through: int | None = None) -> list[TrackedCluster]:
    """Every certification of ``rows`` tracked through ``through`` (default: per cluster, its
    latest counted report's year). Rows are read as values (500 clusters × 3 reports as model
    instances cost more than the whole computation)."""
    certs = list(rows.values(*CERT_FIELDS))
    missing = [c for c in certs if c["tracking_plan__base_year"] is None]
    if missing:
        filled = _fill_plans(missing)
        for c in missing:
            row = filled[c["pk"]]
            c["tracking_plan__base_year"] = row.base_year
            c["tracking_plan__target_year"] = row.target_year
            c["tracking_plan__goals"] = row.goals
    reports = list(
        ClusterReport.objects.filter(
            certification__in=rows.values("pk"), application__state__in=COUNTED
        )
        .order_by("certification_id", "year")
        .values_list(
            "certification_id",
            "year",
            "application_id",
            "application__state",
            "application__version",
            "application__tracking_figures__version",
            "application__tracking_figures__values",
        )
    )
    figures = _figures(reports)
    round_ids = {c["application__round_id"] for c in certs}
    settings = {
        found.round_id: Thresholds(Decimal(found.lagging), Decimal(found.serious))
        for found in TrackingSettings.objects.filter(round_id__in=round_ids)
    }
    by_cert: dict[int, list[tuple]] = defaultdict(list)
    for report in reports:
        by_cert[report[0]].append(report)
    out = []
    for c in certs:
        plan = _plan(
            c["tracking_plan__base_year"],
            c["tracking_plan__target_year"],
            c["tracking_plan__goals"],
        )
        cert = Cert(
            c["pk"],
            c["application_id"],
            c["application__round_id"],
            c["application__round__form_version"],
            c["valid_from"],
            c["valid_until"],
            c["publication__document_number"],
        )
        cluster = TrackedCluster(
            certification=cert,
            name=c["application__listed_name"] or "（未填集群名称）",
            county=c["application__organisation__county"] or c["application__organisation__name"],
            leading_industry=c["leading_industry"] or "（未填主导产业）",
            plan=plan,
            thresholds=settings.get(cert.round_id, DEFAULT_THRESHOLDS),
        )
        actuals = {}
        for _cert, year, application_id, state, *_rest in by_cert.get(cert.pk, ()):
            if through is not None and year > through:
                continue
            cluster.reports[year] = ReportRef(application_id, year, state)
            actuals[year] = figures[application_id]
        if plan is not None:
            last = through if through is not None else max(actuals, default=plan.base_year)
            key = (
                plan.base_year,
                plan.target_year,
                _frozen(c["tracking_plan__goals"]),
                tuple((year, _frozen(values)) for year, values in sorted(actuals.items())),
                cluster.thresholds,
                last,
            )
            found = TRACKS.get(key)
            if found is None:
                found = track(plan, actuals, cluster.thresholds, through=last)
                TRACKS.put(key, found)
            cluster.track = found
        out.append(cluster)
    return out


def one(certification_pk: int, *, organisation_id: int | None = None) -> TrackedCluster | None:
    """One cluster (None if not tracked, or not ``organisation_id``'s)."""
    rows = certifications(organisation_id=organisation_id).filter(pk=certification_pk)
    found = tracked(rows)
    return found[0] if found else None


def default_year(today: dt.date | None = None) -> int:
    """The year the dashboard shows first: the latest year with a counted report, else the
    year before today's."""
    latest = (
        ClusterReport.objects.filter(application__state__in=COUNTED)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return latest or (today or clock.today()).year - 1


# --- the caches --------------------------------------------------------------------------------


def _plan(base_year, target_year, goals) -> PlanTargets | None:
    if not goals:
        return None
    decoded = {
        key: Goal(*(None if v is None else Decimal(v) for v in pair)) for key, pair in goals.items()
    }
    return PlanTargets(base_year, target_year, decoded)


def _fill_plans(certs: list[dict]) -> dict[int, ClusterPlan]:
    """Derive the plans of ``certs`` from their certified snapshots (2–3 queries + the inserts)."""
    app_ids = [c["application_id"] for c in certs]
    latest = Submission.objects.filter(application=OuterRef("pk")).order_by("-submitted_at", "-pk")
    snap_ids = dict(
        Application.objects.filter(pk__in=app_ids)
        .annotate(snapshot=Subquery(latest.values("pk")[:1]))
        .values_list("pk", "snapshot")
    )
    snapshots = dict(
        Submission.objects.filter(pk__in=[s for s in snap_ids.values() if s]).values_list(
            "application_id", "data"
        )
    )
    missing = [pk for pk in app_ids if pk not in snapshots]
    if missing:
        snapshots.update(Application.objects.filter(pk__in=missing).values_list("pk", "data"))
    rows = {
        c["pk"]: ClusterPlan(
            certification_id=c["pk"],
            **_plan_fields(
                c["pk"], c["application__round__form_version"], snapshots.get(c["application_id"])
            ),
        )
        for c in certs
    }
    with transaction.atomic():
        ClusterPlan.objects.bulk_create(rows.values(), ignore_conflicts=True)
    return rows


def _plan_fields(pk: int, form_version: str, data) -> dict:
    try:
        form = application_from_data(data or {}, str(pk), definition_for(form_version))
        plan = plan_from_application(form)
    except Exception:
        return {"base_year": 0, "target_year": 0, "goals": {}}
    goals = {
        key: [
            None if goal.baseline is None else str(goal.baseline),
            None if goal.target is None else str(goal.target),
        ]
        for key, goal in plan.goals.items()
    }
    return {"base_year": plan.base_year, "target_year": plan.target_year, "goals": goals}


def _figures(reports: list[tuple]) -> dict[int, dict[str, Decimal | None]]:
    """Each report's actuals, from the cache; the missing or stale ones computed (1 query) and
    stored."""
    out: dict[int, dict[str, Decimal | None]] = {}
    stale = []
    for _cert, _year, application_id, _state, version, cached_version, cached in reports:
        if cached_version is not None and cached_version == version:
            out[application_id] = _decimals(cached)
        else:
            stale.append((application_id, version))
    if not stale:
        return out
    ids = [pk for pk, _version in stale]
    datas = dict(Application.objects.filter(pk__in=ids).values_list("pk", "data"))
    rows = []
    for application_id, version in stale:
        values = _report_values(datas.get(application_id))
        out[application_id] = _decimals(values)
        rows.append(ReportFigures(application_id=application_id, version=version, values=values))
    with transaction.atomic():
        ReportFigures.objects.filter(application_id__in=ids).delete()
        ReportFigures.objects.bulk_create(rows, ignore_conflicts=True)
    return out


def _report_values(data) -> dict[str, str | None]:
    try:
        report = AnnualReport.model_validate(data or {})
        values = target_actuals(report)
    except Exception:
        return {}
    return {key: None if value is None else str(value) for key, value in values.items()}


def _frozen(values: dict) -> tuple:
    return tuple(sorted((key, tuple(v) if isinstance(v, list) else v) for key, v in values.items()))


def _decimals(values: dict) -> dict[str, Decimal | None]:
    return {key: None if v is None else Decimal(v) for key, v in values.items()}
