"""Append-only records are protected in the database: every way of changing or removing a row
is refused, on SQLite and on PostgreSQL, and the row stays as it was."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from clusterdesk.declarations.domain.editing import Change, save_changes
from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import ApplicationEvent, Revision, Submission
from clusterdesk.evidence.models import Blob, Upload
from clusterdesk.rounds.enums import RoundAction
from clusterdesk.rounds.models import RoundEvent
from clusterdesk.shared import appendonly
from tests.any_rows import any_row
from tests.factories import make_application, make_city_officer, make_round

pytestmark = pytest.mark.django_db


def _submission():
    return make_application(path=(S.SUBMITTED,)).submissions.get()


def _creation_event():
    # The creation event has no snapshot, so Django's own PROTECT check does not step in first.
    return make_application(path=(S.SUBMITTED,)).events.get(from_state="")


def _round_event():
    return RoundEvent.objects.create(
        round=make_round(), action=RoundAction.CREATED, actor=make_city_officer(), note="新建"
    )


def _revision():
    application = make_application()
    operator = application.data["part1"]["operator"]
    save_changes(application, [Change("part1.operator", "改名", operator)], application.created_by)
    return application.revisions.get()


def _upload():
    application = make_application()
    blob = Blob.objects.create(sha256="b" * 64, size=1, kind="pdf", content_type="application/pdf")
    return Upload.objects.create(
        application=application, blob=blob, name="图谱.pdf", uploaded_by=application.created_by
    )


RECORDS = {
    "submission": (_submission, "data_sha256", "0" * 64, "提交快照"),
    "revision": (_revision, "changes", "[]", "修改记录"),
    "upload": (_upload, "name", "改名.pdf", "佐证材料上传记录"),
    "application_event": (_creation_event, "reason", "改写", "申报记录"),
    "round_event": (_round_event, "note", "改写", "轮次记录"),
}


def _raw(sql: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _raw_all(statements: list[str]) -> None:
    for statement in statements:
        _raw(statement)


def _attempts(model, pk, field, value):
    table = model._meta.db_table
    rows = model.objects.filter(pk=pk)
    return {
        "queryset.update()": ("修改", lambda: rows.update(**{field: value})),
        "queryset.delete()": ("删除", rows.delete),
        "raw UPDATE": (
            "修改",
            lambda: _raw(f'UPDATE "{table}" SET "{field}" = %s WHERE id = %s', value, pk),
        ),
        "raw DELETE": ("删除", lambda: _raw(f'DELETE FROM "{table}" WHERE id = %s', pk)),
    }


@pytest.mark.parametrize("record", RECORDS)
@pytest.mark.parametrize(
    "attempt", ["queryset.update()", "queryset.delete()", "raw UPDATE", "raw DELETE"]
)
def test_append_only_rows_cannot_be_changed_or_deleted(record, attempt):
    make, field, value, label = RECORDS[record]
    row = make()
    model = type(row)
    stored = model.objects.filter(pk=row.pk).values().get()
    verb, action = _attempts(model, row.pk, field, value)[attempt]

    # A savepoint, so that PostgreSQL can go on after the refused statement.
    with (
        pytest.raises(IntegrityError, match=f"{label}只能新增，不能{verb}。"),
        transaction.atomic(),
    ):
        action()
    assert model.objects.filter(pk=row.pk).values().get() == stored


def _shift_attempts(model, pk):
    """Moving the row's key: a change every append-only table has, whatever its columns."""
    table, column = model._meta.db_table, model._meta.pk.column
    rows = model.objects.filter(pk=pk)
    return {
        "queryset.update()": ("修改", lambda: rows.update(id=F("id") + 1_000_000)),
        "queryset.delete()": ("删除", rows.delete),
        "raw UPDATE": (
            "修改",
            lambda: _raw(
                f'UPDATE "{table}" SET "{column}" = "{column}" + 1000000 WHERE "{column}" = %s', pk
            ),
        ),
        "raw DELETE": ("删除", lambda: _raw(f'DELETE FROM "{table}" WHERE "{column}" = %s', pk)),
    }


@pytest.mark.parametrize(
    "model", appendonly.append_only_models(), ids=lambda model: model._meta.label
)
def test_every_append_only_model_refuses_every_change(model):
    # Discovered from the app registry: a new AppendOnly model is covered without being listed.
    row = any_row(model)
    stored = model.objects.filter(pk=row.pk).values().get()
    label = str(model._meta.verbose_name)
    for attempt, (verb, action) in _shift_attempts(model, row.pk).items():
        with (
            pytest.raises(IntegrityError, match=f"{label}只能新增，不能{verb}。"),
            transaction.atomic(),
        ):
            action()
        assert model.objects.filter(pk=row.pk).values().get() == stored, attempt


def test_the_append_only_records_are_the_ones_the_readme_lists():
    # Every record that is only ever added by its meaning is an AppendOnly model.
    labels = {model._meta.label for model in appendonly.append_only_models()}
    assert labels == APPEND_ONLY_BY_MEANING


APPEND_ONLY_BY_MEANING = {
    "declarations.ApplicationEvent",
    "declarations.Submission",
    "declarations.Revision",
    "declarations.CommentReply",
    "evidence.Upload",
    "hearings.HearingEvent",
    "hearings.SiteVisitFile",
    "intake.PaperReceipt",
    "intake.FormalCheck",
    "monitoring.MajorChangeCase",
    "monitoring.MajorChangeDecision",
    "notifications.Reminder",
    "publicity.Decision",
    "publicity.DecisionItem",
    "publicity.Publicity",
    "publicity.PublicityItem",
    "publicity.Objection",
    "publicity.ObjectionStep",
    "recheck.RecheckStep",
    "registry.RegistrySettingsChange",
    "registry.Publication",
    "registry.Certification",
    "registry.Recommendation",
    "registry.RecommendationItem",
    "review.ReviewEvent",
    "revocation.Revocation",
    "rounds.RoundEvent",
    "scoring.ScoreSheetEvent",
    "scoring.ScoringSettingsEvent",
    "tracking.TrackingSettingsChange",
}


@pytest.mark.django_db(transaction=True)  # rows committed: TRUNCATE refuses pending FK checks
@pytest.mark.parametrize("model", [Submission, ApplicationEvent, RoundEvent, Revision, Upload])
def test_emptying_an_append_only_table_is_refused(model):
    # What a flush runs: DELETE FROM on SQLite, TRUNCATE on PostgreSQL (no row trigger fires).
    _submission()
    _round_event()
    _revision()
    _upload()
    count = model.objects.count()
    table = model._meta.db_table
    statements = connection.ops.sql_flush(no_style(), [table], allow_cascade=True)
    with pytest.raises(IntegrityError, match="只能新增，不能删除。"), transaction.atomic():
        _raw_all(statements)
    assert model.objects.count() == count


def test_every_append_only_model_is_protected():
    # A new AppendOnly model is protected too, by its migration or, failing that, after migrate.
    models = appendonly.append_only_models()
    assert {Submission, ApplicationEvent, RoundEvent} <= set(models)
    for model in models:
        assert appendonly.installed(connection, model._meta.db_table), model.__name__


def test_triggers_lost_by_a_table_rebuild_come_back_after_migrate():
    # SQLite alters a table by rebuilding it, which drops its triggers; migrate puts them back.
    table = Submission._meta.db_table
    appendonly.remove(connection, table)
    assert not appendonly.installed(connection, table)
    call_command("migrate", verbosity=0)
    assert appendonly.installed(connection, table)


def test_trigger_sql_quotes_the_message():
    (update, delete) = appendonly.install_sql("sqlite", "t", "O'Brien记录")
    assert "'O''Brien记录只能新增，不能修改。'" in update
    assert "'O''Brien记录只能新增，不能删除。'" in delete
    with pytest.raises(NotImplementedError):
        appendonly.install_sql("mysql", "t", "记录")


@pytest.mark.django_db(transaction=True)
def test_the_test_harness_flush_empties_the_tables_and_keeps_them_protected():
    # tests/append_only_flush.py: the only place where the tables are emptied.
    submission = _submission()
    call_command("flush", interactive=False, verbosity=0)
    assert not Submission.objects.filter(pk=submission.pk).exists()
    for model in appendonly.append_only_models():
        assert appendonly.installed(connection, model._meta.db_table), model.__name__
