"""Database triggers that make a table append-only: rows may be inserted, never changed or removed.

``AppendOnly.save()``/``.delete()`` refuse changes made through a model instance, but
``QuerySet.update()``, ``QuerySet.delete()``, the admin's bulk actions and raw SQL bypass them.
These triggers refuse UPDATE and DELETE inside the database itself, whatever the caller:

- SQLite: ``BEFORE UPDATE`` and ``BEFORE DELETE`` triggers that ``RAISE(ABORT, …)``
  (``DELETE FROM t`` without a WHERE fires them too: SQLite turns off its truncate
  optimisation for a table with triggers).
- PostgreSQL: a row trigger ``BEFORE UPDATE OR DELETE`` and a statement trigger
  ``BEFORE TRUNCATE`` (row triggers do not fire on TRUNCATE), both calling one shared function.

Either way Django raises ``IntegrityError`` with the Chinese message. Migrations add the
triggers with :func:`triggers_operation`; :func:`install_all` (run after every ``migrate``)
puts back any that a later migration lost — SQLite rebuilds a table to alter it, and dropping
the old table drops its triggers. So the protection follows the model: while a model is
``AppendOnly`` its table keeps the triggers, even after its trigger migration is unapplied.
Only DROP TRIGGER by hand lifts it (until the next ``migrate``); there is deliberately no switch
that ordinary SQL could flip.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import migrations, models

PG_FUNCTION = "clusterdesk_refuse_change"
SUFFIXES = ("append_only_update", "append_only_delete", "append_only_truncate")
VENDORS = ("sqlite", "postgresql")

_PG_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    -- TG_ARGV[0]: the message for UPDATE, TG_ARGV[1]: for DELETE and TRUNCATE.
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION USING MESSAGE = TG_ARGV[0], ERRCODE = 'restrict_violation';
    END IF;
    RAISE EXCEPTION USING MESSAGE = TG_ARGV[1], ERRCODE = 'restrict_violation';
END;
$body$
"""


def messages(label: str) -> tuple[str, str]:
    """The refusals for UPDATE and DELETE, worded like ``AppendOnly`` (e.g. 提交快照只能新增…)."""
    return f"{label}只能新增，不能修改。", f"{label}只能新增，不能删除。"


def trigger_names(table: str) -> list[str]:
    return [f"{table}_{suffix}" for suffix in SUFFIXES]


def install_sql(vendor: str, table: str, label: str) -> list[str]:
    """The statements that protect ``table``; running them again changes nothing."""
    update_message, delete_message = (_literal(text) for text in messages(label))
    update, delete, truncate = (_quote(name) for name in trigger_names(table))
    quoted = _quote(table)
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS {update} BEFORE UPDATE ON {quoted} "
            f"BEGIN SELECT RAISE(ABORT, {update_message}); END",
            f"CREATE TRIGGER IF NOT EXISTS {delete} BEFORE DELETE ON {quoted} "
            f"BEGIN SELECT RAISE(ABORT, {delete_message}); END",
        ]
    if vendor == "postgresql":
        arguments = f"{update_message}, {delete_message}"
        return [
            _PG_FUNCTION_SQL,
            *(f"DROP TRIGGER IF EXISTS {name} ON {quoted}" for name in (update, truncate)),
            f"CREATE TRIGGER {update} BEFORE UPDATE OR DELETE ON {quoted} "
            f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}({arguments})",
            f"CREATE TRIGGER {truncate} BEFORE TRUNCATE ON {quoted} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}({arguments})",
        ]
    raise NotImplementedError(f"append-only triggers are not written for {vendor!r}")


def remove_sql(vendor: str, table: str) -> list[str]:
    """The statements that lift the protection (reversing a migration). The shared PostgreSQL
    function stays: other tables' triggers use it, and on its own it does nothing."""
    names = [_quote(name) for name in trigger_names(table)]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}" for name in names]
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name} ON {_quote(table)}" for name in names]
    raise NotImplementedError(f"append-only triggers are not written for {vendor!r}")


def install(connection: Any, table: str, label: str) -> None:
    _execute(connection, install_sql(connection.vendor, table, label))


def remove(connection: Any, table: str) -> None:
    _execute(connection, remove_sql(connection.vendor, table))


def installed(connection: Any, table: str) -> bool:
    """Whether every trigger that protects ``table`` is in place."""
    update, delete, truncate = trigger_names(table)
    if connection.vendor == "sqlite":
        expected = {update, delete}  # SQLite has no TRUNCATE
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s"
        argument = table
    else:
        expected = {update, truncate}  # one row trigger for UPDATE and DELETE
        # A disabled trigger (ALTER TABLE … DISABLE TRIGGER) protects nothing.
        query = (
            "SELECT tgname FROM pg_trigger "
            "WHERE tgrelid = to_regclass(%s) AND NOT tgisinternal AND tgenabled <> 'D'"
        )
        argument = _quote(table)
    with connection.cursor() as cursor:
        cursor.execute(query, [argument])
        found = {row[0] for row in cursor.fetchall()}
    return expected <= found


def triggers_operation(table: str, label: str) -> migrations.RunPython:
    """A migration operation that protects ``table`` (and lifts the protection when reversed).

    ``label`` is the model's Chinese name as it was when the migration was written.
    """

    def forward(apps: Any, schema_editor: Any) -> None:
        install(schema_editor.connection, table, label)

    def backward(apps: Any, schema_editor: Any) -> None:
        remove(schema_editor.connection, table)

    return migrations.RunPython(forward, backward, elidable=False)


def append_only_models() -> list[Any]:
    """Every installed model whose rows are only ever added (subclasses of ``AppendOnly``)."""
    from django.apps import apps  # noqa: PLC0415 - needs the app registry

    return [model for model in apps.get_models() if issubclass(model, AppendOnly)]


def install_all(connection: Any, models: Iterable[Any] | None = None) -> None:
    """Protect every append-only table that exists (idempotent)."""
    tables = set(connection.introspection.table_names())
    for model in append_only_models() if models is None else models:
        if model._meta.db_table in tables:
            install(connection, model._meta.db_table, str(model._meta.verbose_name))


def reinstall_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """``post_migrate`` receiver (sent per app): a migration that rebuilt one of ``sender``'s
    tables (SQLite) must not leave it unprotected."""
    from django.db import connections  # noqa: PLC0415

    connection = connections[using]
    models = [model for model in append_only_models() if model._meta.app_config is sender]
    if models and connection.vendor in VENDORS:
        install_all(connection, models)


def _execute(connection: Any, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            # No parameters: the SQL holds no placeholders, and none must be parsed in it.
            cursor.execute(statement)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# --- the model base -------------------------------------------------------------------------


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete a recorded event."""


class AppendOnly(models.Model):
    """A record that is only ever added (events, snapshots): saving it again or deleting it
    raises ``AppendOnlyError``, named by the model's Chinese name."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name}只能新增，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError(f"{self._meta.verbose_name}只能新增，不能删除。")
