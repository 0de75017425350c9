"""The database as JSON lines, one file per table, that any vendor Django supports can load.

Rows are read from one consistent view of the database — a REPEATABLE READ, read-only
transaction on PostgreSQL, a deferred read transaction on SQLite (WAL mode) — and streamed a
chunk at a time, so memory stays flat however large the database.

Each line is a JSON array of one row's column values in the order of the table's ``columns`` in
the manifest, encoded the way Django's serializers encode them (ISO dates, decimals as text,
binary as base64) and decoded with each field's ``to_python``. Loading INSERTs every row with its
own primary key and nothing else, which the append-only triggers allow; ``raw`` inserts keep
``auto_now`` values as they were.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any, TextIO

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder

# Rows read per round trip: an application's form is ~124 KB of JSON, so 200 rows stay ~25 MB.
CHUNK_SIZE = 200

# Rows that `migrate` itself writes into a new installation (post_migrate): an empty installation
# has them, and a restore replaces them with the backup's, whose ids the other rows refer to.
INSTALLATION_MODELS = ("contenttypes.ContentType", "auth.Permission")


def backed_up_models() -> list[type[models.Model]]:
    """Every model with a table of its own (many-to-many tables too), by label."""
    found = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]
    return sorted(found, key=lambda model: model._meta.label_lower)


def columns(model: type[models.Model]) -> list[models.Field]:
    # Generated columns are computed by the database from the others: never written.
    return [field for field in model._meta.local_concrete_fields if not field.generated]


def applied_migrations(alias: str = "default") -> dict[str, list[str]]:
    recorder = MigrationRecorder(connections[alias])
    if not recorder.has_table():
        return {}
    result: dict[str, list[str]] = {}
    for app, name in sorted(recorder.applied_migrations()):
        result.setdefault(app, []).append(name)
    return result


@contextmanager
def consistent_view() -> Iterator[str]:
    """The alias of a connection that sees the database as of one moment, for the block."""
    connection = connections["default"]
    if connection.in_atomic_block:  # already inside one transaction (a test): read in it
        yield "default"
        return
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        # A deferred read transaction: in WAL mode it reads one snapshot while saves go on.
        # (Django's atomic() would BEGIN IMMEDIATE and hold up every save for the backup.)
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield "default"
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield "default"


def _encode(field: models.Field, value: Any) -> Any:
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(value, bool | int | float | str):
        return value
    # Dates, times, decimals, UUIDs, durations, bytes: as Django's serializers write them.
    return field.value_to_string(SimpleNamespace(**{field.attname: value}))


def _decode(field: models.Field, value: Any) -> Any:
    if value is None or isinstance(field, models.JSONField):
        return value
    return field.to_python(value)


def dump_table(model: type[models.Model], alias: str, out: TextIO) -> int:
    """Write every row of ``model``'s table to ``out``, by primary key; the number of rows."""
    fields = columns(model)
    rows = (
        model._base_manager.using(alias)
        .order_by("pk")
        .values_list(*(field.attname for field in fields))
    )
    count = 0
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        encoded = [_encode(field, value) for field, value in zip(fields, row, strict=True)]
        out.write(json.dumps(encoded, ensure_ascii=False, separators=(",", ":")))
        out.write("\n")
        count += 1
    return count


class DumpFormatError(ValueError):
    """A line of a table's file is not a row of that table."""


def load_table(
    model: type[models.Model], names: list[str], lines: Iterator[str], alias: str = "default"
) -> int:
    """INSERT the rows of ``lines`` (as written by ``dump_table``) in batches; the count."""
    fields = columns(model)
    if names != [field.attname for field in fields]:
        raise DumpFormatError(f"{model._meta.label} 的列与当前安装不同：{names}")
    queryset = model._base_manager.using(alias)
    connection = connections[alias]
    batch: list[models.Model] = []
    count = 0

    def flush() -> None:
        # raw=True: the values are inserted as they are, auto_now fields and primary keys too.
        queryset._insert(batch, fields=fields, raw=True, using=alias)
        batch.clear()

    size = None
    for number, line in enumerate(lines, start=1):
        try:
            values = json.loads(line)
            if not isinstance(values, list) or len(values) != len(fields):
                raise ValueError("列数不符")
            batch.append(
                model(
                    **{
                        field.attname: _decode(field, value)
                        for field, value in zip(fields, values, strict=True)
                    }
                )
            )
        except (ValueError, TypeError, ValidationError) as exc:
            raise DumpFormatError(f"第 {number} 行无法读取：{exc}") from exc
        if size is None:
            size = max(1, min(500, connection.ops.bulk_batch_size(fields, batch)))
        if len(batch) >= size:
            flush()
        count += 1
    if batch:
        flush()
    return count


def empty_tables_except_installation(alias: str = "default") -> tuple[str, int] | None:
    """The first table holding rows besides what ``migrate`` writes, with its count; or None."""
    for model in backed_up_models():
        if model._meta.label in INSTALLATION_MODELS:
            continue
        count = model._base_manager.using(alias).count()
        if count:
            return model._meta.db_table, count
    return None


def clear_installation_rows(alias: str = "default") -> None:
    """Remove what ``migrate`` wrote (content types, permissions) before the backup's own go in:
    their ids may differ between installations, and the backup's rows refer to its own."""
    for label in reversed(INSTALLATION_MODELS):
        model = apps.get_model(label)
        model._base_manager.using(alias).all()._raw_delete(alias)
    apps.get_model("contenttypes.ContentType").objects.clear_cache()


def reset_sequences(loaded: list[type[models.Model]], alias: str = "default") -> None:
    """Point PostgreSQL's id sequences past the loaded ids (SQLite follows explicit ids)."""
    connection = connections[alias]
    statements = connection.ops.sequence_reset_sql(no_style(), loaded)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def row_count(model: type[models.Model], alias: str = "default") -> int:
    return model._base_manager.using(alias).count()
