"""Targets against actuals for one certified cluster or all of them, in a fixed number of queries.

Queries, whatever the number of clusters: the certifications with their cached plan (1), the
counted reports with their cached figures (1), the thresholds of the rounds concerned (1), and,
when renewed certifications are among them, the certifications they renew (1 per generation of
renewals: ``lineages``; their reports come with the others). Filtering by declaration round
(``cohort_of``) adds 1 per generation of renewals, and 1. Only when a cache row is missing or
stale (a plan never derived, a report submitted again) are the forms read — the missing ones
only, in one query each — and the rows written (see ``models``).

What the city-wide figures need of each track is its ``Summary``, kept by the digest of the
track's inputs in this process and in ``TrackSummary`` rows: the dashboard of 500 clusters reads
the rows (1 query) instead of tracking every cluster after a restart, and tracks in full only the
clusters it lists (the ranking, the lagging list, a cluster's page). Missing or outdated rows are
computed and written back (1 query).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery, TextField
from django.db.models.functions import Cast

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
    SEVERITY,
    ClusterTrack,
    Goal,
    PlanTargets,
    Status,
    Thresholds,
    plan_from_application,
    track,
)
from clusterdesk.registry.models import Certification
from clusterdesk.rounds.enums import RoundKind
from clusterdesk.tracking.models import ClusterPlan, ReportFigures, TrackingSettings, TrackSummary

# Each cluster's track by the digest of everything it is computed from (the plan's values, each
# counted year's actual values, the thresholds, the last year; ``_digest``): a kept track is
# never stale, and the pages do not recompute unchanged clusters (≈0.5 ms each) on every view.
TRACKS: Lru[ClusterTrack] = Lru(20_000)
# The summaries by the digest of their inputs (as ``TRACKS``; the rows are ``TrackSummary``).
SUMMARIES: Lru[Summary] = Lru(50_000)
# Part of every digest: a change to how tracks are computed outdates every stored summary.
SUMMARY_VERSION = 1

# The reports whose figures count: accepted, and (marked as such) submitted ones not yet accepted.
COUNTED = (S.SUBMITTED, S.UNDER_REVIEW, S.ACCEPTED)


@dataclass(frozen=True)
class ReportRef:
    application_id: int
    year: int
    state: str
    # Filed under the certification this one renews (the years before the 复核 renewed it).
    earlier: bool = False

    @property
    def accepted(self) -> bool:
        return self.state == S.ACCEPTED

    @property
    def state_label(self) -> str:
        return S(self.state).label


@dataclass(frozen=True)
class Summary:
    """What the city-wide figures need of a cluster's track (see ``TrackSummary``)."""

    status: Status
    serious: int  # targets 严重滞后
    lagging: int  # targets 滞后
    gap: Decimal | None  # the largest latest gap among the flagged targets
    output: tuple[tuple[int, Decimal], ...]  # 集群总产值 per year: the baseline, then the actuals

    @property
    def flagged(self) -> bool:
        return bool(self.serious or self.lagging)

    @property
    def lag_key(self) -> tuple[int, int, int, Decimal]:
        """``ClusterTrack.lag_key`` from the summary alone."""
        gap = self.gap if self.gap is not None else Decimal(0)
        return (-SEVERITY[self.status], -self.serious, -self.lagging, -gap)

    @classmethod
    def of(cls, found: ClusterTrack, plan: PlanTargets) -> Summary:
        gaps = [t.latest_gap for t in found.flags if t.latest_gap is not None]
        output = next(t for t in found.indicators if t.rule.key == "output")
        years = [(plan.base_year, output.baseline)] if output.baseline is not None else []
        years += [(check.year, check.actual) for check in output.years if check.actual is not None]
        return cls(
            status=found.status,
            serious=sum(t.status is Status.SERIOUS for t in found.indicators),
            lagging=sum(t.status is Status.LAGGING for t in found.indicators),
            gap=max(gaps, default=None),
            output=tuple(years),
        )

    def stored(self) -> dict:
        return {
            "serious": self.serious,
            "lagging": self.lagging,
            "gap": None if self.gap is None else str(self.gap),
            "output": [[year, str(value)] for year, value in self.output],
        }

    @classmethod
    def from_stored(cls, status: str, data: dict) -> Summary:
        return cls(
            status=Status(status),
            serious=data["serious"],
            lagging=data["lagging"],
            gap=None if data["gap"] is None else Decimal(data["gap"]),
            output=tuple((year, Decimal(value)) for year, value in data["output"]),
        )


@dataclass
class TrackedCluster:
    certification: Cert
    name: str
    county: str
    leading_industry: str
    # The plan and each counted year's figures as stored: JSON text, read as digest input as it
    # is (decoding 2,000 JSON values on every dashboard view cost more than the digests), and
    # decoded only for a full track. ``goals`` is None without targets.
    goals: str | None
    base_year: int = 0
    target_year: int = 0
    reports: dict[int, ReportRef] = field(default_factory=dict)
    thresholds: Thresholds = DEFAULT_THRESHOLDS
    summary: Summary | None = None
    last: int = 0  # the year tracked through
    figures: dict[int, str] = field(default_factory=dict)  # year → the stored figures
    digest: str = ""
    _track: ClusterTrack | None = None

    @property
    def pk(self) -> int:
        return self.certification.pk

    @property
    def unaccepted_years(self) -> list[int]:
        return sorted(year for year, ref in self.reports.items() if not ref.accepted)

    @cached_property
    def plan(self) -> PlanTargets | None:
        return _plan(self.base_year, self.target_year, json.loads(self.goals or "null"))

    @property
    def track(self) -> ClusterTrack | None:
        """The full track (computed when first asked: the dashboard needs only the summary)."""
        if self._track is None and self.goals:
            found = TRACKS.get(self.digest)
            if found is None:
                actuals = {year: _decimals(json.loads(text)) for year, text in self.figures.items()}
                found = track(self.plan, actuals, self.thresholds, through=self.last)
                TRACKS.put(self.digest, found)
            self._track = found
        return self._track


def certifications(
    *, round_id: int | None = None, organisation_id: int | None = None
) -> QuerySet[Certification]:
    """The certified clusters tracked: certified (not revoked), and not renewed by a later
    certification (the renewing one is tracked instead)."""
    rows = Certification.objects.filter(
        application__state=S.CERTIFIED, renewed_by__isnull=True
    ).order_by("application__organisation__position", "pk")
    if round_id is not None:
        rows = rows.filter(pk__in=cohort_of(round_id))
    if organisation_id is not None:
        rows = rows.filter(application__organisation_id=organisation_id)
    return rows


def cohort_of(round_id: int) -> set[int]:
    """The certifications judged as declaration round ``round_id``'s (``lineages``): those
    of its own applications and every renewal of them after 复核, which is an application of the
    复核 round, followed through ``renews`` (one query per generation of renewals, and one to
    find there are no more)."""
    found = set(
        Certification.objects.filter(application__round_id=round_id)
        .filter(Q(renews__isnull=True) | Q(application__round__kind=RoundKind.DECLARATION))
        .values_list("pk", flat=True)
    )
    generation = found
    while generation:
        generation = (
            set(
                Certification.objects.filter(renews__in=generation)
                .exclude(application__round__kind=RoundKind.DECLARATION)
                .values_list("pk", flat=True)
            )
            - found
        )
        found |= generation
    return found


CERT_FIELDS = (
    "pk",
    "application_id",
    "application__round_id",
    "application__round__kind",
    "application__round__form_version",
    "renews_id",
    "application__listed_name",
    "application__organisation__county",
    "application__organisation__name",
    "leading_industry",
    "valid_from",
    "valid_until",
    "publication__document_number",
    "tracking_plan__base_year",
    "tracking_plan__target_year",
    "goals_text",  # ``tracking_plan__goals`` as text (see ``TrackedCluster``)
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


def tracked(
    rows: QuerySet[Certification], *, through: int | None = None, stored: bool = False
) -> list[TrackedCluster]:
    """Every certification of ``rows`` tracked through ``through`` (default: per cluster, its
    latest counted report's year). Rows are read as values (500 clusters × 3 reports as model
    instances cost more than the whole computation). ``stored``: check every stored summary
    row, even those this process keeps (``refresh``)."""
    certs = list(
        rows.annotate(goals_text=Cast("tracking_plan__goals", TextField())).values(*CERT_FIELDS)
    )
    missing = [c for c in certs if c["tracking_plan__base_year"] is None]
    if missing:
        filled = _fill_plans(missing)
        # The text as the database gives it back (PostgreSQL orders a jsonb's keys its own way),
        # so the digest is the one the next view computes (1 query, only here).
        texts = dict(
            ClusterPlan.objects.filter(certification_id__in=filled)
            .annotate(text=Cast("goals", TextField()))
            .values_list("certification_id", "text")
        )
        for c in missing:
            row = filled[c["pk"]]
            c["tracking_plan__base_year"] = row.base_year
            c["tracking_plan__target_year"] = row.target_year
            c["goals_text"] = texts.get(c["pk"], json.dumps(row.goals))
    cohorts, earlier = lineages(certs)
    reports = list(
        ClusterReport.objects.filter(
            certification__in={c["pk"] for c in certs} | set(earlier),
            application__state__in=COUNTED,
        )
        .order_by("certification_id", "year")
        .annotate(figures_text=Cast("application__tracking_figures__values", TextField()))
        .values_list(
            "certification_id",
            "year",
            "application_id",
            "application__state",
            "application__version",
            "application__tracking_figures__version",
            "figures_text",
        )
    )
    figures = _figures(reports)
    settings = {
        found.round_id: Thresholds(Decimal(found.lagging), Decimal(found.serious))
        for found in TrackingSettings.objects.filter(round_id__in=set(cohorts.values()))
    }
    by_cert: dict[int, list[tuple]] = defaultdict(list)
    for report in reports:
        by_cert[report[0]].append(report)
    # A renewed cluster's track begins with the years reported under the certifications it
    # renews (``lineages``): the same cluster and the same certified plan.
    ancestors: dict[int, list[int]] = defaultdict(list)
    for pk, renewed_by in earlier.items():
        ancestors[renewed_by].append(pk)
    out = []
    for c in certs:
        cert = Cert(
            c["pk"],
            c["application_id"],
            c["application__round_id"],
            c["application__round__form_version"],
            c["valid_from"],
            c["valid_until"],
            c["publication__document_number"],
        )
        goals = c["goals_text"] if c["goals_text"] not in {None, "{}", "null"} else None
        cluster = TrackedCluster(
            certification=cert,
            name=c["application__listed_name"] or "（未填集群名称）",
            county=c["application__organisation__county"] or c["application__organisation__name"],
            leading_industry=c["leading_industry"] or "（未填主导产业）",
            goals=goals,
            base_year=c["tracking_plan__base_year"],
            target_year=c["tracking_plan__target_year"],
            thresholds=settings.get(cohorts[cert.pk], DEFAULT_THRESHOLDS),
        )
        # The eldest certification first, its own last: for a year reported under two (the
        # year the renewal begins in), the later certification's report counts.
        for source in [*_eldest_first(cert.pk, ancestors), cert.pk]:
            for _cert, year, application_id, state, *_rest in by_cert.get(source, ()):
                if through is not None and year > through:
                    continue
                ref = ReportRef(application_id, year, state, earlier=source != cert.pk)
                cluster.reports[year] = ref
                cluster.figures[year] = figures[application_id]
        if goals:
            cluster.last = (
                through if through is not None else max(cluster.figures, default=cluster.base_year)
            )
            cluster.digest = _digest(cluster)
        out.append(cluster)
    _summarise(rows, [c for c in out if c.goals], stored=stored)
    return out


def lineages(certs: list[dict]) -> tuple[dict[int, int], dict[int, int]]:
    """(Certification pk → the declaration round whose thresholds judge it; every certification
    renewed, directly or not, by one of ``certs`` → the one of ``certs`` that renews it), for
    ``certs`` as read with ``CERT_FIELDS``, walking ``renews`` back once for both: one query per
    generation of renewals, none without renewals.

    A renewed certification's application is its 复核 case, in the 复核 round; but the
    thresholds are set per declaration round (``settings.change_thresholds``) and the plan
    tracked is the one certified then (the 复核 carries the certified form, the same 2025
    targets). So a renewal keeps the standard of the declaration that first certified the
    cluster, and its track the years reported under the certifications it renews."""
    cohort: dict[int, int] = {}
    earlier: dict[int, int] = {}
    pending: dict[int, int] = {}  # tracked pk → the certification reached, not read yet
    for c in certs:
        if c["renews_id"] is None or c["application__round__kind"] == RoundKind.DECLARATION:
            cohort[c["pk"]] = c["application__round_id"]
        if c["renews_id"] is not None:
            pending[c["pk"]] = c["renews_id"]
    while pending:
        rows = {
            pk: (round_id, kind, renews)
            for pk, round_id, kind, renews in Certification.objects.filter(
                pk__in=set(pending.values())
            ).values_list("pk", "application__round_id", "application__round__kind", "renews_id")
        }
        further: dict[int, int] = {}
        for pk, renewed in pending.items():
            round_id, kind, renews = rows[renewed]
            earlier[renewed] = pk
            if pk not in cohort and (renews is None or kind == RoundKind.DECLARATION):
                cohort[pk] = round_id
            if renews is not None:
                further[pk] = renews
        pending = further
    return cohort, earlier


def _eldest_first(pk: int, ancestors: dict[int, list[int]]) -> list[int]:
    """The certifications ``pk`` renews, directly or not, the eldest first."""
    chain = ancestors.get(pk, [])  # appended generation by generation: the nearest first
    return list(reversed(chain))


def _digest(cluster: TrackedCluster) -> str:
    """Everything the cluster's track is computed from, hashed (as stored: strings)."""
    parts = [
        # The certification too: a summary kept in this process is then one this process read or
        # stored for that row (two clusters of equal figures do not share one).
        str(cluster.pk),
        str(SUMMARY_VERSION),
        str(cluster.base_year),
        str(cluster.target_year),
        cluster.goals or "",
        *(f"{year}:{text}" for year, text in sorted(cluster.figures.items())),
        str(cluster.thresholds.lagging.normalize()),
        str(cluster.thresholds.serious.normalize()),
        str(cluster.last),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _summarise(
    rows: QuerySet[Certification], clusters: list[TrackedCluster], *, stored: bool
) -> None:
    """Each cluster's summary: kept in this process, else its stored row if the digest matches
    (1 query), else computed from the full track and stored (1 query)."""
    kept = {} if stored else SUMMARIES.get_many(c.digest for c in clusters)
    missing = [c for c in clusters if c.digest not in kept]
    for c in clusters:
        c.summary = kept.get(c.digest)
    if not missing:
        return
    found_rows = {
        (cert_id, year): (digest, status, data)
        for cert_id, year, digest, status, data in TrackSummary.objects.filter(
            certification__in=rows.values("pk"), through__in={c.last for c in missing}
        ).values_list("certification_id", "through", "digest", "status", "data")
    }
    fresh = {}
    write = []
    for c in missing:
        found = found_rows.get((c.pk, c.last))
        if found is not None and found[0] == c.digest:
            c.summary = Summary.from_stored(found[1], found[2])
        else:
            c.summary = Summary.of(c.track, c.plan)
            write.append(
                TrackSummary(
                    certification_id=c.pk,
                    through=c.last,
                    digest=c.digest,
                    status=c.summary.status,
                    data=c.summary.stored(),
                )
            )
        fresh[c.digest] = c.summary
    if write:
        with transaction.atomic():
            TrackSummary.objects.bulk_create(
                write,
                update_conflicts=True,
                unique_fields=("certification", "through"),
                update_fields=("digest", "status", "data"),
            )
    SUMMARIES.put_many(fresh)


def refresh(rows: QuerySet[Certification] | None = None) -> int:
    """Compute and store the summaries of ``rows`` (default: every tracked certification) as the
    pages ask for them: through the dashboard's default year, and through each cluster's latest
    report (the county's page). Rows already up to date are left alone. The number of clusters."""
    rows = certifications() if rows is None else rows
    tracked(rows, through=default_year(), stored=True)
    return len(tracked(rows, stored=True))


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


def _figures(reports: list[tuple]) -> dict[int, str]:
    """Each report's actuals as stored (JSON text), from the cache; the missing or stale ones
    computed (1 query) and stored."""
    out: dict[int, str] = {}
    stale = []
    for _cert, _year, application_id, _state, version, cached_version, cached in reports:
        if cached_version is not None and cached_version == version:
            out[application_id] = cached
        else:
            stale.append((application_id, version))
    if not stale:
        return out
    ids = [pk for pk, _version in stale]
    datas = dict(Application.objects.filter(pk__in=ids).values_list("pk", "data"))
    rows = []
    for application_id, version in stale:
        values = _report_values(datas.get(application_id))
        out[application_id] = json.dumps(values)
        rows.append(ReportFigures(application_id=application_id, version=version, values=values))
    with transaction.atomic():
        ReportFigures.objects.filter(application_id__in=ids).delete()
        ReportFigures.objects.bulk_create(rows, ignore_conflicts=True)
    # As stored (see ``tracked``: the next view's digest is then the same).
    out.update(
        ReportFigures.objects.filter(application_id__in=ids)
        .annotate(text=Cast("values", TextField()))
        .values_list("application_id", "text")
    )
    return out


def _report_values(data) -> dict[str, str | None]:
    try:
        report = AnnualReport.model_validate(data or {})
        values = target_actuals(report)
    except Exception:
        return {}
    return {key: None if value is None else str(value) for key, value in values.items()}


def _decimals(values: dict) -> dict[str, Decimal | None]:
    return {key: None if v is None else Decimal(v) for key, v in values.items()}
