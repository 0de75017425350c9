"""Writing the round export from the database: round-wide rows once, then the applications in
chunks of ``CHUNK`` by primary key, each chunk in a fixed number of queries (so the query count
does not grow with the number of applications, and memory holds one chunk's snapshots).

The output is produced piece by piece (``export_pieces``) for the command's file and the API's
streaming answer alike; the submitted ``data`` is written exactly as stored, so its SHA-256 still
matches ``data_sha256`` in the file (``check`` verifies it).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, transaction
from django.utils import timezone

from clusterdesk.accounts.models import User
from clusterdesk.api.roundexport.format import FORMAT, VERSION
from clusterdesk.declarations import clock
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application, ApplicationEvent, Submission
from clusterdesk.evidence.models import Blob
from clusterdesk.publicity.models import Decision, DecisionItem
from clusterdesk.registry.domain.registry import status_expression
from clusterdesk.registry.models import Certification, Publication
from clusterdesk.review.models import Assignment, ReviewPhase, ReviewSettings
from clusterdesk.rounds.enums import RoundKind
from clusterdesk.rounds.models import Round
from clusterdesk.scoring.domain.settings import rubric_of, scoring_settings
from clusterdesk.scoring.models import ScoreSheet, SheetStatus

CHUNK = 100  # applications per chunk: one chunk's snapshots (≈120 KB each) are in memory at once
EXPORTED_KINDS = (RoundKind.DECLARATION, RoundKind.RECHECK)  # whose form is Attachment 2


class NotExportable(Exception):
    """The round cannot be exported in this format; ``message`` says why (Chinese)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def refusal_for(round_: Round) -> str | None:
    if round_.kind not in EXPORTED_KINDS:
        return (
            f"轮次“{round_.name}”是{round_.get_kind_display()}轮次，"
            "数据交换格式只包括申报认定和复核轮次（申报表为附件2）。"
        )
    return None


def _time(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value is not None else None


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _actor(user: User) -> dict[str, Any]:
    # The role and the unit, never the person: the receiving system has its own accounts.
    return {"role": user.role, "unit": user.organisation.name if user.organisation else None}


def _round_info(round_: Round) -> dict[str, Any]:
    anonymous = (
        ReviewSettings.objects.filter(round=round_)
        .values_list("anonymise_county", flat=True)
        .first()
    )
    return {
        "id": round_.pk,
        "name": round_.name,
        "kind": round_.kind,
        "status": round_.status,
        "first_data_year": round_.first_data_year,
        "last_data_year": round_.last_data_year,
        "reference_date": _date(round_.reference_date),
        "opens_at": _time(round_.opens_at),
        "submission_deadline": _time(round_.submission_deadline),
        "county_limit": round_.county_limit,
        "form_version": round_.form_version,
        "criteria_profile": round_.criteria_profile,
        "criteria_thresholds": {str(k): str(v) for k, v in round_.criteria_thresholds.items()},
        "anonymous_review": bool(anonymous),
    }


def _head(round_: Round, now: dt.datetime) -> dict[str, Any]:
    """Everything of the file but the applications: a handful of queries, once."""
    phases = [
        {"id": p.pk, "kind": p.kind, "name": p.name, "scored": p.scored, "status": p.status}
        for p in ReviewPhase.objects.filter(round=round_).order_by("position", "pk")
    ]
    scoring = None
    if any(phase["scored"] for phase in phases):
        # The rules the sheets were scored by: the defaults until the city first changed them.
        settings = scoring_settings(round_)
        rubric = rubric_of(settings).model_dump(mode="json")
        scoring = {"aggregate": settings.aggregate, "rubric": rubric}
    publications = [
        {"document_number": p.document_number, "issued_on": _date(p.issued_on)}
        for p in Publication.objects.filter(round=round_).order_by("issued_on", "pk")
    ]
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _time(now),
        # The registry's statuses depend on the day (到期待复核): the day they were judged on.
        "status_on": _date(timezone.localdate(now)),
        "round": _round_info(round_),
        "phases": phases,
        "scoring": scoring,
        "publications": publications,
    }


class _Round:
    """What every chunk looks up: the experts' codes and the 会审 dates (one query each), and
    the day the registry's statuses are judged on."""

    def __init__(self, round_: Round, today: dt.date) -> None:
        self.round_id = round_.pk
        self.today = today
        experts = (
            Assignment.objects.filter(phase__round=round_)
            .order_by("expert_id")
            .values_list("expert_id", flat=True)
            .distinct()
        )
        # 专家01, 专家02 … in the order of the accounts: one code per expert for the whole file,
        # so two sheets of one expert can be told apart from two experts' — and nothing more.
        self.expert_codes = {pk: f"专家{n:02d}" for n, pk in enumerate(experts, 1)}
        self.held_on = dict(Decision.objects.filter(round=round_).values_list("pk", "held_on"))


def _evidence(files: list[dict[str, Any]], types: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "path": item.get("path"),
            "name": item.get("name"),
            "sha256": item.get("sha256"),
            "size": item.get("size"),
            "content_type": types.get(item.get("sha256") or ""),
        }
        for item in files
    ]


def _submission_info(submission: Submission) -> dict[str, Any]:
    return {
        "submitted_at": _time(submission.submitted_at),
        "submitted_by": _actor(submission.submitted_by),
        "application_version": submission.application_version,
        "data_sha256": submission.data_sha256,
    }


def _related(instance: Any, name: str) -> Any:
    """A reverse one-to-one read by ``select_related`` (None when there is none, no query)."""
    try:
        return getattr(instance, name)
    except ObjectDoesNotExist:
        return None


def _link(other: Certification | None, shared: _Round) -> dict[str, Any] | None:
    if other is None:
        return None
    application = other.application
    return {
        "document_number": other.publication.document_number,
        "application_id": application.pk,
        "round": application.round.name,
        "cluster_name": application.listed_name or "",
        "external": application.round_id != shared.round_id,
    }


def _certification(c: Certification, shared: _Round) -> dict[str, Any]:
    revocation = _related(c, "revocation")
    return {
        "document_number": c.publication.document_number,
        "issued_on": _date(c.publication.issued_on),
        "valid_from": _date(c.valid_from),
        "valid_until": _date(c.valid_until),
        "leading_industry": c.leading_industry,
        # The registry's own rule (registry.domain.registry.status_expression), on the same day.
        "status": c.status,
        "revocation": None
        if revocation is None
        else {
            "document_number": revocation.document_number,
            "reason_class": revocation.reason_class,
            "reason": revocation.reason,
            "decided_on": _date(revocation.decided_on),
        },
        "renews": _link(c.renews, shared),
        "renewed_by": _link(_related(c, "renewed_by"), shared),
    }


def _chunk_records(chunk: list[Application], shared: _Round) -> list[dict[str, Any]]:
    """The records of one chunk of applications, in seven queries whatever its size."""
    ids = [application.pk for application in chunk]
    submissions: dict[int, list[Submission]] = defaultdict(list)
    for submission in (
        Submission.objects.filter(application_id__in=ids)
        .defer("data", "evidence")
        .select_related("submitted_by__organisation")
        .order_by("application_id", "submitted_at", "pk")
    ):
        submissions[submission.application_id].append(submission)
    latest_ids = [rows[-1].pk for rows in submissions.values()]
    # Only the latest snapshot's form is read: earlier ones are named by their SHA-256.
    snapshots = {
        pk: (data, evidence)
        for pk, data, evidence in Submission.objects.filter(pk__in=latest_ids).values_list(
            "pk", "data", "evidence"
        )
    }
    shas = {
        item.get("sha256")
        for _, evidence in snapshots.values()
        for item in evidence
        if item.get("sha256")
    }
    types = dict(Blob.objects.filter(sha256__in=shas).values_list("sha256", "content_type"))
    events: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for event in (
        ApplicationEvent.objects.filter(application_id__in=ids)
        .select_related("actor__organisation")
        .order_by("at", "pk")
    ):
        events[event.application_id].append(
            {
                "from_state": event.from_state or None,
                "to_state": event.to_state,
                "at": _time(event.at),
                "actor": _actor(event.actor),
                "reason": event.reason,
            }
        )
    sheets: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for sheet in (
        ScoreSheet.objects.filter(assignment__application_id__in=ids, status=SheetStatus.SUBMITTED)
        .select_related("assignment")
        .order_by("assignment__phase_id", "assignment__expert_id", "pk")
    ):
        assignment = sheet.assignment
        sheets[assignment.application_id].append(
            {
                "phase_id": assignment.phase_id,
                "expert": shared.expert_codes.get(assignment.expert_id, "专家"),
                "scores": {str(k): str(v) for k, v in (sheet.scores or {}).items()},
                "comments": {str(k): str(v) for k, v in (sheet.comments or {}).items()},
                "opinion": sheet.opinion or None,
                "opinion_reason": sheet.opinion_reason,
                "total": _decimal(sheet.total),
                "submitted_at": _time(sheet.submitted_at),
            }
        )
    decisions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for item in DecisionItem.objects.filter(application_id__in=ids).order_by("decision_id", "pk"):
        decisions[item.application_id].append(
            {
                "held_on": _date(shared.held_on.get(item.decision_id)),
                "rank": item.rank,
                "proposed": item.proposed,
                "reason": item.reason,
                "departure_reason": item.departure_reason,
            }
        )
    certifications = {
        c.application_id: _certification(c, shared)
        for c in Certification.objects.filter(application_id__in=ids)
        .select_related(
            "publication",
            "revocation",
            "renews__publication",
            "renews__application__round",
            "renewed_by__publication",
            "renewed_by__application__round",
        )
        # The linked certifications' applications are read for their name and round only.
        .defer("renews__application__data", "renewed_by__application__data")
        .annotate(status=status_expression(shared.today))
    }
    records = []
    for application in chunk:
        rows = submissions.get(application.pk, [])
        snapshot = None
        if rows:
            data, evidence = snapshots[rows[-1].pk]
            snapshot = {
                **_submission_info(rows[-1]),
                "data": data,
                "evidence": _evidence(evidence, types),
            }
        records.append(
            {
                "id": application.pk,
                "organisation": {
                    "name": application.organisation.name,
                    "county": application.organisation.county,
                },
                "cluster_name": application.listed_name or "",
                "state": application.state,
                "version": application.version,
                "created_at": _time(application.created_at),
                "updated_at": _time(application.updated_at),
                "submission": snapshot,
                "earlier_submissions": [_submission_info(s) for s in rows[:-1]],
                "events": events.get(application.pk, []),
                "score_sheets": sheets.get(application.pk, []),
                "decisions": decisions.get(application.pk, []),
                "certification": certifications.get(application.pk),
            }
        )
    return records


def _applications(round_: Round) -> Iterator[list[Application]]:
    """The round's applications (not the deleted drafts) in chunks, by primary key."""
    rows = (
        Application.objects.filter(round=round_)
        .exclude(state=ApplicationState.DELETED)
        .select_related("organisation")
        .defer("data")
        .order_by("pk")
    )
    last = 0
    while True:
        chunk = list(rows.filter(pk__gt=last)[:CHUNK])
        if chunk:
            yield chunk
        if len(chunk) < CHUNK:
            return
        last = chunk[-1].pk


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@contextlib.contextmanager
def _one_view() -> Iterator[None]:
    """On PostgreSQL the whole file is read from one snapshot (a read-only REPEATABLE READ
    transaction), so a chunk read later never disagrees with one read earlier. SQLite reads
    chunk by chunk: an atomic block there would hold up every save for the export's length."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def export_pieces(round_: Round) -> Iterator[str]:
    """The export of ``round_`` as consecutive pieces of one JSON text (one per application);
    NotExportable at once (before any piece) if the round cannot be exported."""
    problem = refusal_for(round_)
    if problem:
        raise NotExportable(problem)
    return _pieces(round_)


def _pieces(round_: Round) -> Iterator[str]:
    with _one_view():
        now = clock.now()  # the workflow's clock, as the registry's pages judge statuses by
        head = _head(round_, now)
        yield _dumps(head)[:-1] + ',"applications":['
        shared = _Round(round_, timezone.localdate(now))
        first = True
        for chunk in _applications(round_):
            for record in _chunk_records(chunk, shared):
                yield ("" if first else ",") + _dumps(record)
                first = False
        yield "]}\n"


def find_round(text: str) -> Round:
    """The round named ``text`` (its name, or its id in digits); NotExportable if none."""
    text = text.strip()
    found = Round.objects.filter(name=text).first()
    if found is None and text.isdigit() and len(text) <= 18:
        found = Round.objects.filter(pk=int(text)).first()
    if found is None:
        names = "、".join(Round.objects.order_by("-pk").values_list("name", flat=True)[:10])
        known = f"现有轮次：{names}。" if names else "系统中还没有轮次。"
        raise NotExportable(f"找不到轮次“{text}”（按轮次名称或 id 查找）。{known}")
    return found
