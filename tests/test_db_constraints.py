"""The database is the last guard: every invariant the domain relies on is also a constraint, so
a row written past the domain (``Model.objects.create``, ``QuerySet.update()``, raw SQL) that
breaks it is refused with an ``IntegrityError``, on SQLite and on PostgreSQL alike.

Rows come from ``tests.any_rows`` (valid by construction); each case then writes one bad value
or one duplicate and checks that the database names the rule it broke.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from clusterdesk.shared.appendonly import AppendOnly
from tests.any_rows import any_row, fresh_value

pytestmark = pytest.mark.django_db

BOGUS = "bogus"

# (model, the bad columns, the check constraint that refuses them)
CHECKS = [
    ("declarations.Application", {"state": BOGUS}, "application_state_valid"),
    ("declarations.ApplicationEvent", {"to_state": BOGUS}, "application_event_states_valid"),
    ("declarations.ApplicationEvent", {"from_state": BOGUS}, "application_event_states_valid"),
    ("declarations.Revision", {"source": BOGUS}, "revision_source_valid"),
    ("declarations.Comment", {"status": BOGUS}, "comment_status_valid"),
    ("accounts.User", {"role": BOGUS}, "user_role_valid"),
    ("rounds.Round", {"kind": BOGUS}, "round_kind_valid"),
    ("rounds.Round", {"status": BOGUS}, "round_status_valid"),
    ("rounds.Round", {"county_limit": 0}, "round_county_limit_positive"),
    ("declarations.Application", {"version": 0}, "application_version_positive"),
    ("rounds.RoundEvent", {"action": BOGUS}, "round_event_action_valid"),
    ("exports.Export", {"kind": BOGUS}, "export_kind_valid"),
    ("exports.Export", {"status": BOGUS}, "export_status_valid"),
    ("exports.Export", {"size": -1}, "export_size_not_negative"),
    ("hearings.HearingEvent", {"action": BOGUS}, "hearing_event_action_valid"),
    ("hearings.SiteVisit", {"conclusion": BOGUS}, "site_visit_conclusion_valid"),
    ("intake.OverlapDismissal", {"kind": BOGUS}, "overlap_dismissal_kind_valid"),
    ("intake.OverlapFlag", {"kind": BOGUS}, "overlap_flag_kind_valid"),
    ("publicity.ObjectionStep", {"kind": BOGUS}, "objection_step_kind_outcome_valid"),
    ("publicity.ObjectionStep", {"outcome": BOGUS}, "objection_step_kind_outcome_valid"),
    ("review.ReviewEvent", {"action": BOGUS}, "review_event_action_valid"),
    ("review.ReviewPhase", {"kind": BOGUS}, "review_phase_kind_valid"),
    ("review.Assignment", {"status": BOGUS}, "review_assignment_status_valid"),
    ("scoring.ScoreSheet", {"status": BOGUS}, "score_sheet_status_valid"),
    ("scoring.ScoreSheet", {"total": -1}, "score_sheet_total_not_negative"),
    ("scoring.ScoreSheetEvent", {"action": BOGUS}, "score_sheet_event_action_valid"),
    ("recheck.RecheckStep", {"kind": BOGUS}, "recheck_step_kind_valid"),
    ("recheck.RecheckStep", {"kind": "rectify", "deadline": None}, "recheck_step_rectify_has"),
    ("revocation.Revocation", {"reason_class": BOGUS}, "revocation_reason_class_valid"),
    ("monitoring.MajorChangeDecision", {"decision": BOGUS}, "major_change_decision_valid"),
    ("notifications.Notification", {"kind": BOGUS}, "notification_kind_valid"),
    ("notifications.Reminder", {"kind": BOGUS}, "reminder_kind_valid"),
    ("intake.PaperReceipt", {"originals": -1}, "counts_not_negative|originals"),
    ("monitoring.ClusterReport", {"year": 1900}, "cluster_report_year_range"),
]

# (model, the unique column(s), the constraint's name where it has one)
UNIQUES = [
    ("declarations.Submission", ["event"], None),  # one submission per event
    ("declarations.Revision", ["application", "version"], "revision_one_per_version"),
    ("registry.Publication", ["number_key"], None),  # one 文号 (normalised) per document
    ("registry.Certification", ["application"], None),
    ("revocation.Revocation", ["number_key"], None),
    ("revocation.Revocation", ["certification"], None),  # a certification is revoked once
    ("monitoring.ClusterReport", ["certification", "year"], "cluster_report_once_per_year"),
    ("monitoring.MajorChangeCase", ["report"], None),
    ("monitoring.MajorChangeDecision", ["case"], None),
    ("recheck.RecheckCase", ["round", "certification"], "recheck_case_once_per_round"),
    ("notifications.Reminder", ["round", "organisation", "kind"], "reminder_once"),
    ("hearings.DefenceRecord", ["slot"], None),
    ("hearings.SiteVisit", ["round", "application"], "site_visit_once_per_round"),
    ("scoring.ScoreSheet", ["assignment"], None),
    ("evidence.Upload", ["application", "blob"], "upload_once_per_application"),
]


def _ids(case) -> str:
    return f"{case[0]}:{'+'.join(case[1])}"


@pytest.mark.parametrize("case", CHECKS, ids=_ids)
def test_a_value_outside_the_rules_is_refused(case):
    label, bad, name = case
    model = apps.get_model(label)
    if issubclass(model, AppendOnly):  # cannot be updated at all: write it bad

        def write() -> None:
            any_row(model, **bad)
    else:  # a valid row, then an update that goes past the domain
        rows = model.objects.filter(pk=any_row(model).pk)

        def write() -> None:
            rows.update(**bad)

    with pytest.raises(IntegrityError, match=name), transaction.atomic():
        write()


@pytest.mark.parametrize("case", UNIQUES, ids=_ids)
def test_a_second_row_for_the_same_thing_is_refused(case):
    label, names, constraint = case
    model = apps.get_model(label)
    row = any_row(model)
    copy = model.objects.filter(pk=row.pk).values().get()
    copy.pop("id")
    kept = {model._meta.get_field(name).attname for name in names}
    # Every other unique column gets a fresh value, so only the rule under test can refuse.
    for field in model._meta.concrete_fields:
        if field.unique and not field.primary_key and field.attname not in kept:
            copy[field.attname] = fresh_value(field)
    columns = [model._meta.get_field(name).column for name in names]
    # SQLite names the columns, PostgreSQL the constraint (or the column's unique index).
    pattern = "|".join(
        [f"{model._meta.db_table}\\.{column}" for column in columns]
        + ([constraint] if constraint else [])
        + [f"{model._meta.db_table}_{columns[0]}"]
    )
    with pytest.raises(IntegrityError, match=pattern), transaction.atomic():
        model.objects.create(**copy)


@pytest.mark.parametrize(
    ("label", "column", "value"),
    [
        ("declarations.Application", "state", BOGUS),
        ("rounds.Round", "county_limit", -1),
        ("intake.PrecheckDigest", "warnings", -1),
    ],
)
def test_raw_sql_is_refused_too(label, column, value):
    # What a script or a console might run: the same constraints, no model in between.
    model = apps.get_model(label)
    row = any_row(model)
    table = model._meta.db_table
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'UPDATE "{table}" SET "{column}" = %s WHERE id = %s', [value, row.pk])
    assert getattr(model.objects.get(pk=row.pk), column) == getattr(row, column)
